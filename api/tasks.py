from celery import shared_task

from . import opendata


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=3,
)
def build_open_data():
    """Regenerate the open-data zip; running it twice just leaves two dated packages."""
    return opendata.build_open_data_package()
