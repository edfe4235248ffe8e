"""Co-validation: organisations assess reported progress beside what the government reports."""

import pytest
from django.urls import reverse

from indicators.models import CommitmentIndicator
from reviews.models import Assessment
from tests.commitments.worlds import progress_data
from tests.factories import MilestoneFactory, ProgressReportFactory

from .helpers import commitment, editor_of, reviewer

pytestmark = pytest.mark.django_db


def assess(client, report, verdict, justification="Visitamos la obra."):
    return client.post(
        reverse("reviews:assess", args=["informe", report.pk]),
        {"verdict": verdict, "justification": justification},
    )


def test_an_assessment_appears_beside_the_report(client):
    report = ProgressReportFactory(summary="Se publicó el portal de datos.")
    client.force_login(reviewer())

    response = assess(client, report, "dispute", "El portal no carga desde marzo.")

    assert response.status_code == 302
    html = client.get(report.commitment.get_absolute_url()).content.decode()
    section = html[html.index(f'id="informe-{report.pk}"') :]
    government = section[: section.index("side-by-side__civil-society")]
    civil = section[section.index("side-by-side__civil-society") :]
    assert "Se publicó el portal de datos." in government
    assert "El portal no carga desde marzo." in civil
    assert "En desacuerdo</span>: 1" in civil
    assert "De acuerdo</span>: 0" in civil


def test_the_assessment_changes_the_indicator_shares(client, django_capture_on_commit_callbacks):
    record = commitment()
    first, second = (
        ProgressReportFactory(commitment=record),
        ProgressReportFactory(commitment=record),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(reviewer("una"))
        assess(client, first, "agree")
        assess(client, second, "agree")
        client.force_login(reviewer("otra"))
        assess(client, first, "dispute")
        assess(client, second, "needs_evidence")

    indicator = CommitmentIndicator.objects.get(commitment=record)
    assert str(indicator.civil_society_agreement_share) == "0.5000"
    assert str(indicator.civil_society_dispute_share) == "0.2500"
    assert indicator.is_disputed is False


def test_a_new_assessment_replaces_the_organisation_s_current_one_and_history_keeps_it(client):
    report = ProgressReportFactory()
    client.force_login(reviewer())

    assess(client, report, "needs_evidence", "Falta el acta.")
    assess(client, report, "agree", "Ya se publicó el acta.")

    current = Assessment.objects.get()
    assert current.verdict == "agree"
    assert [row.verdict for row in current.history.order_by("history_date")] == [
        "needs_evidence",
        "agree",
    ]


def test_two_people_of_one_organisation_share_one_current_assessment(client):
    from tests.factories import OrganisationFactory

    report = ProgressReportFactory()
    organisation = OrganisationFactory()
    client.force_login(reviewer("una", organisation))
    assess(client, report, "agree")
    client.force_login(reviewer("otra", organisation))
    assess(client, report, "dispute")

    assert Assessment.objects.get().verdict == "dispute"


def test_a_justification_is_required(client):
    report = ProgressReportFactory()
    client.force_login(reviewer())

    response = assess(client, report, "agree", "")

    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_an_editor_cannot_assess_and_a_reviewer_cannot_edit_progress(client):
    record = commitment()
    report = ProgressReportFactory(commitment=record)
    milestone = MilestoneFactory(commitment=record)
    client.force_login(editor_of(record))
    assert assess(client, report, "agree").status_code == 403

    client.force_login(reviewer())
    url = reverse("commitments:milestone_update", args=[record.code, milestone.pk])
    assert client.post(url, progress_data(milestone, percent_complete=90)).status_code == 403
    milestone.refresh_from_db()
    assert milestone.percent_complete == 0


def test_milestone_assessment_says_when_progress_changed_since(client):
    record = commitment()
    milestone = MilestoneFactory(commitment=record)
    client.force_login(reviewer())
    client.post(
        reverse("reviews:assess", args=["hito", milestone.pk]),
        {"verdict": "agree", "justification": "Correcto."},
    )
    page = reverse("reviews:milestone_review", args=[milestone.pk])
    assert "sobre una versión anterior" not in client.get(page).content.decode()

    type(milestone).objects.filter(pk=milestone.pk).update(version=milestone.version + 1)

    html = client.get(page).content.decode()
    assert "Correcto." in html
    assert "sobre una versión anterior del avance" in html
