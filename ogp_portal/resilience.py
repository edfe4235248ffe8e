"""What the portal does when Redis, its cache and its task queue, is down or slow.

Redis is optional at run time (DESIGN.md, "Every channel, every dependency"). Every call
to it goes through a `Dependency` that, after a failure, stops calling it for
`RETRY_SECONDS` (so a slow Redis costs one short socket timeout per process and window,
not one per cache read), logs one warning per outage and counts what it skipped. The
policy for each use:

- cache reads miss and cache writes are dropped (the API's response cache then serves
  from the database; staleness stays bounded by API_RESPONSE_CACHE_SECONDS);
- the API's fairness throttles allow the request (they are not a security control);
- the comment and flag limits count the person's stored rows in the database instead;
- a task that cannot be enqueued stays in its outbox table, committed with the write,
  and the beat sweep sends it once Redis is back;
- `/healthz` says `"redis": "unavailable"` and answers 200 while the database answers.
"""

import logging
import threading
import time
from typing import TypedDict

logger = logging.getLogger("ogp_portal.degraded")

# After a failure, calls are skipped for this long before Redis is tried again.
RETRY_SECONDS = 5.0


class DependencyState(TypedDict):
    available: bool
    failures: int
    skipped: int
    last_error: str


class Dependency:
    """A circuit breaker and counters for one use of Redis, per process."""

    def __init__(self, name: str, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._down_until = 0.0
        self.failures = 0
        self.skipped = 0
        self.last_error = ""

    def available(self) -> bool:
        """False while a recent failure says not to try; counts the skipped call."""
        if time.monotonic() >= self._down_until:
            return True
        with self._lock:
            self.skipped += 1
        return False

    def failed(self, error: BaseException, *, operation: str) -> None:
        """Record a failure: log once per outage, skip calls for the next few seconds."""
        now = time.monotonic()
        with self._lock:
            starting = now >= self._down_until
            self.failures += 1
            self.last_error = error.__class__.__name__
            self._down_until = now + self.retry_seconds
        if starting:
            logger.warning(
                "Redis %s unavailable (%s during %s: %s); degrading for %.0f s",
                self.name,
                error.__class__.__name__,
                operation,
                error,
                self.retry_seconds,
            )

    def reset(self) -> None:
        """Forget any outage (tests, and a health check that saw Redis answer)."""
        with self._lock:
            self._down_until = 0.0

    def state(self) -> DependencyState:
        return {
            "available": time.monotonic() >= self._down_until,
            "failures": self.failures,
            "skipped": self.skipped,
            "last_error": self.last_error,
        }


CACHE = Dependency("cache")
BROKER = Dependency("broker")
