"""A meeting says where it happens: a place in person, a link online, both when hybrid;
and it ends after it starts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coordination.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("modality", "place", "link"),
    [
        (Meeting.Modality.IN_PERSON, "Sala 1", ""),
        (Meeting.Modality.ONLINE, "", "https://reunion.example.org/sala"),
        (Meeting.Modality.HYBRID, "Sala 1", "https://reunion.example.org/sala"),
    ],
)
def test_a_meeting_with_what_its_modality_needs_is_valid(modality, place, link):
    meeting = MeetingFactory.build(
        space=MeetingFactory().space, modality=modality, place=place, link=link
    )

    meeting.full_clean()


@pytest.mark.parametrize(
    ("modality", "place", "link", "constraint"),
    [
        (Meeting.Modality.IN_PERSON, "", "", "meeting_in_person_needs_place"),
        (Meeting.Modality.ONLINE, "Sala 1", "", "meeting_online_needs_link"),
        (
            Meeting.Modality.HYBRID,
            "",
            "https://reunion.example.org",
            "meeting_in_person_needs_place",
        ),
        (Meeting.Modality.HYBRID, "Sala 1", "", "meeting_online_needs_link"),
    ],
)
def test_the_database_refuses_a_meeting_missing_its_place_or_link(
    modality, place, link, constraint
):
    meeting = MeetingFactory()

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(modality=modality, place=place, link=link)


def test_full_clean_reports_the_missing_link_of_an_online_meeting():
    meeting = MeetingFactory.build(
        space=MeetingFactory().space, modality=Meeting.Modality.ONLINE, place="", link=""
    )

    with pytest.raises(ValidationError):
        meeting.full_clean()


def test_a_link_must_be_a_web_address():
    meeting = MeetingFactory.build(
        space=MeetingFactory().space,
        modality=Meeting.Modality.ONLINE,
        place="",
        link="javascript:alert(1)",
    )

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert "link" in error.value.message_dict


@pytest.mark.parametrize("hours", [0, -1])
def test_a_meeting_cannot_end_before_it_starts(hours):
    meeting = MeetingFactory()
    meeting.ends_at = meeting.date + datetime.timedelta(hours=hours)

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "La hora de término debe ser posterior al inicio." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(ends_at=meeting.ends_at)


def test_the_end_time_is_optional_and_shown_after_the_start(client):
    meeting = MeetingFactory(
        date=datetime.datetime(2024, 5, 20, 16, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 5, 20, 18, 30, tzinfo=datetime.UTC),
    )
    open_ended = MeetingFactory(space=meeting.space)

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert meeting.ends_on_its_day
    assert "12:30" in page  # 18:30 UTC, Mexico City time, the end on its own
    assert open_ended.ends_at is None
    assert client.get(open_ended.get_absolute_url()).status_code == 200
