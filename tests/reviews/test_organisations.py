"""Organisation members join: sign up and wait for approval, or accept an invitation."""

import pytest
from django.core import signing
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Membership, Role, SignupRequest
from commitments.models import Institution
from reviews.models import Comment
from tests.factories import InstitutionFactory, OrganisationFactory

from .helpers import commitment, staff

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-bastante-larga-2031"


def sign_up(client, **fields):
    data = {
        "name": "Ana Pérez",
        "email": "ana@colectivo.org",
        "password": PASSWORD,
        "institution": "",
        "new_name": "",
        "new_kind": "civil_society",
        **fields,
    }
    return client.post(reverse("signup"), data)


def test_signup_then_pending_then_approved_then_can_comment(client):
    organisation = OrganisationFactory(name="Colectivo Transparencia")
    record = commitment()

    response = sign_up(client, institution=organisation.pk)
    assert response.status_code == 200
    assert "pendiente de aprobación" in response.content.decode()
    request = SignupRequest.objects.get()
    assert request.status == "pending"

    client.force_login(request.user)
    url = reverse("reviews:comment_create", args=["compromiso", record.code])
    assert client.post(url, {"body": "Aún no"}).status_code == 403
    assert (
        "Tu cuenta aún no puede comentar" in client.get(record.get_absolute_url()).content.decode()
    )

    client.force_login(staff())
    queue = client.get(reverse("signup_queue")).content.decode()
    assert "ana@colectivo.org" in queue
    client.post(reverse("signup_decide", args=[request.pk]), {"decision": "approve"})

    membership = Membership.objects.get(user__username="ana@colectivo.org")
    assert (membership.role, membership.institution) == (Role.REVIEWER, organisation)
    client.force_login(request.user)
    assert client.post(url, {"body": "Ya puedo"}).status_code == 302
    assert Comment.objects.get().body == "Ya puedo"


def test_signup_for_a_new_organisation_creates_it_on_approval(client):
    sign_up(client, new_name="Observatorio Ciudadano", new_kind="academia")
    request = SignupRequest.objects.get()

    account_services.approve_signup(signup_request_id=request.pk, staff_user=staff())

    institution = Institution.objects.get(name="Observatorio Ciudadano")
    assert institution.kind == "academia"
    assert Membership.objects.get(user=request.user).institution == institution


def test_signup_refuses_government_institutions_and_no_organisation(client):
    government = InstitutionFactory(kind="government")

    assert sign_up(client, institution=government.pk).status_code == 400
    assert sign_up(client).status_code == 400
    assert not SignupRequest.objects.exists()


def test_rejected_request_gives_no_membership(client):
    sign_up(client, new_name="Colectivo")
    request = SignupRequest.objects.get()

    account_services.reject_signup(signup_request_id=request.pk, staff_user=staff())

    assert not Membership.objects.filter(user=request.user).exists()


def test_admin_approve_action(admin_client):
    sign_up(admin_client.__class__(), new_name="Colectivo")
    request = SignupRequest.objects.get()

    admin_client.post(
        reverse("admin:accounts_signuprequest_changelist"),
        {"action": "approve", "_selected_action": [request.pk]},
    )

    assert SignupRequest.objects.get().status == "approved"


def invitation():
    return account_services.invite(
        email="luis@universidad.mx", institution=OrganisationFactory(), staff_user=staff()
    )


def test_invitation_link_creates_a_reviewer_and_works_once(client):
    invite = invitation()
    url = reverse("invitation_accept", args=[account_services.invitation_token(invite)])

    response = client.post(url, {"name": "Luis", "password": PASSWORD})

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="luis@universidad.mx")
    assert (membership.role, membership.institution) == (Role.REVIEWER, invite.institution)
    client.logout()
    assert client.get(url).status_code == 410
    assert client.post(url, {"name": "Otra", "password": PASSWORD}).status_code == 410
    assert Membership.objects.filter(role=Role.REVIEWER).count() == 1


def test_expired_or_forged_invitation_is_refused(client, settings):
    invite = invitation()
    token = account_services.invitation_token(invite)
    settings.INVITATION_MAX_AGE_SECONDS = -1

    assert client.get(reverse("invitation_accept", args=[token])).status_code == 410
    settings.INVITATION_MAX_AGE_SECONDS = 3600
    forged = signing.dumps(invite.pk, salt="otra-sal")
    assert client.get(reverse("invitation_accept", args=[forged])).status_code == 410
    assert not Membership.objects.filter(role=Role.REVIEWER).exists()
