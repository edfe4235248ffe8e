"""The three journeys of issue 8, end to end in headless Chromium: a civil servant, a
civil-society reviewer and an analyst."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from commitments.models import Commitment
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReviewerFactory,
    UserFactory,
)

from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INAI = (
    "Instituto Nacional de Transparencia, Acceso a la Información y Protección de Datos Personales"
)


@pytest.fixture
def civil_servant(mexico):
    """A government editor of INAI, a lead institution of MX0087."""
    institution = Commitment.objects.get(code="MX0087").lead_institutions.get(name=INAI)
    return MembershipFactory(
        user=UserFactory(username="servidora", first_name="Ana"),
        role=Role.GOVERNMENT_EDITOR,
        institution=institution,
    ).user


def facts_value(page, term):
    """The <dd> of a <dt> in the commitment's facts."""
    return page.locator(f"dl.facts div:has(dt:text-is('{term}')) dd").first


def test_a_civil_servant_edits_a_milestone_and_sees_the_completion_change(page, civil_servant):
    log_in(page, "servidora")
    page.goto("/compromisos/MX0087/")
    # The data file lists MX0087's key actions without their progress: no data, not 0 %.
    expect(facts_value(page, "Avance")).to_have_text("Sin información registrada")

    page.get_by_role("link", name="Registrar avance").click()
    page.get_by_role(
        "link", name=re.compile(r"^Actualizar avance\s*:\s*Elaborar un estudio")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actualizar avance")
    assert axe_violations(page) == []
    page.get_by_label("Estado").select_option(label="En proceso")
    page.get_by_label("Avance (%)").fill("60")
    page.get_by_label("Descripción del avance").fill("Estudio diagnóstico en revisión final.")
    page.get_by_role("button", name="Guardar avance").click()

    expect(page.get_by_role("status")).to_contain_text("Se guardó")
    page.get_by_role("link", name="MX0087").first.click()
    # The one milestone reported is at 60 %; the other two still have no report, and the
    # page says the figure covers one milestone of three.
    expect(facts_value(page, "Avance")).to_have_text("60 %")
    expect(facts_value(page, "Nivel de cumplimiento")).to_have_text("Sustancial")
    expect(page.locator("progress[aria-labelledby='avance-compromiso']")).to_have_attribute(
        "value", "60.00"
    )
    expect(page.locator(".commitment-progress")).to_contain_text("información de 1 de 3 hitos")
    expect(page.locator("ol.timeline")).to_contain_text("60")


def test_an_analyst_finds_the_api_docs_and_downloads_json_and_csv(page, mexico):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Documentación de la API").click()
    expect(page).to_have_url(re.compile(r"/api/docs/$"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API de Estado Abierto")
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/commitments/")

    page.go_back()
    footer = page.get_by_role("contentinfo")
    with page.expect_response(re.compile(r"/api/v1/commitments/")) as answer:
        footer.get_by_role("link", name="Compromisos en JSON").click()
    response = answer.value
    assert response.headers["content-type"] == "application/json"
    # The 87 national commitments and the local plans' commitments found in sources.
    assert response.json()["count"] == Commitment.objects.count() > 87

    found = page.request.get("/api/v1/commitments/?search=MX0087")
    assert found.headers["content-type"] == "application/json"
    [row] = json.loads(found.text())["results"]
    assert row["code"] == "MX0087"

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("contentinfo").get_by_role("link", name="Compromisos en CSV").click()
    assert download.value.suggested_filename == "commitments.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title_en"] for row in rows if row["code"] == "MX0087"] == [
        "Subnational Open Government Strategy"
    ]
    csv_head = page.request.head("/api/v1/commitments/?format=csv")
    assert csv_head.headers["content-type"] == "text/csv; charset=utf-8"


@pytest.fixture
def reviewer(mexico):
    """A civil-society reviewer, and a progress report on MX0087 to assess."""
    ProgressReportFactory(
        commitment=Commitment.objects.get(code="MX0087"),
        summary="Se instaló el espacio de coordinación nacional.",
    )
    return ReviewerFactory(
        user=UserFactory(username="revisora", first_name="Rosa"),
        institution=OrganisationFactory(name="Observatorio Ciudadano"),
    ).user


def test_a_civil_society_reviewer_comments_and_disputes_a_report(page, reviewer):
    log_in(page, "revisora")
    page.goto("/compromisos/MX0087/")
    expect(facts_value(page, "Sociedad civil")).to_have_text("Sin evaluaciones")

    comments = page.locator("section.comments")
    comments.get_by_label("Comentario").fill("El espacio se instaló, pero sin actas publicadas.")
    comments.get_by_role("button", name="Publicar comentario").click()
    expect(page.locator("section.comments")).to_contain_text("sin actas publicadas")

    report = page.locator("article.report").filter(has_text="Se instaló el espacio")
    report.get_by_text("Evaluar en nombre de mi organización").click()
    report.get_by_label("En desacuerdo").check()
    report.get_by_label("Justificación").fill("No hay actas ni lista de asistencia publicadas.")
    assert axe_violations(page) == []  # the thread and the open assessment form too
    report.get_by_role("button", name="Registrar evaluación").click()

    expect(page.get_by_role("status")).to_contain_text("Se registró la evaluación")
    report = page.locator("article.report").filter(has_text="Se instaló el espacio")
    expect(report).to_contain_text("Observatorio Ciudadano")
    expect(report).to_contain_text("No hay actas ni lista de asistencia publicadas.")
    # The recompute after the assessment stores the dispute; the page reads it.
    page.reload()
    expect(facts_value(page, "Sociedad civil")).to_have_text(
        "En disputa: 100 % de las evaluaciones, en desacuerdo"
    )
