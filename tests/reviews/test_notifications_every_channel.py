"""Progress is announced by the services that write it, whichever channel called them.

No signal announces anything: the page, the API and the admin reach the same service
calls, so a follower hears about a staff member's admin save as about an editor's.
A save that bypasses the services (a data fix in a shell) announces nothing.
"""

import pytest
from django.urls import reverse

from commitments.models import ProgressReport
from reviews import services
from reviews.models import Event, Notification
from tests.commitments.test_admin_through_services import change_url, milestone_row, opened_form
from tests.commitments.worlds import PLAN_START, build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def follower(world):
    person = UserFactory(username="seguidora")
    services.toggle_follow(user=person, commitment=world.national_commitment)
    return person


def notified(person, kind):
    return Notification.objects.filter(recipient=person, event__kind=kind).count()


def test_a_staff_inline_row_progress_save_notifies_followers(admin_client, world, follower):
    commitment = world.national_commitment
    milestone = commitment.milestones.order_by("position").first()
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)

    response = admin_client.post(
        change_url(commitment),
        {**opened, row + "status": "in_progress", row + "percent_complete": 40},
    )

    assert response.status_code == 302
    assert notified(follower, Event.Kind.MILESTONE_UPDATE) == 1


def test_a_staff_weight_change_is_not_progress_and_announces_nothing(admin_client, world, follower):
    commitment = world.national_commitment
    milestone = commitment.milestones.order_by("position").first()
    opened = opened_form(admin_client.get(change_url(commitment)))

    response = admin_client.post(
        change_url(commitment), {**opened, milestone_row(opened, milestone) + "weight": 4}
    )

    assert response.status_code == 302
    assert not Event.objects.exists()


def test_a_progress_report_added_in_the_admin_notifies_followers(admin_client, world, follower):
    add_url = reverse("admin:commitments_progressreport_add")
    opened = opened_form(admin_client.get(add_url))

    response = admin_client.post(
        add_url,
        {
            **opened,
            "commitment": world.national_commitment.pk,
            "date": PLAN_START.isoformat(),
            "summary": "Informe cargado por el equipo del portal.",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ProgressReport.objects.count() == 1
    assert notified(follower, Event.Kind.PROGRESS_REPORT) == 1


def test_a_save_that_bypasses_the_services_announces_nothing(world, follower):
    milestone = world.national_commitment.milestones.order_by("position").first()
    milestone.status, milestone.percent_complete = "in_progress", 10

    milestone.save()
    ProgressReport.objects.create(
        commitment=world.national_commitment, date=PLAN_START, summary="Sin servicio."
    )

    assert not Event.objects.exists()
