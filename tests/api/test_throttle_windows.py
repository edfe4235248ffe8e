"""The API's fairness throttle decides like its documented rate, at the window's edges.

A rate of 3/minute: a request is allowed while this minute's count plus the previous
minute's count, weighted by the share of it still inside the sliding minute, leaves room
for it. Each story runs on local memory (the embedded portal) and on a real Redis.
"""

import math
import uuid

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import BaseThrottle

from api.v1.response_cache import GENERATION_KEY
from api.v1.throttling import (
    AnonRateThrottle,
    SlidingWindowCounterMixin,
    UserRateThrottle,
    check_all,
)

WINDOW = 60.0
START = 1000 * WINDOW  # the first second of a window


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request, settings):
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"},
    }


class Client:
    """One address asking at the instants a test chooses."""

    def __init__(self, rf):
        self.rf = rf
        self.address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"
        self.throttle = None

    def ask(self, at):
        request = self.rf.get("/api/v1/states/", REMOTE_ADDR=self.address)
        request.user = None
        self.throttle = AnonRateThrottle()
        self.throttle.timer = lambda: at
        return self.throttle.allow_request(request, None)


@pytest.mark.usefixtures("three_a_minute")
def test_just_under_at_and_just_over_the_limit(backend, rf):
    client = Client(rf)
    assert client.ask(START) is True  # 1
    assert client.ask(START + 1) is True  # 2: just under
    assert client.ask(START + 2) is True  # 3: at the limit
    assert client.ask(START + 3) is False  # 4: just over
    assert client.ask(START + 59.9) is False  # still in the same minute


@pytest.mark.usefixtures("three_a_minute")
def test_the_previous_window_weighs_by_its_share_still_inside(backend, rf):
    client = Client(rf)
    for second in (0, 1, 2):
        assert client.ask(START + second)
    # Next minute, 19.9 s in: 3 × (40.1 / 60) = 2.005 requests still count, no room.
    assert client.ask(START + WINDOW + 19.9) is False
    # 21 s in: 3 × (39 / 60) = 1.95, room for one.
    assert client.ask(START + WINDOW + 21) is True
    assert client.ask(START + WINDOW + 22) is False
    # Two minutes later nothing of the first minute counts: the full rate again.
    assert [client.ask(START + 3 * WINDOW + s) for s in (0, 1, 2, 3)] == [True] * 3 + [False]


@pytest.mark.usefixtures("three_a_minute")
def test_refused_requests_do_not_count(backend, rf):
    client = Client(rf)
    for second in (0, 1, 2):
        assert client.ask(START + second)
    for second in range(3, 60):
        assert client.ask(START + second) is False
    # Only the 3 allowed requests weigh in the next minute (as above), not the 60 asked.
    assert client.ask(START + WINDOW + 21) is True


@pytest.mark.usefixtures("three_a_minute")
def test_retry_after_is_when_room_appears(backend, rf):
    client = Client(rf)
    for second in (0, 1, 2):
        client.ask(START + second)
    assert client.ask(START + 3) is False
    # This minute is full; next minute the 3 weigh until 20 s into it: 57 + 20 s.
    assert client.throttle.wait() == pytest.approx(77.0)
    assert client.ask(START + 3 + 77 - 0.5) is False
    assert client.ask(START + 3 + 77 + 0.01) is True
    assert client.ask(START + WINDOW + 20.5) is False
    # Refused with room appearing inside this minute: 1 allowed + 3 × share ≤ 2 at 40 s.
    assert client.throttle.wait() == pytest.approx(40.0 - 20.5)


def test_the_429_answer_carries_retry_after_in_whole_seconds(
    backend, three_a_minute, db, monkeypatch
):
    monkeypatch.setattr(
        SlidingWindowCounterMixin, "timer", staticmethod(lambda: START + 3.5), raising=False
    )
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.8"
    api = APIClient()
    statuses = [api.get("/api/v1/states/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/states/", REMOTE_ADDR=address)
    assert response.status_code == 429
    # 56.5 s left of this minute, then 20 s of the next one.
    assert response["Retry-After"] == str(math.ceil(56.5 + 20))


def test_a_high_rate_keeps_two_integers_not_a_history(backend, settings, rf):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    client = Client(rf)
    for n in range(500):
        assert client.ask(START + n / 100)
    key = AnonRateThrottle().cache_format % {"scope": "anon", "ident": client.address}
    # What a request moves through the cache does not grow with the rate.
    assert caches["default"].get(f"{key}_{int(START // WINDOW)}") == 500


def test_every_throttle_in_one_call_decides_as_each_would_alone(backend, settings, rf):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    caches["default"].set(GENERATION_KEY, 42, timeout=None)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    refused_scopes = []
    for second in range(7):
        request = rf.get("/api/v1/states/", REMOTE_ADDR=address)
        request.user = None
        throttles = [AnonRateThrottle(), UserRateThrottle()]
        for throttle in throttles:
            throttle.timer = lambda at=START + second: at
        refused, read = check_all(throttles, request, None, also_read=(GENERATION_KEY, "absent"))
        refused_scopes.append([throttle.scope for throttle in refused])
        # Redis reads the keys in the same round trip; local memory leaves it to the caller.
        assert read == ({GENERATION_KEY: 42, "absent": None} if backend == "redis" else None)
    # The anonymous limit first, then the per-client one: each counts on its own.
    assert refused_scopes == [[], [], [], ["anon"], ["anon"], ["anon", "user"], ["anon", "user"]]
    assert refused[0].wait() == pytest.approx(WINDOW - 6 + WINDOW * (1 - 2 / 3))


@pytest.mark.redis
def test_a_cached_api_hit_makes_one_round_trip_to_redis(settings, db, monkeypatch):
    import redis.connection

    settings.API_RESPONSE_CACHE_SECONDS = 60
    caches["default"].clear()
    api = APIClient()
    assert api.get("/api/v1/states/").status_code == 200  # computed, then cached
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command
    monkeypatch.setattr(
        redis.connection.AbstractConnection,
        "send_packed_command",
        lambda self, command, **kwargs: sent.append(command) or send(self, command, **kwargs),
    )
    response = api.get("/api/v1/states/")
    assert response.status_code == 200
    assert len(sent) == 1  # the throttles' windows and the data generation, one script


@pytest.mark.redis
@pytest.mark.usefixtures("three_a_minute")
def test_the_throttles_script_survives_a_flushed_script_cache_and_a_dropped_connection(rf):
    """run_script's own connection: EVAL when Redis forgot the script, reconnect when the
    server closed the connection (a restart, an idle timeout), and still decide."""
    cache = caches["default"]
    cache.clear()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.5"

    def ask():
        request = rf.get("/api/v1/states/", REMOTE_ADDR=address)
        request.user = None
        throttle = AnonRateThrottle()
        throttle.timer = lambda: START
        refused, _read = check_all([throttle], request, None)
        return not refused

    admin = cache._cache.get_client(write=True)
    assert ask()
    admin.script_flush()
    assert ask()  # NOSCRIPT: the script is sent whole, counted once
    host, port = cache._cache._local.connection._sock.getsockname()[:2]
    assert admin.client_kill_filter(addr=f"{host}:{port}") == 1
    assert ask()  # the closed connection is reopened, the request counted
    assert not ask()  # 3 counted: the fourth is refused


@pytest.mark.redis
def test_read_values_come_back_whole_whatever_their_bytes(rf):
    """The script's one-string answer carries binary values (newlines, digits, '-')."""
    cache = caches["default"]
    cache.clear()
    values = {"text": "x\n-\n12\nfin", "number": 7, "dash": "-", "empty": ""}
    for key, value in values.items():
        cache.set(key, value)
    request = rf.get("/api/v1/states/", REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.0.3")
    request.user = None
    refused, read = check_all([], request, None, also_read=(*values, "absent"))
    assert refused == []
    assert read == {**values, "absent": None}


@pytest.mark.parametrize("num_proxies", [None, 0, 1, 2])
@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "203.0.113.7", "203.0.113.7, 10.0.0.1", " 203.0.113.7 ,10.0.0.1 , 10.0.0.2"],
)
def test_a_client_is_told_apart_as_drf_tells_it(settings, num_proxies, forwarded_for):
    """get_ident reads X-Forwarded-For from META, not request.headers: same client key."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = APIRequestFactory().get("/api/v1/commitments/", REMOTE_ADDR="198.51.100.4", **extra)
    expected = BaseThrottle().get_ident(request)
    assert AnonRateThrottle().get_ident(request) == expected
    assert UserRateThrottle().get_ident(request) == expected
