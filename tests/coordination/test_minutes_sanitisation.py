"""Minutes are Markdown written by people: they render as structure, never as code."""

import pytest

from ogp_portal.user_text import render_markdown
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_markdown_structure_survives():
    html = render_markdown("# Acuerdos\n\n- uno\n- dos\n\n[Acta](https://example.org/acta.pdf)")

    assert "<h2>Acuerdos</h2>" in html  # h1 is the page's own
    assert "<li>uno</li>" in html
    assert (
        '<a href="https://example.org/acta.pdf" rel="noopener noreferrer nofollow">Acta</a>' in html
    )


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Antes\n\n<script>alert('x')</script>\n\nDespués")

    assert "<script" not in html and "alert" not in html
    assert "Antes" in html and "Después" in html


def test_event_handler_attributes_are_dropped():
    html = render_markdown('<img src="x" onerror="alert(1)"> <p onclick="alert(2)">hola</p>')

    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "hola" in html


@pytest.mark.parametrize(
    "source",
    [
        "[clic](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">clic</a>',
        '<a href="data:text/html,<script>alert(1)</script>">clic</a>',
        "[clic](vbscript:msgbox(1))",
    ],
)
def test_links_with_dangerous_schemes_are_inert(source):
    html = render_markdown(source)

    assert "href" not in html
    assert "clic" in html


def test_style_iframe_and_form_are_removed():
    html = render_markdown(
        "<style>body{display:none}</style><iframe src='https://x.org'></iframe>"
        "<form action='https://x.org'><input name=a></form>texto"
    )

    for tag in ("<style", "<iframe", "<form", "<input", "display:none"):
        assert tag not in html
    assert "texto" in html


def test_the_meeting_page_renders_sanitised_minutes(client):
    meeting = MeetingFactory(
        minutes=(
            '**Importante**\n\n<script>document.cookie</script>\n\n<a href="javascript:x()">x</a>'
        )
    )

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "<strong>Importante</strong>" in html
    assert "document.cookie" not in html
    assert "javascript:" not in html
