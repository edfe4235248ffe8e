"""Follows and e-mail notices: the right people, each notice once, daily digests grouped."""

import pytest
from django.core import mail
from django.urls import reverse

from commitments import services as progress_services
from reviews import mailing, services
from reviews.models import Event, Follow, Notification
from reviews.tasks import send_daily_digest, send_notifications
from tests.factories import (
    LocalCommitmentFactory,
    MilestoneFactory,
    UserFactory,
)

from .helpers import commitment, editor_of, reviewer

pytestmark = pytest.mark.django_db


def test_follow_button_toggles(client):
    record = commitment()
    client.force_login(UserFactory())
    url = reverse("reviews:follow_toggle", args=["compromiso", record.code])

    client.post(url)
    assert Follow.objects.filter(commitment=record).count() == 1
    assert "Dejar de seguir" in client.get(record.get_absolute_url()).content.decode()
    client.post(url)
    assert not Follow.objects.exists()


def test_a_comment_mails_followers_and_editors_once_even_when_the_task_runs_again(
    django_capture_on_commit_callbacks,
):
    record = commitment()
    editor = editor_of(record, "editora")
    follower = UserFactory(username="seguidora")
    services.toggle_follow(user=follower, commitment=record)
    UserFactory(username="ajena")  # follows nothing: hears nothing
    author = reviewer()

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(user=author, body="¿Y la evidencia?", commitment=record)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [editor.email, follower.email]
    )
    assert "¿Y la evidencia?" in mail.outbox[0].body
    assert record.get_absolute_url() in mail.outbox[0].body

    send_notifications.delay()
    send_notifications.delay()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_the_author_is_not_notified_of_their_own_comment(django_capture_on_commit_callbacks):
    record = commitment()
    author = reviewer()
    services.toggle_follow(user=author, commitment=record)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(user=author, body="Mío", commitment=record)

    assert mail.outbox == []


def test_progress_updates_and_assessments_notify_followers(django_capture_on_commit_callbacks):
    record = commitment()
    editor = editor_of(record)
    milestone = MilestoneFactory(commitment=record)
    follower = UserFactory(username="seguidora")
    services.toggle_follow(user=follower, commitment=record)

    with django_capture_on_commit_callbacks(execute=True):
        report = progress_services.add_progress_report(
            commitment=record, user=editor, date=record.start_date, summary="Avanzamos."
        )
        progress_services.update_milestone_progress(
            milestone_id=milestone.pk,
            user=editor,
            version=milestone.version,
            status="in_progress",
            percent_complete=30,
            weight=1,
        )
        services.record_assessment(
            user=reviewer(), verdict="agree", justification="Cierto.", progress_report=report
        )

    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == ["assessment", "milestone_update", "progress_report"]
    to_follower = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(to_follower) == 3
    # The editor wrote the two progress updates: only the assessment reaches them.
    assert len([m for m in mail.outbox if m.to == [editor.email]]) == 1


def test_moving_a_milestone_is_not_announced(django_capture_on_commit_callbacks):
    record = commitment()
    editor = editor_of(record)
    MilestoneFactory(commitment=record, position=1)
    second = MilestoneFactory(commitment=record, position=2)
    services.toggle_follow(user=UserFactory(), commitment=record)

    progress_services.move_milestone(
        milestone_id=second.pk, user=editor, version=second.version, direction="up"
    )

    assert not Event.objects.exists()


def test_state_followers_hear_about_local_commitments(django_capture_on_commit_callbacks):
    local = LocalCommitmentFactory()
    follower = UserFactory(username="seguidora")
    services.toggle_follow(user=follower, state=local.action_plan.state)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(user=reviewer(), body="Local", commitment=local)

    assert [m.to for m in mail.outbox] == [[follower.email]]


def test_daily_digest_groups_a_person_s_notices_in_one_email(django_capture_on_commit_callbacks):
    first, second = commitment(), commitment()
    daily = UserFactory(username="diaria")
    services.set_delivery(user=daily, delivery="daily")
    services.toggle_follow(user=daily, commitment=first)
    services.toggle_follow(user=daily, commitment=second)
    author = reviewer()

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(user=author, body="Uno", commitment=first)
        services.post_comment(user=author, body="Dos", commitment=second)
        services.post_comment(user=author, body="Tres", commitment=second)
    assert mail.outbox == []  # nothing immediate for a digest reader

    send_daily_digest.delay()
    send_daily_digest.delay()

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [daily.email]
    assert "3 avisos" in digest.subject
    assert first.code in digest.body and second.code in digest.body


def test_immediate_sending_skips_rows_already_sent():
    record = commitment()
    follower = UserFactory()
    services.toggle_follow(user=follower, commitment=record)
    services.post_comment(user=reviewer(), body="Uno", commitment=record)

    assert mailing.send_immediate() == 1
    assert mailing.send_immediate() == 0
    assert len(mail.outbox) == 1


def test_notice_settings_page_saves_the_choice(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("reviews:notification_settings"), {"delivery": "daily"})

    assert user.notification_preference.delivery == "daily"
