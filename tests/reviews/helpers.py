"""People and places for the review tests."""

from accounts.models import Role
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


def reviewer(username="revisora", organisation=None):
    organisation = organisation or OrganisationFactory()
    return MembershipFactory(
        user=UserFactory(username=username), role=Role.REVIEWER, institution=organisation
    ).user


def editor_of(commitment, username="editora"):
    ministry = InstitutionFactory()
    commitment.lead_institutions.add(ministry)
    return MembershipFactory(
        user=UserFactory(username=username), role=Role.GOVERNMENT_EDITOR, institution=ministry
    ).user


def staff(username="moderadora"):
    return MembershipFactory(
        user=UserFactory(username=username), role=Role.STAFF, institution=None
    ).user


def commitment():
    return CommitmentFactory()
