"""The recompute outbox: marks written in the writer's transaction, tasks sent after commit.

Registered in ``IndicatorsConfig.ready`` as the handler of ``ogp_portal.outbox``'s
recompute requests, so the apps that write progress (commitments, reviews) ask for a
recompute without importing indicators. Its own module, above ``tasks``, so that the
services the tasks run never import the tasks back.
"""

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from ogp_portal.outbox import enqueue

from .models import RecomputeRequest
from .tasks import recompute_commitment, sweep_pending_recomputes


def request_recompute(*, commitment_id: int) -> None:
    """Mark the commitment for recompute (inside the caller's transaction) and enqueue after commit.

    This is the one call site for every write that changes progress.
    """
    now = timezone.now()
    RecomputeRequest.objects.update_or_create(
        commitment_id=commitment_id, defaults={"requested_at": now}
    )
    transaction.on_commit(lambda: enqueue_recompute(commitment_id=commitment_id), robust=True)


def enqueue_recompute(*, commitment_id: int) -> None:
    """Send the recompute task; a broker failure is logged, never raised: the sweep heals it."""
    enqueue(
        recompute_commitment,
        commitment_id,
        description=f"indicator recompute for commitment {commitment_id}",
    )


def request_recompute_of_many(*, commitment_ids: Collection[int]) -> None:
    """Mark many commitments in one statement and send one sweep after commit (imports).

    One task for the whole batch, not one per row: the sweep recomputes every mark.
    """
    if not commitment_ids:
        return
    now = timezone.now()
    RecomputeRequest.objects.bulk_create(
        [RecomputeRequest(commitment_id=pk, requested_at=now) for pk in commitment_ids],
        update_conflicts=True,
        unique_fields=["commitment"],
        update_fields=["requested_at"],
        batch_size=1000,
    )
    transaction.on_commit(enqueue_sweep)


def enqueue_sweep() -> None:
    enqueue(sweep_pending_recomputes, description="indicator recompute of an import")
