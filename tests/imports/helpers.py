"""Files for the import tests, built in memory as an office would save them."""

import csv
import io

from openpyxl import Workbook

from imports.columns import KINDS
from imports.files import open_table
from imports.services import import_table


def csv_bytes(rows, *, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind, content, *, user, name="hitos.csv", apply=False):
    """Dry run (or apply) `content` as the file `name`; returns the Outcome."""
    table = open_table(io.BytesIO(content), name)
    return import_table(kind=KINDS[kind], table=table, user=user, file_name=name, apply=apply)


def errors_of(outcome):
    return [(error.row, error.column, error.message) for error in outcome.errors]


MILESTONE_HEADER = [
    "commitment",
    "position",
    "title",
    "start_date",
    "due_date",
    "weight",
    "status",
    "percent_complete",
    "narrative",
]
