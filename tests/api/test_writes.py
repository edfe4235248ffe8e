"""Progress writes through the API: versions, validation, evidence, auth and fresh reads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.middleware.csrf import _get_new_csrf_string
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.v1 import response_cache
from commitments.models import Evidence, Milestone
from indicators.services import recompute_commitments
from tests.commitments.test_permission_matrix import PDF
from tests.commitments.worlds import build_world

from .conftest import record_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def editor(world):
    client = APIClient()
    token = Token.objects.create(user=world.users["lead_editor"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def milestone(world):
    return world.national_commitment.milestones.order_by("position").first()


def patch(client, milestone, data, *, version=None, **kwargs):
    headers = {} if version is None else {"HTTP_IF_MATCH": f'"{version}"'}
    return client.patch(
        f"/api/v1/milestones/{milestone.pk}/", data, format="json", **headers, **kwargs
    )


def test_patch_with_if_match_records_progress_and_history(editor, milestone, world):
    response = patch(
        editor, milestone, {"percent_complete": 60, "narrative": "Mesa instalada"}, version=1
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["percent_complete"] == 60
    assert body["version"] == 2
    assert response["ETag"] == '"2"'
    record = Milestone.history.filter(id=milestone.pk).latest("history_id")
    assert record.history_user == world.users["lead_editor"]
    assert record.changes["percent_complete"] == [0, 60]


def test_version_field_works_like_if_match(editor, milestone):
    response = patch(editor, milestone, {"version": 1, "status": "in_progress"})
    assert response.status_code == 200


def test_missing_version_is_428_with_a_message(editor, milestone):
    response = patch(editor, milestone, {"percent_complete": 10})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Milestone.objects.get(pk=milestone.pk).version == 1


def test_stale_version_is_412_with_the_current_version_and_milestone(editor, milestone, world):
    record_progress(milestone, world.users["staff_role"], percent_complete=30)
    response = patch(editor, milestone, {"percent_complete": 90}, version=1)
    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2
    assert body["current"]["percent_complete"] == 30
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 30


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"percent_complete": -1}, "percent_complete"),
        ({"percent_complete": "mucho"}, "percent_complete"),
        ({"status": "complete", "percent_complete": 50}, "percent_complete"),
        ({"status": "terminado"}, "status"),
        (
            {"actual_start_date": "2030-03-01", "actual_end_date": "2030-02-01"},
            "actual_end_date",
        ),
        ({"actual_start_date": "2010-01-01"}, "actual_start_date"),
        ({"actual_start_date": "ayer"}, "actual_start_date"),
        ({"evidence_url": "no es un enlace"}, "evidence_url"),
        ({"position": 3}, "position"),
        ({"narrative": ["a", "b"]}, "narrative"),
    ],
)
def test_bad_input_is_400_naming_the_field(editor, milestone, data, field):
    response = patch(editor, milestone, data, version=1)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Milestone.objects.get(pk=milestone.pk).version == 1


@pytest.mark.parametrize("body", [[None, None], "texto", 3])
def test_a_body_that_is_not_an_object_is_400(editor, milestone, body):
    response = patch(editor, milestone, body, version=1)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize("header", ['"x"', '"0"', "W/"])
def test_malformed_if_match_is_400(editor, milestone, header):
    response = editor.patch(
        f"/api/v1/milestones/{milestone.pk}/", {}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()


def test_evidence_file_goes_through_the_content_checks(editor, milestone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/milestones/{milestone.pk}/"
    fake = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 not a pdf")
    response = editor.patch(url, {"version": 1, "evidence_file": fake}, format="multipart")
    assert response.status_code == 400
    assert "evidence_file" in response.json()
    assert not Evidence.objects.exists()

    good = SimpleUploadedFile("acta.pdf", PDF)
    data = {"version": 1, "evidence_title": "Acta", "evidence_file": good}
    response = editor.patch(url, data, format="multipart")
    assert response.status_code == 200, response.content
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"


def test_progress_report_with_link_evidence(editor, world):
    url = f"/api/v1/commitments/{world.national_commitment.code}/progress-reports/"
    data = {"date": "2030-05-01", "summary": "Avance", "evidence_url": "https://gob.mx/a"}
    response = editor.post(url, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["commitment"] == world.national_commitment.code
    assert body["evidence"][0]["url"] == "https://gob.mx/a"

    response = editor.post(url, {"date": "2001-01-01", "summary": "Antes"}, format="json")
    assert response.status_code == 400
    assert "date" in response.json()
    response = editor.post(url, {"date": "2030-05-01"}, format="json")
    assert response.status_code == 400
    assert "summary" in response.json()


def test_session_writes_need_the_csrf_token(world, milestone):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["lead_editor"])
    url = f"/api/v1/milestones/{milestone.pk}/"
    response = client.patch(url, {"version": 1, "percent_complete": 5}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    secret = _get_new_csrf_string()  # what the login page's cookie would hold
    client.cookies["csrftoken"] = secret
    response = client.patch(
        url, {"version": 1, "percent_complete": 5}, format="json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 200, response.content


def test_command_issues_and_rotates_tokens(world):
    out = io.StringIO()
    call_command("issue_api_token", "editora_lider", stdout=out, stderr=io.StringIO())
    first = out.getvalue().strip()
    assert Token.objects.get(user=world.users["lead_editor"]).key == first
    out = io.StringIO()
    call_command("issue_api_token", "editora_lider", "--rotate", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() != first


def test_an_edit_through_the_service_is_visible_in_the_next_cached_response(
    api, world, milestone, settings, django_capture_on_commit_callbacks
):
    settings.API_RESPONSE_CACHE_SECONDS = 60
    response_cache.bump_generation()
    commitment = world.national_commitment
    recompute_commitments(commitment_ids=[commitment.pk])
    url = f"/api/v1/milestones/{milestone.pk}/"
    indicators = "/api/v1/indicators/commitments/?commitment=" + commitment.code
    assert api.get(url).json()["percent_complete"] == 0
    assert api.get(indicators).json()["results"][0]["completion_level"] == "not_started"

    # The recompute runs on commit (eagerly in tests) and writes without model signals.
    with django_capture_on_commit_callbacks(execute=True):
        record_progress(
            milestone, world.users["staff_role"], percent_complete=100, status="complete"
        )

    assert api.get(url).json()["percent_complete"] == 100
    level = api.get(indicators).json()["results"][0]["completion_level"]
    assert level == "substantial"


def test_a_recompute_alone_makes_cached_indicators_stale(
    api, world, milestone, settings, django_capture_on_commit_callbacks
):
    """A worker's recompute writes without model signals; it must still bump the generation."""
    settings.API_RESPONSE_CACHE_SECONDS = 60
    response_cache.bump_generation()
    commitment = world.national_commitment
    url = "/api/v1/indicators/commitments/?commitment=" + commitment.code
    Milestone.objects.filter(pk=milestone.pk).update(percent_complete=100, status="complete")
    recompute_commitments(commitment_ids=[commitment.pk])
    response_cache.bump_generation()
    assert api.get(url).json()["results"][0]["completion_level"] == "substantial"

    Milestone.objects.filter(pk=milestone.pk).update(percent_complete=50, status="in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        recompute_commitments(commitment_ids=[commitment.pk])

    assert api.get(url).json()["results"][0]["completion_level"] == "limited"
