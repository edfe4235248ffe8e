from celery import shared_task

from ogp_portal.outbox import TASK_OPTIONS

from . import runs


@shared_task(**TASK_OPTIONS)
def check_import(batch_id):
    """The dry run of a large upload; a second delivery changes nothing."""
    runs.check_batch(batch_id=batch_id)


@shared_task(**TASK_OPTIONS)
def apply_import(batch_id):
    """The apply of a checked upload, in one transaction; a second delivery changes nothing."""
    runs.apply_batch(batch_id=batch_id)
