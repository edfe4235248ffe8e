"""Spanish first, English complete: how a reader chooses and gets a language."""

import pytest
from django.urls import reverse

from tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


def test_pages_are_in_spanish_by_default(client):
    html = client.get(reverse("home")).content.decode()

    assert '<html lang="es-mx"' in html
    assert "Planes de acción" in html
    assert "Entidades federativas" in html
    assert "Action plans" not in html


def test_language_switcher_is_a_form_that_works_without_javascript(client):
    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="idioma">Idioma</label>' in html
    assert '<option value="en"' in html


def test_choosing_english_switches_the_navigation(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert '<html lang="en"' in html
    assert "Action plans" in html
    assert "States" in html
    assert "Planes de acción" not in html


def test_choosing_spanish_again_switches_back(client):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "es-mx"})

    html = client.get(reverse("home")).content.decode()

    assert '<html lang="es-mx"' in html
    assert "Planes de acción" in html


def test_accept_language_english_gets_english(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="en"' in html
    assert "Action plans" in html
    assert "Skip to main content" in html


def test_form_labels_and_errors_are_translated(client):
    response = client.get(
        reverse("commitments:commitment_list"), {"cycle": "abc"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert "Search by code, title or text" in html
    assert "Select a valid choice" in html


def test_model_choice_labels_are_translated(client):
    ActionPlanFactory(status="closed")

    html = client.get(
        reverse("commitments:action_plan_list"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Concluded" in html


def test_language_switcher_names_each_language_in_itself(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<option value="es-mx" lang="es-mx">Español (México)</option>' in html
    assert '<option value="en" lang="en" selected>English</option>' in html
