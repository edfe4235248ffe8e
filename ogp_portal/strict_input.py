"""Strict readers of what comes from outside: ids in URLs and query strings, JSON bodies.

`str.isdigit()` says yes to "²" and "①", which `int()` then refuses (a 500); Python's json
module accepts lone surrogates ("\\ud800"), NaN and 1e999, which the database, the JSON
renderer or an integer field then refuse. These readers say no at the door instead.
"""

import json
import math
import re
from typing import NoReturn

# What json.loads gives back.
type JSONValue = None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]

# ASCII digits only (re's [0-9] is ASCII), at most what a bigint holds.
ID = re.compile(r"[0-9]{1,18}")


def parse_id(text: object) -> int | None:
    """The positive integer id written in `text`, or None for anything else."""
    if isinstance(text, str) and ID.fullmatch(text):
        value = int(text)
        return value if value > 0 else None
    return None


class UnreadableJSON(ValueError):
    """A body that is not JSON the portal can store: bad syntax, NaN/∞, lone surrogates."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnreadableJSON(f"number out of range: {text[:20]}")
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise UnreadableJSON(f"not a JSON number: {name}")


def _check_strings(value: JSONValue) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # UnicodeEncodeError on a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)


def loads_strict(data: bytes | str) -> JSONValue:
    """json.loads for UTF-8 bytes that refuses NaN, ±Infinity, 1e999 and lone surrogates."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value: JSONValue = json.loads(text, parse_float=_finite, parse_constant=_refuse_constant)
        _check_strings(value)
    except (UnicodeError, ValueError, RecursionError) as error:
        raise UnreadableJSON(str(error)[:200]) from error
    return value
