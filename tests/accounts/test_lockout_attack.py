"""Guessing a password from many addresses is slowed to a trickle; its owner still gets in.

Ana's account `ana` is attacked: one guess from each of 200 addresses (a botnet), then
a burst from one address. The (username, address) pair locks after 5 failures, the
account accepts at most LOGIN_ACCOUNT_FAILURE_LIMIT failed checks per hour (ASVS V2.2.1
allows at most 100), and Ana still logs in from the address she always uses. Resetting
her password lifts every lock; failures expire on their own.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "contraseña-de-prueba-123"
ANA_HOME = "198.51.100.7"
ASVS_FAILURES_PER_HOUR = 100


def log_in(username, password, ip):
    return Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def botnet(count):
    return [f"10.{n // 250}.{n % 250}.1" for n in range(count)]


@pytest.fixture
def ana():
    user = UserFactory(username="ana", email="ana@example.org")
    assert log_in("ana", PASSWORD, ANA_HOME).status_code == 302  # she has logged in before
    return user


def attack(addresses, *, username="ana", guesses_each=1):
    """Wrong passwords; returns how many were checked against the password, how many
    were refused unchecked (axes logs every failed check in AccessFailureLog)."""
    before = AccessFailureLog.objects.filter(username=username).count()
    statuses = [
        log_in(username, f"adivinanza-{n}", ip).status_code
        for ip in addresses
        for n in range(guesses_each)
    ]
    assert set(statuses) <= {200, 429}
    checked = AccessFailureLog.objects.filter(username=username).count() - before
    return checked, len(statuses) - checked


def test_two_hundred_guesses_from_two_hundred_addresses_check_at_most_the_account_limit(
    ana, settings
):
    checked, refused = attack(botnet(200))

    assert checked == settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    assert checked <= ASVS_FAILURES_PER_HOUR
    assert refused == 200 - checked
    assert max(a.failures_since_start for a in AccessAttempt.objects.all()) <= 5


def test_one_address_gets_five_tries_at_an_account(ana):
    checked, refused = attack(["203.0.113.9"], guesses_each=12)

    assert (checked, refused) == (5, 7)
    assert AccessAttempt.objects.get(ip_address="203.0.113.9").failures_since_start == 5


def test_ana_logs_in_from_her_own_address_during_the_attack(ana):
    attack(botnet(200))
    assert log_in("ana", PASSWORD, "192.0.2.200").status_code == 429  # a new address waits

    response = log_in("ana", PASSWORD, ANA_HOME)

    assert response.status_code == 302


def test_the_account_throttle_says_why_and_how_to_get_in(ana):
    attack(botnet(30))

    response = log_in("ana", PASSWORD, "192.0.2.200")

    assert response.status_code == 429
    html = response.content.decode()
    assert "solo acepta las conexiones desde las que ya se inició sesión" in html
    assert "Podrás intentarlo de nuevo en 60 minutos" in html
    assert response["Retry-After"] == "3600"


def test_a_password_reset_lifts_the_locks(ana):
    attack(botnet(30))
    attack(["192.0.2.200"], guesses_each=5)  # Ana's new phone: its pair is locked too
    assert log_in("ana", PASSWORD, "192.0.2.200").status_code == 429

    Client().post(reverse("password_reset"), {"email": "ana@example.org"})
    link = re.search(r"/cuenta/contrasena/restablecer/\S+/\S+/", mail.outbox[-1].body).group(0)
    browser = Client()
    form_url = browser.get(link)["Location"]  # Django moves the token into the session
    done = browser.post(
        form_url,
        {"new_password1": "otra-clave-segura-456", "new_password2": "otra-clave-segura-456"},
    )

    assert done.status_code == 302
    assert log_in("ana", "otra-clave-segura-456", "192.0.2.200").status_code == 302
    assert not AccessAttempt.objects.filter(username="ana").exists()


def test_failures_expire(ana, settings):
    attack(["203.0.113.9"], guesses_each=5)
    attack(botnet(30))
    assert log_in("ana", PASSWORD, "203.0.113.9").status_code == 429

    # Refused attempts do not extend the lock: an attacker cannot keep it alive.
    attack(["203.0.113.9"], guesses_each=3)
    past_cooloff = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past_cooloff)
    past_window = timezone.now() - settings.LOGIN_FAILURE_WINDOW - datetime.timedelta(seconds=1)
    AccessFailureLog.objects.update(attempt_time=past_window)

    assert log_in("ana", PASSWORD, "203.0.113.9").status_code == 302


def test_one_address_spraying_many_accounts_is_stopped(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(username="beto")

    checked = sum(
        log_in(f"persona{n}", "123456", "203.0.113.50").status_code == 200 for n in range(15)
    )

    assert checked == 10
    assert log_in("beto", PASSWORD, "203.0.113.50").status_code == 429
    assert log_in("beto", PASSWORD, "203.0.113.51").status_code == 302
