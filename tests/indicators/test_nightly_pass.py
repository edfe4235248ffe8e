"""The nightly full pass heals from the milestones themselves and rewrites only what changed.

Days since the last update and "stale" are derived from ``last_update_at`` when read, so a
new day alone changes no commitment row; it changes the scopes' share stale, and the rows of
commitments whose milestones fell due.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from commitments.models import Commitment, Milestone
from indicators import rules
from indicators.models import (
    STALE_AFTER_DAYS,
    CommitmentIndicator,
    CompletionLevel,
    ScopeIndicator,
    ScopeKind,
    days_since,
    stale_before,
)
from indicators.services import recompute_all
from tests.factories import CommitmentFactory, StateActionPlanFactory

from .helpers import Status, days_ago, last_touched, milestone

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def stored(commitment):
    return CommitmentIndicator.objects.get(commitment=commitment)


def test_a_change_made_behind_the_services_back_is_healed_by_the_full_pass():
    commitment = CommitmentFactory()
    first = milestone(commitment, weight=1)
    second = milestone(commitment, weight=1)
    recompute_all()
    # QuerySet.update() leaves updated_at alone and writes no outbox mark: only the
    # milestones themselves tell that the commitment moved.
    Milestone.objects.filter(pk=first.pk).update(status=Status.IN_PROGRESS, percent_complete=60)
    Milestone.objects.filter(pk=second.pk).update(weight=3)

    recompute_all()

    assert stored(commitment).completion_percent == Decimal("15.00")  # (1 × 60 + 3 × 0) / 4
    assert stored(commitment).weight_sum == 4
    commitment.refresh_from_db()
    assert commitment.completion_percent == Decimal("15.00")


def test_the_full_pass_heals_a_drifted_cached_percent_and_a_moved_commitment():
    commitment = CommitmentFactory()
    milestone(commitment, status=Status.IN_PROGRESS, percent=40)
    recompute_all()
    other_plan = StateActionPlanFactory()
    Commitment.objects.filter(pk=commitment.pk).update(
        completion_percent=Decimal("99.00"), action_plan=other_plan
    )

    recompute_all()

    commitment.refresh_from_db()
    assert commitment.completion_percent == Decimal("40.00")
    assert stored(commitment).action_plan == other_plan
    assert ScopeIndicator.objects.get(scope_kind=ScopeKind.PLAN, scope_id=other_plan.pk)


@pytest.mark.postgres
def test_a_new_day_rewrites_only_the_commitments_whose_milestones_fell_due():
    now = timezone.now()
    falls_due = CommitmentFactory()
    milestone(falls_due, due=timezone.localdate(now))  # overdue from tomorrow on
    quiet = CommitmentFactory()
    milestone(quiet, due=timezone.localdate(now) + 30 * DAY)
    recompute_all(now=now)
    quiet_row = stored(quiet)

    summary = recompute_all(now=now + DAY)

    assert summary.written == 1
    assert stored(falls_due).milestones_overdue == 1
    assert not stored(falls_due).is_on_time
    assert stored(quiet) == quiet_row
    assert stored(quiet).computed_at == quiet_row.computed_at  # not rewritten


@pytest.mark.postgres
def test_a_second_pass_the_same_day_writes_no_commitment_row():
    for percent in (0, 30, 100):
        status = Status.COMPLETE if percent == 100 else Status.IN_PROGRESS
        milestone(CommitmentFactory(), status=status, percent=percent)
    recompute_all()

    assert recompute_all().written == 0


def test_stale_moves_with_the_calendar_in_the_scopes_without_rewriting_commitments():
    now = timezone.now()
    commitment = CommitmentFactory()
    milestone(commitment, due=timezone.localdate(now) + 400 * DAY)
    last_touched(commitment, days=STALE_AFTER_DAYS)
    last_touched(commitment.milestones.get(), days=STALE_AFTER_DAYS)
    recompute_all(now=now)
    nation = ScopeIndicator.objects.get(scope_kind=ScopeKind.NATION)
    assert nation.share_stale == Decimal("0.0000")
    assert not stored(commitment).is_stale

    recompute_all(now=now + DAY)

    nation.refresh_from_db()
    assert nation.share_stale == Decimal("1.0000")
    last_update = stored(commitment).last_update_at
    assert days_since(last_update, today=timezone.localdate(now + DAY)) == STALE_AFTER_DAYS + 1


@pytest.mark.parametrize("days", [STALE_AFTER_DAYS, STALE_AFTER_DAYS + 1])
def test_the_stale_cutoff_in_sql_agrees_with_the_days_read_from_the_row(days):
    plan = StateActionPlanFactory()
    commitment = CommitmentFactory(action_plan=plan)
    last_touched(commitment, days=days)
    last_touched(milestone(commitment), days=days)

    recompute_all()

    indicator = stored(commitment)
    share = ScopeIndicator.objects.get(scope_kind=ScopeKind.PLAN, scope_id=plan.pk).share_stale
    assert indicator.days_since_update == days
    assert indicator.is_stale is (days > STALE_AFTER_DAYS)
    assert indicator.is_stale is (indicator.last_update_at < stale_before(timezone.localdate()))
    assert share == (Decimal(1) if indicator.is_stale else Decimal(0))


def test_a_new_commitment_is_added_and_a_deleted_one_leaves_by_the_full_pass():
    kept, dropped = CommitmentFactory(), CommitmentFactory()
    recompute_all()
    dropped.delete()
    added = CommitmentFactory()
    milestone(added, due=days_ago(-10))

    summary = recompute_all()

    assert set(CommitmentIndicator.objects.values_list("commitment_id", flat=True)) == {
        kept.pk,
        added.pk,
    }
    assert summary.commitments == 2


def test_a_changed_rule_reaches_every_commitment_at_the_next_pass(monkeypatch):
    commitment = CommitmentFactory()
    milestone(commitment, status=Status.IN_PROGRESS, percent=40)
    recompute_all()
    assert stored(commitment).completion_level == CompletionLevel.LIMITED

    # A deploy that moves a threshold: the facts are the same, the rules are not.
    monkeypatch.setattr(rules, "SUBSTANTIAL_FROM_PERCENT", 40)
    summary = recompute_all()

    assert summary.written == 1
    assert stored(commitment).completion_level == CompletionLevel.SUBSTANTIAL
    assert stored(commitment).rules_fingerprint == rules.rules_fingerprint()
