"""Issue 15, item 7: the README's "Who does what" and the code say the same about roles.

Analysts comment (the README promised it, the code answered 403). Staff-role members do
everything on the portal's pages; the admin opens to Django's staff status, which the
README now says a staff-role membership alone does not give.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reviews.models import Comment
from tests.commitments.worlds import build_world

pytestmark = pytest.mark.django_db

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def readme_row(role):
    match = re.search(rf"^\| {role} \| (.+) \|$", README, flags=re.MULTILINE)
    assert match, f"no row for {role} in the README's roles table"
    return match[1]


@pytest.fixture
def world():
    return build_world()


def test_analysts_comment_on_pages_and_through_the_api_as_the_readme_says(client, world):
    assert "comment" in readme_row("analyst")
    analyst = world.users["analyst"]
    commitment = world.national_commitment
    client.force_login(analyst)

    page = client.post(
        reverse("reviews:comment_create", args=["compromiso", commitment.code]),
        {"body": "¿De dónde sale la cifra del hito 2?"},
    )
    token = Token.objects.create(user=analyst)
    api = client.post(
        "/api/v1/comments/",
        {"commitment": commitment.code, "body": "Y la fuente del hito 1."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    assert page.status_code == 302
    assert api.status_code == 201, api.content
    assert Comment.objects.filter(author=analyst).count() == 2


def test_analysts_still_change_no_commitment(client, world):
    client.force_login(world.users["analyst"])
    commitment = world.national_commitment

    response = client.get(reverse("commitments:commitment_edit", args=[commitment.code]))

    assert response.status_code == 403


def test_a_staff_role_member_works_on_the_pages_and_needs_staff_status_for_the_admin(client, world):
    assert "moderation" in readme_row("staff")
    assert "A membership with the staff role\nalone does not open it" in README
    member = world.users["staff_role"]
    client.force_login(member)

    assert client.get(reverse("reviews:moderation_queue")).status_code == 200
    assert client.get(reverse("signup_queue")).status_code == 200
    refused = client.get("/admin/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/login/")

    member.is_staff = True
    member.save()
    member.user_permissions.add(Permission.objects.get(codename="change_commitment"))

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/commitments/commitment/").status_code == 200
