"""Joining refuses bad input as InvalidInput, which the sign-up and invitation pages show."""

import pytest

from accounts import services as account_services
from accounts.models import SignupRequest
from ogp_portal.service_errors import InvalidInput
from tests.factories import InstitutionFactory, OrganisationFactory
from tests.reviews.helpers import staff

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-bastante-larga-2031"


def test_signing_up_for_a_government_institution_is_refused_on_its_field():
    with pytest.raises(InvalidInput) as refused:
        account_services.sign_up(
            email="ana@colectivo.org",
            name="Ana",
            password=PASSWORD,
            institution=InstitutionFactory(),
        )

    assert set(refused.value.error_dict) == {"institution"}
    assert not SignupRequest.objects.exists()


def test_an_email_already_registered_is_invalid_input_from_the_user_model():
    account_services.sign_up(
        email="ana@colectivo.org", name="Ana", password=PASSWORD, institution=OrganisationFactory()
    )

    with pytest.raises(InvalidInput) as refused:
        account_services.sign_up(
            email="ANA@colectivo.org",
            name="Ana",
            password=PASSWORD,
            institution=OrganisationFactory(),
        )

    assert "username" in refused.value.error_dict
    assert SignupRequest.objects.count() == 1


def test_an_invitation_is_accepted_once_then_refused(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = account_services.invite(
            email="luis@universidad.mx", institution=OrganisationFactory(), staff_user=staff()
        )
    token = account_services.invitation_token(invitation)
    account_services.accept_invitation(token=token, name="Luis", password=PASSWORD)

    with pytest.raises(InvalidInput):
        account_services.accept_invitation(token=token, name="Luis", password=PASSWORD)
