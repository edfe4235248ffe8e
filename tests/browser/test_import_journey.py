"""Issue 13's journey in headless Chromium: a state's editor brings a plan in from the
portal's own spreadsheet template, meets one row error, fixes it and sees the plan."""

import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Role
from commitments.models import ActionPlan, Institution
from tests.factories import MembershipFactory, StateFactory, UserFactory

from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def state_editor(transactional_db):
    jalisco = StateFactory(inegi_code="14", short_name="Jalisco", slug="jalisco")
    ActionPlan.objects.create(
        scope="state",
        state=jalisco,
        cycle_year=2030,
        title="Plan de Acción Local de Jalisco 2030",
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2031, 12, 31),
        status="active",
    )
    office = Institution.objects.create(
        name="Secretaría de Transparencia de Jalisco", kind="government", state=jalisco
    )
    return MembershipFactory(
        user=UserFactory(username="editora-jalisco"),
        role=Role.GOVERNMENT_EDITOR,
        institution=office,
    ).user


def download_template(page, title, folder):
    page.goto("/importar/")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Plantilla: {title}").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def fill(path, rows):
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(name) for name in header])
    workbook.save(path)
    return path


def upload(page, kind, path):
    page.goto("/importar/")
    page.get_by_label("Qué contiene el archivo").select_option(label=kind)
    page.get_by_label(re.compile(r"^Archivo")).set_input_files(path)
    page.get_by_role("button", name="Revisar el archivo").click()


def facts_value(page, term):
    return page.locator(f"dl.facts div:has(dt:text-is('{term}')) dd").first


def milestone(code, position, title, due):
    return {"commitment": code, "position": position, "title": title, "due_date": due}


def test_a_state_editor_imports_two_commitments_and_five_milestones(page, state_editor, tmp_path):
    log_in(page, "editora-jalisco")
    page.goto("/importar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importar desde una hoja de cálculo")
    assert axe_violations(page) == []

    commitments = fill(
        download_template(page, "Compromisos", tmp_path),
        [
            {
                "code": "JAL2030-01",
                "state": "Jalisco",
                "cycle_year": 2030,
                "title_es": "Datos abiertos de obra pública",
                "lead_institutions": "Secretaría de Transparencia de Jalisco",
            },
            {
                "code": "JAL2030-02",
                "state": "14",
                "cycle_year": 2030,
                "title_es": "Presupuesto participativo",
            },
        ],
    )
    rows = [
        milestone("JAL2030-01", 1, "Inventario de obras", "2030-03-31"),
        milestone("JAL2030-01", 2, "Portal de datos", "2030-09-30"),
        milestone("JAL2030-01", 3, "Evaluación ciudadana", "2031-03-31"),
        milestone("JAL2030-02", 1, "Foros municipales", "2030-30-06"),  # month 30
        milestone("JAL2030-02", 2, "Votación de proyectos", "2030-11-30"),
    ]
    milestones = fill(download_template(page, "Hitos", tmp_path), rows)

    upload(page, "Compromisos", commitments)
    expect(facts_value(page, "Se crearían")).to_have_text("2")
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_role("status")).to_contain_text("Se aplicó el archivo completo")

    upload(page, "Hitos", milestones)
    expect(facts_value(page, "Errores")).to_have_text("1")
    error_row = page.get_by_role("row").filter(has_text="due_date")
    expect(error_row).to_contain_text("5")
    expect(error_row).to_contain_text("2030-30-06")
    expect(page.get_by_role("button", name="Confirmar e importar")).to_have_count(0)
    assert axe_violations(page) == []

    rows[3]["due_date"] = "2030-06-30"
    fixed = tmp_path / "hitos-corregidos.xlsx"
    fill(download_template(page, "Hitos", tmp_path).rename(fixed), rows)
    upload(page, "Hitos", fixed)
    expect(facts_value(page, "Se crearían")).to_have_text("5")
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_role("status")).to_contain_text("Se aplicó el archivo completo")

    page.get_by_role("link", name="Ver la página de Jalisco").click()
    plan = (
        page.locator("section, article, div")
        .filter(has=page.get_by_role("heading", name="Plan de Acción Local de Jalisco 2030"))
        .last
    )
    expect(plan).to_contain_text("Datos abiertos de obra pública")
    expect(plan).to_contain_text("Foros municipales")
