import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days():
    """days(n): an aware datetime n days from now at 10:00 Mexico City time."""

    def at(offset):
        day = timezone.localdate() + datetime.timedelta(days=offset)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    return at


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
