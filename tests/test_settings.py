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
        "PORTAL_DEMO",
        "SQLITE_PATH",
        "DEMO_SQLITE_PATH",
        "MEDIA_ROOT",
        "DEMO_MEDIA_ROOT",
        "PORTAL_BASE_URL",
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
    "demo": settings.PORTAL_DEMO,
    "cache_prefix": settings.CACHES["default"].get("KEY_PREFIX", ""),
    "media": str(settings.MEDIA_ROOT),
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


def test_demo_mode_embedded_uses_its_own_sqlite_file():
    real, demo = probe(), probe(PORTAL_DEMO="1")

    assert real["demo"] is False
    assert demo["demo"] is True
    assert demo["engine"] == "django.db.backends.sqlite3"
    assert demo["db_name"] == str(ROOT / "demo.sqlite3")
    assert demo["db_name"] != real["db_name"]
    assert demo["media"] != real["media"]  # uploaded evidence stays apart too


def test_demo_mode_with_a_database_url_uses_a_database_of_its_own_on_the_same_server():
    services = {
        "DATABASE_URL": "postgres://portal:secret@db.example:5432/portal",
        "REDIS_URL": "redis://cache.example:6379/0",
        "SECRET_KEY": "a" * 60,
        "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example:587",
    }
    real, demo = probe(**services), probe(**services, PORTAL_DEMO="1")

    assert demo["engine"] == real["engine"] == "django.db.backends.postgresql"
    assert (real["db_name"], demo["db_name"]) == ("portal", "portal_demo")
    # Nothing of the demo reaches the real portal's workers, cache or mail.
    assert demo["eager"] is True
    assert demo["broker"] == "memory://"
    assert (real["cache_prefix"], demo["cache_prefix"]) == ("ogp", "ogp-demo")
    assert demo["email"].endswith("console.EmailBackend")


def test_demo_mode_with_a_sqlite_database_url_uses_a_sibling_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    real = probe(DATABASE_URL=url, SECRET_KEY="a" * 60)
    demo = probe(DATABASE_URL=url, SECRET_KEY="a" * 60, PORTAL_DEMO="1")

    assert real["db_name"] == str(tmp_path / "portal.sqlite3")
    assert demo["db_name"] == str(tmp_path / "portal_demo.sqlite3")


def test_demo_mode_refuses_a_demo_database_that_is_the_real_one(tmp_path):
    same = str(tmp_path / "one.sqlite3")
    result = run_with_env(PROBE, PORTAL_DEMO="1", SQLITE_PATH=same, DEMO_SQLITE_PATH=same)

    assert result.returncode != 0
    assert "must not be the real database" in result.stderr


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
def test_health_endpoint_checks_database_and_cache(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("status", "database", "cache")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")


@pytest.mark.redis
@pytest.mark.django_db
def test_cache_round_trips_through_real_redis():
    import redis
    from django.conf import settings
    from django.core.cache import caches

    cache = caches["default"]
    assert cache.__class__.__name__ == "ResilientRedisCache"
    cache.set("settings-test", {"estado": "abierto"}, 30)
    assert cache.get("settings-test") == {"estado": "abierto"}
    # The value really lives in Redis, where another web process would find it.
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert any(b"settings-test" in key for key in raw.keys("*settings-test*"))
