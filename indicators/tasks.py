from dataclasses import asdict

from celery import shared_task

from . import services

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def recompute_commitment(commitment_id):
    """Recompute one commitment and the scopes above it; running it twice changes nothing."""
    return services.recompute_commitments(commitment_ids=[commitment_id])


@shared_task(**RETRY)
def sweep_pending_recomputes():
    """Recompute commitments whose marks were not cleared (the outbox sweep)."""
    return services.recompute_pending()


@shared_task(**RETRY)
def recompute_everything():
    """Nightly full recompute that heals anything missed."""
    return asdict(services.recompute_all())
