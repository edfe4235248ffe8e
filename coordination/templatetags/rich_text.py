from django import template
from django.utils.safestring import mark_safe

from coordination.rich_text import render_markdown

register = template.Library()


@register.filter
def markdown(source):
    """Render Markdown written by a person; the HTML is sanitised before it is marked safe."""
    return mark_safe(render_markdown(source))  # noqa: S308 - nh3 has cleaned it
