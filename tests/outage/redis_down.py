"""Redis really unreachable, for tests and the bench: a closed port, or a server stopped.

Both point the cache and Celery's broker at the dead address; Celery is made to send as
in production (not eager), so every save meets the dead broker after its commit.
"""

import contextlib
import shutil
import socket
import subprocess
import time

from django.core.cache import caches
from django.test import override_settings
from kombu import pools

from ogp_portal.celery import app
from ogp_portal.resilience import BROKER, CACHE

CLOSED_PORT = 6390
STOPPED_PORT = 6391
HAS_REDIS_SERVER = shutil.which("redis-server") is not None


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_port(start):
    return next(port for port in range(start, start + 200) if port_is_free(port))


def cache_settings(url):
    return {
        "default": {
            "BACKEND": "ogp_portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ogp-outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def reconnect_broker():
    """Drop pooled broker connections so the next send uses the broker_url now configured."""
    pools.reset()
    app._after_fork()


@contextlib.contextmanager
def redis_at(url):
    """The cache and Celery's broker on `url`, Celery sending for real (not eager)."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    CACHE.reset()
    BROKER.reset()
    with override_settings(CACHES=cache_settings(url), REDIS_URL=url):
        app.conf.update(task_always_eager=False, broker_url=url)
        reconnect_broker()
        try:
            yield
        finally:
            caches["default"].close()
            app.conf.update(saved)
            reconnect_broker()
            CACHE.reset()
            BROKER.reset()


class RedisServer:
    """A redis-server of the test's own on a free port, started and stopped at will."""

    def __init__(self, port=None):
        self.port = port or free_port(STOPPED_PORT)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + ["--daemonize", "yes", "--bind", "127.0.0.1"],
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 10
        while port_is_free(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on {self.port}")
            time.sleep(0.05)

    def stop(self):
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        deadline = time.monotonic() + 10
        while not port_is_free(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on {self.port} did not stop")
            time.sleep(0.05)
