from celery import shared_task

from ogp_portal.outbox import TASK_OPTIONS

from . import mailing


@shared_task(**TASK_OPTIONS)
def send_invitations():
    """Mail the unsent invitations; running it again sends nothing twice."""
    return mailing.send_invitations()
