import datetime

import pytest
from django.utils import timezone

# The real Celery worker over Redis, shared with the indicators' integration test.
from tests.indicators.test_celery_worker import celery_worker  # noqa: F401


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
