"""A state's page: its local plans with their co-creation body, commitments, milestones,
indicators and alignment, and its Métrica de Gobierno Abierto scores."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commitments.models import Alignment, Milestone
from indicators.models import ScopeIndicator, ScopeKind
from indicators.selectors import plan_indicators
from indicators.services import recompute_all
from states.models import SecretariatMember
from tests.factories import (
    AlignmentFactory,
    CommitmentFactory,
    LocalCommitmentFactory,
    MetricaEditionFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    SdgTargetFactory,
    SecretariatMemberFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def make_local_plan(state, *, commitments=2, cycle_year=2042):
    plan = StateActionPlanFactory(
        state=state, cycle_year=cycle_year, title=f"Plan local {cycle_year}"
    )
    for sector in SecretariatMember.Sector.values:
        SecretariatMemberFactory(action_plan=plan, sector=sector)
    national = CommitmentFactory()
    for index in range(commitments):
        commitment = LocalCommitmentFactory(action_plan=plan)
        commitment.sdg_targets.add(SdgTargetFactory(code="16.10", goal=16))
        # A complete milestone of weight 1 and an open one of weight 4 at 20 × (index + 1) %.
        MilestoneFactory(
            commitment=commitment, status=Milestone.Status.COMPLETE, percent_complete=100
        )
        MilestoneFactory(
            commitment=commitment,
            weight=4,
            status=Milestone.Status.IN_PROGRESS,
            percent_complete=20 * (index + 1),
        )
        AlignmentFactory(local_commitment=commitment, national_commitment=national)
    recompute_all()  # what the edits' tasks and the nightly pass do
    return plan


def test_a_state_page_shows_its_local_plan_secretariat_commitments_and_indicators(client):
    state = StateFactory(inegi_code="14", official_name="Jalisco", slug="jalisco")
    plan = make_local_plan(state)
    oversight = plan.secretariat_members.get(sector="oversight").institution

    response = client.get(reverse("states:state_detail", args=["jalisco"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Jalisco</h1>" in html
    assert plan.title in html
    assert "Secretariado técnico local" in html
    assert "Organismo garante" in html and oversight.name in html
    for commitment in plan.commitments.all():
        assert commitment.code in html
        assert commitment.alignments.get().national_commitment.code in html
    assert "44.0 %" in html  # mean of (100 + 4 × 20) / 5 = 36 % and (100 + 4 × 40) / 5 = 52 %
    assert "2 de 4" in html  # completed milestones of all milestones
    assert "16.10" in html
    assert "Nunca ha participado" not in html


def test_a_state_without_plans_or_sources_says_there_is_no_information(client):
    StateFactory(inegi_code="05", slug="coahuila")

    html = client.get(reverse("states:state_detail", args=["coahuila"])).content.decode()

    assert "Nunca ha participado" not in html
    assert 'participation--no_information">Sin información<' in html
    assert "El portal aún no tiene registrado un plan de acción local" in html


def test_an_unknown_state_is_not_found(client):
    assert client.get(reverse("states:state_detail", args=["atlantida"])).status_code == 404


def test_the_metrica_table_shows_each_edition_with_the_national_average(client):
    state = StateFactory(inegi_code="14", slug="jalisco")
    MetricaEditionFactory(year=2017, national_average=Decimal("0.39"))
    MetricaScoreFactory(
        state=state,
        edition=MetricaEditionFactory(year=2019, national_average=Decimal("0.52")),
        score=Decimal("0.61"),
        participation_citizen=Decimal("0.33"),
    )

    html = client.get(state.get_absolute_url()).content.decode()

    assert "0.39" in html and "0.52" in html
    assert "0.61" in html and "0.33" in html
    # No 2017 score for this state: no information, not a zero.
    assert "Sin información: el portal no encontró la calificación" in html


def test_plan_indicators_are_the_stored_plan_figures_and_a_milestone_count():
    state = StateFactory(inegi_code="14")
    plan = make_local_plan(state, commitments=3)
    withdrawn = LocalCommitmentFactory(action_plan=plan)
    MilestoneFactory(commitment=withdrawn, status=Milestone.Status.WITHDRAWN)
    empty = StateActionPlanFactory(state=state, cycle_year=2050)
    recompute_all()

    indicators = plan_indicators([plan.pk, empty.pk])

    stored = ScopeIndicator.objects.get(scope_kind=ScopeKind.PLAN, scope_id=plan.pk)
    assert indicators[plan.pk].commitment_count == stored.commitments_total == 4
    # (36 + 52 + 68) / 3: the withdrawn commitment is left out, as on the dashboard.
    assert indicators[plan.pk].mean_completion == stored.mean_completion == Decimal("52.00")
    assert (indicators[plan.pk].completed_milestones, indicators[plan.pk].milestone_count) == (3, 7)
    assert indicators[empty.pk].commitment_count == 0
    assert indicators[empty.pk].mean_completion is None


@pytest.mark.parametrize("plans", [1, 4])
def test_the_state_page_query_count_does_not_grow_with_plans(
    client, django_assert_max_num_queries, plans
):
    state = StateFactory(inegi_code="14", slug="jalisco")
    for index in range(plans):
        make_local_plan(state, commitments=plans, cycle_year=2042 + index)
    for year in range(2017, 2017 + plans):
        MetricaScoreFactory(state=state, edition=MetricaEditionFactory(year=year))

    # 12 for the page (its participation records among them), 2 for its charts (stored
    # plan indicators, the state's snapshots).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("states:state_detail", args=["jalisco"]))

    assert response.status_code == 200
    assert Alignment.objects.count() == plans * plans


def test_the_state_list_links_to_each_state_page(client):
    state = StateFactory(inegi_code="14", official_name="Jalisco", slug="jalisco")

    html = client.get(reverse("states:state_list")).content.decode()

    assert f'<a href="{state.get_absolute_url()}">Jalisco</a>' in html
