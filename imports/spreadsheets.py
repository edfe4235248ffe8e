"""An import's XLSX template: the header, drop-downs for choice columns, instructions.

Written like a list's export (`ogp_portal.spreadsheets`, the same columns as the CSV).
"""

import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# Rows the template's drop-down lists cover.
TEMPLATE_ROWS = 5000


def template_file(kind):
    """An empty XLSX for `kind`: the header, drop-downs for choice columns, instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.name[:31]
    bold = Font(bold=True)
    for position, item in enumerate(kind.fields, start=1):
        cell = sheet.cell(row=1, column=position, value=item.column)
        cell.font = bold
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(14, len(item.column) + 2)
        if item.choices is not None:
            values = ",".join(item.choices.values)
            validation = DataValidation(
                type="list", formula1=f'"{values}"', allow_blank=not item.required
            )
            validation.error = _("Elija un valor de la lista.")
            validation.prompt = str(item.help)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instrucciones")[:31])
    notes.append([str(kind.title)])
    notes["A1"].font = bold
    notes.append([str(kind.description)])
    notes.append([_("Llene una fila por registro en la primera hoja; no cambie los encabezados.")])
    notes.append(
        [
            _(
                "Primero verá una revisión: qué se crea, qué se actualiza y cada error con su "
                "fila. Nada cambia hasta que confirme; volver a importar el mismo archivo no "
                "cambia nada."
            )
        ]
    )
    notes.append([])
    notes.append([_("Columna"), _("Obligatoria"), _("Qué va en ella")])
    for cell in notes[6]:
        cell.font = bold
    for item in kind.fields:
        notes.append(
            [
                item.column,
                _("sí") if item.required else _("no"),
                str(item.help)
                + (
                    " " + _("Valores: %(values)s.") % {"values": ", ".join(item.choices.values)}
                    if item.choices is not None
                    else ""
                ),
            ]
        )
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["C"].width = 100
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output
