"""Fairness throttles whose cost does not depend on the rate: a sliding-window counter.

DRF's throttle (and the packed history that replaced it here) keeps one timestamp per
request in the window and moves the whole list through the cache on every request, so
a client allowed 100,000 requests a minute costs 100,000 floats a request. Here each
client has two integers per window: the count of the current window and the count of
the previous one. A request is allowed while

    current + previous × (share of the previous window still inside the sliding window)

stays below the rate's number of requests (the estimate Cloudflare and nginx use; it
assumes the previous window's requests were spread evenly). Refused requests are not
counted, so a client that keeps knocking is not kept out longer. On Redis the decision
is one small Lua script (GET, GET, INCR, EXPIRE: one round trip, atomic); in local
memory (embedded) it is get_many plus add/incr. When Redis is away the request is
allowed (ogp_portal.resilience: throttles are for fairness, not security).
Rates come from settings at request time so tests can change them.
"""

from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling
from rest_framework.settings import api_settings

from ogp_portal.cache import FAILURES
from ogp_portal.resilience import CACHE

# KEYS: current window, previous window. ARGV: limit, share of the previous window that
# still counts (a float as text), expiry in seconds. Returns {allowed, current, previous}.
SLIDING_WINDOW_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if current + previous * tonumber(ARGV[2]) > tonumber(ARGV[1]) - 1 then
    return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, current, previous}
"""

# The same for every throttle of a request at once, and the values of a few more keys (the
# API's data generation): a cached API hit makes one round trip to Redis. KEYS: each
# throttle's current and previous window, then the keys to read. ARGV: the number of
# throttles, then limit, share, expiry for each. One MGET reads them all; a window's
# expiry is set when its count is created (INCR keeps it). The answer is one string
# (parsed in Python much faster than an array): "allowed current previous" for each
# throttle, space-separated, a newline, then each read value as "<length>\n<bytes>", or
# "-\n" when missing (see parse_answer).
SLIDING_WINDOWS_LUA = r"""
local throttles = tonumber(ARGV[1])
local values = {}
if #KEYS > 0 then
    values = redis.call('MGET', unpack(KEYS))
end
local numbers = {}
for i = 0, throttles - 1 do
    local current = tonumber(values[2 * i + 1] or '0')
    local previous = tonumber(values[2 * i + 2] or '0')
    local allowed = 0
    if current + previous * tonumber(ARGV[3 * i + 3]) <= tonumber(ARGV[3 * i + 2]) - 1 then
        allowed = 1
        current = redis.call('INCR', KEYS[2 * i + 1])
        if current == 1 then
            redis.call('EXPIRE', KEYS[2 * i + 1], ARGV[3 * i + 4])
        end
    end
    numbers[#numbers + 1] = allowed .. ' ' .. current .. ' ' .. previous
end
local out = {table.concat(numbers, ' '), '\n'}
for j = 2 * throttles + 1, #KEYS do
    local value = values[j]
    if value then
        out[#out + 1] = string.len(value) .. '\n' .. value
    else
        out[#out + 1] = '-\n'
    end
end
return table.concat(out)
"""


def parse_answer(answer, reads):
    """SLIDING_WINDOWS_LUA's string: ([allowed, current, previous, ...], [value or None])."""
    end = answer.index(b"\n")
    numbers = [int(number) for number in answer[:end].split()]
    values = []
    start = end + 1
    for _ in range(reads):
        end = answer.index(b"\n", start)
        length = answer[start:end]
        if length == b"-":
            values.append(None)
            start = end + 1
        else:
            start = end + 1 + int(length)
            values.append(answer[end + 1 : start])
    return numbers, values


_scripts = {}


def _script(client, source):
    script = _scripts.get((id(client), source))
    if script is None:
        script = _scripts[(id(client), source)] = client.register_script(source)
    return script


def redis_count(cache, current_key, previous_key, *, limit, previous_share, expiry):
    """(allowed, current, previous) from one round trip to Redis, or None when it is away."""
    if not CACHE.available():
        return None
    current_key = cache.make_and_validate_key(current_key)
    previous_key = cache.make_and_validate_key(previous_key)
    try:
        client = cache._cache.get_client(current_key, write=True)
        allowed, current, previous = _script(client, SLIDING_WINDOW_LUA)(
            keys=[current_key, previous_key],
            args=[limit, repr(previous_share), expiry],
            client=client,
        )
    except FAILURES as error:
        CACHE.failed(error, operation="throttle")
        return None
    return bool(allowed), int(current), int(previous)


def local_count(cache, current_key, previous_key, *, limit, previous_share, expiry):
    """The same decision through the plain cache API (local memory when embedded)."""
    counts = cache.get_many([current_key, previous_key])
    current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
    if current + previous * previous_share > limit - 1:
        return False, current, previous
    if cache.add(current_key, 1, expiry):
        return True, 1, previous
    try:
        return True, cache.incr(current_key), previous
    except ValueError:  # expired between add and incr
        cache.set(current_key, 1, expiry)
        return True, 1, previous


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class SlidingWindowCounterMixin:
    """SimpleRateThrottle's interface (rate, scope, ident, 429 with Retry-After), counted."""

    # Its own keys: processes still running an older throttle never read these counters.
    cache_format = "throttle_window_%(scope)s_%(ident)s"

    @property
    def cache(self):
        # The backend itself (DRF's `cache` is Django's proxy), to see whether it is Redis.
        return caches["default"]

    def get_ident(self, request):
        """DRF's, reading X-Forwarded-For from META: request.headers would build the
        mapping of every header for this one (a cached API hit's cost)."""
        xff = request.META.get("HTTP_X_FORWARDED_FOR")
        remote_addr = request.META.get("REMOTE_ADDR")
        num_proxies = api_settings.NUM_PROXIES
        if num_proxies is not None:
            if num_proxies == 0 or xff is None:
                return remote_addr
            addrs = xff.split(",")
            return addrs[-min(num_proxies, len(addrs))].strip()
        return "".join(xff.split()) if xff else remote_addr

    def allow_request(self, request, view):
        window = self.window(request, view)
        if window is None:
            return True
        count = redis_count if isinstance(self.cache, RedisCache) else local_count
        return self.decide(count(self.cache, *window[:2], **window[2]))

    def window(self, request, view):
        """(current key, previous key, count's arguments) of this request, or None when this
        throttle does not apply (no rate, or no key for this client)."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.elapsed = (self.now - window * self.duration) / self.duration
        arguments = {
            "limit": self.num_requests,
            "previous_share": 1.0 - self.elapsed,
            # The current window's count is the next window's "previous".
            "expiry": 2 * self.duration + 1,
        }
        return f"{key}_{window}", f"{key}_{window - 1}", arguments

    def decide(self, counted):
        """Allowed or not from a count's (allowed, current, previous); None: Redis is away."""
        if counted is None:
            return True
        allowed, self.current, self.previous = counted
        return allowed

    def wait(self):
        """Seconds until the estimate leaves room for one more request."""
        limit, duration = self.num_requests, self.duration
        if self.current <= limit - 1 and self.previous:
            # Room appears in this window as the previous window's share shrinks.
            share_needed = 1.0 - (limit - 1 - self.current) / self.previous
            return max(share_needed - self.elapsed, 0.0) * duration
        # This window is full: wait for the next one, where this window's count weighs.
        next_window = (1.0 - self.elapsed) * duration
        return next_window + max(1.0 - (limit - 1) / max(self.current, 1), 0.0) * duration


def check_all(
    throttles: Sequence[Any], request: Any, view: Any, *, also_read: Sequence[str] = ()
) -> tuple[list[Any], dict[str, Any] | None]:
    """(the throttles that refuse this request, {key: value} of `also_read`, or None).

    On Redis: every throttle's window and the keys to read in one round trip, each
    throttle deciding as its allow_request would. Otherwise (local memory, other
    throttles, Redis away): each allow_request in turn, and None for the reads.
    """
    cache = caches["default"]
    if not (
        isinstance(cache, RedisCache)
        and hasattr(cache._cache, "run_script")
        and all(isinstance(t, SlidingWindowCounterMixin) for t in throttles)
    ):
        return [t for t in throttles if not t.allow_request(request, view)], None
    windows = [(throttle, throttle.window(request, view)) for throttle in throttles]
    counted = [(throttle, window) for throttle, window in windows if window is not None]
    if not CACHE.available():
        return [], None
    # make_key, not make_and_validate_key: these keys are ours (scope, address, user id,
    # window), and memcached's key rules do not apply to Redis.
    keys, args = [], [len(counted)]
    for _throttle, (current_key, previous_key, arguments) in counted:
        keys += [cache.make_key(current_key), cache.make_key(previous_key)]
        args += [arguments["limit"], repr(arguments["previous_share"]), arguments["expiry"]]
    read = [cache.make_key(key) for key in also_read]
    try:
        answer = cache._cache.run_script(SLIDING_WINDOWS_LUA, keys + read, args)
    except FAILURES as error:
        CACHE.failed(error, operation="throttle")
        return [], None
    numbers, values = parse_answer(answer, len(read))
    refused = []
    for n, (throttle, _window) in enumerate(counted):
        allowed, current, previous = numbers[3 * n : 3 * n + 3]
        if not throttle.decide((bool(allowed), current, previous)):
            refused.append(throttle)
    loads = cache._cache._serializer.loads
    return refused, {
        key: None if value is None else loads(value)
        for key, value in zip(also_read, values, strict=True)
    }


class AnonRateThrottle(CurrentRateMixin, SlidingWindowCounterMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CurrentRateMixin, SlidingWindowCounterMixin, throttling.UserRateThrottle):
    pass
