"""The terms of the portal's domain rules, defined once for pages, API, indicators and e-mails.

What "open", "overdue" and "stale" mean is applied by the QuerySet methods of the models
(``Milestone.objects.open()``/``.overdue(today)``, ``Commitment.objects.stale(today)``);
the indicators' raw SQL takes its terms from here too. This module imports no model, so
every layer can read it.
"""

import datetime

from django.utils import timezone

# A commitment is stale when nothing about it changed for more than this many days.
STALE_AFTER_DAYS = 90

# What a progress update of a milestone changes (forms, API, conflicts, history), in the
# order the forms show it.
MILESTONE_PROGRESS_FIELDS = (
    "status",
    "percent_complete",
    "actual_start_date",
    "actual_end_date",
    "weight",
    "narrative",
)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The instant ``day`` starts in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def days_since(moment: datetime.datetime, *, today: datetime.date) -> int:
    """Whole local days from ``moment`` to ``today``; never negative."""
    return max((today - timezone.localdate(moment)).days, 0)


def is_stale(last_update: datetime.datetime, *, today: datetime.date) -> bool:
    """Whether nothing changed since ``last_update`` for more than STALE_AFTER_DAYS days."""
    return days_since(last_update, today=today) > STALE_AFTER_DAYS


def stale_before(today: datetime.date) -> datetime.datetime:
    """The instant before which a last update makes a commitment stale on ``today``.

    days_since(t) > STALE_AFTER_DAYS exactly when t is before the local midnight that
    starts day ``today - STALE_AFTER_DAYS``, so SQL can compare timestamps instead of
    converting every row's time zone.
    """
    return local_midnight(today - datetime.timedelta(days=STALE_AFTER_DAYS))
