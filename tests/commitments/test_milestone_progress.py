"""An editor records a milestone's progress: valid input saves, bad input saves nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from commitments.models import Milestone
from indicators.models import RecomputeRequest
from tests.commitments.worlds import build_world, progress_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def editor(client, world):
    client.force_login(world.users["lead_editor"])
    return client


def first_milestone(world):
    return world.national_commitment.milestones.order_by("position").first()


def update_url(milestone):
    return reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])


def test_the_form_shows_the_milestone_and_carries_its_version(editor, world):
    milestone = first_milestone(world)

    html = editor.get(update_url(milestone)).content.decode()

    assert milestone.title in html
    assert f'name="hito-{milestone.pk}-version" value="1"' in html
    assert f'<label for="id_hito-{milestone.pk}-percent_complete">' in html
    assert 'enctype="multipart/form-data"' in html


def test_saving_progress_updates_the_milestone_bumps_its_version_and_records_who(
    editor, world, django_capture_on_commit_callbacks
):
    milestone = first_milestone(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            update_url(milestone),
            progress_data(milestone, percent_complete=60, narrative="Mesa instalada."),
        )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.percent_complete == 60
    assert milestone.narrative == "Mesa instalada."
    assert milestone.version == 2
    record = milestone.history.latest()
    assert record.history_user == world.users["lead_editor"]
    assert record.changes["percent_complete"] == [0, 60]
    assert record.changes["status"] == ["not_started", "in_progress"]


def test_a_save_recomputes_the_commitment_completion(
    editor, world, django_capture_on_commit_callbacks
):
    commitment = world.national_commitment
    milestone = first_milestone(world)  # one of two milestones of weight 1
    assert commitment.completion_percent is None  # not computed yet: no figure, not 0 %

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            update_url(milestone),
            progress_data(milestone, status="complete", percent_complete=100),
        )

    commitment.refresh_from_db()
    assert float(commitment.completion_percent) == 50.0
    assert not RecomputeRequest.objects.filter(commitment=commitment).exists()


BAD_INPUT = {
    "percent above 100": ({"percent_complete": 101}, "percent_complete", "menor o igual a 100"),
    "percent below 0": ({"percent_complete": -1}, "percent_complete", "mayor o igual a 0"),
    "complete below 100": (
        {"status": "complete", "percent_complete": 90},
        "percent_complete",
        "Un hito completado debe tener un avance del 100 por ciento.",
    ),
    "start before the plan": (
        {"actual_start_date": "2029-12-31"},
        "actual_start_date",
        "dentro del periodo del plan de acción",
    ),
    "end after the plan": (
        {"actual_end_date": "2032-07-01"},
        "actual_end_date",
        "dentro del periodo del plan de acción",
    ),
    "end before start": (
        {"actual_start_date": "2030-05-01", "actual_end_date": "2030-04-30"},
        "actual_end_date",
        "La conclusión real no puede ser anterior al inicio real.",
    ),
    "weight zero": ({"weight": 0}, "weight", "mayor o igual a 1"),
    "not a link": ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "URL válida"),
}


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_gets_a_linked_error_and_saves_nothing(editor, world, overrides, field, message):
    milestone = first_milestone(world)
    history_before = milestone.history.count()

    response = editor.post(update_url(milestone), progress_data(milestone, **overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The error summary links to the field, and the field says it is invalid.
    field_id = f"id_hito-{milestone.pk}-{field}"
    assert f'href="#{field_id}"' in html
    assert 'aria-invalid="true"' in html
    milestone.refresh_from_db()
    assert (milestone.version, milestone.percent_complete) == (1, 0)
    assert milestone.history.count() == history_before


def test_the_database_refuses_what_the_form_would_catch():
    """The constraints hold even for writes that skip the form."""
    from django.db import IntegrityError, transaction

    world = build_world()
    milestone = first_milestone(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(status="complete", percent_complete=50)


def test_edit_forms_refuse_a_post_without_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lead_editor"])
    milestone = first_milestone(world)
    commitment = world.national_commitment

    posts = [
        (update_url(milestone), progress_data(milestone, percent_complete=70)),
        (reverse("commitments:milestone_add", args=[commitment.code]), {"nuevo-hito-title": "X"}),
        (
            reverse("commitments:milestone_move", args=[commitment.code, milestone.pk]),
            {"version": 1, "direction": "down"},
        ),
        (
            reverse("commitments:progress_report_add", args=[commitment.code]),
            {"informe-date": "2030-03-01", "informe-summary": "Avance"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    milestone.refresh_from_db()
    assert milestone.version == 1
    assert commitment.milestones.count() == 2
