from celery import shared_task

from . import mailing


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_invitations():
    """Mail the unsent invitations; running it again sends nothing twice."""
    return mailing.send_invitations()
