"""Evidence: links and files; files are accepted by their content, limited in size, stored
under sanitised names and always downloaded, never rendered."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Evidence, ProgressReport
from tests.commitments.worlds import build_world, progress_data

pytestmark = pytest.mark.django_db


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


OOXML = {"[Content_Types].xml": "<Types/>"}
ALLOWED = {
    "acta.pdf": (b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    "foto.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
    "foto.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
    "foto.webp": (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, "image/webp"),
    "minuta.docx": (
        zipped({**OOXML, "word/document.xml": "<w/>"}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "datos.xlsx": (
        zipped({**OOXML, "xl/workbook.xml": "<x/>"}),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "lamina.pptx": (
        zipped({**OOXML, "ppt/presentation.xml": "<p/>"}),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "minuta.odt": (
        zipped({"mimetype": "application/vnd.oasis.opendocument.text"}),
        "application/vnd.oasis.opendocument.text",
    ),
    "datos.ods": (
        zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "datos.csv": ("año,municipio,avance\n2030,Guadalajara,40\n".encode(), "text/csv"),
}
REFUSED = {
    "html disguised as pdf": ("informe.pdf", b"<html><script>alert(1)</script></html>"),
    "program disguised as png": ("foto.png", b"MZ\x90\x00\x03\x00\x00\x00"),
    "zip that is not a document": ("minuta.docx", zipped({"otra/cosa.txt": "x"})),
    "csv that is not utf-8": ("datos.csv", "año,municipio\n".encode("latin-1")),
    "csv with binary bytes": ("datos.csv", b"a,b\n\x00\x01\n"),
    "text with another extension": ("notas.txt", b"solo texto"),
    "svg image": ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
}


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def editor(client, world):
    client.force_login(world.users["lead_editor"])
    return client


def post_with_file(client, milestone, name, data):
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])
    payload = progress_data(milestone)
    payload[f"hito-{milestone.pk}-evidence_file"] = SimpleUploadedFile(name, data)
    return client.post(url, payload)


def first_milestone(world):
    return world.national_commitment.milestones.order_by("position").first()


@pytest.mark.parametrize("name", ALLOWED)
def test_each_allowed_type_is_accepted_by_its_content(editor, world, name):
    data, content_type = ALLOWED[name]

    response = post_with_file(editor, first_milestone(world), name, data)

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == content_type
    assert evidence.size == len(data)
    assert evidence.uploaded_by == world.users["lead_editor"]


@pytest.mark.parametrize(("name", "data"), REFUSED.values(), ids=REFUSED)
def test_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_saved(
    editor, world, name, data
):
    milestone = first_milestone(world)

    response = post_with_file(editor, milestone, name, data)

    assert response.status_code == 400
    assert "El tipo de archivo no está permitido" in response.content.decode()
    assert not Evidence.objects.exists()
    milestone.refresh_from_db()
    assert milestone.version == 1


def test_a_file_over_the_size_limit_is_refused(editor, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024

    response = post_with_file(
        editor, first_milestone(world), "acta.pdf", b"%PDF-1.4\n" + b"0" * 1100
    )

    assert response.status_code == 400
    assert "el máximo es 1.0" in response.content.decode()
    assert not Evidence.objects.exists()


def test_stored_names_are_sanitised_behind_a_random_prefix(editor, world):
    post_with_file(
        editor, first_milestone(world), "../../mi informe (final).pdf", ALLOWED["acta.pdf"][0]
    )
    post_with_file(editor, first_milestone(world), "foto.exe", ALLOWED["foto.png"][0])

    pdf, png = Evidence.objects.order_by("pk")
    assert pdf.file.name.startswith("evidencias/")
    assert pdf.file.name.endswith("-mi_informe_final.pdf")
    assert ".." not in pdf.file.name
    assert pdf.original_name == "mi informe (final).pdf"
    # The extension follows the content, whatever the name said.
    assert png.file.name.endswith("-foto.png")
    assert png.original_name == "foto.png"


def test_download_is_an_attachment_with_nosniff(editor, world, client):
    post_with_file(editor, first_milestone(world), "acta.pdf", ALLOWED["acta.pdf"][0])
    evidence = Evidence.objects.get()
    client.logout()  # downloads are public

    response = client.get(reverse("commitments:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acta.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == ALLOWED["acta.pdf"][0]


def test_a_link_is_kept_as_evidence_and_shown_on_the_commitment_page(editor, world, client):
    milestone = first_milestone(world)
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])
    editor.post(
        url,
        progress_data(
            milestone,
            evidence_title="Minuta publicada",
            evidence_url="https://www.gob.mx/minuta",
        ),
    )

    html = client.get(world.national_commitment.get_absolute_url()).content.decode()

    assert 'href="https://www.gob.mx/minuta"' in html
    assert "Minuta publicada" in html


def test_a_progress_report_with_a_file_appears_on_the_commitment_page(editor, world):
    commitment = world.national_commitment
    response = editor.post(
        reverse("commitments:progress_report_add", args=[commitment.code]),
        {
            "informe-date": "2030-06-15",
            "informe-summary": "Se publicaron los datos del primer semestre.",
            "informe-evidence_file": SimpleUploadedFile("datos.csv", ALLOWED["datos.csv"][0]),
        },
    )

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.author == world.users["lead_editor"]
    html = editor.get(commitment.get_absolute_url()).content.decode()
    assert "Se publicaron los datos del primer semestre." in html
    assert reverse("commitments:evidence_download", args=[report.evidence.get().pk]) in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"informe-date": "2029-01-01", "informe-summary": "x"}, "date", "periodo del plan"),
        (
            {"informe-date": "2030-06-15", "informe-summary": ""},
            "summary",
            "Este campo es requerido",
        ),
    ],
)
def test_a_bad_progress_report_saves_nothing(editor, world, data, field, message):
    commitment = world.national_commitment

    response = editor.post(reverse("commitments:progress_report_add", args=[commitment.code]), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_informe-{field}"' in html
    assert not ProgressReport.objects.exists()


def admin_upload(admin_client, milestone, name, data):
    return admin_client.post(
        reverse("admin:commitments_evidence_add"),
        {
            "milestone": milestone.pk,
            "kind": Evidence.Kind.FILE,
            "title": "Subida por el equipo del portal",
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_staff_uploads_in_the_admin_pass_the_same_content_check(admin_client):
    milestone = build_world().national_commitment.milestones.first()

    refused = admin_upload(admin_client, milestone, "informe.pdf", b"<html><script></script>")
    accepted = admin_upload(admin_client, milestone, "acta final.PDF", ALLOWED["acta.pdf"][0])

    assert refused.status_code == 200
    assert "El tipo de archivo no está permitido" in refused.content.decode()
    assert accepted.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.size) == (
        "application/pdf",
        len(ALLOWED["acta.pdf"][0]),
    )
    assert evidence.original_name == "acta final.pdf"
    assert evidence.file.name.endswith(".pdf")
