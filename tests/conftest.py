import importlib.util
import os
from pathlib import Path

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
ON_REDIS = bool(settings.REDIS_URL)
# Debian's chromium (apt-get install -y chromium); .ci/run installs it. Never downloaded.
CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")
HAS_CHROMIUM = Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)
HAS_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None


def pytest_collection_modifyitems(config, items):
    """Skip service-bound tests, with the reason, when the service is not configured."""
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://...")
    skip_browser = pytest.mark.skip(
        reason=f"needs Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)"
        if HAS_PLAYWRIGHT
        else 'needs Playwright for Python: pip install -e ".[test]"'
    )
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not ON_REDIS:
            item.add_marker(skip_redis)
        if "browser" in item.keywords and not (HAS_CHROMIUM and HAS_PLAYWRIGHT):
            item.add_marker(skip_browser)


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es-mx"


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """The review services count comments and flags in the cache, whatever the channel;
    on SQLite a later test's user may reuse an earlier one's id, so every test starts clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _redis_outages_forgotten():
    """Each test starts with Redis trusted again (ogp_portal.resilience's breakers)."""
    from ogp_portal.resilience import BROKER, CACHE

    CACHE.reset()
    BROKER.reset()
