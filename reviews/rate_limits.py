"""Per-user limits on comments and flags: an atomic counter per user and time window.

`cache.add` creates the window's counter only if it is missing and `cache.incr` is
atomic on Redis and within a process on the local-memory cache, so concurrent requests
never both slip under the limit. Fixed windows: the counter expires with its window.

When Redis is unreachable (`CacheUnavailable`), the limit is still enforced: the person's
stored comments or flags of the current window are counted in the database instead
(one indexed query; two requests at the same instant may both pass, never more).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from ogp_portal.cache import CacheUnavailable
from ogp_portal.service_errors import RateLimited

from .models import Comment, Flag

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# The actions that are limited: the keys of settings.REVIEW_RATE_LIMITS.
Action = Literal["comment", "flag"]

# What the person is told when they reach a limit, on the pages and in the API.
MESSAGES: dict[Action, StrPromise] = {
    "comment": _("Publicaste demasiados comentarios en poco tiempo."),
    "flag": _("Enviaste demasiados reportes en poco tiempo."),
}

__all__ = ["MESSAGES", "RateLimited", "check_and_count"]


def limit_for(action: Action) -> tuple[int, int]:
    """(count, seconds) for the action, from settings.REVIEW_RATE_LIMITS."""
    count, seconds = settings.REVIEW_RATE_LIMITS[action]
    return int(count), int(seconds)


def check_and_count(*, user_id: int, action: Action) -> int:
    """Count one more `action` by the user, or raise RateLimited when over the limit."""
    count, seconds = limit_for(action)
    now = int(time.time())
    window = now // seconds
    key = f"ratelimit:{action}:{user_id}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used: int = cache.incr(key)
    except ValueError:
        # The counter expired between add and incr: this is the first use of a new window.
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    except CacheUnavailable:
        used = stored_in_window(user_id=user_id, action=action, since=window * seconds) + 1
    if used > count:
        raise RateLimited(
            action=action, retry_after=(window + 1) * seconds - now, reason=MESSAGES[action]
        )
    return used


def stored_in_window(*, user_id: int, action: Action, since: int) -> int:
    """How many comments or flags the user stored since the window began (Unix time)."""
    start = datetime.fromtimestamp(since, tz=UTC)
    if action == "comment":
        return Comment.objects.filter(author_id=user_id, created_at__gte=start).count()
    return Flag.objects.filter(user_id=user_id, created_at__gte=start).count()
