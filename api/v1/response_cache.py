"""A short-lived cache of rendered JSON responses, invalidated by a data generation.

Every save, delete or many-to-many change to the portal's data bumps one
generation number (after commit); the cache key includes it, so a change is
visible on the next request. Writes that bypass model signals (queryset
update(), bulk_update, raw SQL in the indicators engine) must call
`bump_generation()`; API_RESPONSE_CACHE_SECONDS bounds any staleness they
cause. Responses are the same for every user today; per-user fields would
have to go into the key. API_RESPONSE_CACHE_SECONDS=0 turns it off.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "api:v1:generation"
DATA_APPS = {"commitments", "states", "coordination", "indicators"}


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
    raw = "|".join([str(generation()), request.get_full_path(), request.accepted_media_type or ""])
    return "api:v1:response:" + hashlib.sha256(raw.encode()).hexdigest()


def get(request):
    if timeout() <= 0 or request.method != "GET":
        return None
    return cache.get(key_for(request))


def put(request, content, content_type, etag, last_modified):
    if timeout() > 0 and request.method == "GET":
        cache.set(key_for(request), (content, content_type, etag, last_modified), timeout())


def on_data_change(sender, **kwargs):
    if sender._meta.app_label in DATA_APPS or getattr(sender._meta, "auto_created", False):
        transaction.on_commit(bump_generation)
