"""Flags and the moderation queue: flag → hide with a public reason → restore."""

import pytest
from django.urls import reverse

from reviews import selectors, services
from reviews.models import Flag

from .helpers import commitment, reviewer, staff

pytestmark = pytest.mark.django_db


def test_flag_hide_and_restore_with_public_reasons(client):
    record = commitment()
    comment = services.post_comment(user=reviewer(), body="Texto ofensivo", commitment=record)
    client.force_login(reviewer("lectora"))

    response = client.post(
        reverse("reviews:comment_flag", args=[comment.pk]), {"reason": "Insulta a una persona"}
    )
    assert response.status_code == 302

    moderator = staff()
    client.force_login(moderator)
    queue = client.get(reverse("reviews:moderation_queue")).content.decode()
    assert "Texto ofensivo" in queue
    assert "Insulta a una persona" in queue

    client.post(
        reverse("reviews:moderate", args=[comment.pk]),
        {"action": "hide", "reason": "Lenguaje ofensivo"},
    )
    public = client.get(record.get_absolute_url()).content.decode()
    assert "Ocultado por moderación: Lenguaje ofensivo" in public
    assert "Texto ofensivo" not in public
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    queue = client.get(reverse("reviews:moderation_queue")).content.decode()
    assert "No hay comentarios reportados pendientes." in queue

    client.post(
        reverse("reviews:moderate", args=[comment.pk]),
        {"action": "restore", "reason": "No infringe las reglas"},
    )
    public = client.get(record.get_absolute_url()).content.decode()
    assert "Texto ofensivo" in public
    assert "Revisado por moderación: No infringe las reglas" in public
    assert "Ocultado por moderación" not in public


def test_hiding_needs_a_public_reason(client):
    comment = services.post_comment(user=reviewer(), body="Texto", commitment=commitment())
    client.force_login(staff())

    response = client.post(reverse("reviews:moderate", args=[comment.pk]), {"action": "hide"})

    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_one_flag_per_person_per_comment(client):
    comment = services.post_comment(user=reviewer(), body="Texto", commitment=commitment())
    client.force_login(reviewer("lectora"))
    url = reverse("reviews:comment_flag", args=[comment.pk])

    client.post(url, {"reason": "Uno"})
    response = client.post(url, {"reason": "Dos"})

    assert response.status_code == 400
    assert "Ya reportaste este comentario." in response.content.decode()
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_reason(client):
    comment = services.post_comment(user=reviewer(), body="Texto", commitment=commitment())
    client.force_login(reviewer("lectora"))

    response = client.post(reverse("reviews:comment_flag", args=[comment.pk]), {"reason": ""})

    assert response.status_code == 400
    assert not Flag.objects.exists()


def build_queue(size):
    record = commitment()
    author = reviewer(f"autora{size}")
    for n in range(size):
        comment = services.post_comment(user=author, body=f"C{n}", commitment=record)
        for m in range(2):
            services.flag_comment(
                comment_id=comment.pk, user=reviewer(f"r{size}-{n}-{m}"), reason="Motivo"
            )
        if n % 3 == 0:
            services.hide_comment(
                comment_id=comment.pk, staff_user=staff(f"s{size}-{n}"), reason="Motivo"
            )


def test_moderation_queue_queries_do_not_grow(client, django_assert_max_num_queries, settings):
    # The seed writes more comments than one person may in ten minutes.
    settings.REVIEW_RATE_LIMITS = {"comment": (100, 600), "flag": (100, 3600)}
    client.force_login(staff())
    counts = []
    for size in (2, 20):
        build_queue(size)
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("reviews:moderation_queue")).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_the_moderation_queue_pages_through_every_flagged_comment(client, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 2)
    record = commitment()
    flagged = []
    for n, flags in enumerate((3, 2, 1)):  # most flagged first
        comment = services.post_comment(
            user=reviewer(f"autora{n}"), body=f"C{n}", commitment=record
        )
        for k in range(flags):
            services.flag_comment(comment_id=comment.pk, user=reviewer(f"r{n}-{k}"), reason="Spam")
        flagged.append(comment)
    client.force_login(staff())

    first = client.get(reverse("reviews:moderation_queue"))
    second = client.get(reverse("reviews:moderation_queue"), {"page": 2})

    assert [c.pk for c in first.context["flagged"]] == [flagged[0].pk, flagged[1].pk]
    assert [c.pk for c in second.context["flagged"]] == [flagged[2].pk]
    assert 'rel="next"' in first.content.decode()
    assert 'aria-current="page"' in second.content.decode()
