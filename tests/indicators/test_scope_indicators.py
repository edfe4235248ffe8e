"""Per plan, per state and national aggregates, and their daily snapshots."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import NATION_SCOPE_ID, IndicatorSnapshot, ScopeIndicator, ScopeKind
from indicators.services import recompute_all, recompute_commitments
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    StateActionPlanFactory,
    StateFactory,
)

from .helpers import Status, complete, days_ago, last_touched, milestone

pytestmark = pytest.mark.django_db


def scope(kind, scope_id=NATION_SCOPE_ID):
    return ScopeIndicator.objects.get(scope_kind=kind, scope_id=scope_id)


@pytest.fixture
def chiapas_plan():
    """Four commitments: complete, substantial and overdue, not started and stale, withdrawn."""
    plan = StateActionPlanFactory(state=StateFactory(inegi_code="07"))
    complete(CommitmentFactory(action_plan=plan))
    substantial = CommitmentFactory(action_plan=plan)
    milestone(substantial, status=Status.IN_PROGRESS, percent=60, due=days_ago(3))
    stale = CommitmentFactory(action_plan=plan)
    last_touched(stale, days=120)
    last_touched(milestone(stale), days=120)
    milestone(CommitmentFactory(action_plan=plan), status=Status.WITHDRAWN)
    CommitmentFactory(action_plan=plan, code="CHIS-SIN-INFO")  # nothing recorded about it
    return plan


def test_a_plan_counts_commitments_by_level_and_averages_those_not_withdrawn(chiapas_plan):
    recompute_all()

    figures = scope(ScopeKind.PLAN, chiapas_plan.pk)
    assert figures.commitments_total == 5
    assert figures.commitments_no_information == 1
    assert figures.commitments_with_information == 4
    assert figures.commitments_complete == 1
    assert figures.commitments_substantial == 1
    assert figures.commitments_not_started == 1
    assert figures.commitments_limited == 0
    assert figures.commitments_withdrawn == 1
    # Over the three with information and not withdrawn: no data is not 0 %.
    assert figures.mean_completion == Decimal("53.33")  # (100 + 60 + 0) / 3
    assert figures.share_on_time == Decimal("0.6667")  # the substantial one is overdue
    assert figures.share_stale == Decimal("0.3333")
    assert figures.share_disputed is None  # until assessments exist


def test_a_state_gathers_all_its_plans_and_the_nation_gathers_everything(chiapas_plan):
    later = StateActionPlanFactory(state=chiapas_plan.state)
    complete(CommitmentFactory(action_plan=later))
    national = CommitmentFactory(action_plan=ActionPlanFactory())
    milestone(national, status=Status.IN_PROGRESS, percent=20)
    # Another state by an explicit code: the factory's sequence may give Chiapas's "07".
    other_state = CommitmentFactory(
        action_plan=StateActionPlanFactory(state=StateFactory(inegi_code="14"))
    )

    recompute_all()

    chiapas = scope(ScopeKind.STATE, chiapas_plan.state_id)
    assert chiapas.commitments_total == 6
    assert chiapas.commitments_no_information == 1
    assert chiapas.commitments_complete == 2
    assert chiapas.mean_completion == Decimal("65.00")  # (100 + 60 + 0 + 100) / 4
    nation = scope(ScopeKind.NATION)
    assert nation.commitments_total == 8
    assert nation.commitments_no_information == 2  # one in Chiapas, the other state's
    assert nation.commitments_limited == 1
    assert nation.commitments_not_started == 1
    assert nation.mean_completion == Decimal("56.00")  # (100 + 60 + 0 + 100 + 20) / 5
    assert not ScopeIndicator.objects.filter(
        scope_kind=ScopeKind.STATE, scope_id=national.action_plan_id
    ).exists()
    assert scope(ScopeKind.STATE, other_state.action_plan.state_id).commitments_total == 1


def test_an_edit_recomputes_its_plan_its_state_and_the_nation_only(chiapas_plan):
    elsewhere = CommitmentFactory(action_plan=StateActionPlanFactory())
    recompute_all()
    untouched = scope(ScopeKind.PLAN, elsewhere.action_plan_id).computed_at
    commitment = chiapas_plan.commitments.get(code="CHIS-SIN-INFO")

    complete(commitment)
    recompute_commitments(commitment_ids=[commitment.pk])

    assert scope(ScopeKind.PLAN, chiapas_plan.pk).commitments_complete == 2
    assert scope(ScopeKind.STATE, chiapas_plan.state_id).commitments_complete == 2
    assert scope(ScopeKind.NATION).commitments_complete == 2
    assert scope(ScopeKind.PLAN, elsewhere.action_plan_id).computed_at == untouched


def test_the_same_day_twice_keeps_one_snapshot_per_scope_with_the_same_figures(chiapas_plan):
    recompute_all()
    first = list(IndicatorSnapshot.objects.order_by("scope_kind", "scope_id").values())

    recompute_all()

    assert list(IndicatorSnapshot.objects.order_by("scope_kind", "scope_id").values()) == first
    assert len(first) == 3  # the plan, Chiapas, the nation


def test_a_later_edit_the_same_day_updates_that_days_snapshot(chiapas_plan):
    recompute_all()
    commitment = chiapas_plan.commitments.get(code="CHIS-SIN-INFO")
    complete(commitment)

    recompute_commitments(commitment_ids=[commitment.pk])

    snapshot = IndicatorSnapshot.objects.get(scope_kind=ScopeKind.NATION)
    assert snapshot.commitments_complete == 2
    assert snapshot.date == timezone.localdate()


def test_each_day_adds_a_snapshot_so_trends_can_be_charted(chiapas_plan):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    recompute_all()
    recompute_all(now=tomorrow)

    dates = IndicatorSnapshot.objects.filter(scope_kind=ScopeKind.NATION).values_list(
        "date", flat=True
    )
    assert sorted(dates) == [timezone.localdate(), timezone.localdate(tomorrow)]


def test_a_full_recompute_drops_scopes_that_no_longer_have_commitments(chiapas_plan):
    recompute_all()
    empty_plan = StateActionPlanFactory()
    ScopeIndicator.objects.create(
        scope_kind=ScopeKind.PLAN, scope_id=empty_plan.pk, computed_at=timezone.now()
    )

    recompute_all()

    assert not ScopeIndicator.objects.filter(scope_id=empty_plan.pk).exists()
    assert scope(ScopeKind.PLAN, chiapas_plan.pk)


def test_the_nation_has_figures_even_before_any_commitment():
    summary = recompute_all()

    assert (summary.commitments, summary.scopes, summary.snapshots) == (0, 1, 1)
    nation = scope(ScopeKind.NATION)
    assert nation.commitments_total == 0
    assert nation.mean_completion is nation.share_on_time is None
