"""What a meeting document is, judged by its first bytes rather than its name."""

import zipfile

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

ZIP_TYPES = {
    # Office Open XML and OpenDocument files are zip archives; their parts say which.
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


def detect_document_type(file):
    """The MIME type of an accepted document, or None when the content is not accepted."""
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_type(file)
    if _is_plain_text(head):
        return "text/csv" if file.name.lower().endswith(".csv") else "text/plain"
    return None


def _zip_document_type(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in ODF_TYPES else None
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    for prefix, content_type in ZIP_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _is_plain_text(head):
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    # Text that a browser would sniff as markup is refused outright.
    return not head.lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<"))
