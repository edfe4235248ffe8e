"""Pages pass through the one sanitiser's last step: no control or bidi-override characters.

Templates escape people's text, but escaping leaves a right-to-left override (U+202E) or a
terminal escape in place; they have no business in any page the portal serves. Text is
cleaned where it is rendered (ogp_portal.user_text); this catches every plain field a
template prints (titles, places, names) without a filter on each of them.
"""

import re

from django.http import Http404

from .user_text import UNSAFE_CHARACTERS

CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


def refuse_paths_with_control_characters(get_response):
    """A path holding a newline or another control character names nothing: 404 at once.

    Before CommonMiddleware, so APPEND_SLASH does not redirect it, and before the URL
    patterns, whose `$` would match before a final newline (DRF's router uses `$`). The
    404 handler answers JSON under /api/ and the HTML page elsewhere.
    """

    def middleware(request):
        if CONTROL_CHARACTERS.search(request.path_info):
            raise Http404
        return get_response(request)

    return middleware


def strip_unsafe_characters_from_pages(get_response):
    def middleware(request):
        response = get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        text = response.content.decode(response.charset)
        if UNSAFE_CHARACTERS.search(text):
            response.content = UNSAFE_CHARACTERS.sub("", text).encode(response.charset)
        return response

    return middleware
