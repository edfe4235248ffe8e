"""A list's XLSX export (`?format=xlsx`, api.v1.resources); an import's template is
imports.spreadsheets'.

openpyxl's write-only mode (rows are streamed to a temporary file, memory stays flat), the
same columns as the CSV; text that a spreadsheet would run as a formula is written with an
apostrophe in front, as in the CSV. Below every app, as `ogp_portal.tables`.
"""

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_cell(sheet, value):
    # A string cell, never a formula, whatever it begins with.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def export_file(resource, queryset=None):
    """The resource's rows as an XLSX in a temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=resource.name[:31])
    sheet.append([text_cell(sheet, name) for name in resource.header()])
    for row in resource.rows(queryset):
        sheet.append([text_cell(sheet, value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output
