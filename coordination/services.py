"""Writes about the coordination space: one function per use case."""

from django.db import transaction

from .models import Agreement


@transaction.atomic
def record_agreement(*, meeting, text, responsible, due_date, commitments=()):
    """Record an agreement taken at a meeting; its due date may not precede the meeting."""
    agreement = Agreement(meeting=meeting, text=text, responsible=responsible, due_date=due_date)
    agreement.full_clean()
    agreement.save()
    if commitments:
        agreement.commitments.set(commitments)
    return agreement


@transaction.atomic
def set_agreement_status(*, agreement, status, done_date=None):
    """Move an agreement to a status; done needs the date it was done, other statuses none."""
    agreement = Agreement.objects.select_for_update().select_related("meeting").get(pk=agreement.pk)
    agreement.status = status
    agreement.done_date = done_date
    agreement.full_clean()
    agreement.save(update_fields=["status", "done_date", "updated_at"])
    return agreement
