"""Staff enter local plans, Métrica scores and the coordination space in the admin."""

import pytest
from django.urls import reverse

from commitments.models import ActionPlan
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    LocalCommitmentFactory,
    MeetingFactory,
    MemberFactory,
    MetricaEditionFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "states_localactionplan",
    "states_localcommitment",
    "states_metricaedition",
    "states_metricascore",
    "states_state",
    "coordination_coordinationspace",
    "coordination_member",
    "coordination_meeting",
    "coordination_agreement",
]


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_every_new_admin_list_and_add_page_opens(admin_client, model):
    StateActionPlanFactory()
    LocalCommitmentFactory()
    MetricaEditionFactory()
    MemberFactory()
    AgreementFactory()

    assert admin_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_change_pages_with_inlines_open(admin_client):
    plan = StateActionPlanFactory()
    commitment = LocalCommitmentFactory(action_plan=plan)
    meeting = MeetingFactory()

    for url in (
        reverse("admin:states_localactionplan_change", args=[plan.pk]),
        reverse("admin:states_localcommitment_change", args=[commitment.pk]),
        reverse("admin:coordination_meeting_change", args=[meeting.pk]),
        reverse("admin:states_state_change", args=[plan.state.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_local_plan_admin_lists_only_state_plans_and_saves_them_as_local(admin_client):
    CommitmentFactory()  # with a national plan
    state = StateFactory(inegi_code="14")

    response = admin_client.post(
        reverse("admin:states_localactionplan_add"),
        {
            "state": state.pk,
            "cycle_year": 2042,
            "title": "Plan de Acción Local de Jalisco",
            "start_date": "2042-01-01",
            "end_date": "2043-12-31",
            "status": "active",
            "secretariat_members-TOTAL_FORMS": 0,
            "secretariat_members-INITIAL_FORMS": 0,
            "commitments-TOTAL_FORMS": 0,
            "commitments-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    plan = ActionPlan.objects.get(title="Plan de Acción Local de Jalisco")
    assert (plan.scope, plan.state) == (ActionPlan.Scope.STATE, state)
    changelist = admin_client.get(reverse("admin:states_localactionplan_changelist"))
    assert list(changelist.context["cl"].queryset) == [plan]
