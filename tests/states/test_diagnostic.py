"""The diagnostic page (MX0087 key action 1) covers all 32 states and shows which never
took part in a local action plan."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from commitments.models import Milestone
from indicators.services import recompute_all
from states.models import MetricaEdition, State
from tests.factories import (
    LocalCommitmentFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    StateActionPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_states():
    call_command("load_mexico_ogp", stdout=StringIO())
    return State.objects.all()


def test_the_diagnostic_lists_all_32_states_with_their_participation(client, real_states):
    jalisco = real_states.get(inegi_code="14")
    plan = StateActionPlanFactory(state=jalisco, cycle_year=2042)
    StateActionPlanFactory(state=jalisco, cycle_year=2045)
    for percent in (40, 60):
        MilestoneFactory(
            commitment=LocalCommitmentFactory(action_plan=plan),
            status=Milestone.Status.IN_PROGRESS,
            percent_complete=percent,
        )
    recompute_all()  # the page reads the stored state indicator
    MetricaScoreFactory(
        state=jalisco, edition=MetricaEdition.objects.get(year=2019), score=Decimal("0.58")
    )

    response = client.get(reverse("diagnostic"))

    assert response.status_code == 200
    rows = {state.inegi_code: state for state in response.context["states"]}
    assert len(rows) == 32
    assert (rows["14"].plan_count, rows["14"].latest_cycle, rows["14"].commitment_count) == (
        2,
        2045,
        2,
    )
    assert rows["14"].mean_completion == Decimal(50)
    assert (rows["14"].latest_metrica_score, rows["14"].latest_metrica_year) == (
        Decimal("0.58"),
        2019,
    )
    assert response.context["summary"] == {
        "states": 32,
        "with_plans": 1,
        "never": 31,
        "with_metrica": 1,
    }
    html = response.content.decode()
    for state in real_states:
        assert state.official_name in html
    assert html.count('class="participation participation--never"') == 31
    assert html.count('class="participation participation--active"') == 1


def test_without_any_local_plan_every_state_never_took_part(client, real_states):
    html = client.get(reverse("diagnostic")).content.decode()

    assert html.count("Nunca ha participado") == 32
    assert "0 / 32" in html


def test_the_diagnostic_shows_the_national_metrica_averages(client, real_states):
    html = client.get(reverse("diagnostic")).content.decode()

    assert "2017: 0.39 en una escala de 0 a 1" in html
    assert "2019: 0.52 en una escala de 0 a 1" in html


def test_national_plans_do_not_count_as_state_participation(client, real_states):
    # The real data has four national plans and no local ones.
    summary = client.get(reverse("diagnostic")).context["summary"]

    assert summary["with_plans"] == 0


@pytest.mark.parametrize("plans_per_state", [1, 3])
def test_the_diagnostic_query_count_does_not_grow_with_data(
    client, real_states, django_assert_max_num_queries, plans_per_state
):
    for state in real_states[:10]:
        for index in range(plans_per_state):
            plan = StateActionPlanFactory(state=state, cycle_year=2042 + index)
            LocalCommitmentFactory.create_batch(plans_per_state, action_plan=plan)
        MetricaScoreFactory(state=state, edition=MetricaEdition.objects.get(year=2017))

    with django_assert_max_num_queries(2):
        response = client.get(reverse("diagnostic"))

    assert response.status_code == 200


def test_the_diagnostic_reads_in_english(client, real_states):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("diagnostic")).content.decode()

    assert "Diagnostic of the states" in html
    assert html.count("Never taken part") == 32
