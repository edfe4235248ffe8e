"""History rows carry what changed, and the timeline reads them.

Every save of a commitment or milestone (services, admin, a revert) writes a
django-simple-history row in the same transaction; the signal below stores which
fields changed from the previous row, so the timeline never compares rows on a GET.
"""

import datetime
from decimal import Decimal

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

# Bookkeeping fields: they change on every save and say nothing to a reader.
NOT_SHOWN = {"id", "created_at", "updated_at", "version"}


def plain(value):
    """A JSON-friendly form of a field value."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def tracked_fields(history_model):
    return [
        field.attname
        for field in history_model.instance_type._meta.concrete_fields
        if field.attname not in NOT_SHOWN and hasattr(history_model, field.attname)
    ]


@receiver(pre_create_historical_record)
def record_changed_fields(sender, instance, history_instance, **kwargs):
    """Fill `changes` with {field: [before, after]} against the previous history row."""
    if not hasattr(history_instance, "changes"):
        return
    # The services know exactly what they changed (even for rows older than the history).
    known = getattr(instance, "_history_changes", None)
    if known is not None:
        history_instance.changes = known
        del instance._history_changes
        return
    fields = tracked_fields(sender)
    previous = (
        sender.objects.filter(id=instance.pk).order_by("-history_date", "-history_id").first()
    )
    changes = {}
    for name in fields:
        after = plain(getattr(history_instance, name))
        before = plain(getattr(previous, name)) if previous is not None else None
        if previous is None:
            if after not in (None, ""):
                changes[name] = [None, after]
        elif before != after:
            changes[name] = [before, after]
    history_instance.changes = changes
