"""Issue 15, item 7: the language cookie is set like the session cookie (Secure, SameSite)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_language_cookie_carries_the_session_cookies_flags():
    client = Client()
    user = UserFactory(username="lectora")
    client.post(
        "/cuenta/entrar/", {"username": user.username, "password": "contraseña-de-prueba-123"}
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME]

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    language = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert language.value == "en"
    assert session["secure"] is True  # production settings: DEBUG is off in the tests
    assert language["secure"] is session["secure"]
    assert language["samesite"] == session["samesite"] == "Lax"
    assert language["httponly"] is True
