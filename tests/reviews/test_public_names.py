"""Public pages and feeds name a commenter by their name and organisation, never by username."""

import pytest
from django.urls import reverse

from reviews import services

from .helpers import commitment, reviewer

pytestmark = pytest.mark.django_db


def test_a_commenter_without_a_name_is_not_shown_by_their_username(client):
    record = commitment()
    author = reviewer("autora@ejemplo.org")
    author.first_name = author.last_name = ""
    author.save()
    services.post_comment(user=author, commitment=record, body="Sin nombre.")

    page = client.get(record.get_absolute_url()).content.decode()
    feed = client.get(
        reverse("reviews:commitment_comments_feed", args=[record.code])
    ).content.decode()

    for text in (page, feed):
        assert "Sin nombre." in text
        assert "autora@ejemplo.org" not in text
        assert "Persona participante" in text
    assert author.membership.institution.name in page
