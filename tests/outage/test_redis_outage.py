"""Redis down or gone: every write is stored and answered, reads work, limits still hold.

Redis is really unreachable here, two ways: a port nobody listens on, and a
redis-server this test starts, uses and shuts down. Celery sends as in production
(not eager), so every save meets the dead broker after its commit; the outbox and
the sweep heal the indicators once Redis is back.
"""

import logging
import os
import socket

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.models import Milestone
from indicators.models import CommitmentIndicator, RecomputeRequest
from indicators.tasks import sweep_pending_recomputes
from ogp_portal.resilience import BROKER, CACHE
from tests.commitments.worlds import build_world, progress_data

from .editors import editors_save_at_once, editors_with_a_milestone_each
from .redis_down import CLOSED_PORT, HAS_REDIS_SERVER, RedisServer, redis_at

EDITORS = 20
# A few seconds here; bench/outage/run.py sets 60 and reports the figures.
SECONDS = float(os.getenv("OUTAGE_EDITOR_SECONDS", "3"))


def figures(label, runs):
    """One line of figures, which bench/outage/run.py reports (pytest -s)."""
    latencies = sorted(latency for run in runs for latency in run.latencies)
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0
    print(
        f"\n{label} editors={len(runs)} seconds={SECONDS:g} "
        f"saves={sum(run.saves for run in runs)} requests={len(latencies)} "
        f"p50={latencies[len(latencies) // 2] if latencies else 0:.3f}s p99={p99:.3f}s "
        f"slowest={latencies[-1] if latencies else 0:.3f}s "
        f"over_2s={sum(x > 2 for x in latencies)}"
    )


@pytest.fixture
def stopped_redis():
    """A redis-server that answered once, then was shut down; restartable by the test."""
    if not HAS_REDIS_SERVER:
        pytest.skip("needs redis-server (apt-get install -y redis-server)")
    server = RedisServer()
    server.start()
    try:
        with redis_at(server.url):
            cache.set("before-the-outage", "ok", 60)
            assert cache.get("before-the-outage") == "ok"  # the pool holds a live connection
            if os.getenv("OUTAGE_BASELINE"):  # the bench: the same load with Redis up
                figures(
                    "BASELINE-FIGURES", editors_save_at_once(baseline_editors(), seconds=SECONDS)
                )
            server.stop()
            yield server
    finally:
        server.stop()


@pytest.fixture
def closed_port():
    with redis_at(f"redis://127.0.0.1:{CLOSED_PORT}/0"):
        yield


@pytest.fixture
def silent_redis():
    """Up but never answering (a hung server, a dropped route): connections open, replies
    never come; every call ends at the socket timeout, and the breaker pays it once."""
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(128)
        before = CACHE.failures + BROKER.failures
        with redis_at(f"redis://127.0.0.1:{hole.getsockname()[1]}/0"):
            yield
        paid = CACHE.failures + BROKER.failures - before
        assert paid == 1, "the socket timeout is paid once per outage window, not per call"


@pytest.fixture(params=["closed_port", "stopped_redis", "silent_redis"])
def redis_unreachable(request):
    return request.getfixturevalue(request.param)


def baseline_editors():
    return editors_with_a_milestone_each(EDITORS, prefix="B")


def stale_indicators(milestones):
    """Commitments whose stored completion is not what their one milestone now says."""
    expected = {
        m.commitment_id: m.percent_complete
        for m in Milestone.objects.filter(pk__in=[m.pk for m in milestones])
    }
    stored = dict(
        CommitmentIndicator.objects.filter(commitment_id__in=expected).values_list(
            "commitment_id", "completion_percent"
        )
    )
    return {pk for pk, percent in expected.items() if stored.get(pk) != percent}


@pytest.mark.django_db(transaction=True)
def test_twenty_editors_save_through_an_outage_and_the_sweep_heals_every_indicator(
    stopped_redis, caplog
):
    pairs = editors_with_a_milestone_each(EDITORS)
    milestones = [milestone for _user, milestone in pairs]

    with caplog.at_level(logging.WARNING, logger="ogp_portal.degraded"):
        runs = editors_save_at_once(pairs, seconds=SECONDS)

    figures("OUTAGE-FIGURES", runs)
    assert [run.errors for run in runs] == [[] for _ in runs]
    answered = [status for run in runs for status in run.statuses]
    assert answered and set(answered) == {302}, "every save answered with its redirect"
    for (_user, milestone), run in zip(pairs, runs, strict=True):
        milestone.refresh_from_db()
        assert run.saves > 0
        assert milestone.version == 1 + run.saves, "every answered save is stored"
        assert milestone.percent_complete == run.last_percent
        assert milestone.history.count() == 1 + run.saves
    marked = RecomputeRequest.objects.filter(
        commitment_id__in=[m.commitment_id for m in milestones]
    )
    assert marked.count() == EDITORS, "each commitment left marked"
    assert stale_indicators(milestones) == {m.commitment_id for m in milestones}
    assert CACHE.failures + BROKER.failures >= 1
    assert "unavailable" in caplog.text and "degrading for 5 s" in caplog.text

    stopped_redis.start()  # Redis is back; the beat sweep runs
    BROKER.reset()
    CACHE.reset()
    sweep_pending_recomputes.apply()

    assert RecomputeRequest.objects.count() == 0
    assert stale_indicators(milestones) == set()


@pytest.mark.django_db
def test_a_progress_save_is_stored_and_answered_when_redis_is_unreachable(
    redis_unreachable, django_capture_on_commit_callbacks
):
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    client = Client()
    client.force_login(world.users["lead_editor"])
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, progress_data(milestone, percent_complete=70))

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.percent_complete, milestone.version) == (70, 2)
    assert RecomputeRequest.objects.filter(commitment_id=milestone.commitment_id).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200


@pytest.mark.django_db
def test_the_api_reads_and_writes_without_redis(redis_unreachable):
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    editor = APIClient()
    editor.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['lead_editor']).key}"
    )

    reads = [APIClient().get("/api/v1/commitments/") for _ in range(3)]
    write = editor.patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"percent_complete": 55},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert [read.status_code for read in reads] == [200, 200, 200]
    assert {row["code"] for row in reads[0].json()["results"]} >= {"MX9001", "MX9002"}
    assert write.status_code == 200, write.content
    milestone.refresh_from_db()
    assert milestone.percent_complete == 55
    fresh = APIClient().get(f"/api/v1/milestones/{milestone.pk}/")
    assert fresh.json()["percent_complete"] == 55, "no stale cached answer after the write"


@pytest.mark.django_db
def test_the_fairness_throttle_lets_requests_through_while_redis_is_down(closed_port, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        statuses = [APIClient().get("/api/v1/states/").status_code for _ in range(4)]
    finally:
        api_settings.reload()

    # Policy: throttles serve fairness, not security; without their counters they allow.
    assert statuses == [200, 200, 200, 200]
    assert CACHE.skipped > 0, "the throttle did not wait on Redis for every request"


@pytest.mark.django_db
def test_the_comment_limit_still_holds_counting_stored_comments(redis_unreachable, settings):
    settings.REVIEW_RATE_LIMITS = {**settings.REVIEW_RATE_LIMITS, "comment": (2, 600)}
    world = build_world()
    client = Client()
    client.force_login(world.users["reviewer"])
    url = reverse("reviews:comment_create", args=["compromiso", world.national_commitment.code])

    statuses = [client.post(url, {"body": f"Comentario {n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert world.national_commitment.comments.count() == 2


@pytest.mark.django_db
def test_healthz_says_redis_is_unavailable_and_still_answers_200(redis_unreachable):
    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert (body["database"], body["cache"], body["redis"]) == ("ok", "unavailable", "unavailable")
    assert body["redis_failures"]["cache"] >= 1


@pytest.mark.django_db
def test_a_failing_after_commit_hook_does_not_cancel_the_hooks_after_it(
    settings, django_capture_on_commit_callbacks
):
    # The plain Redis backend raises on every call; the response-cache bump runs first.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        }
    }
    settings.API_RESPONSE_CACHE_SECONDS = 0
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    client = Client()
    client.force_login(world.users["lead_editor"])
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])

    with django_capture_on_commit_callbacks(execute=True) as hooks:
        response = client.post(url, progress_data(milestone, percent_complete=80))

    assert response.status_code == 302
    assert len(hooks) >= 2
    # The recompute hook (eager here) ran after the failed cache bump.
    indicator = CommitmentIndicator.objects.get(commitment_id=milestone.commitment_id)
    assert indicator.completion_percent == 40  # two milestones: 80 and not reported yet
    assert not RecomputeRequest.objects.filter(commitment_id=milestone.commitment_id).exists()
