"""Every progress write marks its commitment for recompute; the mark survives a lost message."""

import logging

import pytest
from django.db import transaction
from kombu import pools

from commitments.models import Milestone
from indicators.models import RecomputeRequest
from indicators.outbox import request_recompute
from indicators.services import recompute_pending
from ogp_portal.celery import app
from tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Celery as in production (not eager) with a broker nobody listens on."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    app.pool.force_close_all()
    yield
    app.conf.update(saved)
    app.pool.force_close_all()
    # Forget the closed pool, or every later send in this process fails with
    # "Acquire on closed pool" (and a live-server test never sees its recompute).
    pools.reset()
    app._after_fork()


def set_progress(milestone, *, percent, status=Milestone.Status.IN_PROGRESS):
    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(percent_complete=percent, status=status)
        request_recompute(commitment_id=milestone.commitment_id)


def test_completion_is_the_weighted_mean_of_milestones(django_capture_on_commit_callbacks):
    commitment = CommitmentFactory()
    heavy = MilestoneFactory(commitment=commitment, weight=3)
    MilestoneFactory(commitment=commitment, weight=1)

    with django_capture_on_commit_callbacks(execute=True):
        set_progress(heavy, percent=50)

    commitment.refresh_from_db()
    assert float(commitment.completion_percent) == 37.5  # (3 × 50 + 1 × 0) / 4
    assert not RecomputeRequest.objects.exists()


def test_withdrawn_milestones_do_not_count(django_capture_on_commit_callbacks):
    commitment = CommitmentFactory()
    done = MilestoneFactory(commitment=commitment, weight=1)
    dropped = MilestoneFactory(commitment=commitment, weight=5)

    with django_capture_on_commit_callbacks(execute=True):
        set_progress(dropped, percent=0, status=Milestone.Status.WITHDRAWN)
        set_progress(done, percent=100, status=Milestone.Status.COMPLETE)

    commitment.refresh_from_db()
    assert float(commitment.completion_percent) == 100.0


def test_a_rolled_back_edit_leaves_no_mark_and_sends_nothing(django_capture_on_commit_callbacks):
    milestone = MilestoneFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_recompute(commitment_id=milestone.commitment_id)
        raise RuntimeError("validation failed after the mark")
    assert callbacks == []
    assert not RecomputeRequest.objects.exists()


def test_with_the_broker_down_the_edit_is_kept_and_the_sweep_heals_it(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(weight=2)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        set_progress(milestone, percent=80)

    milestone.refresh_from_db()
    assert milestone.percent_complete == 80  # the edit itself is saved
    assert "Could not enqueue indicator recompute" in caplog.text
    assert RecomputeRequest.objects.filter(commitment_id=milestone.commitment_id).exists()
    milestone.commitment.refresh_from_db()
    assert milestone.commitment.completion_percent is None  # not computed yet

    assert recompute_pending() == 1

    milestone.commitment.refresh_from_db()
    assert float(milestone.commitment.completion_percent) == 80.0
    assert not RecomputeRequest.objects.exists()


def test_recomputing_twice_changes_nothing():
    milestone = MilestoneFactory(percent_complete=40, status=Milestone.Status.IN_PROGRESS)
    RecomputeRequest.objects.create(
        commitment=milestone.commitment, requested_at=milestone.created_at
    )
    recompute_pending()
    milestone.commitment.refresh_from_db()
    first = milestone.commitment.completion_percent
    assert recompute_pending() == 0
    milestone.commitment.refresh_from_db()
    assert milestone.commitment.completion_percent == first == 40
