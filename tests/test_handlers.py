"""The portal's handlers resolve a URL once per process and answer as Django's would.

ogp_portal.handlers remembers successful URL matches (by language and path) on the
resolver itself; every request gets its own copy, a 404 is never remembered, and a new
URLconf starts afresh.
"""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import Resolver404, URLResolver, get_resolver
from django.utils import translation

from ogp_portal import handlers
from ogp_portal.handlers import PortalWSGIHandler, RememberedMatches, remembered_matches

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(monkeypatch):
    """The paths URLResolver.resolve was asked for at the root."""
    asked = []
    resolve = URLResolver.resolve

    def counted(resolver, path):
        if resolver is get_resolver():
            asked.append(path)
        return resolve(resolver, path)

    monkeypatch.setattr(URLResolver, "resolve", counted)
    get_resolver().__dict__.pop("_remembered_matches", None)
    yield asked
    get_resolver().__dict__.pop("_remembered_matches", None)


def call(handler, path, **extra):
    environ = RequestFactory().get(path, HTTP_HOST="testserver", **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    response = handler(environ, start_response)
    body = b"".join(response)
    response.close()
    return answer["status"], answer["headers"], body


PATHS = [
    "/",
    "/compromisos/",
    "/api/v1/commitments/",
    "/api/v1/commitments/NO-SUCH/",
    "/api/v1/no-such-resource/",
    "/no/such/page/",
    "/healthz",
]


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_as_djangos_handler(resolved, path):
    portal = PortalWSGIHandler()
    django = WSGIHandler()
    for _ in range(2):  # the second time from the memo
        status, headers, body = call(portal, path)
        expected_status, expected_headers, expected_body = call(django, path)
        assert status == expected_status
        assert without_nonces(body) == without_nonces(expected_body)
        assert {k: without_nonces(v) for k, v in headers.items()} == {
            k: without_nonces(v) for k, v in expected_headers.items()
        }


def without_nonces(text):
    """A page's CSP nonce, its masked CSRF token and the CSRF cookie (value, expiry to the
    second) are made for each request."""
    if isinstance(text, str):
        text = re.sub(r"nonce-[^']+", "nonce-", text)
        return re.sub(r"expires=[^;]+", "expires=", re.sub(r"csrftoken=[^;]+", "csrftoken=", text))
    text = re.sub(rb'nonce="[^"]+"', b'nonce=""', text)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"csrfmiddlewaretoken", text)


def test_a_path_is_resolved_once_and_a_404_every_time(resolved):
    portal = PortalWSGIHandler()
    for _ in range(3):
        call(portal, "/api/v1/commitments/")
        call(portal, "/no/such/page/")
    assert resolved.count("/api/v1/commitments/") == 1
    assert resolved.count("/no/such/page/") == 3


def test_each_request_has_its_own_match(rf):
    memo = RememberedMatches()
    resolver = get_resolver()
    first = memo.resolve(resolver, "/api/v1/commitments/MX0087/")
    first.kwargs["code"] = "changed by a view"
    first.args += ("extra",)
    second = memo.resolve(resolver, "/api/v1/commitments/MX0087/")
    assert second.kwargs == {"code": "MX0087"}
    assert second.args == ()
    assert second.func is first.func
    assert (second.url_name, second.namespaces, second.route) == (
        first.url_name,
        first.namespaces,
        first.route,
    )
    with pytest.raises(Resolver404):
        memo.resolve(resolver, "/no/such/page/")
    assert len(memo.matches) == 1


def test_the_language_is_part_of_the_key():
    memo = RememberedMatches()
    resolver = get_resolver()
    with translation.override("es-mx"):
        memo.resolve(resolver, "/compromisos/")
    with translation.override("en"):
        memo.resolve(resolver, "/compromisos/")
    assert sorted(language for language, _path in memo.matches) == ["en", "es-mx"]


def test_the_memo_is_bounded():
    memo = RememberedMatches(size=2)
    resolver = get_resolver()
    for code in ("A", "B", "C"):
        memo.resolve(resolver, f"/api/v1/commitments/{code}/")
    assert [path for _language, path in memo.matches] == [
        "/api/v1/commitments/B/",
        "/api/v1/commitments/C/",
    ]


def test_a_new_urlconf_starts_a_new_memo(settings, resolved):
    portal = PortalWSGIHandler()
    call(portal, "/api/v1/commitments/")
    before = remembered_matches(get_resolver())
    settings.ROOT_URLCONF = "bench.api.urls"  # clears Django's resolver cache
    assert call(portal, "/bench/trivial/")[0] == "200 OK"
    assert remembered_matches(get_resolver()) is not before


def test_the_wsgi_and_asgi_applications_are_the_portals():
    from ogp_portal import asgi, wsgi

    assert isinstance(wsgi.application, handlers.PortalWSGIHandler)
    assert isinstance(asgi.application, handlers.PortalASGIHandler)
