"""A reporting round from start to end in a real browser: staff open it, an editor submits,
a reviewer disputes, staff close it, and the board and the frozen release show it; axe-core
finds no WCAG violation on any of the round pages on the way."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(transactional_db):
    plan = ActionPlanFactory(cycle_year=timezone.localdate().year - 1)
    commitment = CommitmentFactory(action_plan=plan, code="MX0901")
    CommitmentFactory(action_plan=plan, code="MX0902")
    editor = MembershipFactory(role=Role.GOVERNMENT_EDITOR, user__username="servidora")
    commitment.lead_institutions.add(editor.institution)
    UserFactory(username="coordinadora", is_staff=True)
    ReviewerFactory(user__username="revisora")


def switch_to(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def assert_accessible(page, found, name):
    if violations := axe_violations(page):
        found[name] = violations


def test_staff_open_an_editor_submits_a_reviewer_disputes_and_staff_freeze_the_round(page, people):
    today = timezone.localdate()
    found = {}

    switch_to(page, "coordinadora")
    page.goto("/coordinacion/rondas/")
    assert_accessible(page, found, "round list")
    page.get_by_role("link", name="Abrir una ronda").click()
    page.get_by_label("Nombre de la ronda").fill("Segundo informe de avance")
    page.get_by_label("Compromisos elegidos").check()
    page.get_by_label("Claves de los compromisos").fill("MX0901, MX0902")
    page.get_by_label("Apertura").fill((today - 10 * DAY).isoformat())
    page.get_by_label(re.compile(r"^Fecha límite")).fill((today - DAY).isoformat())
    page.get_by_label("Fin de la validación por la sociedad civil").fill(
        (today + 5 * DAY).isoformat()
    )
    assert_accessible(page, found, "open form")
    page.get_by_role("button", name="Abrir la ronda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Segundo informe de avance")
    board = page.url
    assert_accessible(page, found, "board")

    switch_to(page, "servidora")
    page.goto(board)
    page.get_by_role("link", name="Entregar informe MX0901").click()
    page.get_by_label("Fecha del informe").fill(today.isoformat())
    page.get_by_label("Resumen del avance").fill("Se publicó el portal de datos.")
    assert_accessible(page, found, "submit form")
    page.get_by_role("button", name="Entregar el informe a la ronda").click()
    expect(page.get_by_text("Se entregó el informe de MX0901 a la ronda.")).to_be_visible()
    # After the deadline (yesterday, Mexico City time): late.
    expect(page.get_by_role("row", name=re.compile("MX0901"))).to_contain_text(
        "Entregado con retraso"
    )

    switch_to(page, "revisora")
    page.goto(board)
    page.get_by_role("link", name="Validar o cuestionar MX0901").click()
    page.get_by_label("Cuestiona el avance").check()
    page.get_by_label("Razones").fill("El portal no tiene datos del segundo semestre.")
    assert_accessible(page, found, "review form")
    page.get_by_role("button", name="Registrar la valoración").click()
    expect(page.get_by_role("row", name=re.compile("MX0901"))).to_contain_text("Cuestionado")

    switch_to(page, "coordinadora")
    page.goto(board)
    page.get_by_role("button", name="Cerrar y congelar la ronda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registro congelado")
    expect(page.get_by_role("row", name=re.compile("MX0901"))).to_contain_text("Cuestionado")
    expect(page.get_by_role("row", name=re.compile("MX0902"))).to_contain_text("Pendiente")
    assert_accessible(page, found, "frozen summary")

    page.context.clear_cookies()
    page.goto(board)
    expect(page.get_by_text("Cerrada", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Datos abiertos de la ronda (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    package = json.loads(archive.read("datapackage.json"))
    assert package["title"] == "Segundo informe de avance"
    assert "El portal no tiene datos" in archive.read("round_reviews.csv").decode()
    assert_accessible(page, found, "closed board")
    page.goto("/coordinacion/rondas/comparar/")
    assert_accessible(page, found, "comparison")

    assert found == {}


def test_the_reminder_settings_pass_axe(page, people):
    switch_to(page, "servidora")
    page.goto("/coordinacion/rondas/recordatorios/")
    page.get_by_role("button", name="Dejar de recibir recordatorios").click()
    expect(page.get_by_text("Ahora no recibe recordatorios.")).to_be_visible()
    assert axe_violations(page) == []
