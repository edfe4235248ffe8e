"""Comments and assessments in the API: what the pages show, written through their services."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.opendata import OPEN_DATA_RESOURCES
from api.v1 import response_cache
from api.v1.resources.reviews import COMMENTS
from reviews import services
from reviews.models import Assessment, Comment
from tests.factories import (
    AssessmentFactory,
    CommentFactory,
    CommitmentFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProgressReportFactory,
    UserFactory,
)
from tests.reviews.helpers import editor_of, reviewer, staff

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Reading comments -------------------------------------------------------------


def test_a_comment_shows_sanitised_html_the_name_and_organisation_never_the_username(api):
    author = reviewer("autora@ejemplo.org")
    author.first_name, author.last_name = "Ana", "Pérez"
    author.save()
    record = CommitmentFactory()
    services.post_comment(
        user=author,
        commitment=record,
        body="Falta el **acta**. <script>alert(1)</script> [x](javascript:alert(1))",
    )

    [comment] = results(api.get("/api/v1/comments/"))

    assert comment["author_name"] == "Ana Pérez"
    assert comment["author_organisation"]["name"] == author.membership.institution.name
    assert "<strong>acta</strong>" in comment["body_html"]
    assert "<script" not in comment["body_html"] and "javascript:" not in comment["body_html"]
    assert comment["status"] == "visible"
    assert comment["target_kind"] == "commitment" and comment["commitment"] == record.code
    assert "body" not in comment  # the pages never show the Markdown source publicly
    assert "autora@ejemplo.org" not in str(comment)


def test_a_person_without_a_name_is_not_named_by_their_username(api):
    author = reviewer("sin.nombre@ejemplo.org")
    author.first_name = author.last_name = ""
    author.save()
    CommentFactory(author=author)

    [comment] = results(api.get("/api/v1/comments/"))
    csv = b"".join(api.get("/api/v1/comments/", {"format": "csv"}).streaming_content).decode()

    assert comment["author_name"] is None
    assert "sin.nombre" not in str(comment) and "sin.nombre" not in csv


def test_deleted_and_hidden_comments_keep_their_place_but_never_their_text(api):
    record = CommitmentFactory()
    author = reviewer()
    deleted = services.post_comment(user=author, commitment=record, body="Texto borrado")
    hidden = services.post_comment(user=author, commitment=record, body="Texto ofensivo")
    restored = services.post_comment(user=author, commitment=record, body="Texto restaurado")
    services.delete_comment(comment_id=deleted.pk, user=author)
    moderator = staff()
    services.hide_comment(comment_id=hidden.pk, staff_user=moderator, reason="Insultos.")
    services.hide_comment(comment_id=restored.pk, staff_user=moderator, reason="Revisión.")
    services.restore_comment(comment_id=restored.pk, staff_user=moderator, reason="Es legítimo.")

    by_id = {c["id"]: c for c in results(api.get("/api/v1/comments/"))}
    csv = b"".join(api.get("/api/v1/comments/", {"format": "csv"}).streaming_content).decode()
    detail = api.get(f"/api/v1/comments/{hidden.pk}/").json()

    assert by_id[deleted.pk]["status"] == "deleted"
    assert by_id[deleted.pk]["body_html"] is None
    assert by_id[hidden.pk]["status"] == "hidden"
    assert by_id[hidden.pk]["body_html"] is None
    assert by_id[hidden.pk]["moderation_reason"] == "Insultos."
    assert detail["body_html"] is None and detail["moderation_reason"] == "Insultos."
    assert by_id[restored.pk]["status"] == "visible"
    assert "Texto restaurado" in by_id[restored.pk]["body_html"]
    assert by_id[restored.pk]["moderation_reason"] == "Es legítimo."
    for secret in ("Texto borrado", "Texto ofensivo"):
        assert secret not in csv and secret not in str(by_id)
    assert "Insultos." in csv


def test_comment_filters(api):
    record = CommitmentFactory()
    milestone = MilestoneFactory(commitment=record)
    meeting = MeetingFactory()
    author = reviewer()
    on_record = services.post_comment(user=author, commitment=record, body="A")
    on_milestone = services.post_comment(user=author, milestone=milestone, body="B")
    on_meeting = services.post_comment(user=author, meeting=meeting, body="C")
    reply = services.post_comment(user=author, body="D", parent=on_record)
    CommentFactory()  # another commitment

    def ids(**params):
        return {c["id"] for c in results(api.get("/api/v1/comments/", params))}

    assert ids(commitment=record.code) == {on_record.pk, on_milestone.pk, reply.pk}
    assert ids(commitment=record.code, target_kind="commitment") == {on_record.pk, reply.pk}
    assert ids(milestone=milestone.pk) == {on_milestone.pk}
    assert ids(meeting=meeting.pk) == {on_meeting.pk}
    assert ids(parent=on_record.pk) == {reply.pk}
    assert reply.pk in ids(is_reply="true") and on_record.pk not in ids(is_reply="true")
    ordered = [c["id"] for c in results(api.get("/api/v1/comments/", {"ordering": "-created_at"}))]
    assert ordered[0] == max(ordered)


def test_updated_since_finds_a_comment_hidden_after_it_was_published(api):
    old = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=30))
    Comment.objects.filter(pk=old.pk).update(updated_at=old.created_at)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert results(api.get("/api/v1/comments/", {"updated_since": since})) == []

    services.hide_comment(comment_id=old.pk, staff_user=staff(), reason="Spam.")

    [changed] = results(api.get("/api/v1/comments/", {"updated_since": since}))
    assert changed["id"] == old.pk and changed["status"] == "hidden"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ordering": "body"}, "ordering"),
        ({"ordering": "author__username"}, "ordering"),
        ({"commitment": "NOEXISTE"}, "commitment"),
        ({"milestone": "x"}, "milestone"),
        ({"target_kind": "state"}, "target_kind"),
        ({"updated_since": "ayer"}, "updated_since"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_comment_filters_are_400_naming_the_parameter(api, params, field):
    response = api.get("/api/v1/comments/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_comments_cannot_be_searched(api):
    # A text search would reveal words of deleted and hidden comments.
    schema = api.get("/api/schema/", {"format": "json"}).json()
    names = {p["name"] for p in schema["paths"]["/api/v1/comments/"]["get"]["parameters"]}
    assert "search" not in names


# --- Reading assessments ----------------------------------------------------------


def test_assessments_list_and_filters(api):
    record = CommitmentFactory()
    report = ProgressReportFactory(commitment=record)
    milestone = MilestoneFactory(commitment=record)
    one, other = OrganisationFactory(name="Colectivo Uno"), OrganisationFactory()
    agree = AssessmentFactory(progress_report=report, organisation=one, verdict="agree")
    dispute = AssessmentFactory(
        progress_report=None,
        milestone=milestone,
        milestone_version=milestone.version,
        commitment=record,
        organisation=other,
        verdict="dispute",
        justification="No hay evidencia pública.",
    )
    elsewhere = AssessmentFactory()

    def ids(**params):
        return {a["id"] for a in results(api.get("/api/v1/assessments/", params))}

    assert ids() == {agree.pk, dispute.pk, elsewhere.pk}
    assert ids(commitment=record.code) == {agree.pk, dispute.pk}
    assert ids(verdict="dispute") == {dispute.pk}
    assert ids(organisation=one.pk) == {agree.pk}
    assert ids(target_kind="milestone") == {dispute.pk}
    [shown] = results(api.get("/api/v1/assessments/", {"milestone": milestone.pk}))
    assert shown == {
        **shown,
        "target_kind": "milestone",
        "milestone": milestone.pk,
        "progress_report": None,
        "commitment": record.code,
        "verdict": "dispute",
        "justification": "No hay evidencia pública.",
        "about_earlier_version": False,
    }
    assert shown["organisation"]["id"] == other.pk
    assert "reviewer" not in shown
    assert api.get("/api/v1/assessments/", {"verdict": "maybe"}).status_code == 400
    assert api.get("/api/v1/assessments/", {"ordering": "reviewer"}).status_code == 400


def test_csv_and_open_data_carry_comments_and_assessments(api):
    CommentFactory(body="Visible en datos abiertos.")
    AssessmentFactory(justification="Justificación pública.")
    names = {resource.name for resource in OPEN_DATA_RESOURCES}
    assert {"comments", "assessments"} <= names

    comments = b"".join(api.get("/api/v1/comments/", {"format": "csv"}).streaming_content)
    assessments = b"".join(api.get("/api/v1/assessments/", {"format": "csv"}).streaming_content)

    assert comments.decode().splitlines()[0] == ",".join(COMMENTS.header())
    assert "Visible en datos abiertos." in comments.decode()
    assert "Justificación pública." in assessments.decode()


# --- Writing comments -------------------------------------------------------------


def test_reviewer_posts_a_comment_and_a_reply_through_the_service(settings):
    record = CommitmentFactory()
    user = reviewer()
    client = token_client(user)

    created = client.post(
        "/api/v1/comments/", {"commitment": record.code, "body": "Falta el **acta**."}, "json"
    )
    root = created.json()["id"]
    reply = client.post(
        "/api/v1/comments/",
        {"commitment": record.code, "body": "Respuesta", "parent": root},
        format="json",
    )
    nested = client.post(
        "/api/v1/comments/",
        {
            "commitment": record.code,
            "body": "Respuesta a la respuesta",
            "parent": reply.json()["id"],
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    assert "<strong>acta</strong>" in created.json()["body_html"]
    assert created.json()["author_organisation"]["id"] == user.membership.institution_id
    assert reply.status_code == nested.status_code == 201
    assert nested.json()["parent"] == root  # one level of replies, as on the pages
    assert record.review_events.filter(kind="comment").count() == 3  # the service's outbox


def test_comment_on_a_milestone_and_a_meeting():
    record = CommitmentFactory()
    milestone = MilestoneFactory(commitment=record)
    meeting = MeetingFactory()
    client = token_client(editor_of(record))

    on_milestone = client.post(
        "/api/v1/comments/", {"milestone": milestone.pk, "body": "Hito"}, format="json"
    )
    on_meeting = client.post(
        "/api/v1/comments/", {"meeting": meeting.pk, "body": "Sesión"}, format="json"
    )

    assert on_milestone.status_code == on_meeting.status_code == 201
    assert on_milestone.json()["commitment"] == record.code
    assert Comment.objects.get(meeting=meeting).body == "Sesión"


def test_anonymous_comment_is_401():
    record = CommitmentFactory()
    response = APIClient().post(
        "/api/v1/comments/", {"commitment": record.code, "body": "Hola"}, format="json"
    )
    assert response.status_code == 401
    assert not Comment.objects.exists()


def test_who_may_not_comment_gets_403():
    user = UserFactory()  # sign-up pending: no membership yet (analysts comment, issue 15)
    record = CommitmentFactory()
    response = token_client(user).post(
        "/api/v1/comments/", {"commitment": record.code, "body": "Hola"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"body": "Sin destino"}, {"non_field_errors"}),
        ({"commitment": "NOEXISTE", "body": "x"}, {"commitment"}),
        ({"milestone": "abc", "body": "x"}, {"milestone"}),
        ({"milestone": 10**12, "body": "x"}, {"milestone"}),
        ({"commitment": "{code}", "meeting": 1, "body": "x"}, {"non_field_errors"}),
        ({"commitment": "{code}"}, {"body"}),
        ({"commitment": "{code}", "body": "   "}, {"body"}),
        ({"commitment": "{code}", "body": "x" * 5001}, {"body"}),
        ({"commitment": "{code}", "body": "a\x00b"}, {"body"}),
        ({"commitment": "{code}", "body": ["x"]}, {"body"}),
        ({"commitment": "{code}", "body": "x", "parent": "{other}"}, {"parent"}),
        ({"commitment": "{code}", "body": "x", "author": 1}, {"author"}),
    ],
)
def test_bad_comment_input_is_400_naming_the_field(data, fields):
    record = CommitmentFactory()
    other = CommentFactory()  # a comment of another commitment
    data = {
        key: other.pk
        if value == "{other}"
        else value.format(code=record.code)
        if isinstance(value, str)
        else value
        for key, value in data.items()
    }
    response = token_client(reviewer()).post("/api/v1/comments/", data, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert Comment.objects.count() == 1


def test_comment_rate_limit_is_429_with_retry_after_and_the_pages_message(settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (2, 600), "flag": (20, 3600)}
    record = CommitmentFactory()
    client = token_client(reviewer())

    def post(n):
        return client.post(
            "/api/v1/comments/", {"commitment": record.code, "body": f"C{n}"}, format="json"
        )

    assert [post(n).status_code for n in range(2)] == [201, 201]
    response = post(3)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert "Publicaste demasiados comentarios en poco tiempo." in response.json()["detail"]
    assert Comment.objects.count() == 2


def test_pages_and_api_share_one_rate_limit(client, settings):
    from django.urls import reverse

    settings.REVIEW_RATE_LIMITS = {"comment": (1, 600), "flag": (20, 3600)}
    record = CommitmentFactory()
    user = reviewer()
    client.force_login(user)
    client.post(reverse("reviews:comment_create", args=["compromiso", record.code]), {"body": "A"})

    response = token_client(user).post(
        "/api/v1/comments/", {"commitment": record.code, "body": "B"}, format="json"
    )

    assert response.status_code == 429


def test_new_and_hidden_comments_show_in_the_next_cached_list(
    api, settings, django_capture_on_commit_callbacks
):
    settings.API_RESPONSE_CACHE_SECONDS = 60
    response_cache.bump_generation()
    record = CommitmentFactory()
    assert results(api.get("/api/v1/comments/")) == []

    with django_capture_on_commit_callbacks(execute=True):
        token_client(reviewer()).post(
            "/api/v1/comments/", {"commitment": record.code, "body": "Nuevo"}, format="json"
        )
    [comment] = results(api.get("/api/v1/comments/"))
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_comment(comment_id=comment["id"], staff_user=staff(), reason="Spam.")

    assert results(api.get("/api/v1/comments/"))[0]["body_html"] is None


# --- Writing assessments ------------------------------------------------------------


def test_reviewer_assesses_a_report_and_a_new_assessment_replaces_it():
    report = ProgressReportFactory()
    user = reviewer()
    client = token_client(user)
    data = {"progress_report": report.pk, "verdict": "agree", "justification": "Lo vimos."}

    first = client.post("/api/v1/assessments/", data, format="json")
    second = client.post(
        "/api/v1/assessments/", {**data, "verdict": "needs_evidence"}, format="json"
    )

    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assessment = Assessment.objects.get()
    assert assessment.verdict == "needs_evidence"
    assert assessment.history.count() == 2
    assert second.json()["organisation"]["id"] == user.membership.institution_id
    assert second.json()["commitment"] == report.commitment.code


def test_reviewer_assesses_a_milestone_at_its_version():
    milestone = MilestoneFactory()
    response = token_client(reviewer()).post(
        "/api/v1/assessments/",
        {"milestone": milestone.pk, "verdict": "dispute", "justification": "No coincide."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["milestone_version"] == milestone.version
    assert response.json()["about_earlier_version"] is False


@pytest.mark.parametrize("who", ["editor", "analyst", "pending", "staff", "academia_editor"])
def test_only_civil_society_reviewers_assess(who):
    from accounts.models import Role

    report = ProgressReportFactory()
    user = {
        "editor": lambda: editor_of(report.commitment),
        "analyst": lambda: MembershipFactory(role=Role.ANALYST, institution=None).user,
        "pending": lambda: UserFactory(),
        "staff": lambda: staff(),
        "academia_editor": lambda: (
            MembershipFactory(
                role=Role.GOVERNMENT_EDITOR, institution=OrganisationFactory(kind="academia")
            ).user
        ),
    }[who]()
    response = token_client(user).post(
        "/api/v1/assessments/",
        {"progress_report": report.pk, "verdict": "agree", "justification": "Sí."},
        format="json",
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_anonymous_assessment_is_401():
    report = ProgressReportFactory()
    response = APIClient().post(
        "/api/v1/assessments/",
        {"progress_report": report.pk, "verdict": "agree", "justification": "Sí."},
        format="json",
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"verdict": "agree", "justification": "x"}, {"non_field_errors"}),
        (
            {"progress_report": 999999, "verdict": "agree", "justification": "x"},
            {"progress_report"},
        ),
        ({"progress_report": "{report}", "verdict": "maybe", "justification": "x"}, {"verdict"}),
        ({"progress_report": "{report}", "verdict": "agree"}, {"justification"}),
        (
            {"progress_report": "{report}", "verdict": "agree", "justification": " "},
            {"justification"},
        ),
        (
            {
                "progress_report": "{report}",
                "milestone": 1,
                "verdict": "agree",
                "justification": "x",
            },
            {"non_field_errors"},
        ),
    ],
)
def test_bad_assessment_input_is_400_naming_the_field(data, fields):
    report = ProgressReportFactory()
    data = {  # ids as JSON integers, as the schema states
        key: report.pk if value == "{report}" else value for key, value in data.items()
    }
    response = token_client(reviewer()).post("/api/v1/assessments/", data, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert not Assessment.objects.exists()
