"""Atom feeds of updates and comments per commitment and per state."""

import feedparser
import pytest
from django.urls import reverse

from commitments import services as progress_services
from reviews import services
from tests.factories import LocalCommitmentFactory

from .helpers import commitment, editor_of, reviewer, staff

pytestmark = pytest.mark.django_db


def report(record, summary):
    """A progress report as every channel adds one: through the service, which announces it."""
    progress_services.add_progress_report(
        commitment=record, user=editor_of(record), date=record.start_date, summary=summary
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_commitment_feeds_list_updates_and_comments(client):
    record = commitment()
    report(record, "Avance de marzo.")
    services.post_comment(user=reviewer(), body="Bien hecho", commitment=record)
    hidden = services.post_comment(user=reviewer("otra"), body="Grosería", commitment=record)
    services.hide_comment(comment_id=hidden.pk, staff_user=staff(), reason="Ofensivo")

    updates = parse(client, reverse("reviews:commitment_updates_feed", args=[record.code]))
    comments = parse(client, reverse("reviews:commitment_comments_feed", args=[record.code]))

    assert [entry.summary for entry in updates.entries] == ["<p>Avance de marzo.</p>"]
    summaries = [entry.summary for entry in comments.entries]
    assert "<p>Bien hecho</p>" in summaries
    assert "Ocultado por moderación: Ofensivo" in summaries
    assert "Grosería" not in comments_text(comments)


def comments_text(feed):
    return " ".join(entry.title + entry.summary for entry in feed.entries)


def test_state_feeds_cover_its_local_commitments(client):
    local = LocalCommitmentFactory()
    other = LocalCommitmentFactory()
    services.post_comment(user=reviewer(), body="En el estado", commitment=local)
    services.post_comment(user=reviewer("otra"), body="En otro estado", commitment=other)
    report(local, "Informe estatal.")
    state = local.action_plan.state

    comments = parse(client, reverse("reviews:state_comments_feed", args=[state.slug]))
    updates = parse(client, reverse("reviews:state_updates_feed", args=[state.slug]))

    assert [entry.summary for entry in comments.entries] == ["<p>En el estado</p>"]
    assert [entry.summary for entry in updates.entries] == ["<p>Informe estatal.</p>"]


def test_commitment_page_links_its_feeds(client):
    record = commitment()

    html = client.get(record.get_absolute_url()).content.decode()

    assert reverse("reviews:commitment_updates_feed", args=[record.code]) in html
