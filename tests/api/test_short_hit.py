"""A cached anonymous GET is answered before DRF builds its Request, exactly as the full path.

ListResource.cached_hit answers a plain anonymous GET (no Authorization header, no session
cookie, a format the negotiation memo knows) from the response cache without DRF's Request,
authenticators or permissions; the throttles are counted once, in the same round trip. Its
responses must be the full path's: status, every header, body, the 304s and the 429s.
Anything else takes the full path. Each story runs on local memory and on a real Redis.
"""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

from api.v1 import replay
from api.v1.resources.base import ListResource
from ogp_portal import outbox
from ogp_portal.resilience import CACHE
from tests.api.conftest import fresh_address
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


class Paths:
    """Which requests DRF built a Request for, and a switch to turn the short path off."""

    def __init__(self):
        self.short = True
        self.built = []


@pytest.fixture
def paths(monkeypatch):
    paths = Paths()
    cached_hit = ListResource.cached_hit
    initialize_request = ListResource.initialize_request

    def maybe_cached_hit(view, request, kwargs):
        return cached_hit(view, request, kwargs) if paths.short else None

    def maybe_replay(recording, request):  # the replay of a short hit's answer: short too
        return replayed(recording, request) if paths.short else None

    def counted_initialize_request(view, request, *args, **kwargs):
        paths.built.append(request.get_full_path())
        return initialize_request(view, request, *args, **kwargs)

    replayed = replay.replay
    monkeypatch.setattr(replay, "replay", maybe_replay)
    monkeypatch.setattr(ListResource, "cached_hit", maybe_cached_hit)
    monkeypatch.setattr(ListResource, "initialize_request", counted_initialize_request)
    return paths


def get(api, paths, url, *, short=True, **headers):
    """(response, whether DRF built a Request for it)."""
    paths.short = short
    before = len(paths.built)
    response = api.get(url, **headers)
    paths.short = True
    return response, len(paths.built) > before


def assert_same(one, other, *, except_headers=()):
    assert one.status_code == other.status_code
    assert one.content == other.content
    drop = {name.lower() for name in except_headers}
    assert {k: v for k, v in one.headers.items() if k.lower() not in drop} == {
        k: v for k, v in other.headers.items() if k.lower() not in drop
    }


@pytest.fixture
def data():
    CommitmentFactory(code="SH-1", title_es="Primero")
    CommitmentFactory(code="SH-2", title_es="Segundo")


URLS = [
    "/api/v1/commitments/",
    "/api/v1/commitments/?page_size=1&page=2",
    "/api/v1/commitments/SH-1/",
    "/api/v1/milestones/",
    "/api/v1/action-plans/",
    "/api/v1/institutions/",
    "/api/v1/progress-history/",
]
ASKED = [
    {},
    {"HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT": "text/html, application/json;q=0.9"},
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("headers", ASKED)
def test_a_short_hit_answers_as_the_full_path(api, cache_on, data, paths, url, headers):
    computed, built = get(api, paths, url, **headers)
    assert computed.status_code == 200
    assert built  # a miss: computed by the full path, and cached
    short, built = get(api, paths, url, **headers)
    assert not built
    full, built = get(api, paths, url, short=False, **headers)
    assert built
    assert_same(short, computed)
    assert_same(short, full)
    for name in ("ETag", "Vary", "Allow", "Content-Type", "Content-Length"):
        assert short[name], name

    current = {"HTTP_IF_NONE_MATCH": short["ETag"], **headers}
    short_304, built = get(api, paths, url, **current)
    assert short_304.status_code == 304
    assert not built
    assert_same(short_304, get(api, paths, url, short=False, **current)[0])
    if short.has_header("Last-Modified"):
        since = {"HTTP_IF_MODIFIED_SINCE": short["Last-Modified"], **headers}
        short_304, built = get(api, paths, url, **since)
        assert short_304.status_code == 304
        assert not built
        assert_same(short_304, get(api, paths, url, short=False, **since)[0])


def test_the_format_parameter_and_the_memo(api, cache_on, data, paths):
    """?format=json is a short hit once cached; CSV is never cached; an Accept header the
    negotiation memo does not know yet takes the full path (and is remembered by it)."""
    url = "/api/v1/commitments/?format=json"
    get(api, paths, url)
    short, built = get(api, paths, url)
    assert not built
    assert_same(short, get(api, paths, url, short=False)[0])

    url = "/api/v1/commitments/?format=csv"
    first, _built = get(api, paths, url)
    again, built = get(api, paths, url)
    assert built
    assert again["Content-Type"] == first["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(again.streaming_content) == b"".join(first.streaming_content)

    get(api, paths, "/api/v1/commitments/")  # cached as application/json
    accept = {"HTTP_ACCEPT": "application/*"}  # not yet in the memo
    assert get(api, paths, "/api/v1/commitments/", **accept)[1]
    assert not get(api, paths, "/api/v1/commitments/", **accept)[1]


def test_credentials_and_other_methods_take_the_full_path(
    api, cache_on, data, paths, django_user_model
):
    url = "/api/v1/commitments/"
    cached, _built = get(api, paths, url)
    user = django_user_model.objects.create_user(username=f"lector-{uuid.uuid4().hex[:8]}")
    token = Token.objects.create(user=user)
    asked = [
        {"HTTP_AUTHORIZATION": f"Token {token.key}"},
        {"HTTP_COOKIE": "sessionid=no-such-session"},
    ]
    for headers in asked:
        response, built = get(api, paths, url, **headers)
        assert built, headers
        assert response.status_code == 200
        assert response.content == cached.content
    assert api.head(url).status_code == 200
    assert paths.built[-1] == url
    assert get(api, paths, url, HTTP_AUTHORIZATION="Token nope")[0].status_code == 401

    api.force_login(user)  # a session cookie: the signed-in user's own throttle
    assert get(api, paths, url)[1]
    api.logout()
    api.force_authenticate(user)  # DRF's forced user: not anonymous either
    assert get(api, paths, url)[1]


def test_a_refused_client_gets_the_full_paths_429(api, cache_on, data, paths, rates):
    """Counted once per request: a miss that falls through to the full path is not counted
    again there; a refusal is the full path's 429 with its Retry-After."""
    rates("3/minute", "1000/minute")
    url = "/api/v1/commitments/"
    answers = {}
    for short in (True, False):
        address = fresh_address()
        # The first is a miss for this address's own query string.
        own = f"{url}?page_size={2 if short else 3}"
        statuses = [get(api, paths, own, short=short, REMOTE_ADDR=address)[0].status_code]
        statuses += [
            get(api, paths, own, short=short, REMOTE_ADDR=address)[0].status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 200, 429]
        answers[short] = get(api, paths, own, short=short, REMOTE_ADDR=address)[0]
    refused, full = answers[True], answers[False]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert abs(int(refused["Retry-After"]) - int(full["Retry-After"])) <= 1
    assert_same(refused, full, except_headers=["Retry-After"])
    assert get(api, paths, url, REMOTE_ADDR=fresh_address())[0].status_code == 200


def test_anonymous_requests_are_counted_by_both_rates(api, cache_on, data, paths, rates):
    """The user rate counts an anonymous client by address too, on the short path as on
    the full one."""
    rates("1000/minute", "2/minute")
    url = "/api/v1/commitments/"
    get(api, paths, url)
    address = fresh_address()
    statuses = [get(api, paths, url, REMOTE_ADDR=address)[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_write_between_two_requests_is_seen_by_the_next(
    api, cache_on, paths, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(code="SH-3", title_es="Antes")
    url = "/api/v1/commitments/"
    get(api, paths, url)
    before, built = get(api, paths, url)
    assert not built
    with django_capture_on_commit_callbacks(execute=True):
        commitment.title_es = "Después"
        commitment.save()
        outbox.data_changed()
    after, built = get(api, paths, url)
    assert built  # a miss: the generation moved
    assert [row["title_es"] for row in after.json()["results"]] == ["Después"]
    assert after["ETag"] != before["ETag"]
    assert not get(api, paths, url)[1]


def test_without_the_shared_cache_every_request_takes_the_full_path(
    api, cache_on, data, paths, monkeypatch
):
    if cache_on != "redis":
        pytest.skip("local memory has no outage")
    url = "/api/v1/commitments/"
    cached, _built = get(api, paths, url)
    monkeypatch.setattr(CACHE, "available", lambda: False)  # the breaker open
    response, built = get(api, paths, url)
    assert built  # no generation to trust: a miss, computed
    assert_same(response, cached)


def test_the_throttles_see_an_anonymous_user(api, cache_on, data, paths, monkeypatch):
    """The short path hands the throttles the Django request, whose user is anonymous as
    DRF's would be."""
    seen = []
    original = ListResource.get_throttles

    def get_throttles(view):
        throttles = original(view)
        seen.append(view.request.user)
        return throttles

    monkeypatch.setattr(ListResource, "get_throttles", get_throttles)
    get(api, paths, "/api/v1/commitments/")
    assert not get(api, paths, "/api/v1/commitments/")[1]
    assert all(isinstance(user, AnonymousUser) for user in seen)
