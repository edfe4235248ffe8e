import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
ON_REDIS = bool(settings.REDIS_URL)


def pytest_collection_modifyitems(config, items):
    """Skip service-bound tests, with the reason, when the service is not configured."""
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://...")
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not ON_REDIS:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es-mx"
