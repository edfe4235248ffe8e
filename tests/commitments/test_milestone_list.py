"""Editors add milestones at the end of the list and move them up and down."""

import pytest
from django.urls import reverse

from tests.commitments.worlds import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def editor(client, world):
    client.force_login(world.users["lead_editor"])
    return client


def titles(commitment):
    return list(commitment.milestones.order_by("position").values_list("title", flat=True))


def test_a_new_milestone_goes_last_with_its_weight(
    editor, world, django_capture_on_commit_callbacks
):
    commitment = world.national_commitment
    commitment.milestones.update(percent_complete=100, status="complete")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("commitments:milestone_add", args=[commitment.code]),
            {
                "nuevo-hito-title": "Publicar el tablero",
                "nuevo-hito-start_date": "2030-03-01",
                "nuevo-hito-due_date": "2030-09-30",
                "nuevo-hito-weight": 2,
            },
        )

    assert response.status_code == 302
    added = commitment.milestones.get(title="Publicar el tablero")
    assert (added.position, added.weight) == (3, 2)
    assert added.history.get().history_user == world.users["lead_editor"]
    commitment.refresh_from_db()
    assert float(commitment.completion_percent) == 50.0  # (100 + 100 + 2 × 0) / 4


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"nuevo-hito-title": ""}, "title", "Este campo es requerido"),
        ({"nuevo-hito-due_date": "2033-01-01"}, "due_date", "periodo del plan"),
        (
            {"nuevo-hito-start_date": "2030-05-01", "nuevo-hito-due_date": "2030-04-01"},
            "due_date",
            "no puede ser anterior",
        ),
        ({"nuevo-hito-weight": 0}, "weight", "mayor o igual a 1"),
    ],
)
def test_a_bad_new_milestone_saves_nothing(editor, world, data, field, message):
    commitment = world.national_commitment
    payload = {"nuevo-hito-title": "Hito", "nuevo-hito-weight": 1, **data}

    response = editor.post(reverse("commitments:milestone_add", args=[commitment.code]), payload)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_nuevo-hito-{field}"' in html
    assert commitment.milestones.count() == 2


def test_moving_a_milestone_up_and_down_swaps_it_with_its_neighbour(editor, world):
    commitment = world.national_commitment
    first, second = commitment.milestones.order_by("position")
    move = reverse("commitments:milestone_move", args=[commitment.code, second.pk])

    assert editor.post(move, {"version": 1, "direction": "up"}).status_code == 302
    assert titles(commitment) == [second.title, first.title]
    second.refresh_from_db()
    assert editor.post(move, {"version": second.version, "direction": "down"}).status_code == 302
    assert titles(commitment) == [first.title, second.title]
    change = second.history.latest()
    assert change.changes == {"position": [1, 2]}


def test_moving_the_first_milestone_up_changes_nothing(editor, world):
    commitment = world.national_commitment
    first = commitment.milestones.order_by("position").first()
    move = reverse("commitments:milestone_move", args=[commitment.code, first.pk])

    editor.post(move, {"version": 1, "direction": "up"})

    first.refresh_from_db()
    assert first.position == 1


def test_the_edit_page_lists_milestones_with_their_forms_and_buttons(editor, world):
    commitment = world.national_commitment

    html = editor.get(
        reverse("commitments:commitment_edit", args=[commitment.code])
    ).content.decode()

    for milestone in commitment.milestones.all():
        assert reverse("commitments:milestone_update", args=[commitment.code, milestone.pk]) in html
    assert "Subir" in html and "Bajar" in html
    assert 'id="id_nuevo-hito-title"' in html
    assert 'id="id_informe-summary"' in html
