"""A plainly anonymous cached GET answered again, whole, before the middleware runs.

ListResource.cached_hit answers such a request from the response cache without DRF's
Request, but the request still crossed every middleware, the URL resolver and the view's
set-up: most of a cached hit's CPU (bench/api/README.md). This middleware, first in
MIDDLEWARE, remembers in each process the complete answer that the whole stack gave to a
request cached_hit served (status, every header, body) and gives it again to a request
that is the same in everything the stack could read, after the same checks:

- the same request: method GET, path, query string, scheme, server name and port, and
  every HTTP header (only X-Forwarded-For and X-Real-IP may differ: they name the client,
  which only the throttles read, and they are counted per request). A request with a
  Cookie, an Authorization or a conditional header is never answered here;
- the throttles counted as the full path counts them, and the data generation read, in
  the same one round trip (throttling.check_all); a refused request, a newer generation
  or another local date takes the full path, which counts nothing again
  (`request.api_counted`);
- no older than the cached body it holds (the local entry's expiry), and only while the
  response cache is on.

An answer that set a cookie or used a CSP nonce is never remembered (it belongs to one
request). tests/api/test_replay.py compares every answer given here with the full path's.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils import timezone

from . import response_cache, throttling

RECORDINGS = 256  # answers kept per process; the bodies are the response cache's own

# Headers that name the client, which only the throttles read (counted per request).
CLIENT_HEADERS = frozenset({"HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"})
# A request carrying one of these is someone's, or conditional: always the full path.
NEVER_REPLAYED = frozenset(
    {
        "HTTP_COOKIE",
        "HTTP_AUTHORIZATION",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_MATCH",
        "HTTP_IF_UNMODIFIED_SINCE",
        "HTTP_IF_RANGE",
        "HTTP_RANGE",
    }
)
# The throttles whose window needs only the client's address and an anonymous user.
REPLAYABLE_THROTTLES = frozenset({throttling.AnonRateThrottle, throttling.UserRateThrottle})


@dataclass(frozen=True)
class Served:
    """What cached_hit knew when it served a request: the throttles it counted, and the
    data generation, local date and cache entry expiry its answer holds."""

    throttles: tuple
    generation: int
    date: object
    expires: float


@dataclass(frozen=True)
class Recording:
    served: Served
    status: int
    headers: tuple
    content: bytes


_recordings: OrderedDict[tuple, Recording] = OrderedDict()
_lock = threading.Lock()


def forget_all():
    with _lock:
        _recordings.clear()


def signature_of(request):
    """Everything of a request the middleware and the view could read, or None when it must
    take the full path."""
    meta = request.META
    if request.method != "GET" or not request.path_info.startswith("/api/"):
        return None
    headers = []
    for name, value in meta.items():
        if name.startswith("HTTP_"):
            if value and name in NEVER_REPLAYED:  # empty (a test client's Cookie): none
                return None
            if name not in CLIENT_HEADERS:
                headers.append((name, value))
    headers.sort()
    return (
        request.path_info,
        meta.get("QUERY_STRING", ""),
        meta.get("CONTENT_TYPE", ""),
        meta.get("CONTENT_LENGTH", ""),
        meta.get("SCRIPT_NAME", ""),
        meta.get("wsgi.url_scheme"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
        tuple(headers),
    )


def served(request, throttles, generation, key):
    """Called by cached_hit when it answers: the answer may be recorded on its way out."""
    if not all(type(throttle) in REPLAYABLE_THROTTLES for throttle in throttles):
        return
    expires = response_cache.local_expiry(key)
    if expires is not None:
        request.api_served = Served(
            tuple(type(throttle) for throttle in throttles),
            generation,
            timezone.localdate(),
            expires,
        )


class Client:
    """What the throttles read of a request before the middleware ran: its address (META)
    and its user, anonymous since it carries no credentials (signature_of)."""

    user = AnonymousUser()

    def __init__(self, request):
        self.META = request.META


def replay(recording, request):
    """The recorded answer, or None for the full path (with the count it must not repeat)."""
    served = recording.served
    if time.monotonic() >= served.expires or response_cache.timeout() <= 0:
        return None
    throttles = [throttle_class() for throttle_class in served.throttles]
    refused, generation = request.api_counted = response_cache.counted(
        throttles, Client(request), None
    )
    if refused or generation != served.generation or timezone.localdate() != served.date:
        return None
    return HttpResponse(recording.content, status=recording.status, headers=recording.headers)


def record(signature, request, response):
    served = getattr(request, "api_served", None)
    if (
        served is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(request, "_csp_nonce", None)  # a nonce made for this request
    ):
        return
    recording = Recording(served, response.status_code, tuple(response.items()), response.content)
    with _lock:
        _recordings[signature] = recording
        _recordings.move_to_end(signature)
        while len(_recordings) > RECORDINGS:
            _recordings.popitem(last=False)


def replay_cached_api_answers(get_response):
    def middleware(request):
        signature = signature_of(request)
        if signature is None:
            return get_response(request)
        with _lock:
            recording = _recordings.get(signature)
        if recording is not None:
            response = replay(recording, request)
            if response is not None:
                return response
        response = get_response(request)
        record(signature, request, response)
        return response

    return middleware
