"""The two modes of the portal, read from the environment in a fresh process each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "EMAIL_URL",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "CELERY_TASK_ALWAYS_EAGER",
        "SECURE_SSL_REDIRECT",
    }
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from ogp_portal.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "email": settings.MAILERS["default"]["BACKEND"],
    "email_host": settings.MAILERS["default"].get("OPTIONS", {}).get("host", ""),
    "debug": settings.DEBUG,
}))
"""


def run_with_env(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(**env):
    result = run_with_env(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default_needs_nothing_but_python():
    config = probe()
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["db_name"] == str(ROOT / "db.sqlite3")
    assert config["cache"].endswith("LocMemCache")
    assert config["eager"] is True
    assert config["email"].endswith("console.EmailBackend")
    assert config["debug"] is True


def test_database_and_redis_urls_switch_to_real_services():
    config = probe(
        DATABASE_URL="postgres://portal:secret@db.example:5432/portal",
        REDIS_URL="redis://cache.example:6379/0",
        SECRET_KEY="a" * 60,
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example:587",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["db_name"] == "portal"
    assert config["cache"].endswith("RedisCache")
    assert config["eager"] is False
    assert config["broker"] == "redis://cache.example:6379/0"
    assert config["email"].endswith("smtp.EmailBackend")
    assert config["email_host"] == "smtp.example"
    assert config["debug"] is False


def test_production_refuses_to_start_with_the_default_secret():
    result = run_with_env(PROBE, DATABASE_URL="postgres://portal@db.example/portal")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_unknown_email_scheme_is_a_clear_error():
    result = run_with_env(PROBE, EMAIL_URL="carrier-pigeon://coop")
    assert result.returncode != 0
    assert "EMAIL_URL must start with" in result.stderr


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **CLEAN_ENV,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.db'}",
            "SECRET_KEY": "k8#vQ2-production-like-secret-with-enough-entropy-9fLp3xZr7TbW",
            "DEBUG": "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_health_endpoint_checks_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.redis
@pytest.mark.django_db
def test_cache_round_trips_through_real_redis():
    import redis
    from django.conf import settings
    from django.core.cache import caches

    cache = caches["default"]
    assert cache.__class__.__name__ == "RedisCache"
    cache.set("settings-test", {"estado": "abierto"}, 30)
    assert cache.get("settings-test") == {"estado": "abierto"}
    # The value really lives in Redis, where another web process would find it.
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert any(b"settings-test" in key for key in raw.keys("*settings-test*"))
