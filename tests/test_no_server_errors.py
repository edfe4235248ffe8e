"""Issue 15, item 3: no input answers 5xx, on any URL, for anyone.

A property-based run (hypothesis) over every URL pattern of the portal: its path
parameters, query strings and form or JSON bodies are drawn from hostile text (lone
surrogates, Unicode digits, control characters, right-to-left overrides, 10,000-character
strings) mixed with the ids, codes and slugs of a small world, and sent as anonymous and
as each role. Every answer must be below 500 (the client re-raises any exception).

Bounded: a few examples per pattern, derandomized, so CI time stays small and a failure
repeats. The admin's 200-odd patterns share one test as staff and as superuser.
"""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.commitments.worlds import build_world
from tests.factories import (
    AgendaItemFactory,
    AgreementFactory,
    CommentFactory,
    MeetingFactory,
    PolicyAreaFactory,
    ProgressReportFactory,
    SdgTargetFactory,
)

ROLES = [
    None,
    "lead_editor",
    "state_editor",
    "reviewer",
    "analyst",
    "staff_role",
    "django_staff",
    "no_membership",
]


def leaves(patterns=None, prefix=()):
    """(pattern pieces, URLPattern) of every URL the portal answers."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from leaves(pattern.url_patterns, (*prefix, pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern.pattern), pattern


def describe(pieces):
    return "".join(str(piece) for piece in pieces) or "/"


ALL = list(leaves())
SITE = [leaf for leaf in ALL if not describe(leaf[0]).startswith("admin/")]
ADMIN = [leaf for leaf in ALL if describe(leaf[0]).startswith("admin/")]

# --- Hostile text --------------------------------------------------------------------

SURROGATES = st.sampled_from(["\ud800", "\udfff", "a\udc80b", "\ud83d"])
UNICODE_DIGITS = st.sampled_from(["²", "٣", "①", "１２", "𝟗", "߀", "¹²³"])
CONTROLS = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=5)
TRICKS = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "99999999999999999999999",
        "1e999",
        "NaN",
        "\u202egpj.exe",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "../../etc/passwd",
        "true",
        "null",
        "2024-02-30",
        "9999-12-31T23:59:59+99:00",
        ",",
        "-",
        "__proto__",
    ]
)
LONG = st.builds(lambda c: c * 10_000, st.sampled_from(["a", "9", "ñ", "\u202e", "<"]))
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), max_size=30),
    SURROGATES,
    UNICODE_DIGITS,
    CONTROLS,
    TRICKS,
    LONG,
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
)


def encode(text):
    """Percent-encoding of any text, lone surrogates included (as their raw UTF-8 bytes)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# --- Path parameters ---------------------------------------------------------------

KNOWN = {}  # filled from the world: parameter name -> values that name real objects


def parameter(name, converter):
    known = KNOWN.get(name) or KNOWN["any"]
    hostile = {
        "IntConverter": st.from_regex(r"[0-9]{1,25}", fullmatch=True),
        "SlugConverter": st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    }.get(type(converter).__name__, HOSTILE.filter(lambda text: "/" not in text))
    return st.one_of(st.sampled_from(known), hostile)


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def piece_strategy(piece):
    if isinstance(piece, RoutePattern):
        route = str(piece)
        parts, position = [], 0
        for match in ROUTE_PARAMETER.finditer(route):
            parts.append(st.just(route[position : match.start()]))
            converter = piece.converters[match["name"]]
            parts.append(parameter(match["name"], converter).map(encode))
            position = match.end()
        parts.append(st.just(route[position:]))
        return st.tuples(*parts).map("".join)
    if isinstance(piece, RegexPattern):
        return st.from_regex(piece.regex, fullmatch=True).map(
            lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="/.")
        )
    return st.just(str(piece))


def path_strategy(pieces):
    return st.tuples(*(piece_strategy(piece) for piece in pieces)).map(
        lambda parts: "/" + "".join(parts)
    )


# --- Query strings and bodies --------------------------------------------------------

PARAMETER_NAMES = [
    "page", "page_size", "q", "status", "ordering", "format", "cursor", "comentarios_desde",
    "commitment", "milestone", "state", "institution", "scope", "year", "cycle_year",
    "target_kind", "updated_since", "date_from", "date_to", "expand", "next", "language",
    "body", "parent", "reason", "verdict", "justification", "version", "percent_complete",
    "narrative", "title", "username", "password", "email", "delivery", "position",
    "action", "decision", "organisation", "motivo", "evidence_url", "hito-1-status",
]  # fmt: skip
NAMES = st.one_of(st.sampled_from(PARAMETER_NAMES), HOSTILE.filter(bool))
QUERY = st.dictionaries(NAMES, HOSTILE, max_size=4)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), HOSTILE),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=3)),
    max_leaves=8,
)


def query_string(query):
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in query.items())


REQUEST = st.fixed_dictionaries(
    {
        "role": st.sampled_from(ROLES),
        "method": st.sampled_from(["GET", "GET", "POST", "PATCH", "HEAD"]),
        "query": QUERY,
        "body": st.one_of(
            st.dictionaries(NAMES, HOSTILE, max_size=6).map(lambda form: ("form", form)),
            JSON_VALUES.map(lambda value: ("json", value)),
            st.binary(max_size=64).map(lambda raw: ("json-bytes", raw)),
        ),
    }
)


def send(world, path, request):
    client = Client()  # re-raises any exception a view lets through
    if request["role"]:
        client.force_login(world.users[request["role"]])
    url = path + ("?" + query_string(request["query"]) if request["query"] else "")
    method = request["method"]
    if method in ("GET", "HEAD"):
        return getattr(client, method.lower())(url)
    kind, body = request["body"]
    if kind == "form":
        data = urlencode(
            {key.encode("utf-8", "surrogatepass"): value.encode("utf-8", "surrogatepass")
             for key, value in body.items()}
        )  # fmt: skip
        content_type = "application/x-www-form-urlencoded"
    elif kind == "json":
        data, content_type = json.dumps(body).encode(), "application/json"
    else:
        data, content_type = body, "application/json"
    return client.generic(method, url, data, content_type=content_type)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    world = build_world()
    world.users["superuser"] = get_user_model().objects.create_superuser("raiz", password="x")
    commitment = world.national_commitment
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    AgreementFactory(meeting=meeting)
    CommentFactory(commitment=commitment)
    ProgressReportFactory(commitment=commitment)
    area, target = PolicyAreaFactory(), SdgTargetFactory()
    state = world.local_commitment.action_plan.state
    KNOWN.clear()
    KNOWN.update(
        {
            "pk": [str(n) for n in range(1, 12)],
            "code": [commitment.code, world.local_commitment.code, target.code],
            "slug": [state.slug, area.slug, meeting.space.slug],
            "target": ["compromiso", "hito", "sesion", "estado", "espacio", "informe"],
            "key": [commitment.code, "1", "2", state.slug, meeting.space.slug],
            "any": ["1", commitment.code, state.slug],
        }
    )
    return world


BOUNDS = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_no_url_of_the_site_answers_5xx(world):
    """Every pattern outside the admin, a few examples each, against one world."""
    for pieces, _pattern in SITE:

        @BOUNDS
        @given(path=path_strategy(pieces), request=REQUEST)
        def property_(path, request):
            response = send(world, path, request)
            assert response.status_code < 500, (path, request["method"], response.status_code)

        property_()


def test_no_url_of_the_admin_answers_5xx(world):
    @settings(BOUNDS, max_examples=len(ADMIN))
    @given(
        leaf=st.sampled_from(ADMIN),
        request=REQUEST.map(lambda r: {**r, "role": "superuser"}),
        data=st.data(),
    )
    def property_(leaf, request, data):
        path = data.draw(path_strategy(leaf[0]))
        response = send(world, path, request)
        assert response.status_code < 500, (path, request["method"], response.status_code)

    property_()
