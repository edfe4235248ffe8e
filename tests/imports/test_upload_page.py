"""The upload page: a state's editor previews a file, sees errors, fixes them, applies."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commitments.models import Milestone
from imports.models import ImportBatch

from .helpers import MILESTONE_HEADER, csv_bytes

GOOD = [MILESTONE_HEADER, ["JAL9001", "3", "Publicar datos", "", "2030-12-31", "", "", "", ""]]
BAD = [MILESTONE_HEADER, ["JAL9001", "3", "Publicar datos", "", "2030-31-12", "", "", "", ""]]


def upload(client, rows, name="hitos.csv", kind="milestones"):
    return client.post(
        reverse("imports:start"),
        {"kind": kind, "file": SimpleUploadedFile(name, csv_bytes(rows))},
    )


@pytest.mark.parametrize("who", ["reviewer", "analyst", "lead_editor", "no_membership"])
def test_people_who_may_not_import_get_403_on_every_import_url(client, world, who):
    client.force_login(world.users["state_editor"])
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    client.force_login(world.users[who])
    assert client.get(reverse("imports:start")).status_code == 403
    assert client.get(reverse("imports:template", args=["milestones"])).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.get(batch.get_absolute_url()).status_code == 403
    assert client.post(reverse("imports:apply", args=[batch.pk])).status_code == 403


def test_every_import_url_is_in_the_permission_tests():
    from tests.commitments.test_permission_matrix import url_names_in

    assert url_names_in({"imports.urls"}) == {
        "imports:start",
        "imports:template",
        "imports:batch",
        "imports:apply",
    }


def test_state_editors_cannot_download_the_metrica_template(client, world):
    client.force_login(world.users["state_editor"])
    assert client.get(reverse("imports:template", args=["metrica_scores"])).status_code == 403
    assert client.get(reverse("imports:template", args=["nada"])).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, world):
    response = client.get(reverse("imports:start"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_a_state_editor_sees_the_preview_then_applies(client, world):
    client.force_login(world.users["state_editor"])
    page = client.get(reverse("imports:start"))
    assert page.status_code == 200
    assert "Calificaciones de la Métrica" not in page.text  # staff only

    response = upload(client, BAD)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    preview = client.get(batch.get_absolute_url())
    assert "2030-31-12" in preview.text and "due_date" in preview.text
    assert "Confirmar e importar" not in preview.text

    upload(client, GOOD, name="hitos-corregidos.csv")
    fixed = ImportBatch.objects.get(file_name="hitos-corregidos.csv")
    preview = client.get(fixed.get_absolute_url())
    assert "Confirmar e importar" in preview.text
    assert not Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()

    client.post(reverse("imports:apply", args=[fixed.pk]))

    fixed.refresh_from_db()
    assert fixed.status == "applied" and not fixed.file  # the upload is not kept after
    assert Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()
    result = client.get(fixed.get_absolute_url())
    assert "Se aplicó el archivo completo" in result.text
    assert reverse("states:state_detail", args=["entidad-14"]) in result.text


def test_applying_twice_applies_once(client, world):
    client.force_login(world.users["state_editor"])
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:apply", args=[batch.pk]))
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert Milestone.objects.filter(commitment=world.local_commitment).count() == 3


def test_someone_else_cannot_see_or_apply_my_import(client, world):
    client.force_login(world.users["state_editor"])
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    client.force_login(world.users["other_state_editor"])
    assert client.get(batch.get_absolute_url()).status_code == 403
    assert client.post(reverse("imports:apply", args=[batch.pk])).status_code == 403


def test_a_refused_file_says_why_on_the_page(client, world):
    client.force_login(world.users["state_editor"])
    client.post(
        reverse("imports:start"),
        {"kind": "milestones", "file": SimpleUploadedFile("hitos.pdf", b"%PDF-1.4")},
    )
    batch = ImportBatch.objects.get()
    page = client.get(batch.get_absolute_url())
    assert batch.status == "refused"
    assert "Formato no admitido" in page.text and "nada cambió" in page.text


def test_the_template_has_the_header_dropdowns_and_spanish_instructions(client, world):
    client.force_login(world.users["state_editor"])
    response = client.get(reverse("imports:template", args=["milestones"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == [
        "commitment",
        "position",
        "title",
        "start_date",
        "due_date",
        "weight",
        "status",
        "percent_complete",
        "actual_start_date",
        "actual_end_date",
        "narrative",
    ]
    (validation,) = data.data_validations.dataValidation
    assert "in_progress" in validation.formula1 and "G2" in str(validation.sqref)
    assert notes.title == "Instrucciones"
    assert "no cambie los encabezados" in " ".join(str(c.value) for c in notes["A"])
