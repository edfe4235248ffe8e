import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _usable_celery_pool():
    """Eager tasks still take a producer from Celery's pool. A test elsewhere closes the pool
    (tests/indicators/test_recompute_outbox.py, `broker_down`), and a closed pool refuses
    every later acquire; drop them so the next use opens fresh ones."""
    from kombu import pools as kombu_pools

    from ogp_portal.celery import app

    amqp = app.__dict__.get("amqp")
    pools = [app._pool, getattr(amqp, "_producer_pool", None)]
    if any(getattr(pool, "_closed", False) for pool in pools if pool is not None):
        kombu_pools.reset()  # the closed pools also stay in kombu's registry
        app._pool = None
        if amqp is not None:
            amqp._producer_pool = None
