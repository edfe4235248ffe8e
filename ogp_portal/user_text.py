"""The one sanitiser for text written by people, whatever channel it leaves the portal by.

- `render_markdown`: Markdown rendered to HTML, then cleaned by nh3 (pages, print, API
  `body_html`, Atom `<summary type="html">`). The allow-list keeps structure (paragraphs,
  headings, lists, tables, emphasis, links) and drops everything that could run or restyle:
  scripts, styles, event handlers, iframes, forms, images and any link that is not http,
  https or mailto.
- `plain_text`: the same text without any markup, for channels that are not HTML but whose
  readers may treat them as HTML (e-mail, iCal, Atom titles): tags removed, nothing left
  that an HTML parser would take for a tag.
- `feed_html`: plain text escaped for an HTML slot (Atom summaries of plain fields).
- `csv_cell`: a text cell a spreadsheet will not run as a formula.

Every one of them drops control characters and the bidirectional embedding, override and
isolate characters that can make a text read differently from what it is (RTL override).
"""

import html
import re

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# C0 and C1 controls except tab and line breaks, DEL, and the bidi embeddings, overrides,
# isolates and marks (U+200E/F, U+202A–U+202E, U+2066–U+2069, U+061C).
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# What an HTML tokenizer reads as the start of a tag, comment or declaration.
TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def strip_unsafe_characters(text: str) -> str:
    """The text without control and bidirectional-override characters."""
    return UNSAFE_CHARACTERS.sub("", text)


def render_markdown(source: str | None) -> str:
    """Safe HTML for a Markdown text written by a person."""
    if not source:
        return ""
    rendered = markdown.markdown(
        strip_unsafe_characters(source), extensions=["sane_lists", "tables"], output_format="html"
    )
    # Headings in minutes start at h2: the page's own title is the only h1.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    # Entities such as &#8238; reach the output as characters: drop them there too.
    return strip_unsafe_characters(cleaned)


def plain_text(source: object) -> str:
    """The text with no markup at all: what a person wrote, minus tags and unsafe characters."""
    if not source:
        return ""
    escaped = nh3.clean(str(source), tags=set())
    # nh3 answers escaped HTML; a plain-text channel wants the characters themselves, but
    # never a "<" that starts a tag (an entity-encoded tag would come back to life).
    return strip_unsafe_characters(TAG_OPEN.sub("< ", html.unescape(escaped)))


def single_line(source: object) -> str:
    """`plain_text` on one line (mail subjects, calendar summaries)."""
    return " ".join(plain_text(source).split())


def feed_html(source: object) -> SafeString:
    """Plain text made safe for an HTML slot (an Atom summary of type html)."""
    return escape(plain_text(source))


def _runs_as_formula(text: str) -> bool:
    # Apostrophes already in front count too, so that escaping can always be undone.
    return text.lstrip("'").startswith(FORMULA_START)


def csv_cell(value: str) -> str:
    """A text cell without unsafe characters that no spreadsheet takes for a formula.

    An apostrophe goes before a formula start (and before text that already begins with
    apostrophes and then one), so `csv_cell_undone` gives the text back exactly.
    """
    text = strip_unsafe_characters(value)
    return "'" + text if _runs_as_formula(text) else text


def csv_cell_undone(text: str) -> str:
    """Undo `csv_cell`'s apostrophe, so that what the portal exported imports as it was."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text
