"""Files as offices save them are read; broken or hostile files are refused, nothing changes."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from commitments.models import Milestone
from imports.files import FileRefused, open_table

from .helpers import MILESTONE_HEADER, csv_bytes, run, xlsx_bytes

TITLE = "Capacitación en señalización y participación ciudadana"
ROWS = [MILESTONE_HEADER, ["JAL9001", "3", TITLE, "", "2030-12-31", "", "", "", ""]]


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(ROWS),
        b"\xef\xbb\xbf" + csv_bytes(ROWS),  # Excel's "CSV UTF-8" starts with a BOM
        csv_bytes(ROWS, encoding="cp1252"),  # Windows-1252, as Excel saves "CSV" in Mexico
        csv_bytes(ROWS, encoding="latin-1"),
        csv_bytes(ROWS, delimiter=";"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "latin-1", "semicolons"],
)
def test_csv_encodings_are_detected_and_accents_survive(world, content):
    outcome = run("milestones", content, user=world.users["state_editor"], apply=True)
    assert outcome.applied, outcome.errors
    assert Milestone.objects.get(commitment=world.local_commitment, position=3).title == TITLE


def test_xlsx_values_are_read_never_formulas(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MILESTONE_HEADER)
    sheet.append(["JAL9001", 3, "=1+1", None, None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = run("milestones", buffer.getvalue(), user=world.users["state_editor"], name="h.xlsx")
    # openpyxl keeps no cached value for a formula nobody calculated: the cell is empty.
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "title")]


def test_xlsx_dates_and_numbers_read_as_typed(world):
    import datetime

    rows = [
        MILESTONE_HEADER,
        [
            "JAL9001",
            3,
            TITLE,
            datetime.datetime(2030, 2, 1),
            datetime.date(2030, 12, 31),
            2.0,
            "in_progress",
            40,
            "",
        ],
    ]
    outcome = run(
        "milestones", xlsx_bytes(rows), user=world.users["state_editor"], name="h.xlsx", apply=True
    )
    assert outcome.applied, outcome.errors
    milestone = Milestone.objects.get(commitment=world.local_commitment, position=3)
    assert (milestone.weight, milestone.percent_complete) == (2, 40)
    assert milestone.start_date == datetime.date(2030, 2, 1)


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def sheet_with_every_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MILESTONE_HEADER)
    sheet.cell(row=1_048_576, column=1, value="JAL9001")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("hitos.csv", b"", "vacío"),
    "wrong extension": ("hitos.pdf", b"%PDF-1.4 ...", "Formato no admitido"),
    "binary posing as csv": ("hitos.csv", bytes(range(256)) * 40, "no es un CSV de texto"),
    "xlsx posing as csv": ("hitos.csv", xlsx_bytes(ROWS), "no es un CSV de texto"),
    "csv posing as xlsx": ("hitos.xlsx", csv_bytes(ROWS), "no es un XLSX válido"),
    "zip bomb": ("hitos.xlsx", zip_bomb(), "bomba zip"),
    "1,048,576 rows": ("hitos.xlsx", sheet_with_every_row(), "más de 200,000 filas"),
    "missing header": (
        "hitos.csv",
        csv_bytes([["commitment", "title"], ["JAL9001", "x"]]),
        "Faltan las columnas: position",
    ),
    "renamed header": (
        "hitos.csv",
        csv_bytes([["commitment", "posicion", "title"], ["JAL9001", "1", "x"]]),
        "¿quiso decir «position»?",
    ),
    "extra column": (
        "hitos.csv",
        csv_bytes([[*MILESTONE_HEADER, "comentarios"], ["JAL9001", "1", "x"]]),
        "Columnas desconocidas: «comentarios»",
    ),
    "10 MB in one cell": (
        "hitos.csv",
        csv_bytes([MILESTONE_HEADER, ["JAL9001", "3", "x" * (10 * 1024 * 1024)]]),
        "más de 32,767 caracteres",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(world, case):
    name, content, message = BAD_FILES[case]
    before = list(Milestone.objects.values_list("pk", "version", "title"))
    with pytest.raises(FileRefused) as refused:
        run("milestones", content, user=world.users["state_editor"], name=name, apply=True)
    assert message in refused.value.message
    assert list(Milestone.objects.values_list("pk", "version", "title")) == before


def test_a_file_over_the_size_limit_is_refused_before_reading(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(FileRefused, match="el máximo es"):
        open_table(io.BytesIO(b"a,b\n" * 1000), "hitos.csv")


def test_a_huge_xlsx_cell_is_a_row_error(world):
    # A spreadsheet keeps at most 32,767 characters in a cell; the title allows 500.
    content = xlsx_bytes([MILESTONE_HEADER, ["JAL9001", 3, "x" * (10 * 1024 * 1024)]])
    outcome = run("milestones", content, user=world.users["state_editor"], name="h.xlsx")
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "title")]
    assert "el máximo es 500" in outcome.errors[0].message
