"""Completion levels derived from a completion percentage.

The single place that maps a percentage (0-100) to a level. The API filters
and columns use it; the indicators engine may replace the thresholds here.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CompletionLevel(models.TextChoices):
    NOT_STARTED = "not_started", _("Sin iniciar")
    LIMITED = "limited", _("Limitado")
    SUBSTANTIAL = "substantial", _("Sustancial")
    COMPLETE = "complete", _("Completo")


# (level, lower bound inclusive, upper bound exclusive); None means open.
# not started = 0, limited = >0 and <50, substantial = >=50 and <100, complete = 100.
SUBSTANTIAL_FROM = Decimal(50)
COMPLETE_AT = Decimal(100)


def completion_level(percent):
    """Return the CompletionLevel for a percentage (int, Decimal or float)."""
    percent = Decimal(str(percent or 0))
    if percent <= 0:
        return CompletionLevel.NOT_STARTED
    if percent < SUBSTANTIAL_FROM:
        return CompletionLevel.LIMITED
    if percent < COMPLETE_AT:
        return CompletionLevel.SUBSTANTIAL
    return CompletionLevel.COMPLETE


def completion_level_q(level, field="completion_percent"):
    """A Q object selecting rows whose `field` falls in `level`."""
    ranges = {
        CompletionLevel.NOT_STARTED: Q(**{f"{field}__lte": 0}),
        CompletionLevel.LIMITED: Q(**{f"{field}__gt": 0, f"{field}__lt": SUBSTANTIAL_FROM}),
        CompletionLevel.SUBSTANTIAL: Q(
            **{f"{field}__gte": SUBSTANTIAL_FROM, f"{field}__lt": COMPLETE_AT}
        ),
        CompletionLevel.COMPLETE: Q(**{f"{field}__gte": COMPLETE_AT}),
    }
    return ranges[CompletionLevel(level)]
