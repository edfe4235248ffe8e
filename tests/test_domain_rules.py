"""The domain's "open", "overdue" and "stale", defined once as QuerySet methods.

Every page, the indicators and the e-mails ask these methods, so their edges are pinned
here: due today is not overdue, due yesterday is; complete and withdrawn work is never
overdue; an ended plan makes its open milestones overdue whatever their due date.
"""

import datetime

import pytest

from commitments import rules
from commitments.models import Milestone
from commitments.rules import stale_before
from coordination.models import Agreement
from indicators.models import (
    STALE_AFTER_DAYS,
    CommitmentIndicator,
    RecomputeRequest,
    local_midnight,
)
from indicators.services import recompute_commitments
from ogp_portal import outbox
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    CommitmentFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db

# The factories' plans run from 1 January of their cycle year to 30 June two years later.
TODAY = datetime.date(2041, 3, 10)
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
Status = Milestone.Status


def plan_ending(end_date):
    return ActionPlanFactory(start_date=datetime.date(2030, 1, 1), end_date=end_date)


def milestone(*, due, status=Status.IN_PROGRESS, plan_end=datetime.date(2042, 6, 30)):
    commitment = CommitmentFactory(action_plan=plan_ending(plan_end))
    percent = 100 if status == Status.COMPLETE else 0
    return MilestoneFactory(
        commitment=commitment, due_date=due, status=status, percent_complete=percent
    )


def overdue_on(today):
    return set(Milestone.objects.overdue(today))


def test_a_milestone_due_yesterday_is_overdue_and_one_due_today_is_not():
    late = milestone(due=YESTERDAY)
    due_today = milestone(due=TODAY)
    due_tomorrow = milestone(due=TOMORROW, status=Status.NOT_STARTED)

    assert overdue_on(TODAY) == {late}
    assert due_today not in overdue_on(TODAY) and due_tomorrow not in overdue_on(TODAY)


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.WITHDRAWN])
def test_complete_and_withdrawn_milestones_are_never_overdue(status):
    milestone(due=YESTERDAY, status=status)
    milestone(due=None, status=status, plan_end=YESTERDAY)

    assert overdue_on(TODAY) == set()


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS])
def test_an_ended_plan_makes_its_open_milestones_overdue_whatever_their_due_date(status):
    without_date = milestone(due=None, status=status, plan_end=YESTERDAY)
    milestone(due=None, status=status, plan_end=TODAY)

    assert overdue_on(TODAY) == {without_date}


def test_open_milestones_are_those_not_started_or_in_progress():
    not_started = milestone(due=TOMORROW, status=Status.NOT_STARTED)
    in_progress = milestone(due=TOMORROW, status=Status.IN_PROGRESS)
    milestone(due=TOMORROW, status=Status.COMPLETE)
    milestone(due=TOMORROW, status=Status.WITHDRAWN)

    assert set(Milestone.objects.open()) == {not_started, in_progress}


def agreement(*, due, status=Agreement.Status.PENDING):
    done = status == Agreement.Status.DONE
    made = AgreementFactory(status=status, done_date=YESTERDAY if done else None)
    Agreement.objects.filter(pk=made.pk).update(due_date=due)
    return made


def test_an_open_agreement_due_yesterday_is_overdue_and_one_due_today_is_not():
    pending = agreement(due=YESTERDAY)
    in_progress = agreement(due=YESTERDAY, status=Agreement.Status.IN_PROGRESS)
    agreement(due=TODAY)

    assert set(Agreement.objects.overdue(TODAY)) == {pending, in_progress}


@pytest.mark.parametrize("status", [Agreement.Status.DONE, Agreement.Status.CANCELLED])
def test_done_and_cancelled_agreements_are_neither_open_nor_overdue(status):
    agreement(due=YESTERDAY, status=status)

    assert not Agreement.objects.overdue(TODAY).exists()
    assert not Agreement.objects.open().exists()


@pytest.mark.parametrize("days, stale", [(STALE_AFTER_DAYS, False), (STALE_AFTER_DAYS + 1, True)])
def test_a_commitment_is_stale_after_90_days_without_an_update(days, stale):
    commitment = MilestoneFactory().commitment
    recompute_commitments(commitment_ids=[commitment.pk])
    CommitmentIndicator.objects.filter(pk=commitment.pk).update(
        last_update_at=local_midnight(TODAY - datetime.timedelta(days=days))
    )

    assert CommitmentIndicator.objects.stale(TODAY).exists() is stale


@pytest.mark.parametrize(
    "offset, stale", [(datetime.timedelta(0), False), (-datetime.timedelta(minutes=1), True)]
)
def test_the_python_rule_and_the_queryset_agree_at_the_midnight_edge(offset, stale):
    """commitments.rules.is_stale (the model's and the API's projected rows) and the SQL
    comparison with stale_before decide alike, one minute either side of the edge."""
    commitment = MilestoneFactory().commitment
    recompute_commitments(commitment_ids=[commitment.pk])
    moment = stale_before(TODAY) + offset
    CommitmentIndicator.objects.filter(pk=commitment.pk).update(last_update_at=moment)

    assert rules.is_stale(moment, today=TODAY) is stale
    assert CommitmentIndicator.objects.stale(TODAY).exists() is stale


def test_a_request_nobody_handles_is_an_error_not_a_lost_recompute():
    with pytest.raises(LookupError):
        outbox.request("nobody-handles-this", commitment_id=1)


def test_a_progress_write_records_its_recompute_through_the_handler_indicators_registered():
    commitment = CommitmentFactory()

    outbox.request_recompute(commitment_id=commitment.pk)

    assert RecomputeRequest.objects.filter(commitment=commitment).exists()
