"""Comments: who may write them, one level of replies, Markdown made safe, edits, deletes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Comment
from tests.factories import (
    CommentFactory,
    MeetingFactory,
    MilestoneFactory,
    UserFactory,
)

from .helpers import commitment, editor_of, reviewer, staff

pytestmark = pytest.mark.django_db


def comment_url(target, key):
    return reverse("reviews:comment_create", args=[target, key])


def page_of(client, record):
    return client.get(record.get_absolute_url()).content.decode()


def test_reviewer_comments_on_a_commitment_and_it_shows_on_the_page(client):
    record = commitment()
    client.force_login(reviewer())

    response = client.post(comment_url("compromiso", record.code), {"body": "Falta el **acta**."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comentario-{comment.pk}")
    html = page_of(client, record)
    assert "Falta el <strong>acta</strong>." in html
    assert comment.institution == comment.author.membership.institution


def test_editor_comments_on_a_milestone_and_a_meeting():
    record = commitment()
    user = editor_of(record)
    milestone = MilestoneFactory(commitment=record)
    meeting = MeetingFactory()
    client = Client()
    client.force_login(user)

    client.post(comment_url("hito", milestone.pk), {"body": "Sobre el hito."})
    client.post(comment_url("sesion", meeting.pk), {"body": "Sobre la sesión."})

    assert Comment.objects.get(milestone=milestone).body == "Sobre el hito."
    assert Comment.objects.get(meeting=meeting).body == "Sobre la sesión."
    assert (
        "Sobre el hito."
        in client.get(reverse("reviews:milestone_review", args=[milestone.pk])).content.decode()
    )
    assert "Sobre la sesión." in page_of(client, meeting)


def test_anonymous_reads_comments_but_sees_no_form(client):
    record = commitment()
    CommentFactory(commitment=record, body="Visible para todos.")

    html = page_of(client, record)

    assert "Visible para todos." in html
    assert comment_url("compromiso", record.code) not in html
    assert reverse("signup") in html


def test_a_reply_to_a_reply_is_attached_to_the_root(client):
    record = commitment()
    author = reviewer()
    root = services.post_comment(user=author, body="Raíz", commitment=record)
    reply = services.post_comment(user=author, body="Respuesta", parent=root)

    client.force_login(author)
    client.post(comment_url("compromiso", record.code), {"body": "Otra", "parent": reply.pk})

    nested = Comment.objects.get(body="Otra")
    assert nested.parent == root
    assert reply.parent == root
    assert nested.commitment == record


def test_reply_takes_the_target_of_its_root():
    record = commitment()
    author = reviewer()
    root = services.post_comment(user=author, body="Raíz", commitment=record)

    reply = services.post_comment(user=author, body="R", parent_id=root.pk)

    assert reply.commitment == record
    # A reply that names another record is refused: see test_services_own_the_rules.py.


def test_comment_on_two_targets_is_refused_by_the_database():
    from django.db import IntegrityError

    record = commitment()
    with pytest.raises(IntegrityError):
        Comment.objects.create(
            commitment=record,
            milestone=MilestoneFactory(commitment=record),
            author=UserFactory(),
            body="x",
        )


XSS_PAYLOADS = [
    ("<script>alert('xss')</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[clic](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">clic</a>', "javascript:"),
    ("[datos](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:text/html"),
    ('<p style="position:fixed;top:0">tapa</p>', "position:fixed"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ('<iframe src="https://example.org"></iframe>', "<iframe"),
]


@pytest.mark.parametrize(("payload", "forbidden"), XSS_PAYLOADS)
def test_xss_payloads_in_comments_are_rendered_inert(client, payload, forbidden):
    record = commitment()
    CommentFactory(commitment=record, body=f"Antes {payload} después")

    html = page_of(client, record)
    thread = html[html.index('class="comments"') :]

    assert forbidden not in thread
    assert "Antes" in thread


def test_safe_markdown_links_keep_working_with_nofollow(client):
    record = commitment()
    CommentFactory(commitment=record, body="[fuente](https://www.gob.mx/informe)")

    html = page_of(client, record)

    assert 'href="https://www.gob.mx/informe"' in html
    assert "nofollow" in html


def test_author_edits_within_the_window_and_the_comment_shows_edited(client):
    record = commitment()
    author = reviewer()
    comment = services.post_comment(user=author, body="Primera versión", commitment=record)
    client.force_login(author)

    response = client.post(
        reverse("reviews:comment_edit", args=[comment.pk]), {"body": "Segunda versión"}
    )

    assert response.status_code == 302
    html = page_of(client, record)
    assert "Segunda versión" in html
    assert "(editado)" in html


def test_editing_after_the_window_is_refused(client, settings):
    settings.COMMENT_EDIT_WINDOW_SECONDS = 15 * 60
    record = commitment()
    author = reviewer()
    comment = services.post_comment(user=author, body="Texto", commitment=record)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    client.force_login(author)

    response = client.post(reverse("reviews:comment_edit", args=[comment.pk]), {"body": "Tarde"})

    assert response.status_code == 403
    assert Comment.objects.get().body == "Texto"


def test_someone_else_cannot_edit_or_delete_a_comment(client):
    record = commitment()
    comment = services.post_comment(user=reviewer(), body="Mío", commitment=record)
    client.force_login(reviewer("otra"))

    assert (
        client.post(reverse("reviews:comment_edit", args=[comment.pk]), {"body": "x"}).status_code
        == 403
    )
    assert client.post(reverse("reviews:comment_delete", args=[comment.pk])).status_code == 403
    assert Comment.objects.get().deleted_at is None


def test_soft_delete_keeps_the_record_and_its_replies(client):
    record = commitment()
    author = reviewer()
    root = services.post_comment(user=author, body="Texto original", commitment=record)
    services.post_comment(user=reviewer("otra"), body="Una respuesta", parent=root)
    client.force_login(author)

    client.post(reverse("reviews:comment_delete", args=[root.pk]))

    root.refresh_from_db()
    assert root.deleted_at is not None
    html = page_of(client, record)
    assert "Comentario eliminado." in html
    assert "Texto original" not in html
    assert "Una respuesta" in html


def test_staff_may_delete_any_comment(client):
    record = commitment()
    comment = services.post_comment(user=reviewer(), body="Texto", commitment=record)
    client.force_login(staff())

    client.post(reverse("reviews:comment_delete", args=[comment.pk]))

    assert Comment.objects.get().deleted_at is not None


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("reviews:comment_create", ["compromiso", "{code}"], {"body": "x"}),
        ("reviews:comment_edit", ["{comment}"], {"body": "x"}),
        ("reviews:comment_delete", ["{comment}"], {}),
        ("reviews:comment_flag", ["{comment}"], {"reason": "x"}),
        ("reviews:moderate", ["{comment}"], {"action": "hide", "reason": "x"}),
        ("reviews:assess", ["informe", "{report}"], {"verdict": "agree", "justification": "x"}),
        ("reviews:follow_toggle", ["compromiso", "{code}"], {}),
        ("reviews:notification_settings", [], {"delivery": "daily"}),
        ("signup", [], {"email": "a@example.org"}),
        ("signup_decide", ["{signup}"], {"decision": "approve"}),
        ("invitation_accept", ["{token}"], {"name": "x", "password": "una-clave-larga-123"}),
    ],
)
def test_every_review_form_enforces_csrf(name, args, data):
    from accounts import services as account_services
    from accounts.models import SignupRequest
    from tests.factories import OrganisationFactory, ProgressReportFactory

    record = commitment()
    author = reviewer("autora")
    comment = services.post_comment(user=author, body="Texto", commitment=record)
    signup = SignupRequest.objects.create(
        user=UserFactory(username="pendiente"), requested_institution_name="Colectivo"
    )
    invitation = account_services.invite(
        email="nueva@example.org", institution=OrganisationFactory(), staff_user=None
    )
    values = {
        "code": record.code,
        "comment": comment.pk,
        "report": ProgressReportFactory(commitment=record).pk,
        "signup": signup.pk,
        "token": account_services.invitation_token(invitation),
    }
    client = Client(enforce_csrf_checks=True)
    # The author may edit and delete; staff may moderate and decide; both may do the rest.
    user = author if name in {"reviews:comment_edit", "reviews:comment_delete"} else staff()
    if name == "reviews:assess":
        user = reviewer("otra_revisora")
    if name not in {"signup", "invitation_accept"}:
        client.force_login(user)

    url = reverse(name, args=[str(arg).format(**values) for arg in args])
    response = client.post(url, data)

    assert response.status_code == 403
    assert Comment.objects.count() == 1


def thread_queries(client, record, size, django_assert_max_num_queries, budget):
    author = reviewer(f"autora{size}")
    for n in range(size):
        root = CommentFactory(commitment=record, author=author, body=f"Raíz {n}")
        CommentFactory(commitment=record, parent=root, author=author, body=f"Respuesta {n}")
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_comment_thread_queries_do_not_grow_with_comments(client, django_assert_max_num_queries):
    client.force_login(reviewer("lectora"))
    small = thread_queries(client, commitment(), 2, django_assert_max_num_queries, 40)
    large = thread_queries(client, commitment(), 30, django_assert_max_num_queries, 40)

    assert small == large


def test_the_sanitised_html_is_stored_when_the_comment_is_written_and_edited():
    record = commitment()
    author = reviewer()

    comment = services.post_comment(
        user=author, body="  Falta el **acta** <script>alert(1)</script>  ", commitment=record
    )

    comment.refresh_from_db()
    assert comment.body == "Falta el **acta** <script>alert(1)</script>"
    assert comment.body_html == "<p>Falta el <strong>acta</strong> </p>"

    services.edit_comment(comment_id=comment.pk, user=author, body="Ya está [aquí](https://a.mx)")

    comment.refresh_from_db()
    assert comment.body_html == (
        '<p>Ya está <a href="https://a.mx" rel="noopener noreferrer nofollow">aquí</a></p>'
    )


def test_the_migration_fills_the_html_of_existing_comments():
    import importlib

    from django.apps import apps

    from ogp_portal.user_text import render_markdown

    migration = importlib.import_module("reviews.migrations.0003_comment_body_html")
    written = [CommentFactory(body="*uno*"), CommentFactory(body="dos\n\n- tres")]
    Comment.objects.update(body_html="")

    migration.fill(apps, None)

    for comment in written:
        comment.refresh_from_db()
        assert comment.body_html == render_markdown(comment.body)
    assert [c.body_html for c in written] == [
        "<p><em>uno</em></p>",
        "<p>dos</p>\n<ul>\n<li>tres</li>\n</ul>",
    ]
