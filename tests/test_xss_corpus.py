"""Issue 15, item 1: people's text leaves the portal through one sanitiser, on every channel.

The corpus (tests/xss_corpus.py) is posted as comments, progress updates and meetings;
each channel's output is parsed the way its reader parses it and must hold nothing that
runs, restyles, navigates or misleads: pages and print (HTML), the API (`body_html`),
Atom feeds (XML, then the HTML of each summary), e-mail, iCal and CSV.
"""

import csv
import io
import xml.etree.ElementTree as ET

import markdown
import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from reviews import services
from reviews.models import Event, EventKind
from tests.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    MeetingFactory,
    UserFactory,
)
from tests.reviews.helpers import reviewer
from tests.xss_corpus import PAYLOADS, csv_cell_problems, html_problems, text_problems

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Feeds carry 50 entries and a thread page 50 comments: the corpus goes in halves.
HALVES = [PAYLOADS[: len(PAYLOADS) // 2], PAYLOADS[len(PAYLOADS) // 2 :]]


def _report(problems_by_payload):
    return {payload: problems for payload, problems in problems_by_payload.items() if problems}


def atom_entries(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own feed
    return root.findall(f"{ATOM}entry")


def test_the_corpus_is_large_and_the_checks_catch_it_unsanitised():
    """The checks can fail: nearly every payload is caught when rendered without the sanitiser."""
    assert len(PAYLOADS) >= 40
    caught = [
        payload
        for payload in PAYLOADS
        if html_problems(payload)
        or html_problems(markdown.markdown(payload))
        or html_problems(f"<body>{payload}", document=True)
        or text_problems(payload)
        or csv_cell_problems(payload)
    ]
    # Only the Markdown autolink is harmless even unsanitised (Markdown escapes its quotes).
    assert len(caught) >= len(PAYLOADS) - 1


def xlsx_table(response):
    """The rows of an XLSX download, as the strings a spreadsheet would show."""
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [["" if value is None else str(value) for value in row] for row in sheet.values]


@pytest.mark.parametrize("payloads", HALVES, ids=["first-half", "second-half"])
def test_comments_are_clean_on_the_page_api_feeds_mail_and_csv(
    client, payloads, django_capture_on_commit_callbacks, settings
):
    # One author posts the whole corpus: more than one person may in ten minutes.
    settings.REVIEW_RATE_LIMITS = {**settings.REVIEW_RATE_LIMITS, "comment": (10_000, 600)}
    record = CommitmentFactory()
    follower = UserFactory(username="seguidora", email="seguidora@example.org")
    services.toggle_follow(user=follower, commitment=record)
    author = reviewer()
    for payload in payloads:
        with django_capture_on_commit_callbacks(execute=True):
            services.post_comment(user=author, body=payload, commitment=record)

    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert html_problems(page.content.decode(), document=True) == []

    api = client.get("/api/v1/comments/", {"commitment": record.code, "page_size": 100})
    assert api.status_code == 200
    assert api["Content-Type"].startswith("application/json")
    assert api["X-Content-Type-Options"] == "nosniff"
    rows = api.json()["results"]
    assert len(rows) == len(payloads)
    assert _report({row["id"]: html_problems(row["body_html"]) for row in rows}) == {}

    feed = client.get(reverse("reviews:commitment_comments_feed", args=[record.code]))
    entries = atom_entries(feed)
    assert len(entries) == len(payloads)
    for entry in entries:
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert html_problems(summary.text or "") == []
        assert text_problems(entry.find(f"{ATOM}title").text or "") == []

    messages = [message for message in mail.outbox if message.to == [follower.email]]
    assert len(messages) == len(payloads)
    for message in messages:
        assert text_problems(message.subject) == []
        assert text_problems(message.body) == []

    export = client.get("/api/v1/comments/", {"commitment": record.code, "format": "csv"})
    assert export.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(table) == len(payloads) + 1
    assert _report({repr(row): sum(map(csv_cell_problems, row), []) for row in table[1:]}) == {}

    table = xlsx_table(
        client.get("/api/v1/comments/", {"commitment": record.code, "format": "xlsx"})
    )
    assert len(table) == len(payloads) + 1
    assert _report({repr(row): sum(map(csv_cell_problems, row), []) for row in table[1:]}) == {}


@pytest.mark.parametrize("payloads", HALVES, ids=["first-half", "second-half"])
def test_progress_updates_are_clean_in_the_updates_feed(client, payloads):
    record = CommitmentFactory()
    for payload in payloads:
        Event.objects.create(
            kind=EventKind.PROGRESS_REPORT,
            commitment=record,
            title=payload,
            text=payload,
            path=record.get_absolute_url(),
        )

    entries = atom_entries(
        client.get(reverse("reviews:commitment_updates_feed", args=[record.code]))
    )

    assert len(entries) == len(payloads)
    for entry in entries:
        assert html_problems(entry.find(f"{ATOM}summary").text or "") == []
        assert text_problems(entry.find(f"{ATOM}title").text or "") == []


@pytest.mark.parametrize("payloads", HALVES, ids=["first-half", "second-half"])
def test_meetings_are_clean_on_pages_print_feed_calendar_and_csv(client, payloads):
    meetings = []
    for payload in payloads:
        meeting = MeetingFactory(title=payload[:300], place=payload[:300], minutes=payload)
        AgendaItemFactory(meeting=meeting, title=payload[:300])
        meetings.append(meeting)

    for meeting in meetings:
        for url in (
            meeting.get_absolute_url(),
            reverse("coordination:meeting_print", args=[meeting.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert html_problems(response.content.decode(), document=True) == [], url

    entries = atom_entries(client.get(reverse("coordination:feed")))
    assert len(entries) == len(payloads)
    for entry in entries:
        assert html_problems(entry.find(f"{ATOM}summary").text or "") == []
        assert text_problems(entry.find(f"{ATOM}title").text or "") == []

    calendar = Calendar.from_ical(client.get(reverse("coordination:calendar")).content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(payloads)
    for event in events:
        for field in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            assert text_problems(str(event.get(field, ""))) == [], field

    export = client.get("/api/v1/meetings/", {"format": "csv", "page_size": 100})
    table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(table) == len(payloads) + 1
    assert _report({repr(row): sum(map(csv_cell_problems, row), []) for row in table[1:]}) == {}

    table = xlsx_table(client.get("/api/v1/meetings/", {"format": "xlsx", "page_size": 100}))
    assert len(table) == len(payloads) + 1
    assert _report({repr(row): sum(map(csv_cell_problems, row), []) for row in table[1:]}) == {}
