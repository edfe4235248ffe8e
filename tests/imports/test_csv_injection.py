"""Exported text never runs as a formula in a spreadsheet; the import undoes the escape."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ogp_portal.user_text import csv_cell, csv_cell_undone
from tests.factories import CommitmentFactory


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+52 33", "-Open budgets", "@SUM(A1)", "\tcmd", "\rcmd", "'=already", "''=x"],
)
def test_formula_starts_get_an_apostrophe_that_the_import_removes(text):
    escaped = csv_cell(text)
    assert escaped.startswith("'")
    assert csv_cell_undone(escaped) == text


@pytest.mark.parametrize("text", ["Plan 2030", "'quoted", "", "50%", "O'Higgins"])
def test_ordinary_text_is_left_alone(text):
    assert csv_cell(text) == text
    assert csv_cell_undone(text) == text


def test_csv_and_xlsx_exports_of_the_api_escape_formulas(client, db):
    CommitmentFactory(code="JAL0001", title_es='=HYPERLINK("http://malo.example","clic")')

    response = client.get(reverse("api:v1:commitment-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["title_es"] == '\'=HYPERLINK("http://malo.example","clic")'

    response = client.get(reverse("api:v1:commitment-list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("title_es") + 1)
    assert cell.data_type == "s"  # text, not a formula
    assert cell.value == '\'=HYPERLINK("http://malo.example","clic")'
