"""An agreement's dates follow its meeting, and a done agreement says when it was done.

Each rule is checked on the service path (what the portal and the admin go through) and,
where a database constraint can hold it, on the database path too.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from coordination.models import Agreement
from coordination.services import record_agreement, set_agreement_status
from ogp_portal.service_errors import InvalidInput, NotFound
from tests.factories import (
    AgreementFactory,
    CoordinationSpaceFactory,
    InstitutionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2024, 3, 14)


@pytest.fixture
def meeting():
    return MeetingFactory(date=datetime.datetime(2024, 3, 14, 11, tzinfo=datetime.UTC))


def test_an_agreement_due_on_or_after_the_meeting_is_recorded(meeting):
    agreement = record_agreement(
        meeting=meeting,
        text="Publicar la minuta",
        responsible=InstitutionFactory(),
        due_date=MEETING_DAY,
    )

    assert agreement.pk is not None
    assert agreement.status == Agreement.Status.PENDING


def test_the_service_refuses_a_due_date_before_the_meeting(meeting):
    # InvalidInput, the typed refusal every channel translates (a ValidationError too).
    with pytest.raises(InvalidInput) as error:
        record_agreement(
            meeting=meeting,
            text="Imposible",
            responsible=InstitutionFactory(),
            due_date=MEETING_DAY - datetime.timedelta(days=1),
        )

    assert "due_date" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_the_meeting_day_is_read_in_mexico_city_time():
    # 02:00 UTC on the 15th is still the 14th in Mexico City.
    late_meeting = MeetingFactory(date=datetime.datetime(2024, 3, 15, 2, tzinfo=datetime.UTC))

    agreement = record_agreement(
        meeting=late_meeting,
        text="Mismo día local",
        responsible=InstitutionFactory(),
        due_date=MEETING_DAY,
    )

    assert agreement.due_date == MEETING_DAY


def test_the_service_refuses_done_without_a_done_date(meeting):
    agreement = AgreementFactory(meeting=meeting)

    with pytest.raises(InvalidInput) as error:
        set_agreement_status(agreement=agreement, status=Agreement.Status.DONE)

    assert "done_date" in error.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PENDING


def test_the_service_refuses_a_done_date_before_the_meeting(meeting):
    agreement = AgreementFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        set_agreement_status(
            agreement=agreement,
            status=Agreement.Status.DONE,
            done_date=MEETING_DAY - datetime.timedelta(days=3),
        )

    assert "done_date" in error.value.message_dict


def test_the_service_says_not_found_for_an_agreement_deleted_meanwhile(meeting):
    agreement = AgreementFactory(meeting=meeting)
    Agreement.objects.filter(pk=agreement.pk).delete()

    with pytest.raises(NotFound):
        set_agreement_status(
            agreement=agreement, status=Agreement.Status.DONE, done_date=MEETING_DAY
        )


def test_the_service_marks_an_agreement_done_with_its_date(meeting):
    agreement = AgreementFactory(meeting=meeting)

    done = set_agreement_status(
        agreement=agreement, status=Agreement.Status.DONE, done_date=MEETING_DAY
    )

    done.refresh_from_db()
    assert (done.status, done.done_date) == (Agreement.Status.DONE, MEETING_DAY)


def test_reopening_an_agreement_clears_nothing_silently(meeting):
    agreement = AgreementFactory(meeting=meeting)
    set_agreement_status(agreement=agreement, status=Agreement.Status.DONE, done_date=MEETING_DAY)

    with pytest.raises(ValidationError):
        set_agreement_status(
            agreement=agreement, status=Agreement.Status.IN_PROGRESS, done_date=MEETING_DAY
        )

    reopened = set_agreement_status(agreement=agreement, status=Agreement.Status.IN_PROGRESS)
    assert reopened.done_date is None


def test_the_database_refuses_done_without_a_done_date(meeting):
    agreement = AgreementFactory(meeting=meeting)

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)


def test_the_database_refuses_a_done_date_on_an_open_agreement(meeting):
    agreement = AgreementFactory(meeting=meeting)

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(done_date=MEETING_DAY)


def test_the_database_refuses_an_unknown_status(meeting):
    agreement = AgreementFactory(meeting=meeting)

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status="forgotten")


def test_the_admin_form_path_applies_the_meeting_date_rule(meeting):
    # The admin's model forms call full_clean(), which runs the same clean().
    agreement = Agreement(
        meeting=meeting,
        text="x",
        responsible=InstitutionFactory(),
        due_date=MEETING_DAY - datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert "due_date" in error.value.message_dict


def test_the_admin_refuses_a_new_meeting_whose_agreement_is_due_before_it(admin_client):
    space, institution = CoordinationSpaceFactory(), InstitutionFactory()
    data = {
        "space": space.pk,
        "title": "Sesión con acuerdo imposible",
        "date_0": "2024-03-14",
        "date_1": "11:00:00",
        "modality": "in_person",
        "place": "Sala 1",
        "link": "",
        "minutes": "",
        "agenda_items-TOTAL_FORMS": 0,
        "agenda_items-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
        "agreements-TOTAL_FORMS": 1,
        "agreements-INITIAL_FORMS": 0,
        "agreements-0-text": "Entregar antes de la sesión",
        "agreements-0-responsible": institution.pk,
        "agreements-0-due_date": "2024-03-01",
        "agreements-0-status": "pending",
        "agreements-0-done_date": "",
    }

    response = admin_client.post(reverse("admin:coordination_meeting_add"), data)

    assert response.status_code == 200  # the form comes back with errors
    assert "no puede ser anterior a la sesión" in response.content.decode()
    assert not Agreement.objects.exists()

    data["agreements-0-due_date"] = "2024-03-20"
    assert admin_client.post(reverse("admin:coordination_meeting_add"), data).status_code == 302
    assert Agreement.objects.get().due_date == datetime.date(2024, 3, 20)
