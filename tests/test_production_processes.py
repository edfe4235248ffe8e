"""The production processes, run natively: two gunicorn web processes, a Celery worker,
beat, PostgreSQL and Redis, as docker-compose.yml runs them (without the proxy).

One story: an editor saves through web A and a reader sees it through web B at once,
the worker recomputes the indicator; the worker is killed with SIGKILL in the middle of
a recompute, a new one starts and beat's sweep leaves no indicator stale; then web A
loses its database (its connections terminated, new ones refused: only this test's own
database) and answers 503 without writing anything, and recovers when it returns.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from commitments.models import Milestone
from indicators.models import CommitmentIndicator, RecomputeRequest
from indicators.services import RECOMPUTE_LOCK_KEY, recompute_commitments
from tests.indicators.test_celery_worker import url_of_the_test_database
from tests.outage.editors import editors_with_a_milestone_each

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WAIT = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(method, url, *, token=None, body=None, headers=None):
    """(status, JSON or text) of one HTTP request, errors included."""
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))  # noqa: S310
    if token:
        request.add_header("Authorization", f"Token {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
        request.data = json.dumps(body).encode()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, raw, kind = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers
    except (urllib.error.URLError, OSError) as error:  # not listening or not booted yet
        return 0, str(error)
    if "json" in kind.get("Content-Type", ""):
        return status, json.loads(raw)
    return status, raw.decode(errors="replace")


def wait_for(condition, what, processes):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {WAIT} s\n" + processes.logs())


class Processes:
    """The stack's processes, each with its log in a file; all stopped at the end."""

    def __init__(self, folder):
        self.folder = folder
        self.running = {}
        self.queue = f"test-stack-{uuid.uuid4().hex[:10]}"

    def env(self, name):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
            "DATABASE_URL": f"{url_of_the_test_database()}?application_name=ogp-stack-{name}",
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_QUEUE": self.queue,
            "RECOMPUTE_SWEEP_SECONDS": "1",
            "MEDIA_ROOT": str(self.folder / "media"),
            "PYTHONPATH": str(ROOT),
        }

    def start(self, name, command):
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(name), stdout=log, stderr=subprocess.STDOUT
        )
        self.running[name] = (process, log)
        return process

    def web(self, name):
        port = free_port()
        self.start(
            name,
            [str(BIN / "gunicorn"), "ogp_portal.wsgi:application", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{port}", "--timeout", "30"]
            + ["--no-control-socket"],
        )
        return f"http://127.0.0.1:{port}"

    def worker(self, name):
        return self.start(
            name,
            [str(BIN / "celery"), "-A", "ogp_portal", "worker", "--pool=solo", "-l", "info"]
            + ["-Q", self.queue, "-n", f"{self.queue}-{name}@%h", "--without-heartbeat"]
            + ["--without-gossip", "--without-mingle"],
        )

    def beat(self):
        return self.start(
            "beat",
            [str(BIN / "celery"), "-A", "ogp_portal", "beat", "-l", "info"]
            + ["--schedule", str(self.folder / "beat-schedule")],
        )

    def logs(self):
        return "\n".join(
            f"--- {name}\n{(self.folder / f'{name}.log').read_text()[-6000:]}"
            for name in self.running
        )

    def stop(self):
        for process, _log in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process, log in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture
def stack(tmp_path):
    processes = Processes(tmp_path)
    try:
        yield processes
    finally:
        processes.stop()


def admin_connection(dbname=None):
    """A connection of the test's own (to its own database by default), beside Django's."""
    db = connection.settings_dict
    link = psycopg2.connect(
        dbname=dbname or db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    link.autocommit = True
    return link


def indicator_of(milestone):
    row = CommitmentIndicator.objects.filter(commitment_id=milestone.commitment_id).first()
    return row and row.completion_percent


def stale(milestones):
    """Commitments whose stored completion is not their one milestone's percent now."""
    return {
        m.commitment_id
        for m in Milestone.objects.filter(pk__in=[m.pk for m in milestones])
        if indicator_of(m) != m.percent_complete
        or RecomputeRequest.objects.filter(commitment_id=m.commitment_id).exists()
    }


def test_two_web_processes_a_worker_and_beat_survive_a_killed_worker_and_a_lost_database(
    stack,
):
    (editor, first), (_other, second) = editors_with_a_milestone_each(2)
    token = Token.objects.create(user=editor).key
    recompute_commitments(commitment_ids=[first.commitment_id, second.commitment_id])
    web_a, web_b = stack.web("web-a"), stack.web("web-b")
    stack.worker("worker-1")
    stack.beat()
    for web in (web_a, web_b):
        wait_for(lambda web=web: call("GET", f"{web}/healthz")[0] == 200, "web up", stack)

    # 1. An edit through web A is visible through web B (which had the old answer cached).
    url_b = f"{web_b}/api/v1/milestones/{first.pk}/"
    assert call("GET", url_b)[1]["percent_complete"] == first.percent_complete
    status, body = call(
        "PATCH",
        f"{web_a}/api/v1/milestones/{first.pk}/",
        token=token,
        body={"percent_complete": 60, "status": "in_progress"},
        headers={"If-Match": '"1"'},
    )
    assert status == 200, body
    assert call("GET", url_b)[1]["percent_complete"] == 60
    wait_for(lambda: indicator_of(first) == 60, "the worker recomputed the edit", stack)

    # 2. SIGKILL to the worker in the middle of a recompute; a new worker and the sweep heal.
    blocker = admin_connection()
    try:
        with blocker.cursor() as cursor:
            # Session-level, outside a transaction: each check below sees fresh activity.
            cursor.execute("SELECT pg_advisory_lock(%s)", [RECOMPUTE_LOCK_KEY])
        status, body = call(
            "PATCH",
            f"{web_b}/api/v1/milestones/{second.pk}/",
            token=token,
            body={"percent_complete": 70, "status": "in_progress"},
            headers={"If-Match": '"1"'},
        )
        assert status == 200, body

        def worker_waits_inside_a_recompute():
            with blocker.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                    "WHERE l.locktype = 'advisory' AND NOT l.granted "
                    "AND a.application_name = 'ogp-stack-worker-1'"
                )
                return cursor.fetchone()[0] == 1

        wait_for(worker_waits_inside_a_recompute, "the worker started the recompute", stack)
        worker, _log = stack.running["worker-1"]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        blocker.close()  # releases the lock
    assert stale([first, second]) == {second.commitment_id}, "the killed recompute left nothing"
    stack.worker("worker-2")
    wait_for(lambda: not stale([first, second]), "the sweep healed every indicator", stack)
    assert RecomputeRequest.objects.count() == 0

    # 3. Web A loses the database: 503 and nothing written; back when the database returns.
    database = connection.settings_dict["NAME"]
    # PostgreSQL refuses ALTER DATABASE ... ALLOW_CONNECTIONS from inside that database.
    admin = admin_connection("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = 'ogp-stack-web-a'",
                [database],
            )
        page = call("GET", f"{web_a}/compromisos/")
        api = call("GET", f"{web_a}/api/v1/commitments/")
        write = call(
            "PATCH",
            f"{web_a}/api/v1/milestones/{first.pk}/",
            token=token,
            body={"percent_complete": 90},
            headers={"If-Match": '"2"'},
        )
        health = call("GET", f"{web_a}/healthz")
        served_by_b = call("GET", url_b)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')
        admin.close()
    assert page[0] == 503 and "Servicio no disponible" in page[1]
    assert api[0] == 503 and "base de datos" in api[1]["detail"]
    assert write[0] == 503
    assert health[0] == 503 and health[1]["database"].startswith("error")
    assert served_by_b[0] == 200, "web B kept its connection and kept serving"
    first.refresh_from_db()
    assert (first.version, first.percent_complete) == (2, 60), "nothing half-written"
    assert first.history.count() == 2

    assert call("GET", f"{web_a}/api/v1/commitments/")[0] == 200
    status, body = call(
        "PATCH",
        f"{web_a}/api/v1/milestones/{first.pk}/",
        token=token,
        body={"percent_complete": 90},
        headers={"If-Match": '"2"'},
    )
    assert status == 200, body
    wait_for(lambda: not stale([first, second]), "the recompute after recovery", stack)
