"""The meeting calendar (iCal) and feed (Atom), checked by parsing them back with real
parsers: icalendar and feedparser."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from icalendar import Calendar

from coordination.models import Meeting
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

FIRST = datetime.datetime(2024, 5, 20, 16, 0, tzinfo=datetime.UTC)
SECOND = datetime.datetime(2024, 6, 17, 17, 30, tzinfo=datetime.UTC)


@pytest.fixture
def meetings():
    first = MeetingFactory(title="Primera sesión ordinaria", date=FIRST, place="Sala del INAI")
    second = MeetingFactory(
        space=first.space,
        title="Segunda sesión ordinaria",
        date=SECOND,
        modality=Meeting.Modality.ONLINE,
        place="",
        link="https://reunion.example.org/segunda",
    )
    AgendaItemFactory(meeting=first, position=1, title="Instalación del espacio")
    return first, second


def get_calendar(client):
    response = client.get(reverse("coordination:calendar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_calendar_has_one_event_per_meeting_with_summary_start_and_place(client, meetings):
    first, second = meetings

    events = {str(event["SUMMARY"]): event for event in get_calendar(client).walk("VEVENT")}

    assert set(events) == {first.title, second.title}
    assert events[first.title].decoded("DTSTART") == FIRST
    assert events[second.title].decoded("DTSTART") == SECOND
    assert str(events[first.title]["LOCATION"]) == "Sala del INAI"
    assert str(events[second.title]["LOCATION"]) == "https://reunion.example.org/segunda"
    assert str(events[first.title]["URL"]) == f"http://testserver{first.get_absolute_url()}"
    assert "Instalación del espacio" in str(events[first.title]["DESCRIPTION"])


def test_a_meeting_with_an_end_time_has_dtend_and_one_without_has_none(client, meetings):
    first, second = meetings
    Meeting.objects.filter(pk=first.pk).update(ends_at=FIRST + datetime.timedelta(hours=2))

    events = {str(event["SUMMARY"]): event for event in get_calendar(client).walk("VEVENT")}

    assert events[first.title].decoded("DTEND") == FIRST + datetime.timedelta(hours=2)
    assert "DTEND" not in events[second.title]


def test_the_calendar_is_valid_icalendar_with_required_properties(client, meetings):
    calendar = get_calendar(client)

    assert str(calendar["VERSION"]) == "2.0"
    assert "Estado Abierto" in str(calendar["PRODID"])
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in event


def test_event_uids_are_stable_and_unique(client, meetings):
    first_uids = [str(event["UID"]) for event in get_calendar(client).walk("VEVENT")]
    meetings[0].title = "Primera sesión ordinaria (reprogramada)"
    meetings[0].save()

    second_uids = [str(event["UID"]) for event in get_calendar(client).walk("VEVENT")]

    assert len(set(first_uids)) == 2
    assert first_uids == second_uids


def test_an_empty_calendar_is_still_valid(client):
    assert list(get_calendar(client).walk("VEVENT")) == []


def test_the_atom_feed_lists_meetings_newest_first_with_links(client, meetings):
    first, second = meetings

    response = client.get(reverse("coordination:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Sesiones del espacio de coordinación nacional"
    assert [entry.title for entry in feed.entries] == [second.title, first.title]
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{second.get_absolute_url()}",
        f"http://testserver{first.get_absolute_url()}",
    ]
    assert all(entry.get("updated") for entry in feed.entries)
    assert "En línea" in feed.entries[0].summary


@pytest.mark.parametrize("size", [1, 6])
def test_calendar_and_feed_query_counts_do_not_grow(client, django_assert_max_num_queries, size):
    for meeting in MeetingFactory.create_batch(size):
        AgendaItemFactory.create_batch(size, meeting=meeting)

    with django_assert_max_num_queries(2):
        client.get(reverse("coordination:calendar"))
    with django_assert_max_num_queries(1):
        client.get(reverse("coordination:feed"))
