"""Organisation members join: sign up and wait for staff, or accept a staff invitation.

Either way the person ends with a reviewer membership of a civil-society or academic
organisation; until then they have no membership and only read. Bad input is refused
with InvalidInput (Django's ValidationError too, so the forms show it as before).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution
from ogp_portal.outbox import data_changed, enqueue
from ogp_portal.service_errors import InvalidInput, full_clean

from .models import Invitation, Membership, Role, SignupRequest
from .tasks import send_invitations
from .tokens import invitation_from_token, invitation_token  # noqa: F401  (tokens are part of the accounts API)

ORGANISATION_KINDS = [Institution.Kind.CIVIL_SOCIETY, Institution.Kind.ACADEMIA]


def organisations() -> QuerySet[Institution]:
    """Institutions whose members may join as reviewers."""
    return Institution.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name")


def _new_user(*, email: str, name: str, password: str) -> User:
    user_model = get_user_model()
    user = user_model(username=email.lower(), email=email.lower(), first_name=name[:150])
    user.set_password(password)
    full_clean(user, exclude=["password"])
    user.save()
    return user


def sign_up(
    *,
    email: str,
    name: str,
    password: str,
    institution: Institution | None = None,
    new_name: str = "",
    new_kind: str = "",
) -> SignupRequest:
    """Create the account and its pending request for staff to approve."""
    if institution is None and not new_name:
        raise InvalidInput({"institution": _("Elige una organización o solicita una nueva.")})
    if institution is not None and institution.kind not in ORGANISATION_KINDS:
        raise InvalidInput({"institution": _("Solo organizaciones de sociedad civil o academia.")})
    with transaction.atomic():
        user = _new_user(email=email, name=name, password=password)
        request = SignupRequest(
            user=user,
            institution=institution,
            requested_institution_name="" if institution else new_name,
            requested_institution_kind="" if institution else new_kind,
        )
        full_clean(request)
        request.save()
    return request


def approve_signup(*, signup_request_id: int, staff_user: User) -> SignupRequest:
    """Give the person the reviewer role of their organisation (creating it if it is new)."""
    with transaction.atomic():
        data_changed()
        request = SignupRequest.objects.select_for_update().get(pk=signup_request_id)
        if request.status != SignupRequest.Status.PENDING:
            return request
        institution = request.institution
        if institution is None:
            institution, _created = Institution.objects.get_or_create(
                name=request.requested_institution_name,
                defaults={
                    "kind": request.requested_institution_kind or Institution.Kind.CIVIL_SOCIETY
                },
            )
            request.institution = institution
        Membership.objects.update_or_create(
            user=request.user, defaults={"role": Role.REVIEWER, "institution": institution}
        )
        request.status = SignupRequest.Status.APPROVED
        request.decided_by = staff_user
        request.decided_at = timezone.now()
        request.save()
    return request


def reject_signup(*, signup_request_id: int, staff_user: User) -> SignupRequest:
    """Refuse the request; the account stays without a membership."""
    with transaction.atomic():
        request = SignupRequest.objects.select_for_update().get(pk=signup_request_id)
        if request.status == SignupRequest.Status.PENDING:
            request.status = SignupRequest.Status.REJECTED
            request.decided_by = staff_user
            request.decided_at = timezone.now()
            request.save()
    return request


def invite(*, email: str, institution: Institution, staff_user: User) -> Invitation:
    """Create an invitation and mail its link after commit (staff can also copy it)."""
    if institution.kind not in ORGANISATION_KINDS:
        raise InvalidInput({"institution": _("Solo organizaciones de sociedad civil o academia.")})
    invitation = Invitation(email=email.lower(), institution=institution, created_by=staff_user)
    full_clean(invitation)
    invitation.save()
    mail_invitations_after_commit()
    return invitation


def mail_invitations_after_commit() -> None:
    """Mail the unsent invitations once this transaction commits (the beat sweep retries)."""
    transaction.on_commit(_enqueue_invitation_mail, robust=True)


def _enqueue_invitation_mail() -> None:
    enqueue(send_invitations, description="the invitation e-mails")


def accept_invitation(*, token: str, name: str, password: str) -> User:
    """Create the invited person's account as a reviewer; a token works once."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        if invitation is None:
            raise InvalidInput(_("La invitación no es válida, ya se usó o venció."))
        # Lock it: two submissions of the same link cannot both create an account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvalidInput(_("La invitación no es válida, ya se usó o venció."))
        user = _new_user(email=invitation.email, name=name, password=password)
        Membership.objects.create(user=user, role=Role.REVIEWER, institution=invitation.institution)
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save()
    return user
