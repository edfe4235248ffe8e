"""Logging in and out, resetting a password, and the lockout after repeated failures."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import InstitutionFactory, MembershipFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "contraseña-de-prueba-123"


def log_in(client, username, password, ip="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_has_labelled_fields_and_a_reset_link(client):
    html = client.get(reverse("login")).content.decode()

    assert "<h1>Iniciar sesión</h1>" in html
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert reverse("password_reset") in html


def test_a_member_logs_in_and_out(client):
    UserFactory(username="editora")

    response = log_in(client, "editora", PASSWORD)

    assert response.status_code == 302
    assert "Cerrar sesión" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "Iniciar sesión" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_gets_a_form_error_and_no_session(client):
    UserFactory(username="editora")

    response = log_in(client, "editora", "otra-cosa")

    assert response.status_code == 200
    assert "El usuario o la contraseña no son correctos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(client):
    UserFactory(username="editora")
    for _ in range(5):
        log_in(client, "editora", "mal", ip="10.0.0.1")

    # Even the right password is refused from that address while the lock lasts.
    response = log_in(client, "editora", PASSWORD, ip="10.0.0.1")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert "Acceso bloqueado temporalmente" in html
    assert "con esta cuenta desde esta conexión" in html
    assert "Podrás intentarlo de nuevo en 15 minutos" in html
    assert "_auth_user_id" not in client.session
    # The owner, from anywhere else, is not locked out by someone else's guesses.
    assert log_in(Client(), "editora", PASSWORD, ip="10.9.9.9").status_code == 302


def test_five_failures_on_one_account_leave_the_other_accounts_of_that_address_alone(client):
    UserFactory(username="editora")
    UserFactory(username="otra")
    for _ in range(5):
        log_in(client, "editora", "mal", ip="10.1.1.1")

    # An office behind one NAT: a colleague's mistakes do not lock anyone else out.
    assert log_in(Client(), "otra", PASSWORD, ip="10.1.1.1").status_code == 302


def test_the_lockout_page_is_in_english_for_english_readers(client):
    UserFactory(username="editora")
    for _ in range(5):
        log_in(client, "editora", "mal")

    response = client.post(
        reverse("login"),
        {"username": "editora", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 429
    assert "Access temporarily locked" in response.content.decode()


def test_a_success_before_the_limit_clears_the_failures(client):
    UserFactory(username="editora")
    for _ in range(4):
        log_in(client, "editora", "mal")
    assert log_in(client, "editora", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        log_in(client, "editora", "mal")

    assert log_in(client, "editora", PASSWORD).status_code == 302


def test_password_reset_sends_a_link_by_mail(client):
    UserFactory(username="editora", email="editora@example.org")

    response = client.post(reverse("password_reset"), {"email": "editora@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert "/cuenta/contrasena/restablecer/" in mail.outbox[0].body


def test_a_state_institution_gives_its_state_to_the_membership():
    jalisco = StateFactory(inegi_code="14")
    office = InstitutionFactory(state=jalisco)

    membership = MembershipFactory(institution=office, role=Role.GOVERNMENT_EDITOR)

    assert membership.state == jalisco


def test_a_state_that_disagrees_with_the_institution_is_refused():
    office = InstitutionFactory(state=StateFactory(inegi_code="14"))
    membership = Membership(
        user=UserFactory(),
        role=Role.GOVERNMENT_EDITOR,
        institution=office,
        state=StateFactory(inegi_code="19"),
    )

    with pytest.raises(Exception, match="La entidad debe ser la de la institución"):
        membership.full_clean()


def test_a_government_editor_needs_an_institution():
    membership = Membership(user=UserFactory(), role=Role.GOVERNMENT_EDITOR)

    with pytest.raises(Exception, match="debe pertenecer a una institución"):
        membership.full_clean()


def post_login_through_proxy(client, username, password, *, forwarded_for):
    # gunicorn sees the proxy (REMOTE_ADDR); the proxy appended the client's address.
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="otra")
    for attempt in range(5):
        # The attacker also forges an address of its own on the left: it must not count.
        post_login_through_proxy(
            client, "otra", "mal", forwarded_for=f"192.0.2.{attempt}, 203.0.113.7"
        )

    the_attacker = post_login_through_proxy(client, "otra", PASSWORD, forwarded_for="203.0.113.7")
    another_client = post_login_through_proxy(
        Client(), "otra", PASSWORD, forwarded_for="198.51.100.4"
    )

    assert the_attacker.status_code == 429
    assert another_client.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored(client):
    UserFactory(username="otra")
    for attempt in range(5):
        post_login_through_proxy(client, "otra", "mal", forwarded_for=f"192.0.2.{attempt}")

    # Every attempt came from 10.0.0.1, whatever the header claimed.
    assert (
        post_login_through_proxy(client, "otra", PASSWORD, forwarded_for="198.51.100.4").status_code
        == 429
    )
