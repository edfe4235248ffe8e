from django import template
from django.utils.safestring import mark_safe

from ogp_portal.user_text import plain_text as to_plain_text
from ogp_portal.user_text import render_markdown

register = template.Library()


@register.filter
def markdown(source):
    """Render Markdown written by a person; the HTML is sanitised before it is marked safe."""
    return mark_safe(render_markdown(source))  # noqa: S308 - nh3 has cleaned it


@register.filter
def plain_text(source):
    """People's text for a plain-text e-mail: no markup, no control or bidi-override characters."""
    return to_plain_text(source)
