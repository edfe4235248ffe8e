from celery import shared_task

from ogp_portal.outbox import TASK_OPTIONS

from . import mailing


@shared_task(**TASK_OPTIONS)
def send_notifications():
    """Mail the unsent immediate notices; running it again sends nothing twice."""
    return mailing.send_immediate()


@shared_task(**TASK_OPTIONS)
def send_daily_digest():
    """Mail one digest per person who asked for daily notices (beat, once a day)."""
    return mailing.send_daily_digests()
