"""A cached API hit answers as the computed response did, and is still throttled.

The hit's shortcuts (the throttles' script on its own Redis connection, the remembered
content negotiation) must change nothing a client sees: same status, headers and body,
the same 304s, 429s with Retry-After, a token user counted by the user rate. Each story
runs on local memory (the embedded portal) and on a real Redis.
"""

import uuid

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import fresh_address
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/commitments/"


ASKED = [
    ({}, {}),
    ({}, {"HTTP_ACCEPT": "application/json"}),
    ({}, {"HTTP_ACCEPT": "*/*"}),
    ({}, {"HTTP_ACCEPT": "text/html, application/json;q=0.9"}),
    ({"format": "json"}, {}),
    ({"format": "json", "page_size": 1}, {"HTTP_ACCEPT": "application/*"}),
]


@pytest.mark.parametrize(("query", "headers"), ASKED)
def test_a_cached_hit_answers_as_the_computed_response(api, cache_on, query, headers):
    CommitmentFactory(code="CH-1")
    CommitmentFactory(code="CH-2")
    computed = api.get(URL, query, **headers)
    cached = api.get(URL, query, **headers)
    assert computed.status_code == cached.status_code == 200
    assert cached.content == computed.content
    assert dict(cached.headers) == dict(computed.headers)
    for name in ("ETag", "Last-Modified", "Vary", "Content-Type", "Allow"):
        assert cached[name], name
    current = api.get(URL, query, HTTP_IF_NONE_MATCH=cached["ETag"], **headers)
    assert current.status_code == 304
    assert current["ETag"] == cached["ETag"]
    since = api.get(URL, query, HTTP_IF_MODIFIED_SINCE=cached["Last-Modified"], **headers)
    assert since.status_code == 304


def test_the_remembered_negotiation_still_tells_formats_apart(api, cache_on):
    CommitmentFactory(code="CH-3")
    asked = [
        ({}, {}, "application/json"),
        ({}, {"HTTP_ACCEPT": "text/csv"}, "text/csv; charset=utf-8"),
        ({"format": "csv"}, {}, "text/csv; charset=utf-8"),
        ({"format": "csv"}, {"HTTP_ACCEPT": "application/json"}, None),  # 406
        ({}, {"HTTP_ACCEPT": "image/png"}, None),  # 406
        ({"format": "pdf"}, {}, None),  # 400
    ]
    first = [api.get(URL, query, **headers) for query, headers, _type in asked]
    again = [api.get(URL, query, **headers) for query, headers, _type in asked]
    for (query, headers, content_type), one, two in zip(asked, first, again, strict=True):
        assert one.status_code == two.status_code, (query, headers)
        assert one["Content-Type"] == two["Content-Type"], (query, headers)
        if content_type is None:
            assert two.status_code in (400, 406)
            assert two["Content-Type"] == "application/json"
        else:
            assert two.status_code == 200
            assert two["Content-Type"] == content_type
    assert api.get(URL, {"format": "pdf"}).json() == {"format": ["Formato no disponible aquí."]}


def test_a_throttled_client_gets_429_on_a_cached_url(api, cache_on, rates):
    rates("3/minute", "1000/minute")
    CommitmentFactory(code="CH-4")
    address = fresh_address()
    api.get(URL, REMOTE_ADDR=fresh_address())  # computed and cached by someone else
    statuses = [api.get(URL, REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get(URL, REMOTE_ADDR=address)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/json"
    assert "detail" in refused.json()
    assert api.get(URL, REMOTE_ADDR=fresh_address()).status_code == 200  # others still served


def test_a_token_user_is_throttled_by_the_user_rate_on_a_cached_url(
    api, cache_on, rates, django_user_model
):
    rates("1000/minute", "2/minute")
    CommitmentFactory(code="CH-5")
    user = django_user_model.objects.create_user(username=f"analista-{uuid.uuid4().hex[:8]}")
    token = Token.objects.create(user=user)
    address = fresh_address()
    assert api.get(URL, REMOTE_ADDR=address).status_code == 200  # anonymous: cached now
    signed = {"REMOTE_ADDR": address, "HTTP_AUTHORIZATION": f"Token {token.key}"}
    statuses = [api.get(URL, **signed).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # The same address without the token is counted by the anonymous rate, apart.
    assert api.get(URL, REMOTE_ADDR=address).status_code == 200
    # A wrong token is refused before any cached body is served.
    assert api.get(URL, REMOTE_ADDR=address, HTTP_AUTHORIZATION="Token nope").status_code == 401
