"""Writes about the coordination space: one function per use case.

Refusals are `ogp_portal.service_errors` (a broken rule is InvalidInput, with the model's
field errors); channels translate them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from commitments.models import Commitment, Institution
from ogp_portal.outbox import data_changed
from ogp_portal.service_errors import InvalidInput, NotFound

from .models import Agreement, Meeting


def _validated(agreement: Agreement) -> None:
    """The model's rules (dates after the meeting, done with its date), as InvalidInput."""
    try:
        agreement.full_clean()
    except ValidationError as error:
        raise InvalidInput(error) from error


@transaction.atomic
def record_agreement(
    *,
    meeting: Meeting,
    text: str,
    responsible: Institution,
    due_date: datetime.date,
    commitments: Iterable[Commitment] = (),
) -> Agreement:
    """Record an agreement taken at a meeting; its due date may not precede the meeting."""
    data_changed()
    agreement = Agreement(meeting=meeting, text=text, responsible=responsible, due_date=due_date)
    _validated(agreement)
    agreement.save()
    if commitments:
        agreement.commitments.set(commitments)
    return agreement


@transaction.atomic
def set_agreement_status(
    *, agreement: Agreement, status: str, done_date: datetime.date | None = None
) -> Agreement:
    """Move an agreement to a status; done needs the date it was done, other statuses none."""
    data_changed()
    try:
        agreement = (
            Agreement.objects.select_for_update().select_related("meeting").get(pk=agreement.pk)
        )
    except Agreement.DoesNotExist as gone:
        raise NotFound from gone
    agreement.status = status
    agreement.done_date = done_date
    _validated(agreement)
    agreement.save(update_fields=["status", "done_date", "updated_at"])
    return agreement
