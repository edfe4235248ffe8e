"""When the database is away (restart, failover), pages and API answer 503, not 500."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from ogp_portal.urls import handler500  # noqa: F401
from ogp_portal.urls import urlpatterns as portal_urls


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def a_bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("prueba/bd/", database_gone),
    path("api/prueba/bd/", database_gone),
    path("prueba/error/", a_bug),
    *portal_urls,
]

pytestmark = pytest.mark.urls("tests.test_database_away")


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_a_page_says_try_again_with_503_and_retry_after(browser):
    response = browser.get("/prueba/bd/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Servicio no disponible por un momento" in html
    assert "intenta de nuevo en unos segundos" in html


def test_the_api_says_it_in_json(browser):
    response = browser.get("/api/prueba/bd/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "base de datos" in response.json()["detail"]


def test_any_other_error_is_still_the_500_page(browser):
    response = browser.get("/prueba/error/")

    assert response.status_code == 500
    assert "Error del servidor" in response.content.decode()
