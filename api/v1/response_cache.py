"""A short-lived cache of rendered JSON responses, invalidated by a data generation.

Every save, delete or many-to-many change to the portal's data bumps one
generation number (after commit); the cache key includes it, so a change is
visible on the next request. Writes that bypass model signals (queryset
update(), bulk_update, raw SQL in the indicators engine) must call
`bump_generation()`; API_RESPONSE_CACHE_SECONDS bounds any staleness they
cause. Responses are the same for every user today; per-user fields would
have to go into the key. API_RESPONSE_CACHE_SECONDS=0 turns it off.

Each process also keeps its most recent bodies in a small in-memory LRU:
the key contains the shared generation (read from the shared cache on every
request), so a process never serves data older than the other processes,
and a hit costs one small cache read instead of fetching the whole body.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "api:v1:generation"
DATA_APPS = {"commitments", "states", "coordination", "indicators"}
# Of the reviews app only what the API shows (not flags, follows or the notices outbox).
DATA_MODELS = {"reviews.comment", "reviews.assessment"}
LOCAL_ENTRIES = 256

_local = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key):
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


def _local_put(key, value):
    with _local_lock:
        _local[key] = (time.monotonic() + timeout(), value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def timeout():
    return int(getattr(settings, "API_RESPONSE_CACHE_SECONDS", 0))


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation():
    """Make every cached API response stale (call after a write that skips signals)."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def key_for(request):
    # The generation the throttles' round trip read with them (ListResource.check_throttles),
    # else read now; the same for the lookup and the store of one request.
    current = getattr(request, "api_generation", None)
    if current is None:
        current = request.api_generation = generation()
    # The local date is in the key: some values (days since an update) move at midnight.
    raw = "|".join(
        [
            str(current),
            timezone.localdate().isoformat(),
            request.get_full_path(),
            request.accepted_media_type or "",
        ]
    )
    return "api:v1:response:" + hashlib.sha256(raw.encode()).hexdigest()


def get(request):
    if timeout() <= 0 or request.method != "GET":
        return None
    key = key_for(request)
    value = _local_get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _local_put(key, value)
    return value


def put(request, content, content_type, etag, last_modified):
    if timeout() > 0 and request.method == "GET":
        key = key_for(request)
        value = (content, content_type, etag, last_modified)
        cache.set(key, value, timeout())
        _local_put(key, value)


def on_data_change(sender, **kwargs):
    meta = sender._meta
    if (
        meta.app_label in DATA_APPS
        or meta.label_lower in DATA_MODELS
        or getattr(meta, "auto_created", False)
    ):
        # Robust: if the bump fails, the hooks after it (the recompute's enqueue) still run.
        transaction.on_commit(bump_generation, robust=True)


def on_indicators_recomputed(sender, **kwargs):
    # Sent after the recompute's transaction committed (indicators.services).
    bump_generation()
