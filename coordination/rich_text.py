"""Minutes and other user text: Markdown rendered to HTML, then sanitised by nh3.

The allow-list keeps structure (paragraphs, headings, lists, tables, emphasis, links) and
drops everything that could run or restyle: scripts, styles, event handlers, iframes,
forms, images and any link that is not http, https or mailto.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source):
    """Safe HTML for a Markdown text written by a person."""
    if not source:
        return ""
    html = markdown.markdown(source, extensions=["sane_lists", "tables"], output_format="html")
    # Headings in minutes start at h2: the page's own title is the only h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
