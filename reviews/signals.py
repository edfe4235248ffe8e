"""Progress updates become notification events, in the same transaction as the update.

Signals rather than calls from the progress services: every way progress is written
(the pages, the admin, a future API) writes a ProgressReport or a Milestone history row,
and the outbox rows are written in that same transaction, so nothing is announced that
was rolled back and nothing saved goes unannounced. Moving a milestone (only its
position changes) is not progress and announces nothing.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from commitments.models import Milestone, ProgressReport

from . import events

PROGRESS_FIELDS = {
    "status",
    "percent_complete",
    "actual_start_date",
    "actual_end_date",
    "narrative",
}


@receiver(post_save, sender=ProgressReport, dispatch_uid="reviews.progress_report_event")
def announce_progress_report(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        events.progress_reported(instance)


@receiver(post_create_historical_record, dispatch_uid="reviews.milestone_update_event")
def announce_milestone_update(sender, instance, history_instance, **kwargs):
    if not isinstance(instance, Milestone) or history_instance.history_type != "~":
        return
    changes = getattr(history_instance, "changes", None) or {}
    if PROGRESS_FIELDS & set(changes):
        events.milestone_updated(instance, actor=history_instance.history_user, changes=changes)
