"""The permission rules and the roles sit below every app (ogp_portal): what they repeat
of the apps' models must agree with the models."""

from accounts.models import Membership
from accounts.models import Role as AccountsRole
from commitments.models import ActionPlan
from ogp_portal import permissions
from ogp_portal.roles import Role


def test_the_local_plan_scope_is_the_action_plans_state_scope():
    assert permissions.LOCAL_PLAN_SCOPE == ActionPlan.Scope.STATE


def test_memberships_use_the_one_role_definition():
    assert AccountsRole is Role
    assert Membership.Role is Role
    assert Membership._meta.get_field("role").choices == Role.choices
