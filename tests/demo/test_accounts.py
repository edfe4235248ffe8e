"""The demo's accounts: one per role, each able to do what its role may and no more."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role
from commitments.models import ActionPlan, Commitment
from commitments.selectors import editable_commitments
from demo.accounts import create_demo_accounts
from demo.synthetic_data import generate_demo_data
from ogp_portal import permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    """The real reference data plus two synthetic local plans (Aguascalientes, Baja California)."""
    call_command("load_mexico_ogp", stdout=StringIO())
    generate_demo_data(scale=0.02, seed=1)
    accounts = {account.username: account for account in create_demo_accounts()}
    return accounts


def user(username):
    return get_user_model().objects.select_related("membership__institution").get(username=username)


def local_commitment(inegi_code):
    return Commitment.objects.filter(
        action_plan__scope=ActionPlan.Scope.STATE, action_plan__state__inegi_code=inegi_code
    ).first()


def test_one_account_per_role_with_the_intended_memberships(demo_world):
    assert set(demo_world) == {
        "demo-gobierno",
        "demo-estado",
        "demo-sociedad",
        "demo-analista",
        "demo-equipo",
    }
    federal, local = user("demo-gobierno").membership, user("demo-estado").membership
    assert (federal.role, federal.institution.acronym, federal.state) == (
        Role.GOVERNMENT_EDITOR,
        "SFP",
        None,
    )
    assert local.role == Role.GOVERNMENT_EDITOR
    assert local.state.inegi_code == local.institution.state.inegi_code == "01"
    reviewer = user("demo-sociedad").membership
    assert (reviewer.role, reviewer.institution.kind) == (Role.REVIEWER, "civil_society")
    assert user("demo-analista").membership.role == Role.ANALYST
    staff = user("demo-equipo")
    assert staff.membership.role == Role.STAFF
    assert staff.is_staff


def test_each_password_works_and_is_new_each_time(demo_world):
    for username, account in demo_world.items():
        assert user(username).check_password(account.password)

    again = {account.username: account for account in create_demo_accounts()}

    for username, account in again.items():
        assert account.password != demo_world[username].password
        assert user(username).check_password(account.password)
        assert not user(username).check_password(demo_world[username].password)


def test_the_state_editor_edits_their_states_commitments_and_not_another_states(demo_world, client):
    editor = user("demo-estado")
    own, other = local_commitment("01"), local_commitment("02")

    assert permissions.can_edit_commitment(editor, own)
    assert not permissions.can_edit_commitment(editor, other)
    assert not permissions.can_edit_commitment(editor, Commitment.objects.get(code="MX0087"))
    client.force_login(editor)
    assert client.get(reverse("commitments:commitment_edit", args=[own.code])).status_code == 200
    assert client.get(reverse("commitments:commitment_edit", args=[other.code])).status_code == 403


def test_the_federal_editor_edits_their_institutions_commitment_and_no_local_one(demo_world):
    editor = user("demo-gobierno")

    assert permissions.can_edit_commitment(editor, Commitment.objects.get(code="MX0087"))
    assert not permissions.can_edit_commitment(editor, Commitment.objects.get(code="MX0001"))
    assert not permissions.can_edit_commitment(editor, local_commitment("01"))


def test_the_reviewer_comments_and_assesses_but_edits_nothing(demo_world):
    reviewer = user("demo-sociedad")

    assert permissions.can_comment(reviewer)
    assert permissions.can_assess(reviewer)
    assert not editable_commitments(reviewer).exists()
    assert not permissions.can_moderate(reviewer)


def test_the_analyst_reads_with_a_token_comments_and_changes_nothing(demo_world, client):
    analyst = user("demo-analista")

    assert Token.objects.get(user=analyst).key == demo_world["demo-analista"].token
    assert permissions.can_comment(analyst)
    assert not editable_commitments(analyst).exists()
    response = client.get(
        "/api/v1/commitments/", HTTP_AUTHORIZATION=f"Token {demo_world['demo-analista'].token}"
    )
    assert response.status_code == 200


def test_the_staff_account_does_everything(demo_world, client):
    staff = user("demo-equipo")

    assert permissions.is_portal_staff(staff)
    assert permissions.can_moderate(staff)
    assert permissions.can_edit_commitment(staff, local_commitment("02"))
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
