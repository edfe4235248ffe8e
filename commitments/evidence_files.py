"""Which uploaded files are accepted as evidence, decided by their content, not their name."""

import codecs
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EvidenceType:
    extension: str
    content_type: str


PDF = EvidenceType("pdf", "application/pdf")
PNG = EvidenceType("png", "image/png")
JPEG = EvidenceType("jpg", "image/jpeg")
WEBP = EvidenceType("webp", "image/webp")
CSV = EvidenceType("csv", "text/csv")
DOCX = EvidenceType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = EvidenceType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = EvidenceType(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
ODT = EvidenceType("odt", "application/vnd.oasis.opendocument.text")
ODS = EvidenceType("ods", "application/vnd.oasis.opendocument.spreadsheet")

# Office Open XML packages are recognised by the part every such document must have.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
OPENDOCUMENT = {ODT.content_type: ODT, ODS.content_type: ODS}

ALLOWED_DESCRIPTION = _("PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS o CSV")
UNKNOWN_TYPE = _("El tipo de archivo no está permitido. Se aceptan: %(allowed)s.")


# Bounds on the work an uploaded package may cause, checked on the central directory's
# declared sizes before any member is inflated (a 1 MB file may declare a 1 GB member).
MAX_MEMBERS = 5_000
MAX_DECLARED_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all members together
MAX_RATIO = 500  # uncompressed / compressed of one member; office XML stays far below
RATIO_EXEMPT_BELOW = 1024 * 1024  # small members may compress as well as they like
MEMBER_READ_LIMIT = 1024  # bytes ever read from a member (the ODF `mimetype` is ~50)


def _declares_a_bomb(package):
    """True when the package's declared sizes or ratios are beyond what documents need."""
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        return True
    if sum(member.file_size for member in members) > MAX_DECLARED_TOTAL:
        return True
    return any(
        (
            member.file_size >= RATIO_EXEMPT_BELOW
            and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        )
        # Deflate never grows data by more than a few bytes per block: a member larger
        # compressed than it declares to be uncompressed lies about its size.
        or member.compress_size > member.file_size + 1024
        for member in members
    )


def _office_type(upload):
    """DOCX/XLSX/PPTX/ODT/ODS from the package's names and at most a few bytes of one member.

    The member is read through a bounded stream: its declared size may lie, the read stops
    at MEMBER_READ_LIMIT bytes whatever the stream would inflate to.
    """
    try:
        with zipfile.ZipFile(upload) as package:
            if _declares_a_bomb(package):
                return None
            names = set(package.namelist())
            for part, kind in OOXML_PARTS.items():
                if part in names and "[Content_Types].xml" in names:
                    return kind
            if "mimetype" in names:
                with package.open("mimetype") as member:
                    head = member.read(MEMBER_READ_LIMIT)
                declared = head[:100].decode("ascii", "replace").strip()
                return OPENDOCUMENT.get(declared)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    except (ValueError, NotImplementedError, zlib.error):
        return None  # a corrupt or unsupported compression method
    return None


def _is_csv(upload, name):
    """UTF-8 text without NUL bytes, read in chunks (never the whole file at once)."""
    if not name.lower().endswith(".csv"):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: upload.read(64 * 1024), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_evidence_type(upload):
    """The EvidenceType of an uploaded file, found from its bytes; None when not allowed."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        if head.startswith(b"PK\x03\x04"):
            return _office_type(upload)
        if _is_csv(upload, upload.name or ""):
            return CSV
        return None
    finally:
        upload.seek(0)


def validate_evidence_file(upload: UploadedFile) -> EvidenceType:
    """Raise a ValidationError for a file too large or of a type not allowed; return its type."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("El archivo pesa %(size)s; el máximo es %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    kind = detect_evidence_type(upload)
    if kind is None:
        raise ValidationError(
            UNKNOWN_TYPE, code="file_type", params={"allowed": ALLOWED_DESCRIPTION}
        )
    return kind


def stored_name(upload: UploadedFile, kind: EvidenceType) -> str:
    """The upload's own name (no path) with the extension of its detected type."""
    name = (upload.name or "").rsplit("/", 1)[-1][:150]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'archivo'}.{kind.extension}"
