"""The import through the API answers like the page: the same rules, 400 and 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.models import Milestone

from .helpers import MILESTONE_HEADER, csv_bytes

URL = "/api/v1/imports/"
GOOD = [MILESTONE_HEADER, ["JAL9001", "3", "Publicar datos", "", "2030-12-31", "", "", "", ""]]


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def post(client, content, *, name="hitos.csv", kind="milestones", apply=False):
    return client.post(
        URL,
        {"kind": kind, "file": SimpleUploadedFile(name, content), "apply": apply},
        format="multipart",
    )


def test_dry_run_then_apply(world):
    client = client_for(world.users["state_editor"])

    preview = post(client, csv_bytes(GOOD))
    assert preview.status_code == 200
    assert preview.json()["outcome"]["created"] == 1
    assert not Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()

    applied = post(client, csv_bytes(GOOD), apply=True)
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()
    detail = client.get(applied.json()["url"])
    assert detail.json()["outcome"]["applied"] is True


def test_row_errors_answer_400_with_row_and_column(world):
    rows = [MILESTONE_HEADER, ["NL9001", "3", "De otra entidad", "", "", "", "", "", ""]]
    response = post(client_for(world.users["state_editor"]), csv_bytes(rows), apply=True)
    assert response.status_code == 400
    (error,) = response.json()["outcome"]["errors"]
    assert (error["row"], error["column"]) == (2, "commitment")
    assert not Milestone.objects.filter(commitment=world.other_state_commitment, position=3)


@pytest.mark.parametrize(
    "name, content",
    [("hitos.csv", b""), ("hitos.txt", b"a,b"), ("hitos.csv", b"\x00\x01\x02" * 100)],
    ids=["empty", "extension", "binary"],
)
def test_bad_files_answer_400_naming_the_file(world, name, content):
    response = post(client_for(world.users["state_editor"]), content, name=name)
    assert response.status_code == 400
    assert response.json()["file"]


@pytest.mark.parametrize("who", ["reviewer", "analyst", "lead_editor"])
def test_people_who_may_not_import_get_403(world, who):
    response = post(client_for(world.users[who]), csv_bytes(GOOD), apply=True)
    assert response.status_code == 403


def test_state_editors_may_not_import_metrica_scores(world):
    header = ["state", "edition", "score", "source"]
    response = post(
        client_for(world.users["state_editor"]),
        csv_bytes([header, ["14", "2021", "0.5", "x"]]),
        kind="metrica_scores",
    )
    assert response.status_code == 403


def test_anonymous_requests_get_401(world):
    assert APIClient().post(URL, {}, format="multipart").status_code == 401


def test_someone_else_cannot_read_my_import(world):
    mine = post(client_for(world.users["state_editor"]), csv_bytes(GOOD)).json()
    other = client_for(world.users["other_state_editor"])
    assert other.get(mine["url"]).status_code == 403


def test_a_large_file_answers_202_and_is_applied_in_the_background(
    world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_FROM_BYTES = 10
    client = client_for(world.users["state_editor"])
    # Embedded, the tasks run in-process once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, csv_bytes(GOOD), apply=True)
    assert response.status_code == 202 and response.json()["status"] == "checking"

    detail = client.get(response.json()["url"]).json()
    assert detail["status"] == "applied" and detail["outcome"]["created"] == 1
    assert Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()
