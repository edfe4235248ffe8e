"""“Mis compromisos”: what a person is responsible for, grouped by plan, overdue first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.commitments.worlds import build_world
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

URL = reverse("commitments:my_commitments")


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_anonymous_readers_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_editor_sees_the_commitments_of_their_institution_only(client):
    world = build_world()
    client.force_login(world.users["support_editor"])

    response = client.get(URL)

    codes = [commitment.code for commitment in response.context["commitments"]]
    assert codes == [world.national_commitment.code]
    html = response.content.decode()
    assert reverse("commitments:commitment_edit", args=[world.national_commitment.code]) in html
    assert "Mis compromisos" in html


def test_a_state_editor_sees_their_states_local_commitments(client):
    world = build_world()
    client.force_login(world.users["state_editor"])

    codes = [c.code for c in client.get(URL).context["commitments"]]

    assert codes == [world.local_commitment.code]


def test_overdue_milestones_are_highlighted_and_finished_ones_are_not(client):
    world = build_world()
    commitment = world.national_commitment
    MilestoneFactory(
        commitment=commitment, position=10, title="Vencido A", start_date=None, due_date=days_ago(3)
    )
    MilestoneFactory(
        commitment=commitment,
        position=11,
        title="Terminado",
        start_date=None,
        due_date=days_ago(3),
        status="complete",
        percent_complete=100,
    )
    MilestoneFactory(
        commitment=commitment,
        position=12,
        title="Retirado",
        start_date=None,
        due_date=days_ago(3),
        status="withdrawn",
    )
    MilestoneFactory(
        commitment=commitment,
        position=13,
        title="A tiempo",
        start_date=None,
        due_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    client.force_login(world.users["lead_editor"])

    response = client.get(URL)

    (row,) = response.context["commitments"]
    assert [m.title for m in row.overdue_milestones] == ["Vencido A"]
    assert row.overdue_count == 1
    html = response.content.decode()
    assert 'class="has-overdue"' in html
    assert "Vencido A" in html and "Terminado" not in html and "A tiempo" not in html
    assert '<span class="tag tag--overdue">Vencido</span>' in html


@pytest.mark.parametrize("role", ["reviewer", "analyst"])
def test_read_only_roles_are_told_they_have_nothing_to_edit(client, role):
    world = build_world()
    client.force_login(world.users[role])

    response = client.get(URL)

    assert list(response.context["commitments"]) == []
    assert "No tienes compromisos a tu cargo" in response.content.decode()


def test_staff_see_every_commitment_grouped_by_plan(client):
    world = build_world()
    client.force_login(world.users["staff_role"])

    html = client.get(URL).content.decode()

    for commitment in (
        world.national_commitment,
        world.other_commitment,
        world.local_commitment,
        world.other_state_commitment,
    ):
        assert commitment.code in html
    assert html.count('<h2 id="plan-') == 3


@pytest.mark.parametrize("extra", [0, 30])
def test_the_page_costs_the_same_with_more_commitments(
    client, django_assert_max_num_queries, extra
):
    world = build_world()
    for number in range(extra):
        MilestoneFactory(
            commitment=world.national_commitment,
            position=100 + number,
            start_date=None,
            due_date=days_ago(1),
        )
    client.force_login(world.users["staff_role"])

    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_the_navigation_offers_my_commitments_once_logged_in(client):
    world = build_world()
    assert URL not in client.get(reverse("home")).content.decode()

    client.force_login(world.users["lead_editor"])

    assert URL in client.get(reverse("home")).content.decode()


def test_a_state_editor_is_pointed_to_the_import_and_the_rounds(client):
    world = build_world()
    client.force_login(world.users["state_editor"])

    html = client.get(URL).content.decode()

    assert reverse("imports:start") in html
    assert reverse("coordination:round_list") in html


def test_people_who_may_not_import_are_not_offered_it(client):
    world = build_world()
    client.force_login(world.users["support_editor"])

    html = client.get(URL).content.decode()

    assert reverse("imports:start") not in html
    assert reverse("coordination:round_list") in html
