"""docker-compose.yml describes a stack that starts once and scales.

Compose validates the file against its schema and Caddy validates the proxy's
configuration (both installed by .ci/run from Debian); the file is also read as YAML
(anchors and merge keys resolved as Compose does) and held to what scaling needs: only
the proxy publishes a port, migrations run once in a one-shot service the others wait
for, and every long-running service has a healthcheck.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
APP_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def command_of(service):
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_stack_has_a_proxy_web_migrate_worker_beat_postgres_and_redis(services):
    assert set(services) == {"proxy", "migrate", *APP_SERVICES, "postgres", "redis"}


def test_only_the_proxy_publishes_a_port_so_web_can_scale(services):
    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"proxy"}
    assert services["proxy"]["ports"] == ["${HTTP_PORT:-8000}:80"]
    assert services["web"]["expose"] == ["8000"]
    assert "container_name" not in services["web"]


def test_the_proxy_balances_over_every_web_replica(services):
    proxy = services["proxy"]
    caddyfile = CADDYFILE.read_text()

    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert "dynamic a {" in caddyfile
    assert "name web" in caddyfile and "port 8000" in caddyfile
    assert "health_uri /healthz" in caddyfile
    # One trusted proxy: login throttling reads the client's address from X-Forwarded-For.
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_migrations_and_the_data_load_run_once_before_the_app_starts(services):
    migrate = services["migrate"]

    assert migrate["restart"] == "no"
    assert "manage.py migrate --noinput" in command_of(migrate)
    assert "load_mexico_ogp" in command_of(migrate)
    assert "migrate" not in migrate["depends_on"]
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert "manage.py migrate" not in command_of(services[name]), name
        assert "load_mexico_ogp" not in command_of(services[name]), name


def test_every_long_running_service_has_a_healthcheck(services):
    for name, service in services.items():
        if name == "migrate":
            continue
        assert service["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_web_and_workers_share_the_database_redis_and_media(services):
    environments = [services[name]["environment"] for name in APP_SERVICES | {"migrate"}]

    assert len({env["DATABASE_URL"] for env in environments}) == 1
    assert len({env["REDIS_URL"] for env in environments}) == 1
    for name in APP_SERVICES:
        assert "media:/app/media" in services[name]["volumes"]
    assert services["web"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def compose_command():
    """Docker Compose v2 (`docker compose`) or Debian's docker-compose, which .ci/run installs."""
    if shutil.which("docker"):
        version = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if version.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def compose_config(path):
    return subprocess.run(
        [*compose_command(), "-f", str(path), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin:/usr/local/bin"},
        timeout=60,
    )


@pytest.mark.skipif(compose_command() is None, reason="needs Docker Compose (.ci/run installs it)")
def test_docker_compose_accepts_the_file(tmp_path):
    # Compose checks the file against its schema: a wrong condition is refused.
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        COMPOSE.read_text().replace("service_completed_successfully", "service_finished", 1)
    )
    assert compose_config(broken).returncode != 0

    result = compose_config(COMPOSE)

    assert result.returncode == 0, result.stderr


def caddy_validate(path):
    return subprocess.run(
        ["caddy", "validate", "--adapter", "caddyfile", "--config", str(path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(path.parent)},
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("caddy") is None, reason="needs Caddy (.ci/run installs it)")
def test_caddy_accepts_the_proxys_configuration(tmp_path):
    # The check can fail: a broken copy of the file is refused.
    broken = tmp_path / "Caddyfile"
    broken.write_text(CADDYFILE.read_text().replace("reverse_proxy {", "reverse_proxy { nonsense"))
    assert caddy_validate(broken).returncode != 0

    result = caddy_validate(CADDYFILE)

    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
