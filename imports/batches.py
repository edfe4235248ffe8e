"""An uploaded file's way through the portal: stored, checked (dry run), then applied.

Pages and the API call these. Small files run in the request; from
IMPORT_BACKGROUND_FROM_BYTES on, a Celery task runs them (``runs``; in-process when
embedded) and the page shows its progress, read from the cache, since the run's own
writes are not visible before it commits.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import get_valid_filename

from ogp_portal.outbox import enqueue

from .columns import KINDS
from .models import ImportBatch
from .runs import (  # noqa: F401  (pages and the API read progress from here)
    apply_batch,
    check_batch,
    claim_apply,
    progress_key,
    rows_done,
)
from .services import may_import
from .tasks import apply_import, check_import


def runs_in_background(size):
    return size >= settings.IMPORT_BACKGROUND_FROM_BYTES


def submit_file(*, user, kind, upload, background=None, apply_after_check=False):
    """Keep the upload and run its dry run (in a task when the file is large); with
    `apply_after_check`, a check without errors goes on to the apply."""
    if kind not in KINDS or not may_import(user, KINDS[kind]):
        raise PermissionDenied
    name = (upload.name or "archivo")[-200:]
    batch = ImportBatch.objects.create(
        user=user, kind=kind, file_name=name, apply_requested=apply_after_check
    )
    try:
        safe = get_valid_filename(name)
    except Exception:
        safe = "archivo"
    # Never guessable: uploads wait in storage until the apply ends.
    batch.file.save(f"{secrets.token_hex(12)}-{safe[-80:]}", upload, save=True)
    if background is None:
        background = runs_in_background(upload.size)
    if background:
        transaction.on_commit(lambda: enqueue(check_import, batch.pk, description="import check"))
    else:
        check_batch(batch_id=batch.pk)
        batch.refresh_from_db()
    return batch


def confirm_batch(*, batch, user, background=None):
    """Apply a checked batch without errors; the apply runs as one transaction."""
    if not claim_apply(batch=batch, user=user):
        return False
    if background is None:
        background = runs_in_background(batch.file.size)
    if background:
        transaction.on_commit(lambda: enqueue(apply_import, batch.pk, description="import apply"))
    else:
        apply_batch(batch_id=batch.pk)
    return True
