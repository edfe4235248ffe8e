"""Fairness throttles; rates come from settings at request time so tests can change them."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(CurrentRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CurrentRateMixin, throttling.UserRateThrottle):
    pass
