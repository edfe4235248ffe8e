"""Pages pass through the one sanitiser's last step: no control or bidi-override characters.

Templates escape people's text, but escaping leaves a right-to-left override (U+202E) or a
terminal escape in place; they have no business in any page the portal serves. Text is
cleaned where it is rendered (ogp_portal.user_text); this catches every plain field a
template prints (titles, places, names) without a filter on each of them.
"""

from .user_text import UNSAFE_CHARACTERS


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
