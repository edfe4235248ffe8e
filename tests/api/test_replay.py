"""A cached anonymous answer is given again, whole, before the middleware: as the full path.

api.v1.replay remembers the complete answer (status, every header, body) the whole stack
gave to a request that ListResource.cached_hit served, and gives it to the same request
again without the middleware, the URL resolver or the view: still counted by the
throttles and checked against the data generation in one round trip. Its answers must be
the full path's; anything it cannot vouch for takes the full path, counted once.
Each story runs on local memory and on a real Redis.
"""

import datetime

import pytest
from django.http import HttpResponse

from api.v1 import replay
from api.v1.resources.base import ListResource
from ogp_portal import outbox
from ogp_portal.resilience import CACHE
from tests.api.conftest import fresh_address
from tests.api.test_short_hit import ASKED, URLS, assert_same
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


class Served:
    """How each request was answered: 'replay', 'short' (cached_hit) or 'full'; and a
    switch that turns the replay off, to ask the full path the same question."""

    def __init__(self):
        self.replay = True
        self.how = []


@pytest.fixture
def served(monkeypatch):
    served = Served()
    replayed = replay.replay
    cached_hit = ListResource.cached_hit

    def maybe_replay(recording, request):
        if not served.replay:
            return None
        response = replayed(recording, request)
        if response is not None:
            served.how.append("replay")
        return response

    def noted_cached_hit(view, request, kwargs):
        response = cached_hit(view, request, kwargs)
        served.how.append("full" if response is None else "short")
        return response

    monkeypatch.setattr(replay, "replay", maybe_replay)
    monkeypatch.setattr(ListResource, "cached_hit", noted_cached_hit)
    return served


def ask(api, served, url, *, replayed=True, **headers):
    """(response, how it was answered)."""
    served.replay = replayed
    before = len(served.how)
    response = api.get(url, **headers)
    served.replay = True
    how = served.how[before:]
    return response, how[0] if how else "other"


@pytest.fixture
def data():
    CommitmentFactory(code="SH-1", title_es="Primero")  # the codes URLS name
    CommitmentFactory(code="SH-2", title_es="Segundo")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("headers", ASKED)
def test_a_replayed_answer_is_the_full_paths(api, cache_on, data, served, url, headers):
    assert ask(api, served, url, **headers)[1] == "full"  # a miss: computed, cached
    short, how = ask(api, served, url, **headers)
    assert how == "short"  # recorded on its way out
    again, how = ask(api, served, url, **headers)
    assert how == "replay"
    full, how = ask(api, served, url, replayed=False, **headers)
    assert how == "short"
    assert_same(again, short)
    assert_same(again, full)
    for name in ("ETag", "Vary", "Allow", "Content-Type", "Content-Security-Policy"):
        assert again[name], name


def test_any_other_header_is_another_request(api, cache_on, data, served):
    """The answer depends on what the middleware reads (here Accept-Language): a request
    that differs in any header but the client's address is answered by the full path
    first, then replayed as its own."""
    url = "/api/v1/commitments/"
    spanish = [ask(api, served, url, HTTP_ACCEPT_LANGUAGE="es-MX")[1] for _ in range(2)]
    assert spanish == ["full", "short"]  # computed, then served from the cache: recorded
    # The same cached body, but not the Spanish answer: the stack runs, and is recorded.
    english = [ask(api, served, url, HTTP_ACCEPT_LANGUAGE="en")[1] for _ in range(2)]
    assert english == ["short", "replay"]
    spanish, how = ask(api, served, url, HTTP_ACCEPT_LANGUAGE="es-MX")
    assert how == "replay"
    english, how = ask(api, served, url, HTTP_ACCEPT_LANGUAGE="en")
    assert how == "replay"
    assert (spanish["Content-Language"], english["Content-Language"]) == ("es-mx", "en")
    for language, answer in (("es-MX", spanish), ("en", english)):
        assert_same(answer, ask(api, served, url, replayed=False, HTTP_ACCEPT_LANGUAGE=language)[0])
    assert ask(api, served, url, HTTP_ACCEPT_LANGUAGE="fr")[1] == "short"
    assert ask(api, served, url, HTTP_X_CUSTOM="1")[1] == "short"


def test_credentials_and_conditions_are_never_replayed(api, cache_on, data, served):
    url = "/api/v1/commitments/"
    ask(api, served, url)
    cached, how = ask(api, served, url)
    assert how == "short"
    assert ask(api, served, url)[1] == "replay"
    for headers in (
        {"HTTP_COOKIE": "sessionid=no-such-session"},
        {"HTTP_AUTHORIZATION": "Token nope"},
        {"HTTP_IF_NONE_MATCH": cached["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": "Wed, 21 Oct 2015 07:28:00 GMT"},
    ):
        for _ in range(3):
            assert ask(api, served, url, **headers)[1] != "replay", headers
    assert api.head(url).status_code == 200  # not a GET: the full path
    assert served.how[-1] != "replay"


def test_each_client_is_counted_once_a_request(api, cache_on, data, served, rates):
    """Clients that differ only by address share the recording, and each is counted by
    both rates; a refusal is the full path's 429, and the request is not counted twice."""
    rates("3/minute", "1000/minute")
    url = "/api/v1/commitments/?page_size=2"
    ask(api, served, url)
    ask(api, served, url)  # recorded
    answers = []
    for forwarded in (False, True):
        address = fresh_address()
        where = {"HTTP_X_FORWARDED_FOR": address} if forwarded else {"REMOTE_ADDR": address}
        answers.append([ask(api, served, url, **where) for _ in range(4)])
    for answered in answers:
        assert [response.status_code for response, _how in answered] == [200, 200, 200, 429]
        assert [how for _response, how in answered[:3]] == ["replay"] * 3
        refused = answered[3][0]
        assert int(refused["Retry-After"]) > 0
    address = fresh_address()
    for _ in range(3):
        ask(api, served, url, replayed=False, REMOTE_ADDR=address)
    full_429 = ask(api, served, url, replayed=False, REMOTE_ADDR=address)[0]
    assert full_429.status_code == 429
    assert_same(answers[0][3][0], full_429, except_headers=["Retry-After"])

    rates("1000/minute", "2/minute")  # the user rate counts anonymous clients too
    address = fresh_address()
    statuses = [ask(api, served, url, REMOTE_ADDR=address)[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_write_is_seen_by_the_next_request(
    api, cache_on, served, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(code="RP-3", title_es="Antes")
    url = "/api/v1/commitments/"
    ask(api, served, url)
    ask(api, served, url)
    before, how = ask(api, served, url)
    assert how == "replay"
    with django_capture_on_commit_callbacks(execute=True):
        commitment.title_es = "Después"
        commitment.save()
        outbox.data_changed()
    after, how = ask(api, served, url)
    assert how == "full"  # the generation moved: a miss, computed
    assert [row["title_es"] for row in after.json()["results"]] == ["Después"]
    assert after["ETag"] != before["ETag"]
    assert ask(api, served, url)[1] == "short"
    assert ask(api, served, url)[1] == "replay"


def test_never_older_than_the_cached_body_nor_across_midnight(
    api, cache_on, data, served, settings, monkeypatch
):
    url = "/api/v1/commitments/"
    ask(api, served, url)
    ask(api, served, url)
    assert ask(api, served, url)[1] == "replay"

    localdate = replay.timezone.localdate
    tomorrow = localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(replay.timezone, "localdate", lambda: tomorrow)
    assert ask(api, served, url)[1] == "full"  # a new day: a new key, computed
    monkeypatch.setattr(replay.timezone, "localdate", localdate)
    assert ask(api, served, url)[1] == "replay"  # today's answer, still today's

    [recording] = replay._recordings.values()
    later = recording.served.expires + 1
    monkeypatch.setattr(replay.time, "monotonic", lambda: later)
    assert ask(api, served, url)[1] != "replay"
    monkeypatch.setattr(replay.time, "monotonic", lambda: later - 2)
    assert ask(api, served, url)[1] == "replay"

    settings.API_RESPONSE_CACHE_SECONDS = 0
    assert ask(api, served, url)[1] == "full"


def test_without_the_shared_cache_nothing_is_replayed(api, cache_on, data, served, monkeypatch):
    if cache_on != "redis":
        pytest.skip("local memory has no outage")
    url = "/api/v1/commitments/"
    ask(api, served, url)
    cached, _how = ask(api, served, url)
    monkeypatch.setattr(CACHE, "available", lambda: False)  # the breaker open
    response, how = ask(api, served, url)
    assert how == "full"  # no generation to trust: a miss, computed
    assert_same(response, cached)


def test_an_answer_for_one_request_is_never_recorded(rf):
    """A cookie set, or a CSP nonce made, belong to the request they were made for."""
    request = rf.get("/api/v1/commitments/")
    request.api_served = replay.Served((), 1, datetime.date(2026, 11, 30), 10.0**9)
    signature = replay.signature_of(request)
    assert signature is not None

    with_cookie = HttpResponse(b"{}", content_type="application/json")
    with_cookie.set_cookie("csrftoken", "x")
    replay.forget_all()
    replay.record(signature, request, with_cookie)
    assert not replay._recordings

    class Nonce:
        def __bool__(self):
            return True

    request._csp_nonce = Nonce()
    replay.record(signature, request, HttpResponse(b"{}", content_type="application/json"))
    assert not replay._recordings

    del request._csp_nonce
    replay.record(signature, request, HttpResponse(b"{}", content_type="application/json"))
    assert list(replay._recordings) == [signature]
    replay.forget_all()


def test_the_recordings_are_bounded(rf, monkeypatch):
    monkeypatch.setattr(replay, "RECORDINGS", 3)
    replay.forget_all()
    served = replay.Served((), 1, datetime.date(2026, 11, 30), 10.0**9)
    for n in range(5):
        request = rf.get(f"/api/v1/commitments/?page={n + 1}")
        request.api_served = served
        replay.record(replay.signature_of(request), request, HttpResponse(b"{}"))
    assert [signature[1] for signature in replay._recordings] == ["page=3", "page=4", "page=5"]
    replay.forget_all()


def test_only_plain_api_gets_have_a_signature(rf):
    assert replay.signature_of(rf.get("/compromisos/")) is None
    assert replay.signature_of(rf.post("/api/v1/commitments/")) is None
    assert replay.signature_of(rf.get("/api/v1/commitments/", HTTP_COOKIE="a=b")) is None
    one = replay.signature_of(rf.get("/api/v1/commitments/", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    other = replay.signature_of(rf.get("/api/v1/commitments/", HTTP_X_FORWARDED_FOR="5.6.7.8"))
    assert one == other
    assert one != replay.signature_of(rf.get("/api/v1/commitments/", HTTP_ACCEPT="*/*"))
    assert one != replay.signature_of(rf.get("/api/v1/commitments/?page=2"))
    assert one != replay.signature_of(rf.get("/api/v1/commitments/", secure=True))


def test_the_replay_runs_before_every_other_middleware(settings):
    """It gives the answer every other middleware already shaped: none may run before it."""
    assert settings.MIDDLEWARE[0] == "api.v1.replay.replay_cached_api_answers"
