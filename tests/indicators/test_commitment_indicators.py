"""Each per-commitment indicator on hand-made milestones with known answers."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from indicators import services
from indicators.models import CommitmentIndicator, CompletionLevel
from indicators.services import recompute_commitments
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    StateActionPlanFactory,
    StateFactory,
)

from .helpers import Status, align, complete, days_ago, last_touched, milestone

pytestmark = pytest.mark.django_db


def indicator_of(commitment):
    recompute_commitments(commitment_ids=[commitment.pk])
    return CommitmentIndicator.objects.get(commitment=commitment)


def test_completion_is_weighted_by_milestone_weight_and_leaves_withdrawn_out():
    commitment = CommitmentFactory()
    milestone(commitment, weight=3, status=Status.IN_PROGRESS, percent=50)
    milestone(commitment, weight=1)
    milestone(commitment, weight=5, status=Status.WITHDRAWN, percent=90)

    indicator = indicator_of(commitment)

    assert indicator.completion_percent == Decimal("37.50")  # (3 × 50 + 1 × 0) / 4
    assert indicator.completion_level == CompletionLevel.LIMITED
    assert (indicator.milestones_total, indicator.milestones_withdrawn) == (3, 1)
    commitment.refresh_from_db()
    assert commitment.completion_percent == Decimal("37.50")  # the cached field follows


@pytest.mark.parametrize(
    ("percents", "level"),
    [
        ([0], CompletionLevel.NOT_STARTED),
        ([1], CompletionLevel.LIMITED),
        ([99, 0], CompletionLevel.LIMITED),  # 49.5 %
        ([50], CompletionLevel.SUBSTANTIAL),
        ([100, 99], CompletionLevel.SUBSTANTIAL),  # 99.5 %
        ([100, 100], CompletionLevel.COMPLETE),
    ],
)
def test_completion_level_follows_the_irm_thresholds(percents, level):
    commitment = CommitmentFactory()
    for percent in percents:
        status = Status.COMPLETE if percent == 100 else Status.IN_PROGRESS
        milestone(commitment, status=status, percent=percent)

    assert indicator_of(commitment).completion_level == level


def test_a_level_is_decided_before_rounding():
    commitment = CommitmentFactory()
    milestone(commitment, weight=9999, status=Status.COMPLETE, percent=100)
    milestone(commitment, weight=1, status=Status.IN_PROGRESS, percent=99)

    indicator = indicator_of(commitment)

    assert indicator.completion_percent == Decimal("100.00")  # 99.9999 % shown rounded
    assert indicator.completion_level == CompletionLevel.SUBSTANTIAL


def test_a_commitment_without_milestones_has_no_information_not_zero():
    commitment = CommitmentFactory()
    indicator = indicator_of(commitment)

    assert indicator.completion_percent is None
    assert indicator.completion_level == CompletionLevel.NO_INFORMATION
    assert not indicator.has_information
    assert indicator.milestones_total == indicator.milestones_on_time == 0
    assert indicator.is_on_time is None  # neither on time nor late
    commitment.refresh_from_db()
    assert commitment.completion_percent is None


def test_a_milestone_at_zero_is_information_not_started():
    commitment = CommitmentFactory()
    milestone(commitment, status=Status.NOT_STARTED, percent=0)

    indicator = indicator_of(commitment)

    assert indicator.completion_percent == 0
    assert indicator.completion_level == CompletionLevel.NOT_STARTED


def test_an_open_milestone_of_an_ended_plan_is_overdue_even_without_a_due_date():
    commitment = CommitmentFactory(
        action_plan__start_date=datetime.date(2011, 9, 20),
        action_plan__end_date=datetime.date(2013, 6, 30),
    )
    milestone(commitment, status=Status.IN_PROGRESS, percent=50, due=None)
    milestone(commitment, status=Status.COMPLETE, percent=100, due=None)

    indicator = indicator_of(commitment)

    assert indicator.milestones_overdue == 1
    assert indicator.is_on_time is False


def test_a_commitment_whose_milestones_are_all_withdrawn_is_withdrawn():
    commitment = CommitmentFactory()
    milestone(commitment, status=Status.WITHDRAWN)
    milestone(commitment, status=Status.WITHDRAWN, percent=40, weight=2)

    indicator = indicator_of(commitment)

    assert indicator.completion_level == CompletionLevel.WITHDRAWN
    assert indicator.completion_percent == 0


def test_a_milestone_weight_of_zero_is_rejected_by_the_database():
    commitment = CommitmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(commitment=commitment, weight=0)


def test_overdue_and_on_time_milestones_are_counted_against_today():
    commitment = CommitmentFactory()
    milestone(commitment, status=Status.IN_PROGRESS, percent=30, due=days_ago(1))  # overdue
    milestone(commitment, due=days_ago(400))  # overdue, never started
    complete(commitment, due=days_ago(10), done=days_ago(12))  # on time
    complete(commitment, due=days_ago(10), done=days_ago(3))  # done, but late
    milestone(commitment, due=days_ago(-5))  # due in five days: on time
    milestone(commitment)  # no due date: on time
    milestone(commitment, status=Status.WITHDRAWN, due=days_ago(30))  # neither

    indicator = indicator_of(commitment)

    assert indicator.milestones_overdue == 2
    assert indicator.milestones_on_time == 3
    assert not indicator.is_on_time


def test_a_milestone_due_today_is_not_overdue_yet():
    commitment = CommitmentFactory()
    milestone(commitment, due=days_ago(0))

    indicator = indicator_of(commitment)

    assert (indicator.milestones_overdue, indicator.milestones_on_time) == (0, 1)
    assert indicator.is_on_time


@pytest.mark.parametrize(("days", "stale"), [(0, False), (90, False), (91, True), (400, True)])
def test_days_since_update_come_from_the_latest_change_and_stale_is_after_90(days, stale):
    commitment = CommitmentFactory()
    older, newer = milestone(commitment), milestone(commitment)
    last_touched(commitment, days=days + 300)
    last_touched(older, days=days + 10)
    last_touched(newer, days=days)

    indicator = indicator_of(commitment)

    assert indicator.days_since_update == days
    assert indicator.is_stale is stale


def test_a_commitment_edit_counts_as_an_update_too():
    commitment = CommitmentFactory()
    last_touched(milestone(commitment), days=200)
    last_touched(commitment, days=5)

    assert indicator_of(commitment).days_since_update == 5


def test_civil_society_shares_are_null_until_assessments_exist():
    indicator = indicator_of(complete(CommitmentFactory()).commitment)

    assert indicator.civil_society_agreement_share is None
    assert indicator.civil_society_dispute_share is None
    assert indicator.is_disputed is None


def test_the_assessment_hook_fills_the_shares_and_the_disputed_flag(monkeypatch):
    agreed, disputed = CommitmentFactory(), CommitmentFactory()
    shares = {agreed.pk: (Decimal("0.75"), Decimal("0.25")), disputed.pk: (Decimal("0.5"),) * 2}
    monkeypatch.setattr(services, "civil_society_shares", lambda *, commitment_ids: shares)

    recompute_commitments(commitment_ids=[agreed.pk, disputed.pk])

    assert CommitmentIndicator.objects.get(commitment=agreed).is_disputed is False
    indicator = CommitmentIndicator.objects.get(commitment=disputed)
    assert indicator.civil_society_agreement_share == Decimal("0.5")
    assert indicator.is_disputed is True


def local_commitment(state, **kwargs):
    return CommitmentFactory(action_plan=StateActionPlanFactory(state=state), **kwargs)


def test_replicating_states_counts_distinct_states_that_replicate_a_national_commitment():
    national = CommitmentFactory(action_plan=ActionPlanFactory())
    jalisco, oaxaca, sonora = (StateFactory(inegi_code=code) for code in ("14", "20", "26"))
    align(local_commitment(jalisco), national)
    align(local_commitment(jalisco), national)  # same state twice counts once
    align(local_commitment(oaxaca), national)
    align(local_commitment(sonora), national, kind="complements")  # not a replica

    assert indicator_of(national).replicating_states == 2


def test_replicating_states_is_left_empty_for_local_commitments_and_zero_without_replicas():
    national = CommitmentFactory(action_plan=ActionPlanFactory())
    local = local_commitment(StateFactory(inegi_code="05"))

    recompute_commitments(commitment_ids=[national.pk, local.pk])

    assert CommitmentIndicator.objects.get(commitment=national).replicating_states == 0
    assert CommitmentIndicator.objects.get(commitment=local).replicating_states is None


def test_recomputing_a_new_local_replica_updates_its_national_commitment():
    national = CommitmentFactory(action_plan=ActionPlanFactory())
    align(local_commitment(StateFactory(inegi_code="01")), national)
    assert indicator_of(national).replicating_states == 1

    newcomer = local_commitment(StateFactory(inegi_code="02"))
    align(newcomer, national)
    recompute_commitments(commitment_ids=[newcomer.pk])  # only the local one

    assert CommitmentIndicator.objects.get(commitment=national).replicating_states == 2


def test_milestones_listed_without_their_progress_count_in_no_figure():
    commitment = CommitmentFactory()
    for _ in range(2):  # as the data file lists MX0087's key actions
        MilestoneFactory(commitment=commitment, progress_reported=False, start_date=None)

    indicator = indicator_of(commitment)

    assert indicator.completion_level == CompletionLevel.NO_INFORMATION
    assert indicator.completion_percent is None
    assert (indicator.milestones_total, indicator.milestones_reported) == (2, 0)

    milestone(commitment, status=Status.IN_PROGRESS, percent=60)
    indicator = indicator_of(commitment)

    assert indicator.completion_percent == Decimal("60.00")  # over the one reported
    assert indicator.completion_level == CompletionLevel.SUBSTANTIAL
    assert (indicator.milestones_total, indicator.milestones_reported) == (3, 1)
