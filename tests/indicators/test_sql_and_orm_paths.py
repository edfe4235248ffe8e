"""The PostgreSQL statements and the ORM path give the same rows on the same hand-made data."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from commitments.models import Commitment
from indicators import postgres, services
from indicators.models import CommitmentIndicator, IndicatorSnapshot, ScopeIndicator
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    StateActionPlanFactory,
    StateFactory,
)

from .helpers import Status, align, complete, days_ago, last_touched, milestone

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def world():
    """Every case an indicator distinguishes, over two states, a national plan and replicas."""
    national_plan = ActionPlanFactory()
    nationals = [CommitmentFactory(action_plan=national_plan) for _ in range(3)]
    states = [StateFactory(inegi_code=code) for code in ("07", "14", "20")]
    plans = [StateActionPlanFactory(state=state) for state in states for _ in range(2)]
    ended = StateActionPlanFactory(
        state=states[0],
        cycle_year=2012,
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2013, 12, 31),
    )
    commitments = []
    for n, plan in enumerate(plans * 4):
        case = n % 10
        commitment = CommitmentFactory(action_plan=ended if case == 9 else plan)
        commitments.append(commitment)
        if case == 0:
            pass  # no milestones
        elif case == 1:
            milestone(commitment, status=Status.WITHDRAWN, percent=40, weight=2)
        elif case == 2:
            complete(commitment, weight=9999, due=days_ago(10), done=days_ago(3))
            milestone(commitment, weight=1, status=Status.IN_PROGRESS, percent=99)
        elif case == 3:
            milestone(commitment, weight=3, status=Status.IN_PROGRESS, percent=50, due=days_ago(1))
            milestone(commitment, weight=2, due=days_ago(0))
            milestone(commitment, weight=5, status=Status.WITHDRAWN, percent=90)
        elif case == 4:
            milestone(commitment, weight=2, status=Status.IN_PROGRESS, percent=1)  # rounding
            milestone(commitment, weight=1, status=Status.IN_PROGRESS, percent=0)
            last_touched(commitment, days=400)
        elif case == 5:
            complete(commitment, due=days_ago(10), done=days_ago(12))
            complete(commitment, due=days_ago(-5))
        elif case == 6:
            older = milestone(commitment, status=Status.IN_PROGRESS, percent=99)
            milestone(commitment, due=days_ago(400))
            last_touched(commitment, days=300)
            last_touched(older, days=91)
        elif case == 7:
            milestone(commitment, weight=7, status=Status.IN_PROGRESS, percent=33)
            milestone(commitment, weight=3, status=Status.IN_PROGRESS, percent=67)
        elif case == 8:  # listed without progress, beside one reported
            MilestoneFactory(
                commitment=commitment,
                progress_reported=False,
                start_date=None,
                due_date=days_ago(9),
            )
            milestone(commitment, status=Status.IN_PROGRESS, percent=40)
        else:  # an ended plan: open milestones are overdue, with or without a due date
            milestone(commitment, status=Status.IN_PROGRESS, percent=60, due=None)
            MilestoneFactory(
                commitment=commitment, progress_reported=False, start_date=None, due_date=None
            )
        if n % 3 == 0:
            align(commitment, nationals[n % 2])
        elif n % 3 == 1:
            align(commitment, nationals[0], kind="complements")
    return nationals + commitments


def indicator_rows():
    return list(CommitmentIndicator.objects.order_by("pk").values())


def scope_rows():
    """Latest and dated scope rows without their surrogate ids."""
    order = ["scope_kind", "scope_id"]
    return [
        [
            {k: v for k, v in row.items() if k != "id"}
            for row in model.objects.order_by(*order).values()
        ]
        for model in (ScopeIndicator, IndicatorSnapshot)
    ]


def cached_percents():
    return list(Commitment.objects.order_by("pk").values_list("pk", "completion_percent"))


def forget_everything():
    CommitmentIndicator.objects.all().delete()
    ScopeIndicator.objects.all().delete()
    IndicatorSnapshot.objects.all().delete()
    Commitment.objects.update(completion_percent=Decimal(0))


def orm_pass(ids, now):
    today = timezone.localdate(now)
    services._recompute_commitment_chunk_orm(commitment_ids=ids, now=now, today=today, started=now)
    services._recompute_scopes_orm(plan_ids=None, state_ids=None, now=now)


def test_the_sql_path_and_the_orm_path_store_identical_rows(world):
    ids = [commitment.pk for commitment in world]
    now = timezone.now()

    orm_pass(ids, now)
    expected = indicator_rows(), scope_rows(), cached_percents()
    forget_everything()

    services.recompute_all(now=now)  # id ranges
    assert (indicator_rows(), scope_rows(), cached_percents()) == expected
    forget_everything()

    services.recompute_commitments(commitment_ids=ids, now=now)  # an id list
    services.recompute_scopes(now=now)
    assert (indicator_rows(), scope_rows(), cached_percents()) == expected


def test_both_paths_agree_with_the_civil_society_hook(world, monkeypatch):
    ids = [commitment.pk for commitment in world]
    shares = {
        ids[3]: (Decimal("0.75"), Decimal("0.25")),
        ids[5]: (Decimal("0.5"), Decimal("0.5")),
        ids[8]: (Decimal("0.1234"), Decimal("0.8766")),
    }
    monkeypatch.setattr(
        services,
        "civil_society_shares",
        lambda *, commitment_ids: shares,
    )
    now = timezone.now()

    orm_pass(ids, now)
    expected = indicator_rows(), scope_rows()
    forget_everything()
    services.recompute_all(now=now, chunk_size=5)  # several id ranges

    assert (indicator_rows(), scope_rows()) == expected
    assert ScopeIndicator.objects.exclude(share_disputed=None).exists()


def test_a_rerun_that_changes_nothing_rewrites_no_row(world):
    services.recompute_all()
    before = indicator_rows()

    _total, low, high = postgres.commitment_id_bounds()
    changed = postgres.changed_commitment_ids(
        id_range=(low - 1, high), today=timezone.localdate(), shares={}
    )
    summary = services.recompute_all()

    assert changed == []
    assert summary.written == 0
    assert indicator_rows() == before  # computed_at included: the rows were left alone
