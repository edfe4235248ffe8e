"""Reading an uploaded CSV or XLSX as rows, with every bound checked before the work.

A file is refused as a whole (FileRefused, with a message in Spanish) when it is empty,
has the wrong extension, is binary, is a zip bomb, has too many rows or a cell bigger
than a spreadsheet allows. Rows are streamed: memory does not grow with the file.
"""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

# Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767
SNIFF_BYTES = 8192
CHUNK_BYTES = 1024 * 1024
# An XLSX is a zip of XML; real ones compress about 10:1. Far more is a bomb.
MAX_ZIP_RATIO = 200
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be read; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_rows():
    return settings.IMPORT_MAX_ROWS


def max_bytes():
    return settings.IMPORT_MAX_UPLOAD_BYTES


@dataclass
class Table:
    """A header and a stream of (row number as the spreadsheet shows it, cells)."""

    header: list[str]
    rows: Iterable[tuple[int, list[object]]]
    format: str
    encoding: str = ""
    expected_rows: int | None = None  # for the progress bar; None when unknown


def file_format(name):
    lowered = (name or "").lower()
    for extension in ("csv", "xlsx"):
        if lowered.endswith("." + extension):
            return extension
    raise FileRefused(
        _("Formato no admitido: suba un archivo .csv o .xlsx (el archivo se llama «%(name)s»).")
        % {"name": name}
    )


def open_table(file: IO[bytes], name: str) -> Table:
    """The table in `file` (a binary file object, seekable); FileRefused if it cannot be."""
    kind = file_format(name)
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise FileRefused(_("El archivo está vacío."))
    if size > max_bytes():
        raise FileRefused(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": round(size / 2**20, 1), "max": max_bytes() // 2**20}
        )
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if kind == "xlsx":
        return _xlsx_table(file, head)
    table = _csv_table(file, head)
    lines = head.count(b"\n")
    if lines > 1 and len(head) == SNIFF_BYTES:
        table.expected_rows = round(size * lines / len(head))
    elif lines:
        table.expected_rows = lines
    return table


def _check_header(raw):
    header = [str(cell).strip().lower() if cell is not None else "" for cell in raw]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise FileRefused(_("La primera fila debe tener los nombres de las columnas."))
    return header


# --- CSV ---------------------------------------------------------------------------


def _encoding(file, head):
    """utf-8-sig (Excel's "CSV UTF-8"), utf-8, or Windows-1252 as Mexican offices save."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 reads every byte.
        file.seek(0)
        try:
            while chunk := file.read(CHUNK_BYTES):
                chunk.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    finally:
        file.seek(0)


def _csv_table(file, head):
    if b"\x00" in head or head.startswith(b"PK\x03\x04"):
        raise FileRefused(
            _("El archivo no es un CSV de texto (parece binario). Guárdelo como CSV o XLSX.")
        )
    encoding = _encoding(file, head)
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    first_line = head.decode(encoding, errors="replace").splitlines()[0] if head else ""
    # Excel in a comma-decimal locale separates with ";".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = _check_header(next(reader, []))
    except csv.Error as error:
        raise FileRefused(
            _("No se pudo leer el encabezado del CSV: %(error)s") % {"error": error}
        ) from error

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                if number - 1 > max_rows():
                    raise FileRefused(_too_many_rows())
                if not any(cell.strip() for cell in cells):
                    continue
                if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                    raise FileRefused(_cell_too_big(number))
                yield number, cells
        except csv.Error as error:
            raise FileRefused(_cell_too_big(number + 1)) from error
        finally:
            text.detach()

    return Table(header=header, rows=rows(), format="csv", encoding=encoding)


def _too_many_rows():
    return _("El archivo tiene más de %(max)s filas; divídalo en varios archivos.") % {
        "max": f"{max_rows():,}"
    }


def _cell_too_big(row):
    return _(
        "La fila %(row)s tiene una celda de más de %(max)s caracteres (el límite de una "
        "celda de hoja de cálculo)."
    ) % {"row": row, "max": f"{MAX_CELL_CHARS:,}"}


# --- XLSX --------------------------------------------------------------------------


def _check_zip(file):
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise FileRefused(_("El archivo no es un XLSX válido.")) from error
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1) and (
                info.file_size > 1024 * 1024
            ):
                raise FileRefused(
                    _("El XLSX se expande demasiado al abrirlo (¿una bomba zip?); no se lee.")
                )
        if total > MAX_UNZIPPED_BYTES:
            raise FileRefused(
                _("El XLSX se expande demasiado al abrirlo (¿una bomba zip?); no se lee.")
            )
    file.seek(0)


def _xlsx_table(file, head):
    if not head.startswith(b"PK\x03\x04"):
        raise FileRefused(_("El archivo no es un XLSX válido."))
    _check_zip(file)
    from openpyxl import load_workbook

    try:
        # Read-only streams the sheet; data_only gives values, never formulas.
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        raise FileRefused(_("El archivo no es un XLSX válido.")) from error
    sheet = workbook.worksheets[0]
    declared = sheet.max_row
    if declared is not None and declared - 1 > max_rows():
        workbook.close()
        raise FileRefused(_too_many_rows())
    values = sheet.iter_rows(values_only=True)
    header = _check_header(next(values, ()))

    def rows():
        number = 1
        try:
            for cells in values:
                number += 1
                if number - 1 > max_rows():
                    raise FileRefused(_too_many_rows())
                cells = [_xlsx_value(cell) for cell in cells]
                if not any(cells):
                    continue
                if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                    raise FileRefused(_cell_too_big(number))
                yield number, cells
        finally:
            workbook.close()

    return Table(
        header=header,
        rows=rows(),
        format="xlsx",
        expected_rows=declared - 1 if declared else None,
    )


def _xlsx_value(value):
    """A cell as the text a CSV would hold (dates ISO, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
