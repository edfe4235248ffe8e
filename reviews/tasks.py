from celery import shared_task

from . import mailing

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def send_notifications():
    """Mail the unsent immediate notices; running it again sends nothing twice."""
    return mailing.send_immediate()


@shared_task(**RETRY)
def send_daily_digest():
    """Mail one digest per person who asked for daily notices (beat, once a day)."""
    return mailing.send_daily_digests()
