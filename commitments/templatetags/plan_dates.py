"""Dates as precise as their source: a plan "2016-2018" reads "2016 – 2018", not 1 January."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from commitments.models import DatePrecision

register = template.Library()


def partial_date(value, precision):
    if value is None:
        return _("sin información")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def plan_period(plan):
    """'<start> – <end>' of an action plan, each at its source's precision."""
    start = partial_date(plan.start_date, plan.start_precision)
    end = partial_date(plan.end_date, plan.end_precision)
    return f"{start} – {end}"
