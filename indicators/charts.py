"""Charts as data: one object feeds both the accessible table and the Chart.js drawing.

The table is the baseline every reader gets (and the only one without JavaScript);
static/js/charts.js draws the same figures from the `data()` dict, which the template
writes with json_script (allowed by the Content Security Policy, unlike inline script).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import formats

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Series:
    key: str  # names the colour and pattern in charts.js and portal.css
    label: StrOrPromise  # lazy translations are read when the chart is drawn
    values: list


@dataclass
class Chart:
    id: str
    kind: str  # "stacked-bar", "bar" or "line"
    caption: StrOrPromise
    row_header: StrOrPromise
    labels: list  # what the reader sees for each row / point on the x axis
    series: list = field(default_factory=list)
    percent: bool = False  # values are percentages (0 to 100)
    total: bool = False  # the table adds a total column (stacked counts)

    def data(self):
        return {
            "kind": self.kind,
            "labels": [str(label) for label in self.labels],
            "series": [
                {"key": series.key, "label": str(series.label), "data": series.values}
                for series in self.series
            ],
            "percent": self.percent,
        }

    @property
    def headers(self):
        return [series.label for series in self.series]

    @property
    def rows(self):
        """(label, [values], total or None) per row, for the table."""
        for index, label in enumerate(self.labels):
            values = [series.values[index] for series in self.series]
            total = sum(value or 0 for value in values) if self.total else None
            yield label, values, total

    @property
    def is_empty(self):
        return not self.labels


def short_date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")
