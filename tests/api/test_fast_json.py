"""The API's JSON is written by orjson, and reads byte for byte as DRF's renderer wrote it."""

import datetime
import decimal
import uuid

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.v1.renderers import FastJSONRenderer

AWKWARD = {
    "plain": [1, -2, 0.5, 33.333333333333336, 100.0, True, False, None],
    "text": 'Ciudad de México «año» — ñandú \u2028 line \u2029 paragraph </script> "\\',
    "emoji": "🇲🇽",
    "nested": {"b": 1, "a": [{"z": None, "y": []}]},
    "when": datetime.datetime(2025, 3, 3, 15, 0, 0, 123456, tzinfo=datetime.UTC),
    "local": datetime.datetime(
        2025, 3, 3, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-6))
    ),
    "day": datetime.date(2024, 2, 29),
    "time": datetime.time(8, 30),
    "amount": decimal.Decimal("12.50"),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("No existe."),
    "big": 2**70,
}


def test_fast_renderer_writes_the_same_bytes_as_drf():
    for data in (AWKWARD, [AWKWARD, AWKWARD], {"results": []}, [], "x", 3):
        assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_fast_renderer_keeps_the_key_order_it_was_given():
    assert FastJSONRenderer().render({"z": 1, "a": 2}) == b'{"z":1,"a":2}'


def test_an_indent_asked_for_is_honoured_as_drf_does():
    media_type = "application/json; indent=2"
    assert FastJSONRenderer().render(AWKWARD, media_type, {}) == JSONRenderer().render(
        AWKWARD, media_type, {}
    )


def test_nothing_renders_as_an_empty_body():
    assert FastJSONRenderer().render(None) == b""
