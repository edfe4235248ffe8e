"""Issue 15, item 3: inputs that used to answer 500 now answer 4xx, and the API's in JSON.

Unicode digits such as "²" pass str.isdigit() but not int(); a lone surrogate survives
json.loads but not the database; a body over the upload limit and a path with a newline
used to get Django's HTML pages instead of the API's JSON.
"""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.commitments.worlds import build_world
from tests.factories import CommentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

UNICODE_DIGITS = ["²", "٣", "①", "１２", "𝟗"]


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def logged_in(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
def test_comment_pages_ignore_a_cursor_of_unicode_digits(anonymous, world, digits):
    commitment = world.national_commitment
    milestone = commitment.milestones.first()
    meeting = MeetingFactory()
    CommentFactory(commitment=commitment)
    for url in (
        commitment.get_absolute_url(),
        f"/participacion/hitos/{milestone.pk}/",
        meeting.get_absolute_url(),
    ):
        response = anonymous.get(url, {"comentarios_desde": digits})
        assert response.status_code == 200, url


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize("target", ["hito", "sesion"])
def test_a_comment_on_a_target_id_of_unicode_digits_is_not_found(world, target, digits):
    client = logged_in(world, "reviewer")

    response = client.post(f"/participacion/comentarios/nuevo/{target}/{digits}/", {"body": "x"})

    assert response.status_code == 404


@pytest.fixture
def editor_api(world):
    token = Token.objects.create(user=world.users["lead_editor"])
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


def patch_milestone(client, world, body, **extra):
    milestone = world.national_commitment.milestones.order_by("position").first()
    return client.patch(
        f"/api/v1/milestones/{milestone.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{milestone.version}"',
        **extra,
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"narrative": "\\ud800"}',  # a lone high surrogate, escaped
        b'{"narrative": "\\udfff y m\\u00e1s"}',  # a lone low surrogate
        b'{"narrative": "\xff\xfe"}',  # bytes that are not UTF-8
        b'{"narrative": ',  # cut short
        b"[1, 2",
        b"\x00",
        b'{"percent_complete": NaN}',
        b'{"percent_complete": 1e999}',
    ],
    ids=["high-surrogate", "low-surrogate", "bad-utf8", "truncated", "array", "nul", "nan", "inf"],
)
def test_a_body_the_api_cannot_read_is_a_json_400(editor_api, world, body):
    response = patch_milestone(editor_api, world, body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_json_400(editor_api, world, settings):
    body = b'{"narrative": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}'

    response = patch_milestone(editor_api, world, body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    # Percent-encoded: a raw newline cannot travel in an HTTP request line (and urllib drops it).
    ["/api/v1/commitments/%0A", "/api/v1/commitments/%0A/", "/api/v1/%0D%0A/x", "/api/nada%00"],
)
def test_an_unknown_api_path_is_a_json_404_even_with_a_newline(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_unknown_page_is_still_the_html_404(anonymous):
    response = anonymous.get("/compromisos/%0A/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
