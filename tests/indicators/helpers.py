"""Small builders for hand-made indicator worlds."""

import datetime

from django.utils import timezone

from commitments.models import Alignment, Milestone
from tests.factories import MilestoneFactory

Status = Milestone.Status


def today():
    return timezone.localdate()


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def milestone(commitment, *, weight=1, status=Status.NOT_STARTED, percent=0, due=None, done=None):
    """A milestone with only the fields an indicator reads; dates relative to today."""
    return MilestoneFactory(
        commitment=commitment,
        weight=weight,
        status=status,
        percent_complete=percent,
        start_date=None,
        due_date=due,
        actual_end_date=done,
    )


def complete(commitment, **kwargs):
    return milestone(commitment, status=Status.COMPLETE, percent=100, **kwargs)


def align(local, national, kind=Alignment.Kind.REPLICATES):
    return Alignment.objects.create(local_commitment=local, national_commitment=national, kind=kind)


def last_touched(model_instance, *, days):
    """Set updated_at in the past without auto_now overwriting it (QuerySet.update skips it)."""
    when = timezone.now() - datetime.timedelta(days=days)
    type(model_instance).objects.filter(pk=model_instance.pk).update(updated_at=when)
