"""Projection's converters (api.v1.resources.base.converter) write what the serializer
field's own to_representation writes, fast path or not."""

import datetime
import decimal
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.v1.resources.base import Many, Projection, builder, converter

UTC = datetime.UTC
MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")
INDIA = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

VALUES = {
    serializers.CharField: ["texto", "", "ñandú ☃", 12, decimal.Decimal("1.50")],
    serializers.IntegerField: [0, 7, -3, 2**40, True, "12", decimal.Decimal("4")],
    serializers.BigIntegerField: [0, 2**62, False, "9"],
    serializers.BooleanField: [True, False, 1, 0, "true", "no"],
    serializers.DateTimeField: [
        datetime.datetime(2026, 11, 30, 17, 45, 1, 123456, tzinfo=UTC),
        datetime.datetime(2026, 6, 1, 0, 0, tzinfo=UTC),  # summer: no DST in Mexico since 2022
        datetime.datetime(2020, 4, 5, 8, 30, tzinfo=UTC),  # DST of 2020 in Mexico City
        datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=MEXICO),
        datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=INDIA),
        datetime.datetime(2026, 1, 2, 3, 4, 5),  # naive: made aware as DRF does
        "2026-01-02T03:04:05Z",  # a string is written as it is
    ],
}


@pytest.mark.parametrize("zone", ["America/Mexico_City", "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("field_class", list(VALUES), ids=lambda c: c.__name__)
def test_a_converter_writes_what_the_field_writes(field_class, zone):
    with timezone.override(zone):
        field = field_class()
        convert = converter(field, timezone.get_current_timezone())
        for value in VALUES[field_class]:
            expected = field.to_representation(value)
            written = convert(value)
            assert written == expected, value
            assert type(written) is type(expected), value


def test_a_date_time_field_with_its_own_format_or_zone_keeps_its_own_code():
    value = datetime.datetime(2026, 11, 30, 17, 45, tzinfo=UTC)
    for field in [
        serializers.DateTimeField(format="%Y-%m-%d %H:%M"),
        serializers.DateTimeField(default_timezone=UTC),
    ]:
        with timezone.override("America/Mexico_City"):
            assert converter(field, MEXICO)(value) == field.to_representation(value)


class Place(serializers.Serializer):
    name = serializers.CharField()


class Shown(serializers.Serializer):
    code = serializers.CharField()
    count = serializers.IntegerField()
    at = serializers.DateTimeField()
    place = Place(allow_null=True)
    days = serializers.IntegerField()
    tags = serializers.ListField()


def test_a_row_is_built_as_the_serializer_writes_it_whatever_its_values():
    """Projection's generated builder (base.builder): each kind of step, None, a value of
    another type than the field's, a nested object that is null, a computed and a nested
    list, in the serializer's order."""
    projection = Projection(
        Shown,
        computed={"days": (("count",), lambda row: [row["count"]])},
        many={"tags": Many(lambda keys: None, "owner")},
    )
    steps = projection.compile(UTC)
    build = builder(steps)
    at = datetime.datetime(2026, 11, 30, 17, 45, 1, tzinfo=UTC)
    row = {"pk": 1, "code": 12, "count": "7", "at": at, "place": 3, "place__name": "Oaxaca"}
    built = build(row, {"tags": {1: ["a", "b"]}})
    assert list(built) == ["code", "count", "at", "place", "days", "tags"]
    assert built == {
        "code": "12",
        "count": 7,
        "at": "2026-11-30T17:45:01Z",
        "place": {"name": "Oaxaca"},
        "days": ["7"],
        "tags": ["a", "b"],
    }
    empty = dict(row, code=None, count=None, at=None, place=None, place__name=None)
    built = build(empty, {"tags": {1: []}})
    assert built == {
        "code": None,
        "count": None,
        "at": None,
        "place": None,
        "days": [None],
        "tags": [],
    }
