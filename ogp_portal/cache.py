"""Django's Redis cache that degrades instead of raising when Redis is down or slow.

Reads miss, writes are dropped, each with a short socket timeout (settings CACHES
OPTIONS) and a circuit breaker (`ogp_portal.resilience.CACHE`). Only counters cannot
be faked: `incr`/`decr` raise `CacheUnavailable`, which their callers handle by policy
(see `reviews.rate_limits`).
"""

import hashlib
import os
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError

from .resilience import CACHE

FAILURES = (RedisError, OSError)


class CacheUnavailable(Exception):
    """The shared cache could not be reached; a counter could not be read or changed."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, but one redis.Redis per connection pool instead of one per command.

    A redis.Redis is a thin, thread-safe handle on its pool, but building one fills its
    table of ~170 response callbacks: that was a large share of a cached API hit.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._local = threading.local()  # run_script's connection of each thread

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def run_script(self, source, keys, args):
        """EVALSHA of a Lua script on a connection of this thread's own (EVAL the first time).

        The hot path of every API request (throttles and the data generation): redis-py's
        command path (pool checkout with a readiness poll, retry wrapper, argument checks,
        metrics, Script objects) cost more than the round trip itself. The connection is
        this thread's and this process's (not shared after a fork); any error closes it, so
        the next call reconnects; a connection Redis dropped while idle is retried once.
        """
        connection = self._connection()
        sha = _sha1(source)
        command = _pack(b"EVALSHA", sha, len(keys), *keys, *args)
        for attempt in (1, 2):
            try:
                connection.send_packed_command(command, check_health=False)
                try:
                    return connection.read_response()
                except NoScriptError:
                    connection.send_packed_command(
                        _pack(b"EVAL", source, len(keys), *keys, *args), check_health=False
                    )
                    return connection.read_response()
            except RedisConnectionError:
                connection.disconnect()
                if attempt == 2:
                    raise
            except BaseException:
                connection.disconnect()
                raise
        raise AssertionError("unreachable")

    def _connection(self):
        local = self._local
        connection = getattr(local, "connection", None)
        if connection is None or local.pid != os.getpid():
            pool = self._get_connection_pool(True)
            connection = local.connection = pool.connection_class(**pool.connection_kwargs)
            local.pid = os.getpid()
        return connection


_shas: dict[str, bytes] = {}


def _sha1(source):
    sha = _shas.get(source)
    if sha is None:
        digest = hashlib.sha1(source.encode(), usedforsecurity=False)  # Redis's script id
        sha = _shas[source] = digest.hexdigest().encode()
    return sha


def _pack(*args):
    """A Redis command in the protocol's array of bulk strings (send_packed_command's list)."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif not isinstance(arg, bytes):
            arg = repr(arg).encode() if isinstance(arg, float) else str(arg).encode()
        parts.append(b"$%d\r\n%b\r\n" % (len(arg), arg))
    return [b"".join(parts)]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guard(self, operation, fallback, call, *args):
        if not CACHE.available():
            return fallback
        try:
            return call(*args)
        except FAILURES as error:
            CACHE.failed(error, operation=operation)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guard("clear", False, super().clear)

    def incr(self, key, delta=1, version=None):
        if not CACHE.available():
            raise CacheUnavailable(key)
        try:
            return super().incr(key, delta, version)
        except FAILURES as error:
            CACHE.failed(error, operation="incr")
            raise CacheUnavailable(key) from error
