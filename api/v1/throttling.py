"""Fairness throttles; rates come from settings at request time so tests can change them.

DRF keeps each client's request history as a Python list of timestamps and
the cache pickles it on every read and write: the cost of a request grows
with the rate (a list of up to `num` floats), which a high rate (analysts'
tokens, load tests) pays on every request. Here the same sliding-window log
is kept as packed doubles, oldest first, stored as bytes: the decisions and
Retry-After are DRF's, and reading or writing it is a memory copy.
"""

import bisect
from array import array

from rest_framework import throttling
from rest_framework.settings import api_settings


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class PackedHistoryMixin:
    """SimpleRateThrottle's sliding window, with the history as packed doubles (oldest first).

    Under its own keys, so that processes still running DRF's throttle (a
    rolling deploy, a shared cache) never read a history they cannot parse.
    """

    cache_format = "throttle_packed_%(scope)s_%(ident)s"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = array("d", self.cache.get(self.key, b""))
        self.now = self.timer()
        # Drop the requests that have left the window (DRF drops those <= now - duration).
        del self.history[: bisect.bisect_right(self.history, self.now - self.duration)]
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def throttle_success(self):
        if self.history and self.history[-1] > self.now:  # a clock step back: keep it sorted
            self.history.insert(bisect.bisect_right(self.history, self.now), self.now)
        else:
            self.history.append(self.now)
        self.cache.set(self.key, self.history.tobytes(), self.duration)
        return True

    def wait(self):
        if self.history:
            remaining_duration = self.duration - (self.now - self.history[0])
        else:
            remaining_duration = self.duration
        available_requests = self.num_requests - len(self.history) + 1
        if available_requests <= 0:
            return None
        return remaining_duration / float(available_requests)


class AnonRateThrottle(CurrentRateMixin, PackedHistoryMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CurrentRateMixin, PackedHistoryMixin, throttling.UserRateThrottle):
    pass
