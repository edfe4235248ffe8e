"""A meeting says where it happens: a place in person, a link online, both when hybrid."""

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
