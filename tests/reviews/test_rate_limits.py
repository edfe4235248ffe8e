"""Per-user limits on comments and flags: a clear message and nothing saved when reached."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Comment, Flag

from .helpers import commitment, reviewer

pytestmark = pytest.mark.django_db


def test_comment_limit_returns_a_clear_message_and_saves_nothing(client, settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (3, 600), "flag": (20, 3600)}
    record = commitment()
    client.force_login(reviewer())
    url = reverse("reviews:comment_create", args=["compromiso", record.code])

    for n in range(3):
        assert client.post(url, {"body": f"Comentario {n}"}).status_code == 302
    response = client.post(url, {"body": "Uno de más"})

    assert response.status_code == 429
    assert "Publicaste demasiados comentarios en poco tiempo." in response.content.decode()
    assert "No se guardó nada." in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 3


def test_limits_are_per_user(client, settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (1, 600), "flag": (20, 3600)}
    record = commitment()
    url = reverse("reviews:comment_create", args=["compromiso", record.code])
    client.force_login(reviewer("una"))
    client.post(url, {"body": "Primero"})
    client.force_login(reviewer("otra"))

    assert client.post(url, {"body": "De otra persona"}).status_code == 302


def test_flag_limit(client, settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (100, 600), "flag": (2, 3600)}
    record = commitment()
    author = reviewer("autora")
    comments = [
        services.post_comment(user=author, body=f"C{n}", commitment=record) for n in range(3)
    ]
    client.force_login(reviewer("lectora"))

    statuses = [
        client.post(reverse("reviews:comment_flag", args=[c.pk]), {"reason": "Motivo"}).status_code
        for c in comments
    ]

    assert statuses == [302, 302, 429]
    assert Flag.objects.count() == 2


def test_english_message_when_the_reader_uses_english(client, settings):
    settings.REVIEW_RATE_LIMITS = {"comment": (0, 600), "flag": (20, 3600)}
    record = commitment()
    client.force_login(reviewer())

    response = client.post(
        reverse("reviews:comment_create", args=["compromiso", record.code]),
        {"body": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 429
    assert "too many comments" in response.content.decode()
