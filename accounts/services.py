"""Organisation members join: sign up and wait for staff, or accept a staff invitation.

Either way the person ends with a reviewer membership of a civil-society or academic
organisation; until then they have no membership and only read.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution
from ogp_portal.outbox import enqueue

from .models import Invitation, Membership, Role, SignupRequest
from .tasks import send_invitations
from .tokens import invitation_from_token, invitation_token  # noqa: F401  (tokens are part of the accounts API)

ORGANISATION_KINDS = [Institution.Kind.CIVIL_SOCIETY, Institution.Kind.ACADEMIA]


def organisations():
    """Institutions whose members may join as reviewers."""
    return Institution.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name")


def _new_user(*, email, name, password):
    User = get_user_model()
    user = User(username=email.lower(), email=email.lower(), first_name=name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def sign_up(*, email, name, password, institution=None, new_name="", new_kind=""):
    """Create the account and its pending request for staff to approve."""
    if institution is None and not new_name:
        raise ValidationError({"institution": _("Elige una organización o solicita una nueva.")})
    if institution is not None and institution.kind not in ORGANISATION_KINDS:
        raise ValidationError(
            {"institution": _("Solo organizaciones de sociedad civil o academia.")}
        )
    with transaction.atomic():
        user = _new_user(email=email, name=name, password=password)
        request = SignupRequest(
            user=user,
            institution=institution,
            requested_institution_name="" if institution else new_name,
            requested_institution_kind="" if institution else new_kind,
        )
        request.full_clean()
        request.save()
    return request


def approve_signup(*, signup_request_id, staff_user):
    """Give the person the reviewer role of their organisation (creating it if it is new)."""
    with transaction.atomic():
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


def reject_signup(*, signup_request_id, staff_user):
    """Refuse the request; the account stays without a membership."""
    with transaction.atomic():
        request = SignupRequest.objects.select_for_update().get(pk=signup_request_id)
        if request.status == SignupRequest.Status.PENDING:
            request.status = SignupRequest.Status.REJECTED
            request.decided_by = staff_user
            request.decided_at = timezone.now()
            request.save()
    return request


def invite(*, email, institution, staff_user):
    """Create an invitation and mail its link after commit (staff can also copy it)."""
    if institution.kind not in ORGANISATION_KINDS:
        raise ValidationError(
            {"institution": _("Solo organizaciones de sociedad civil o academia.")}
        )
    invitation = Invitation(email=email.lower(), institution=institution, created_by=staff_user)
    invitation.full_clean()
    invitation.save()
    mail_invitations_after_commit()
    return invitation


def mail_invitations_after_commit():
    """Mail the unsent invitations once this transaction commits (the beat sweep retries)."""
    transaction.on_commit(_enqueue_invitation_mail, robust=True)


def _enqueue_invitation_mail():
    enqueue(send_invitations, description="the invitation e-mails")


def accept_invitation(*, token, name, password):
    """Create the invited person's account as a reviewer; a token works once."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        if invitation is None:
            raise ValidationError(_("La invitación no es válida, ya se usó o venció."))
        # Lock it: two submissions of the same link cannot both create an account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("La invitación no es válida, ya se usó o venció."))
        user = _new_user(email=invitation.email, name=name, password=password)
        Membership.objects.create(user=user, role=Role.REVIEWER, institution=invitation.institution)
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save()
    return user
