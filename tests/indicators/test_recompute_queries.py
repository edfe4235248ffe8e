"""A recompute costs the same number of queries for 3 commitments as for 60."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import CommitmentIndicator
from indicators.services import recompute_all, recompute_commitments
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    StateActionPlanFactory,
    StateFactory,
)

from .helpers import Status, align, complete, days_ago, milestone

pytestmark = pytest.mark.django_db

# 17: the civil-society shares are one GROUP BY over the assessments (issue 4).
MAX_QUERIES = 17


def build_world(size):
    """`size` local commitments over several states, three milestones each, half aligned."""
    national = CommitmentFactory(action_plan=ActionPlanFactory())
    states = [StateFactory(inegi_code=f"{n:02d}") for n in range(1, 5)]
    plans = [StateActionPlanFactory(state=state) for state in states]
    ids = []
    for n in range(size):
        commitment = CommitmentFactory(action_plan=plans[n % len(plans)])
        complete(commitment, weight=2)
        milestone(commitment, status=Status.IN_PROGRESS, percent=n % 100, due=days_ago(n - 5))
        milestone(commitment, status=Status.WITHDRAWN)
        if n % 2:
            align(commitment, national)
        ids.append(commitment.pk)
    return [national.pk, *ids]


def queries_of(action):
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


@pytest.mark.parametrize("size", [3, 60])
def test_recomputing_commitments_uses_a_constant_number_of_queries(
    size, django_assert_max_num_queries
):
    ids = build_world(size)

    with django_assert_max_num_queries(MAX_QUERIES):
        recompute_commitments(commitment_ids=ids)

    assert CommitmentIndicator.objects.count() == size + 1


def test_small_and_large_recomputes_issue_exactly_the_same_queries():
    small, large = build_world(3), build_world(60)

    assert queries_of(lambda: recompute_commitments(commitment_ids=small)) == queries_of(
        lambda: recompute_commitments(commitment_ids=large)
    )


@pytest.mark.parametrize("size", [3, 60])
def test_a_full_recompute_uses_a_constant_number_of_queries(size, django_assert_max_num_queries):
    build_world(size)

    with django_assert_max_num_queries(MAX_QUERIES + 3):
        summary = recompute_all()

    assert summary.commitments == size + 1
