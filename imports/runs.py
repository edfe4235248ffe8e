"""Running a stored batch: the dry run (check) and the apply, in the request or in a task.

The tasks call these; ``batches`` (what pages and the API call) enqueues the tasks. Kept
apart so that the tasks and the module that enqueues them never import each other.
"""

import logging
from dataclasses import replace

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from . import spools
from .columns import KINDS
from .files import FileRefused, Table, open_table
from .models import ImportBatch, ImportStatus
from .services import Outcome, import_table, may_import

PROGRESS_SECONDS = 24 * 3600
UNREADABLE = gettext_lazy(
    "No se pudo leer el archivo completo; revise que sea un CSV o XLSX válido."
)
logger = logging.getLogger(__name__)


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def rows_done(batch: ImportBatch) -> int:
    """Rows read so far by a running batch (0 when the cache does not know)."""
    done: int = cache.get(progress_key(batch.pk), batch.rows_done)
    return done


def claim_apply(*, batch: ImportBatch, user: User) -> bool:
    """Move a checked batch without errors to "applying"; False when it may not or cannot."""
    if batch.user_id != user.pk or not may_import(user, KINDS[batch.kind]):
        raise PermissionDenied
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.APPLYING
    )
    if not claimed or Outcome.from_dict(batch.outcome).error_count:
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.APPLYING).update(
            status=ImportStatus.CHECKED
        )
        return False
    cache.delete(progress_key(batch.pk))
    return True


def _run(batch: ImportBatch, *, apply: bool) -> Outcome:
    """Read the batch's rows and import them. The dry run leaves the rows it decoded in a
    spool beside the upload; the apply reads that spool when it belongs to this upload
    (``spools``), else the file, and checks every row against the database either way."""

    def on_progress(done: int) -> None:
        cache.set(progress_key(batch.pk), done, PROGRESS_SECONDS)

    def run(table: Table) -> Outcome:
        if table.expected_rows:
            batch.rows_expected = table.expected_rows
            ImportBatch.objects.filter(pk=batch.pk).update(rows_expected=table.expected_rows)
        return import_table(
            kind=KINDS[batch.kind],
            table=table,
            user=batch.user,
            file_name=batch.file_name,
            apply=apply,
            on_progress=on_progress,
        )

    storage, name = batch.file.storage, batch.file.name
    assert name is not None  # a batch is created with its upload
    with batch.file.open("rb") as file:
        digest = spools.upload_digest(file)
        if apply:
            with spools.reading(storage, name, digest) as spooled:
                if spooled is not None:
                    return run(spooled)
            return run(open_table(file, batch.file_name))
        table = open_table(file, batch.file_name)
        writer = spools.SpoolWriter(digest=digest, table=table)
        try:
            outcome = run(replace(table, rows=writer.rows(table.rows)))
            if not outcome.error_count:  # with errors there is no apply to read it
                writer.save(storage, spools.spool_name(name))
        finally:
            writer.close()
        return outcome


def check_batch(*, batch_id: int) -> ImportBatch:
    """The dry run: counts and row errors; a file refused as a whole is deleted."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return batch  # a second delivery of the task
    try:
        outcome = _run(batch, apply=False)
    except FileRefused as refused:
        _finish(batch, status=ImportStatus.REFUSED, refusal=refused.message, delete=True)
    except PermissionDenied:
        _finish(batch, status=ImportStatus.REFUSED, refusal="", delete=True)
    except Exception:
        # A file that breaks the reader half-way (malformed XML, say) is refused like any
        # other unreadable file, never a page that waits forever.
        logger.exception("Import %s could not be checked", batch.pk)
        _finish(batch, status=ImportStatus.REFUSED, refusal=str(UNREADABLE), delete=True)
    else:
        _finish(batch, status=ImportStatus.CHECKED, outcome=outcome)
        batch.refresh_from_db(fields=["apply_requested"])
        if (
            batch.apply_requested
            and not outcome.error_count
            and claim_apply(batch=batch, user=batch.user)
        ):
            apply_batch(batch_id=batch.pk)
    return batch


def apply_batch(*, batch_id: int) -> ImportBatch:
    """Apply the file; all or nothing. The upload is deleted once the apply ends."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if batch.status != ImportStatus.APPLYING:
        return batch
    try:
        outcome = _run(batch, apply=True)
    except Exception as refused:
        # A database error too: the transaction rolled back, the page must not wait forever.
        logger.exception("Import %s was not applied", batch.pk)
        _finish(
            batch,
            status=ImportStatus.FAILED,
            refusal=getattr(refused, "message", ""),
            delete=True,
        )
    else:
        status = ImportStatus.APPLIED if outcome.applied else ImportStatus.FAILED
        _finish(batch, status=status, outcome=outcome, delete=True)
    return batch


def _finish(
    batch: ImportBatch,
    *,
    status: str,
    outcome: Outcome | None = None,
    refusal: str = "",
    delete: bool = False,
) -> None:
    batch.status = status
    batch.refusal = refusal
    if outcome is not None:
        batch.outcome = outcome.as_dict()
        batch.rows_done = outcome.rows
    if delete and batch.file.name:  # what `if batch.file` tests
        spools.delete(batch.file.storage, batch.file.name)
        batch.file.delete(save=False)
    batch.save()
    cache.delete(progress_key(batch.pk))
