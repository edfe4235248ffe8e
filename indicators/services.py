"""Indicator recompute: requested by every progress write, run by Celery."""

import logging

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from commitments.models import Commitment, Milestone

from .models import RecomputeRequest

logger = logging.getLogger(__name__)


def request_recompute(*, commitment_id):
    """Mark the commitment for recompute (inside the caller's transaction) and enqueue after commit.

    This is the one call site for every write that changes progress.
    """
    now = timezone.now()
    RecomputeRequest.objects.update_or_create(
        commitment_id=commitment_id, defaults={"requested_at": now}
    )
    transaction.on_commit(lambda: enqueue_recompute(commitment_id=commitment_id))


def enqueue_recompute(*, commitment_id):
    """Send the recompute task; a broker failure is logged, never raised: the sweep heals it."""
    from .tasks import recompute_commitment

    try:
        recompute_commitment.apply_async(args=[commitment_id], retry=False)
    except Exception:
        logger.exception("Could not enqueue indicator recompute for commitment %s", commitment_id)


def recompute_commitments(*, commitment_ids):
    """Recompute the cached completion of the given commitments with set-based SQL.

    Completion is the milestones' weighted mean percent, withdrawn milestones left out.
    """
    commitment_ids = list(commitment_ids)
    started = timezone.now()
    totals = (
        Milestone.objects.filter(commitment_id__in=commitment_ids)
        .exclude(status=Milestone.Status.WITHDRAWN)
        .values("commitment_id")
        .annotate(weighted=Sum(F("weight") * F("percent_complete")), weights=Sum("weight"))
    )
    completion = {
        row["commitment_id"]: round(row["weighted"] / row["weights"], 2) if row["weights"] else 0
        for row in totals
    }
    commitments = list(Commitment.objects.filter(pk__in=commitment_ids).only("pk"))
    for commitment in commitments:
        commitment.completion_percent = completion.get(commitment.pk, 0)
    with transaction.atomic():
        Commitment.objects.bulk_update(commitments, ["completion_percent"], batch_size=1000)
        # Only clear marks older than this run: a later edit keeps its own mark.
        RecomputeRequest.objects.filter(
            commitment_id__in=commitment_ids, requested_at__lte=started
        ).delete()
    return len(commitments)


def recompute_pending(*, limit=5000):
    """Recompute every commitment still marked (lost or failed messages)."""
    ids = list(
        RecomputeRequest.objects.order_by("requested_at").values_list("commitment_id", flat=True)[
            :limit
        ]
    )
    return recompute_commitments(commitment_ids=ids) if ids else 0


def recompute_all():
    """Recompute every commitment: the nightly healing pass."""
    ids = Commitment.objects.values_list("pk", flat=True)
    return recompute_commitments(commitment_ids=ids)
