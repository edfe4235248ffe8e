from celery import shared_task

from ogp_portal.outbox import TASK_OPTIONS

from . import round_mailing


@shared_task(**TASK_OPTIONS)
def send_round_reminders():
    """Plan today's reporting-round reminders and mail the digests; a second run sends nothing."""
    return round_mailing.send_round_reminders()
