"""The coordination space's pages: the space, a meeting, its printable version and the
agreements list, with overdue agreements standing out in text."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from coordination.models import Agreement, Meeting
from tests.factories import (
    ActionPlanFactory,
    AgendaItemFactory,
    AgreementFactory,
    CommitmentFactory,
    CoordinationSpaceFactory,
    InstitutionFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MemberFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return CoordinationSpaceFactory(name="Espacio de Coordinación Nacional de Gobierno Abierto")


def test_the_space_page_shows_members_meetings_and_open_agreements(client, space, days):
    member = MemberFactory(space=space, institution=InstitutionFactory(name="Instituto Garante"))
    person = RepresentativeFactory(member=member, name="Ana Pérez", email="ana@example.org")
    MemberFactory(
        space=space,
        institution=InstitutionFactory(name="Ya no integrante"),
        until=datetime.date(2021, 1, 1),
    )
    upcoming = MeetingFactory(space=space, title="Tercera sesión ordinaria", date=days(10))
    past = MeetingFactory(space=space, title="Primera sesión ordinaria", date=days(-40))
    open_agreement = AgreementFactory(meeting=past, text="Publicar el diagnóstico")
    AgreementFactory(
        meeting=past,
        text="Acuerdo cumplido",
        status=Agreement.Status.DONE,
        done_date=past.local_date,
    )

    response = client.get(reverse("coordination:space"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Instituto Garante" in html and person.name in html
    assert "ana@example.org" not in html  # representatives' e-mail is never public
    assert "Ya no integrante" not in html
    page = response.context["page"]
    assert page.upcoming_meetings == [upcoming]
    assert page.past_meetings == [past]
    assert page.open_agreements == [open_agreement]
    assert "Acuerdo cumplido" not in html
    assert reverse("coordination:calendar") in html
    assert reverse("coordination:feed") in html


def test_overdue_agreements_are_labelled_in_text(client, space, days):
    meeting = MeetingFactory(space=space, date=days(-60))
    AgreementFactory(meeting=meeting, text="Vencido y pendiente", due_date=meeting.local_date)
    AgreementFactory(
        meeting=meeting,
        text="Vencido pero cumplido",
        due_date=meeting.local_date,
        status=Agreement.Status.DONE,
        done_date=meeting.local_date,
    )
    AgreementFactory(
        meeting=meeting,
        text="Aún a tiempo",
        due_date=meeting.local_date + datetime.timedelta(days=120),
    )

    html = client.get(reverse("coordination:agreement_list")).content.decode()

    assert html.count('<span class="overdue-label">Vencido</span>') == 1
    assert html.count('class="is-overdue"') == 1


def test_the_space_page_is_not_found_when_no_space_exists(client):
    assert client.get(reverse("coordination:space")).status_code == 404


def test_the_meeting_page_shows_agenda_attendance_minutes_documents_and_agreements(client, days):
    meeting = MeetingFactory(
        date=days(-3),
        modality=Meeting.Modality.HYBRID,
        place="Sala A",
        link="https://reunion.example.org/abc",
        minutes="## Desarrollo\n\nSe aprobó el **orden del día**.",
    )
    AgendaItemFactory(meeting=meeting, position=2, title="Asuntos generales")
    AgendaItemFactory(meeting=meeting, position=1, title="Lista de asistencia")
    meeting.attendees.add(InstitutionFactory(name="Secretaría de la Función Pública"))
    document = MeetingDocumentFactory(meeting=meeting, title="Presentación")
    agreement = AgreementFactory(meeting=meeting, text="Enviar la minuta")
    agreement.commitments.add(CommitmentFactory(code="MX0087"))

    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Lista de asistencia") < html.index("Asuntos generales")
    assert "Secretaría de la Función Pública" in html
    assert "<h2>Desarrollo</h2>" in html and "<strong>orden del día</strong>" in html
    assert document.get_absolute_url() in html
    assert "Enviar la minuta" in html and "MX0087" in html
    assert "Híbrida" in html and "https://reunion.example.org/abc" in html
    assert reverse("coordination:meeting_print", args=[meeting.pk]) in html


def test_the_printable_meeting_has_agenda_and_minutes_without_the_site_navigation(client):
    meeting = MeetingFactory(minutes="Texto de la minuta.")
    AgendaItemFactory(meeting=meeting, title="Bienvenida")

    response = client.get(reverse("coordination:meeting_print", args=[meeting.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bienvenida" in html and "Texto de la minuta." in html
    assert 'class="site-nav"' not in html
    assert "css/portal.css" in html


def test_an_unknown_meeting_is_not_found(client):
    assert client.get(reverse("coordination:meeting_detail", args=[999])).status_code == 404


# --- Agreements list ----------------------------------------------------------------


@pytest.fixture
def agreements(days):
    meeting = MeetingFactory(date=days(-60))
    alpha, beta = InstitutionFactory(name="Alfa"), InstitutionFactory(name="Beta")
    return {
        "overdue": AgreementFactory(
            meeting=meeting, responsible=alpha, text="Uno vencido", due_date=meeting.local_date
        ),
        "in_progress": AgreementFactory(
            meeting=meeting,
            responsible=beta,
            text="Dos en proceso",
            status=Agreement.Status.IN_PROGRESS,
            due_date=meeting.local_date + datetime.timedelta(days=365),
        ),
        "done": AgreementFactory(
            meeting=meeting,
            responsible=alpha,
            text="Tres cumplido",
            status=Agreement.Status.DONE,
            done_date=meeting.local_date,
        ),
        "alpha": alpha,
    }


def listed(client, **params):
    response = client.get(reverse("coordination:agreement_list"), params)
    assert response.status_code == 200
    return [agreement.text for agreement in response.context["agreements"]]


def test_the_agreement_list_filters_by_status(client, agreements):
    assert listed(client, estado="in_progress") == ["Dos en proceso"]
    assert listed(client, estado="done") == ["Tres cumplido"]


def test_the_agreement_list_filters_overdue(client, agreements):
    assert listed(client, vencidos="on") == ["Uno vencido"]


def test_the_agreement_list_filters_by_responsible_institution(client, agreements):
    assert sorted(listed(client, responsable=agreements["alpha"].pk)) == [
        "Tres cumplido",
        "Uno vencido",
    ]


def test_a_bad_filter_value_is_ignored_and_the_others_apply(client, agreements):
    assert listed(client, estado="nonsense", vencidos="on") == ["Uno vencido"]


@pytest.mark.parametrize("size", [2, 8])
def test_the_agreement_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, days, size
):
    plan = ActionPlanFactory()
    for _ in range(size):
        meeting = MeetingFactory(date=days(-10))
        for agreement in AgreementFactory.create_batch(size, meeting=meeting):
            agreement.commitments.add(CommitmentFactory(action_plan=plan))

    with django_assert_max_num_queries(5):
        assert client.get(reverse("coordination:agreement_list")).status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_the_space_and_meeting_pages_query_counts_do_not_grow(
    client, django_assert_max_num_queries, space, days, size
):
    plan = ActionPlanFactory()
    for index in range(size):
        RepresentativeFactory.create_batch(2, member=MemberFactory(space=space))
        meeting = MeetingFactory(space=space, date=days(index - size))
        MeetingFactory(space=space, date=days(index + 1))
        AgendaItemFactory.create_batch(size, meeting=meeting)
        MeetingDocumentFactory.create_batch(size, meeting=meeting)
        meeting.attendees.add(*(InstitutionFactory() for _ in range(size)))
        for agreement in AgreementFactory.create_batch(size, meeting=meeting):
            agreement.commitments.add(CommitmentFactory(action_plan=plan))

    with django_assert_max_num_queries(7):
        assert client.get(reverse("coordination:space")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_real_national_space_shows_with_no_invented_meetings(client):
    call_command("load_mexico_ogp", stdout=StringIO())

    html = client.get(reverse("coordination:space")).content.decode()

    assert "Espacio de Coordinación Nacional de Gobierno Abierto" in html
    assert "MX0087" in html
    assert "No hay sesiones programadas." in html
    assert "Aún no se han celebrado sesiones." in html


def test_the_navigation_links_to_coordination_diagnostic_and_alignment(client):
    CoordinationSpaceFactory()

    html = client.get(reverse("coordination:space")).content.decode()

    for name in ("coordination:space", "diagnostic", "alignment_matrix"):
        assert f'href="{reverse(name)}"' in html
    assert "Coordinación" in html and "Diagnóstico" in html
