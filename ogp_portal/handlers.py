"""The portal's WSGI and ASGI handlers: Django's, with URL resolving remembered.

Django resolves every request's path from scratch: nested resolvers, a regular expression
and a ResolverMatch per level. An API path is five levels deep behind the admin's ~40
patterns, so resolving it cost more than a whole trivial view (bench/api/README.md).
The answer depends only on the URLconf, the active language (translated routes, language
prefixes) and the path, so each process remembers the last few thousand successful
matches; a path that matches nothing (a 404) is never remembered, and every request gets
its own copy of the match (its args and kwargs are the request's to change).
"""

import threading
from collections import OrderedDict

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.urls import ResolverMatch, get_resolver
from django.utils.translation import get_language

MATCHES = 2048  # remembered per resolver: a path costs ~1 KB


class RememberedMatches:
    """A resolver's successful matches by (language, path), the least recent dropped."""

    def __init__(self, size=MATCHES):
        self.size = size
        self.matches = OrderedDict()
        self.lock = threading.Lock()

    def resolve(self, resolver, path):
        key = (get_language(), path)
        with self.lock:
            match = self.matches.get(key)
            if match is not None:
                self.matches.move_to_end(key)
        if match is None:
            match = resolver.resolve(path)  # Resolver404 is raised, not remembered
            with self.lock:
                self.matches[key] = match
                while len(self.matches) > self.size:
                    self.matches.popitem(last=False)
        return copy_of(match)


def copy_of(match):
    """A ResolverMatch of its own for one request (copy.copy refuses: it cannot pickle)."""
    copy = ResolverMatch.__new__(ResolverMatch)
    copy.__dict__.update(match.__dict__)
    copy.args = tuple(match.args)
    copy.kwargs = dict(match.kwargs)
    copy.captured_kwargs = dict(match.captured_kwargs or {})
    copy.extra_kwargs = dict(match.extra_kwargs or {})
    return copy


def remembered_matches(resolver):
    """The memo of a resolver: it lives and goes with the resolver, so a changed
    ROOT_URLCONF (clear_url_caches) starts a new one."""
    memo = resolver.__dict__.get("_remembered_matches")
    if memo is None:
        memo = resolver.__dict__.setdefault("_remembered_matches", RememberedMatches())
    return memo


class RememberedResolving:
    def resolve_request(self, request):
        if hasattr(request, "urlconf"):  # a middleware's own URLconf: resolved as Django does
            return super().resolve_request(request)
        resolver = get_resolver()
        match = remembered_matches(resolver).resolve(resolver, request.path_info)
        request.resolver_match = match
        return match


class PortalWSGIHandler(RememberedResolving, WSGIHandler):
    pass


class PortalASGIHandler(RememberedResolving, ASGIHandler):
    pass
