"""The API's writes in the same role × action × scope matrix as the pages.

The roles, scopes and allowed scopes are the pages' own (tests.commitments.
test_permission_matrix), so the API and the pages are checked against one table. The
matrix also fails when an API route accepts a write that is not classified here.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.models import Evidence, ProgressReport
from reviews.models import Assessment, Comment
from tests.commitments.test_permission_matrix import (
    ALLOWED_SCOPES,
    COMMENTERS,
    PDF,
    SCOPES,
    commitment_in,
    milestone_of,
)
from tests.commitments.worlds import build_world
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


def update_milestone(client, commitment):
    milestone = milestone_of(commitment)
    return client.patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"percent_complete": 55, "status": "in_progress"},
        format="json",
        HTTP_IF_MATCH=f'"{milestone.version}"',
    )


def upload_evidence(client, commitment):
    milestone = milestone_of(commitment)
    return client.patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"version": milestone.version, "evidence_file": SimpleUploadedFile("acta.pdf", PDF)},
        format="multipart",
    )


def add_report(client, commitment):
    return client.post(
        f"/api/v1/commitments/{commitment.code}/progress-reports/",
        {"date": "2030-05-01", "summary": "Avance del mes.", "evidence_url": "https://x.org/a"},
        format="json",
    )


def comment_on_commitment(client, commitment):
    return client.post(
        "/api/v1/comments/", {"commitment": commitment.code, "body": "Vía API."}, format="json"
    )


def comment_on_milestone(client, commitment):
    milestone = milestone_of(commitment)
    return client.post(
        "/api/v1/comments/", {"milestone": milestone.pk, "body": "Vía API."}, format="json"
    )


def assess_report(client, commitment):
    report = ProgressReportFactory(commitment=commitment, summary="Informe a evaluar.")
    return client.post(
        "/api/v1/assessments/",
        {"progress_report": report.pk, "verdict": "dispute", "justification": "Sin evidencia."},
        format="json",
    )


def assess_milestone(client, commitment):
    milestone = milestone_of(commitment)
    return client.post(
        "/api/v1/assessments/",
        {"milestone": milestone.pk, "verdict": "agree", "justification": "Lo constatamos."},
        format="json",
    )


def happened(action, commitment):
    first = milestone_of(commitment)
    return {
        update_milestone: lambda: first.percent_complete == 55,
        upload_evidence: lambda: Evidence.objects.filter(milestone__commitment=commitment).exists(),
        add_report: lambda: (
            ProgressReport.objects.exclude(summary="Informe a evaluar.")
            .filter(commitment=commitment)
            .exists()
        ),
        comment_on_commitment: lambda: Comment.objects.filter(commitment=commitment).exists(),
        comment_on_milestone: lambda: Comment.objects.filter(milestone=first).exists(),
        assess_report: lambda: Assessment.objects.filter(
            commitment=commitment, progress_report__isnull=False
        ).exists(),
        assess_milestone: lambda: Assessment.objects.filter(milestone=first).exists(),
    }[action]()


# (route name, HTTP method) -> the actions that exercise it.
WRITE_ROUTES = {
    ("v1:milestone-detail", "PATCH"): [update_milestone, upload_evidence],
    ("v1:commitment-progress-reports", "POST"): [add_report],
    ("v1:comment-list", "POST"): [comment_on_commitment, comment_on_milestone],
    ("v1:assessment-list", "POST"): [assess_report, assess_milestone],
}
ALL_ACTIONS = [action for actions in WRITE_ROUTES.values() for action in actions]

# Who may do each action in which scope. Progress: the pages' scope table. Comments and
# assessments are not tied to a scope: commenters (reviewers, editors, staff) comment on
# any commitment, civil-society reviewers assess any; everyone else nowhere.
REVIEW_ACTIONS = {
    comment_on_commitment: COMMENTERS,
    comment_on_milestone: COMMENTERS,
    assess_report: {"reviewer"},
    assess_milestone: {"reviewer"},
}


def allowed_scopes(role, action):
    if action in REVIEW_ACTIONS:
        return set(SCOPES) if role in REVIEW_ACTIONS[action] else set()
    return ALLOWED_SCOPES[role]


UNSAFE = {"post", "put", "patch", "delete"}


def api_write_routes():
    """(namespaced route name, method) of every unsafe method a viewset under api.v1 accepts."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, child)
                continue
            actions = getattr(pattern.callback, "actions", None) or {}
            module = getattr(pattern.callback, "__module__", "")
            if module.startswith("api.") and pattern.name:
                for method in set(actions) & UNSAFE:
                    found.add((namespace.removeprefix("api:") + pattern.name, method.upper()))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_write_is_in_the_matrix():
    assert api_write_routes() == set(WRITE_ROUTES), "new API write: add it to the matrix"


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda action: action.__name__)
@pytest.mark.parametrize("role", sorted(ALLOWED_SCOPES))
def test_role_may_write_through_the_api_only_in_its_scope(settings, tmp_path, role, action):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = token_client(world.users[role])

    for scope in SCOPES:
        commitment = commitment_in(world, scope)
        response = action(client, commitment)
        commitment.refresh_from_db()

        if scope in allowed_scopes(role, action):
            assert response.status_code in (200, 201), (role, scope, response.content)
            assert happened(action, commitment), (role, scope)
        else:
            assert response.status_code == 403, (role, scope, response.status_code)
            assert not happened(action, commitment), (role, scope)


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda action: action.__name__)
def test_anonymous_api_write_is_401_and_changes_nothing(action):
    world = build_world()
    client = APIClient()
    for scope in SCOPES:
        commitment = commitment_in(world, scope)
        response = action(client, commitment)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert not happened(action, commitment)
