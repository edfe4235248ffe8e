"""In demo mode every page says it is a demonstration with synthetic data, and so does
every API response; outside it nothing changes."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from demo.middleware import DEMO_HEADER
from tests.factories import CommitmentFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "Los datos son sintéticos, generados para probar el portal: no son información oficial."


@pytest.fixture
def demo(settings):
    settings.PORTAL_DEMO = True


def pages():
    commitment = CommitmentFactory()
    return ["/", "/tablero/", commitment.get_absolute_url(), "/compromisos/", "/cuenta/entrar/"]


def test_every_page_shows_the_banner_in_demo_mode(client, demo):
    for url in pages():
        response = client.get(url)

        assert response.status_code == 200, url
        html = response.content.decode()
        assert BANNER in html, url
        assert response[DEMO_HEADER] == "1"
        assert '<meta name="robots" content="noindex">' in html


def test_no_banner_and_no_header_outside_demo_mode(client, settings):
    settings.PORTAL_DEMO = False
    for url in pages():
        response = client.get(url)

        assert BANNER not in response.content.decode(), url
        assert DEMO_HEADER not in response
        assert "demo.css" not in response.content.decode()
    assert DEMO_HEADER not in client.get("/api/v1/commitments/")


def test_the_banner_is_a_labelled_region_that_needs_no_script(client, demo):
    html = client.get("/").content.decode()

    banner = re.search(
        r'<section class="demo-banner" aria-labelledby="([^"]+)">(.*?)</section>', html, re.S
    )
    assert banner, "the banner is a <section> named by its heading text: a region landmark"
    label, inside = banner.groups()
    assert f'id="{label}">Sitio de demostración.<' in inside
    assert "<script" not in inside
    # Before the header, after the skip link (which stays the first tab stop).
    assert html.index("skip-link") < html.index("demo-banner") < html.index("site-header")


def test_the_banner_is_translated(client, demo):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/").content.decode()

    assert "Demonstration site." in html
    assert "not official information" in html


def test_the_api_says_it_is_the_demo(client, demo):
    CommitmentFactory()

    response = client.get("/api/v1/commitments/")

    assert response.status_code == 200
    assert response[DEMO_HEADER] == "1"
    assert client.get("/api/v1/commitments/?format=csv")[DEMO_HEADER] == "1"


def test_printed_minutes_and_the_admin_carry_the_banner_too(client, demo):
    meeting = MeetingFactory()
    printed = client.get(reverse("coordination:meeting_print", args=[meeting.pk]))
    assert BANNER in printed.content.decode()

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert BANNER in client.get("/admin/").content.decode()


def contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_banner_text_meets_wcag_aa_contrast():
    css = (Path(django_settings.BASE_DIR) / "static/css/demo.css").read_text()
    rule = re.search(r"\.demo-banner \{(.*?)\}", css, re.S).group(1)
    background = re.search(r"background: (#[0-9a-f]{6})", rule).group(1)
    text = re.search(r"\bcolor: (#[0-9a-f]{6})", rule).group(1)

    assert contrast(text, background) >= 4.5
