"""Which uploaded files are accepted as evidence, decided by their content, not their name."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
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


def _office_type(upload):
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            for part, kind in OOXML_PARTS.items():
                if part in names and "[Content_Types].xml" in names:
                    return kind
            if "mimetype" in names:
                declared = package.read("mimetype")[:100].decode("ascii", "replace").strip()
                return OPENDOCUMENT.get(declared)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def _is_csv(upload, name):
    if not name.lower().endswith(".csv"):
        return False
    data = upload.read()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
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


def validate_evidence_file(upload):
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


def stored_name(upload, kind):
    """The upload's own name (no path) with the extension of its detected type."""
    name = (upload.name or "").rsplit("/", 1)[-1][:150]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'archivo'}.{kind.extension}"
