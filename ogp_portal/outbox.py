"""What every outbox in the portal shares (indicator recomputes, notices, invitations).

A write leaves a row in PostgreSQL in its own transaction; after commit it asks a worker
to process it, and a beat sweep picks up whatever that message missed. So enqueuing must
never fail the write, tasks must be safe to run twice, and rows are claimed so that two
workers never take the same one.
"""

import logging

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

# Options of every outbox task: acknowledged after it ran, retried with backoff.
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def enqueue(task, *args, description):
    """Send the task; a broker failure is logged, never raised: the sweep sends it later."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        logger.exception("Could not enqueue %s", description)


def claim(rows):
    """Lock the outbox rows a worker takes, skipping those another worker holds (PostgreSQL).

    Call inside a transaction; only the outbox rows are locked, not the joined ones.
    """
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True, of=("self",))
    return rows


def portal_url(path):
    """An absolute link for e-mails, from PORTAL_BASE_URL."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path
