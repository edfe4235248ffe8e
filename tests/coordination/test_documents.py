"""Meeting documents: accepted by content, not by name, and always served as downloads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import MeetingDocument
from tests.factories import MeetingDocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def document(name, content):
    return MeetingDocument(
        meeting=MeetingFactory(), title="Documento", file=SimpleUploadedFile(name, content)
    )


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("acta.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("foto.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("datos.csv", b"estado,valor\nJalisco,1\n", "text/csv"),
        (
            "minuta.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_documents_record_the_type_found_in_their_content(name, content, content_type):
    doc = document(name, content)

    doc.full_clean()

    assert doc.content_type == content_type
    assert doc.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("acta.pdf", b"<html><script>alert(1)</script></html>"),  # HTML renamed to .pdf
        ("programa.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # an executable
        ("archivo.zip", b"PK\x03\x04not really a zip"),
    ],
)
def test_documents_whose_content_is_not_accepted_are_refused(name, content):
    with pytest.raises(ValidationError) as error:
        document(name, content).full_clean()

    assert "file" in error.value.message_dict


def test_documents_are_served_as_attachments_with_their_checked_type(client):
    doc = MeetingDocumentFactory(title="Presentación de avances")

    response = client.get(doc.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="presentacion-de-avances.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
