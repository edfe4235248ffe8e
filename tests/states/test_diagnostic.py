"""The diagnostic page (MX0087 key action 1) covers all 32 states and says, for each, what
its sources say of its participation: never "never took part" without a source."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from commitments.models import Milestone
from indicators.services import recompute_all
from states.models import MetricaEdition, Standing, State, StateParticipation
from tests.factories import (
    LocalCommitmentFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    SourceFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_states():
    call_command("load_mexico_ogp", stdout=StringIO())
    return State.objects.all()


def standing_counts(response):
    return {standing.value: count for standing, count in response.context["summary"]["by_standing"]}


def test_the_diagnostic_lists_all_32_states_with_their_participation(client, real_states):
    hidalgo = real_states.get(inegi_code="13")  # Hidalgo: no plan nor score in the data
    plan = StateActionPlanFactory(state=hidalgo, cycle_year=2042)
    StateActionPlanFactory(state=hidalgo, cycle_year=2045)
    for percent in (40, 60):
        MilestoneFactory(
            commitment=LocalCommitmentFactory(action_plan=plan),
            status=Milestone.Status.IN_PROGRESS,
            percent_complete=percent,
        )
    recompute_all()  # the page reads the stored state indicator
    MetricaScoreFactory(
        state=hidalgo, edition=MetricaEdition.objects.get(year=2019), score=Decimal("0.58")
    )

    response = client.get(reverse("diagnostic"))

    assert response.status_code == 200
    rows = {state.inegi_code: state for state in response.context["states"]}
    assert len(rows) == 32
    assert (rows["13"].plan_count, rows["13"].latest_cycle, rows["13"].commitment_count) == (
        2,
        2045,
        2,
    )
    assert rows["13"].mean_completion == Decimal(50)
    assert (rows["13"].latest_metrica_score, rows["13"].latest_metrica_year) == (
        Decimal("0.58"),
        2019,
    )
    html = response.content.decode()
    for state in real_states:
        assert state.official_name in html


def test_the_real_data_says_who_took_part_and_where_it_says_so(client, real_states):
    response = client.get(reverse("diagnostic"))
    rows = {state.slug: state for state in response.context["states"]}

    # Jalisco: OGP Local since 2016 and INAI's local exercise, with three plans on record.
    assert rows["jalisco"].standing == Standing.PARTICIPATES
    assert rows["jalisco"].plan_count == 3
    # Mexico City joined OGP Local and withdrew, but takes part in INAI's exercise.
    assert rows["ciudad-de-mexico"].standing == Standing.PARTICIPATES
    # Puebla: one source lists it in the first stage, another among those who did not sign.
    assert rows["puebla"].standing == Standing.CONFLICTING
    assert rows["yucatan"].standing == Standing.DID_NOT_PARTICIPATE
    counts = standing_counts(response)
    assert sum(counts.values()) == 32
    assert counts["participates"] >= 23  # the 23 states of INAI's local exercise, at least
    html = response.content.decode()
    assert "Nunca ha participado" not in html
    # Every participation record on the page links to its source.
    for record in StateParticipation.objects.select_related("source"):
        assert escape(record.source.url) in html


def test_a_state_without_any_source_is_without_information_not_never(client):
    for code in ("01", "02"):
        StateFactory(inegi_code=code)
    source = SourceFactory()
    StateParticipation.objects.create(
        state=State.objects.get(inegi_code="02"),
        program=StateParticipation.Program.COCREACION_LOCAL,
        status=StateParticipation.Status.DID_NOT_PARTICIPATE,
        source=source,
    )

    response = client.get(reverse("diagnostic"))

    rows = {state.inegi_code: state for state in response.context["states"]}
    assert rows["01"].standing == Standing.NO_INFORMATION
    assert rows["02"].standing == Standing.DID_NOT_PARTICIPATE  # a source says so
    html = response.content.decode()
    assert 'class="participation participation--no_information">Sin información<' in html
    assert escape(source.url) in html


def test_the_diagnostic_shows_the_national_metrica_figures_with_sources(client, real_states):
    html = client.get(reverse("diagnostic")).content.decode()

    assert "2017: 0.39 en una escala de 0 a 1" in html
    assert "2019: 0.52 en una escala de 0 a 1" in html
    assert "2021: 0.48 en una escala de 0 a 1" in html
    for edition in MetricaEdition.objects.select_related("source"):
        assert escape(edition.source.url) in html


@pytest.mark.parametrize("plans_per_state", [1, 3])
def test_the_diagnostic_query_count_does_not_grow_with_data(
    client, real_states, django_assert_max_num_queries, plans_per_state
):
    no_plan_nor_2019_score = real_states.filter(action_plans__isnull=True).exclude(
        metrica_scores__edition__year=2019
    )
    for state in no_plan_nor_2019_score[:10]:
        for index in range(plans_per_state):
            plan = StateActionPlanFactory(state=state, cycle_year=2042 + index)
            LocalCommitmentFactory.create_batch(plans_per_state, action_plan=plan)
        MetricaScoreFactory(state=state, edition=MetricaEdition.objects.get(year=2019))

    # States with their aggregates, their participation records with sources, editions.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("diagnostic"))

    assert response.status_code == 200


def test_the_diagnostic_reads_in_english(client, real_states):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("diagnostic")).content.decode()

    assert "Diagnostic of the states" in html
    assert "Never taken part" not in html
    assert "Takes part" in html
