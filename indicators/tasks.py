from dataclasses import asdict

from celery import shared_task

from ogp_portal.outbox import TASK_OPTIONS

from . import services


@shared_task(**TASK_OPTIONS)
def recompute_commitment(commitment_id):
    """Recompute one commitment and the scopes above it; running it twice changes nothing."""
    return services.recompute_commitments(commitment_ids=[commitment_id])


@shared_task(**TASK_OPTIONS)
def sweep_pending_recomputes():
    """Recompute commitments whose marks were not cleared (the outbox sweep)."""
    return services.recompute_pending()


@shared_task(**TASK_OPTIONS)
def recompute_everything():
    """Nightly full recompute that heals anything missed."""
    return asdict(services.recompute_all())
