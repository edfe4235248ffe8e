"""An invitation is mailed once, with an absolute link that creates the reviewer account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import mailing
from accounts import services as account_services
from accounts.models import Invitation
from tests.factories import OrganisationFactory
from tests.reviews.helpers import staff

pytestmark = pytest.mark.django_db


def invite(django_capture_on_commit_callbacks, email="luis@universidad.mx"):
    with django_capture_on_commit_callbacks(execute=True):
        return account_services.invite(
            email=email, institution=OrganisationFactory(name="Observatorio"), staff_user=staff()
        )


def link_in(message, settings):
    match = re.search(re.escape(settings.PORTAL_BASE_URL) + r"(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_new_invitation_is_mailed_with_a_working_link(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://estado-abierto.example.mx"

    invitation = invite(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["luis@universidad.mx"]
    assert "Observatorio" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert client.get(link_in(message, settings)).status_code == 200


def test_mailing_again_sends_nothing_twice_and_never_to_accepted_invitations(
    django_capture_on_commit_callbacks,
):
    invitation = invite(django_capture_on_commit_callbacks)
    accepted = Invitation.objects.create(
        email="ana@colectivo.mx", institution=invitation.institution, created_by=staff("otra")
    )
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=invitation.created_at)

    assert mailing.send_invitations() == 0
    assert len(mail.outbox) == 1


def test_an_invitation_added_in_the_admin_is_mailed(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_invitation_add"),
            {"email": "maria@academia.mx", "institution": organisation.pk},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_invitation_changelist")
    assert Invitation.objects.get().created_by == admin_user
    assert [message.to for message in mail.outbox] == [["maria@academia.mx"]]
    assert Invitation.objects.get().sent_at is not None


def test_the_institutions_name_reaches_the_mail_as_plain_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invite(
            email="ana@colectivo.mx",
            institution=OrganisationFactory(name="Colectivo <img src=x onerror=alert(1)>\u202e"),
            staff_user=staff(),
        )

    body = mail.outbox[0].body
    assert "Colectivo" in body
    assert "<img" not in body
    assert "\u202e" not in body
