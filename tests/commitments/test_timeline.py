"""The public timeline on the commitment page: who changed what, newest first, at a fixed cost."""

import datetime

import pytest
from django.urls import reverse

from commitments import services
from tests.commitments.worlds import build_world

pytestmark = pytest.mark.django_db


def save(milestone, user, **fields):
    values = {
        "status": "in_progress",
        "percent_complete": milestone.percent_complete,
        "actual_start_date": milestone.actual_start_date,
        "actual_end_date": milestone.actual_end_date,
        "narrative": milestone.narrative,
        "weight": milestone.weight,
        **fields,
    }
    return services.update_milestone_progress(
        milestone_id=milestone.pk, user=user, version=milestone.version, **values
    )


def test_the_timeline_shows_who_changed_which_field_from_what_to_what(client):
    world = build_world()
    editor = world.users["lead_editor"]
    milestone = world.national_commitment.milestones.order_by("position").first()
    milestone = save(milestone, editor, percent_complete=25)
    save(
        milestone,
        editor,
        percent_complete=100,
        status="complete",
        actual_end_date=datetime.date(2030, 8, 31),
    )

    response = client.get(world.national_commitment.get_absolute_url())

    timeline = response.context["timeline"]
    newest, older = timeline[0], timeline[1]
    assert newest["who"] == editor and older["who"] == editor
    assert newest["when"] >= older["when"]
    changes = {change["field"]: change for change in newest["changes"]}
    assert (changes["percent_complete"]["before"], changes["percent_complete"]["after"]) == (
        25,
        100,
    )
    assert (changes["status"]["before"], changes["status"]["after"]) == ("En proceso", "Completado")
    assert changes["actual_end_date"]["after"] == datetime.date(2030, 8, 31)
    html = response.content.decode()
    assert "Historial de cambios" in html
    assert "Avance (%): 25 → 100" in html
    assert "Estado: En proceso → Completado" in html
    assert editor.first_name in html


def test_the_timeline_is_translated_for_english_readers(client):
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    save(milestone, world.users["lead_editor"], percent_complete=25)

    html = client.get(
        world.national_commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Change history" in html
    assert "Progress (%): 0 → 25" in html
    assert "Status: Not started → In progress" in html


def test_the_timeline_pages_backwards_by_date(client):
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    for percent in range(1, 26):
        milestone = save(milestone, world.users["lead_editor"], percent_complete=percent)

    first_page = client.get(world.national_commitment.get_absolute_url())
    cursor = first_page.context["timeline_cursor"]
    second_page = client.get(
        world.national_commitment.get_absolute_url(), {"historial_antes": cursor.isoformat()}
    )

    assert len(first_page.context["timeline"]) == 20
    assert first_page.context["timeline"][0]["changes"][0]["after"] == 25
    older = second_page.context["timeline"]
    assert [entry["changes"][0]["after"] for entry in older if entry["changes"]][:5] == [
        5,
        4,
        3,
        2,
        1,
    ]
    assert "Cambios más recientes" in second_page.content.decode()


@pytest.mark.parametrize("edits", [2, 40])
def test_the_commitment_page_costs_the_same_with_few_or_many_history_rows(
    client, django_assert_max_num_queries, edits
):
    world = build_world()
    client.force_login(world.users["lead_editor"])  # the edit-permission check included
    milestones = list(world.national_commitment.milestones.all())
    for number in range(edits):
        milestone = milestones[number % 2]
        milestone.refresh_from_db()
        save(milestone, world.users["lead_editor"], percent_complete=number % 100)

    # 16: issue 4 adds the follow button and the comment thread (one query each); 21 with
    # the three views (other official titles, IRM assessments, the plan's IRM reports and
    # their figures, civil society's verdict counts).
    with django_assert_max_num_queries(21):
        response = client.get(world.national_commitment.get_absolute_url())

    assert response.status_code == 200


def test_staff_can_open_a_milestone_history_in_the_admin_and_revert(admin_client):
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    saved = save(milestone, world.users["lead_editor"], percent_complete=60)
    original = saved.history.earliest()

    history = admin_client.get(reverse("admin:commitments_milestone_history", args=[milestone.pk]))
    assert history.status_code == 200
    revert_url = reverse(
        "admin:commitments_milestone_simple_history", args=[milestone.pk, original.history_id]
    )
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    # The revert form carries the live version (2), not the old row's.
    assert form.context["adminform"].form["version"].value() == 2
    data = {
        "version": 2,
        "commitment": milestone.commitment_id,
        "position": 1,
        "title": original.title,
        "start_date": original.start_date.isoformat(),
        "due_date": original.due_date.isoformat(),
        "weight": original.weight,
        "status": original.status,
        "percent_complete": original.percent_complete,
        "narrative": original.narrative,
        "actual_start_date": "",
        "actual_end_date": "",
    }
    response = admin_client.post(revert_url, data)

    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.percent_complete == 0
    # The revert moved the version on, so a form opened before it is refused.
    assert saved.version == 3


def test_the_public_timeline_names_the_institution_and_never_the_username(client):
    world = build_world()
    editor = world.users["lead_editor"]
    editor.username = "servidora@ejemplo.gob.mx"
    editor.first_name = editor.last_name = ""
    editor.save()
    milestone = world.national_commitment.milestones.order_by("position").first()
    save(milestone, editor, percent_complete=40)

    html = client.get(world.national_commitment.get_absolute_url()).content.decode()

    institution = editor.membership.institution
    assert f"Persona servidora pública ({institution.acronym or institution.name})" in html
    assert "servidora@ejemplo.gob.mx" not in html
