"""A short-lived cache of rendered JSON responses, invalidated by a data generation.

Every write to the data the API shows calls `ogp_portal.outbox.data_changed()` (services,
imports, loaders, the indicators recompute, the admin's saves and deletes); after commit
that bumps one generation number (`bump_generation`, registered in `ApiConfig.ready`).
The cache key includes it, so a change is visible on the next request. No model signal is
involved: a write that calls neither (a shell's `save()`, SQL by hand) is seen once its
cached responses expire, so API_RESPONSE_CACHE_SECONDS bounds the staleness it causes.
Responses are the same for every user today; per-user fields would have to go into the
key. API_RESPONSE_CACHE_SECONDS=0 turns it off.

Each process also keeps its most recent bodies in a small in-memory LRU:
the key contains the shared generation (read from the shared cache on every
request), so a process never serves data older than the other processes,
and a hit costs one small cache read instead of fetching the whole body.
"""

import datetime
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.request import Request

from . import throttling

GENERATION_KEY = "api:v1:generation"
LOCAL_ENTRIES = 256

# A cached answer: body, content type, ETag, Last-Modified.
Entry = tuple[bytes, str, str, datetime.datetime | None]

_local: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> Entry | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            del _local[key]
            return None
        _local.move_to_end(key)
        return value


def local_expiry(key: str) -> float | None:
    """When this process's copy of an entry expires (time.monotonic()), or None."""
    with _local_lock:
        entry = _local.get(key)
    return None if entry is None else entry[0]


def _local_put(key: str, value: Entry) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + timeout(), value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def timeout() -> int:
    return int(getattr(settings, "API_RESPONSE_CACHE_SECONDS", 0))


def generation() -> int:
    value: int | None = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return int(value)


def counted(throttles: Sequence[Any], request: Any, view: Any) -> tuple[list[Any], int]:
    """(the throttles refusing the request, the data generation): on Redis the throttles
    counted and the generation read in one round trip (throttling.check_all)."""
    refused, read = throttling.check_all(throttles, request, view, also_read=(GENERATION_KEY,))
    current = (read or {}).get(GENERATION_KEY)
    if current is None:  # local memory, or Redis away: read as key_for reads it
        current = generation()
    return refused, int(current)


def bump_generation() -> None:
    """Make every cached API response stale (the handler of `outbox.data_changed`)."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def key_for(request: Request) -> str:
    # The generation the throttles' round trip read with them (ListResource.check_throttles),
    # else read now; the same for the lookup and the store of one request.
    current: int | None = getattr(request, "api_generation", None)
    if current is None:
        current = generation()
        setattr(request, "api_generation", current)  # noqa: B010 - not a Request attribute
    return key_of(current, request.get_full_path(), request.accepted_media_type or "")


def key_of(current: int, full_path: str, media_type: str) -> str:
    """The key of a response: data generation, local date, path and query, media type."""
    # The local date is in the key: some values (days since an update) move at midnight.
    raw = "|".join([str(current), timezone.localdate().isoformat(), full_path, media_type])
    return "api:v1:response:" + hashlib.sha256(raw.encode()).hexdigest()


def get(request: Request) -> Entry | None:
    if timeout() <= 0 or request.method != "GET":
        return None
    return lookup(key_for(request))


def lookup(key: str) -> Entry | None:
    """The entry under a key (key_of), from this process's LRU or the shared cache."""
    value = _local_get(key)
    if value is None:
        value = cache.get(key)  # an Entry, or None
        if value is not None:
            _local_put(key, value)
    return value


def put(
    request: Request,
    content: bytes,
    content_type: str,
    etag: str,
    last_modified: datetime.datetime | None,
) -> None:
    if timeout() > 0 and request.method == "GET":
        key = key_for(request)
        value: Entry = (content, content_type, etag, last_modified)
        cache.set(key, value, timeout())
        _local_put(key, value)
