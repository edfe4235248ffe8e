"""End to end: a real Celery worker over Redis recomputes an indicator after an edit."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu import pools

from commitments.models import Milestone
from indicators.models import CommitmentIndicator, ScopeIndicator, ScopeKind
from indicators.outbox import request_recompute
from indicators.services import recompute_commitments
from ogp_portal.celery import app
from tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30


def url_of_the_test_database():
    """The URL of the database pytest is using right now (test_…), for another process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def reconnect_broker():
    """Drop pooled broker connections so the next send uses the broker_url now configured."""
    pools.reset()  # kombu's process-wide pools, keyed by URL (a closed one would be reused)
    app._after_fork()  # Celery's own reset of the app's references to them


@pytest.fixture
def celery_worker(transactional_db):
    """A worker subprocess on a queue of its own, and this process sending to it, not eager."""
    queue = f"test-indicators-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": url_of_the_test_database(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
    }
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "ogp_portal", "worker", "--pool=solo", "--concurrency=1"]
    command += ["-l", "warning", "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat"]
    saved = {
        key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    with tempfile.TemporaryFile(mode="w+") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        app.conf.update(
            task_always_eager=False, broker_url=settings.REDIS_URL, task_default_queue=queue
        )
        reconnect_broker()
        try:
            yield worker, log
        finally:
            app.conf.update(saved)
            reconnect_broker()
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_for(condition, worker, log):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"the worker did not recompute within {WAIT_SECONDS} s; its log:\n{log.read()}")


def test_a_real_worker_recomputes_the_indicator_after_a_committed_edit(celery_worker):
    worker, log = celery_worker
    milestone = MilestoneFactory(commitment=CommitmentFactory(), weight=2)
    recompute_commitments(commitment_ids=[milestone.commitment_id])  # the "before" picture

    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(
            percent_complete=60, status=Milestone.Status.IN_PROGRESS
        )
        request_recompute(commitment_id=milestone.commitment_id)

    indicator = CommitmentIndicator.objects.filter(commitment_id=milestone.commitment_id)
    wait_for(lambda: indicator.get().completion_percent == 60, worker, log)
    plan = ScopeIndicator.objects.get(
        scope_kind=ScopeKind.PLAN, scope_id=milestone.commitment.action_plan_id
    )
    assert plan.mean_completion == 60
    milestone.commitment.refresh_from_db()
    assert milestone.commitment.completion_percent == 60
