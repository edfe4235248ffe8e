"""What every outbox in the portal shares (indicator recomputes, notices, invitations).

A write leaves a row in PostgreSQL in its own transaction; after commit it asks a worker
to process it, and a beat sweep picks up whatever that message missed. So enqueuing must
never fail the write, tasks must be safe to run twice, and rows are claimed so that two
workers never take the same one.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.conf import settings
from django.db import connection
from django.db.models import Model, QuerySet

from .resilience import BROKER, CACHE

logger = logging.getLogger(__name__)

# Options of every outbox task: acknowledged after it ran, retried with backoff.
TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def enqueue(task: Task, *args: object, description: str) -> bool:
    """Send the task; a broker failure is logged and counted, never raised: the outbox row
    is already committed and the sweep sends it later. After a failure the broker is not
    tried again for a few seconds, so a slow Redis does not slow every save."""
    if task.app.conf.task_always_eager:
        # In-process (embedded, demo, unit tests): an error is the task's, not a broker's.
        try:
            task.apply_async(args=args, retry=False)
        except Exception:
            logger.exception("Could not run %s", description)
            return False
        return True
    # One Redis is cache and broker: an outage either use saw pauses both for a while.
    if not (BROKER.available() and CACHE.available()):
        logger.info("Redis unavailable: %s left to the sweep", description)
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception as error:  # noqa: BLE001 - whatever the broker raised, the write stands
        logger.error("Could not enqueue %s (%s); the sweep sends it later", description, error)
        BROKER.failed(error, operation=f"enqueue {description}")
        return False
    return True


def claim[M: Model](rows: QuerySet[M]) -> QuerySet[M]:
    """Lock the outbox rows a worker takes, skipping those another worker holds (PostgreSQL).

    Call inside a transaction; only the outbox rows are locked, not the joined ones.
    """
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True, of=("self",))
    return rows


def portal_url(path: str) -> str:
    """An absolute link for e-mails, from PORTAL_BASE_URL."""
    base: str = settings.PORTAL_BASE_URL
    return base.rstrip("/") + path


# Work that a write in a ground app asks for and an app built on it does: a progress write
# in commitments or reviews asks for an indicator recompute, and indicators does it. The
# app that does the work registers its handler (in its AppConfig.ready), so the app that
# asks never imports it and the layers stay one-way.
RECOMPUTE_REQUESTED = "recompute-requested"

_handlers: dict[str, Callable[..., None]] = {}


def register(kind: str, handler: Callable[..., None]) -> None:
    """Let ``handler(**details)`` record the requests of ``kind`` (one handler per kind)."""
    _handlers[kind] = handler


def request(kind: str, **details: object) -> None:
    """Record a request of ``kind`` inside the caller's transaction, through its handler.

    A request nobody handles is an error, not a silent no-op: the work would be lost.
    """
    try:
        handler = _handlers[kind]
    except KeyError:
        raise LookupError(f"No outbox handler registered for {kind!r}") from None
    handler(**details)


def request_recompute(*, commitment_id: int) -> None:
    """Ask for the commitment's indicators to be recomputed after this transaction commits."""
    request(RECOMPUTE_REQUESTED, commitment_id=commitment_id)


# A write the API's response cache cannot see (queryset updates skip the model signals)
# makes the cached responses stale through this request; api registers the handler.
API_CACHE_INVALIDATION = "api-cache-invalidation"


def invalidate_api_cache() -> None:
    """Make every cached API response stale (call on commit of a write that skips signals)."""
    request(API_CACHE_INVALIDATION)
