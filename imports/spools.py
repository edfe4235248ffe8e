"""The rows a dry run decoded, kept beside the upload so that the apply need not decode again.

Parsing an XLSX costs openpyxl about 0.2 ms a row; the apply used to pay it a second time.
While the dry run reads the file, every row it hands to the column parsers (the row
number as the spreadsheet shows it and the cells as text, before the CSV-injection
apostrophe is undone, which the parsers do) is written, row by row, to a gzip'd CSV in
the upload's own storage, next to the upload (`<upload>.filas.csv.gz`), so that a worker
on another machine finds it too. The apply reads that spool instead of the file, and
still checks every row against the database; only the decoding is skipped.

A spool is used only when it is whole and belongs to this very upload: its first row
names the upload's SHA-256 and size, and its last line is an HMAC (keyed with
SECRET_KEY and the upload's digest) of everything before it, checked before the apply
reads a row. Anything else (missing, stale, cut short, edited) and the apply parses the
file as before. Bump VERSION when `imports.files` changes what a cell decodes to.
"""

import contextlib
import csv
import gzip
import hashlib
import hmac
import io
import logging
import tempfile
import zlib
from collections.abc import Iterable, Iterator

from django.core.files import File
from django.utils.crypto import salted_hmac

from .files import Table

VERSION = "1"
MAGIC = "ogp-import-spool"
SUFFIX = ".filas.csv.gz"
END = b"#fin,"
# END, the HMAC's 64 hex digits and csv's line ending.
TRAILER_BYTES = len(END) + 64 + 2
CHUNK_BYTES = 1024 * 1024
# Cells are text as Python holds it; an XLSX may hold lone surrogates, which utf-8 refuses.
ERRORS = "surrogatepass"
logger = logging.getLogger(__name__)


def spool_name(upload_name: str) -> str:
    return upload_name + SUFFIX


def upload_digest(file) -> str:
    """`sha256:size` of the upload (a binary file object), read from its start."""
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := file.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return f"{digest.hexdigest()}:{size}"


def _mac(digest: str):
    return salted_hmac(f"imports.spools.{VERSION}", digest, algorithm="sha256")


class _Signed(io.RawIOBase):
    """Compresses what it is given and feeds it to the HMAC on the way."""

    def __init__(self, target, mac) -> None:
        self.target = target
        self.mac = mac

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.mac.update(data)
        self.target.write(data)
        return len(data)


class SpoolWriter:
    """Writes the table's rows to a local temporary file while they pass to the dry run;
    `save` copies it into the upload's storage once every row went through."""

    def __init__(self, *, digest: str, table: Table) -> None:
        self.digest = digest
        self.table = table
        self.complete = False
        self.broken = False
        self.mac = _mac(digest)
        self.parts: list = []
        try:
            # Closed text first: the text flushes into the gzip, the gzip into the file.
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
            self.parts.insert(0, self.file)
            self.gzip = gzip.GzipFile(fileobj=self.file, mode="wb", compresslevel=1)
            self.parts.insert(0, self.gzip)
            self.text = io.TextIOWrapper(
                io.BufferedWriter(_Signed(self.gzip, self.mac), CHUNK_BYTES),
                encoding="utf-8",
                errors=ERRORS,
                newline="",
            )
            self.parts.insert(0, self.text)
            self.writer = csv.writer(self.text)
            self.writer.writerow(
                [MAGIC, VERSION, digest, table.format, table.encoding, table.expected_rows or ""]
            )
            self.writer.writerow(table.header)
        except Exception:
            logger.exception("Import spool not started")
            self.broken = True

    def rows(self, rows: Iterable[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object]]]:
        """The same rows, written down as they pass; a spool that cannot be written is
        given up, never the dry run."""
        for number, cells in rows:
            if not self.broken:
                try:
                    self.writer.writerow([number, *cells])
                except Exception:
                    logger.exception("Import spool abandoned")
                    self.broken = True
            yield number, cells
        self.complete = True

    def save(self, storage, name: str) -> bool:
        """Store the spool as `name` when every row was written; False when it was not."""
        if not self.complete or self.broken:
            return False
        try:
            self.text.close()  # flushed into the HMAC and the gzip, which stays open
            self.gzip.write(END + self.mac.hexdigest().encode() + b"\r\n")
            self.gzip.close()
            self.file.seek(0)
            storage.delete(name)  # a spool of an earlier delivery of the same check
            saved = storage.save(name, File(self.file, name=name))
        except Exception:
            logger.exception("Import spool not saved")
            return False
        if saved != name:  # the storage chose another name: the apply would not find it
            storage.delete(saved)
            return False
        return True

    def close(self) -> None:
        for part in self.parts:
            with contextlib.suppress(Exception):
                part.close()


def delete(storage, upload_name: str) -> None:
    with contextlib.suppress(Exception):
        storage.delete(spool_name(upload_name))


def _whole(storage, name: str, digest: str) -> bool:
    """Is the spool whole and written for this upload? Read once, before any row is used."""
    mac = _mac(digest)
    tail = b""
    try:
        with storage.open(name, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            while chunk := unzipped.read(CHUNK_BYTES):
                data = tail + chunk
                mac.update(data[:-TRAILER_BYTES])
                tail = data[-TRAILER_BYTES:]
    except (OSError, EOFError, zlib.error):
        return False
    expected = END + mac.hexdigest().encode() + b"\r\n"
    return hmac.compare_digest(tail, expected)


@contextlib.contextmanager
def reading(storage, upload_name: str, digest: str) -> Iterator[Table | None]:
    """The dry run's table of this upload, or None when there is no spool to trust."""
    name = spool_name(upload_name)
    try:
        found = storage.exists(name) and _whole(storage, name, digest)
    except Exception:
        logger.exception("Import spool unreadable")
        found = False
    if not found:
        yield None
        return
    with (
        storage.open(name, "rb") as raw,
        gzip.GzipFile(fileobj=raw, mode="rb") as unzipped,
        io.TextIOWrapper(unzipped, encoding="utf-8", errors=ERRORS, newline="") as text,
    ):
        reader = csv.reader(text)
        magic, version, written_for, file_format, encoding, expected = next(reader)
        if (magic, version, written_for) != (MAGIC, VERSION, digest):
            yield None  # signed for this upload yet says otherwise: not ours to read
            return
        header = next(reader)

        def rows() -> Iterator[tuple[int, list[object]]]:
            for number, *cells in reader:
                if number == END[:-1].decode():
                    return
                yield int(number), list(cells)

        yield Table(
            header=header,
            rows=rows(),
            format=file_format,
            encoding=encoding,
            expected_rows=int(expected) if expected else None,
        )
