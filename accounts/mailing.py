"""Mail each invitation once, like the notification outbox of reviews.mailing.

Unsent invitations are claimed with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and
marked sent in the same transaction: a retried or duplicated task mails nothing twice.
The link is signed when mailed, so it is valid for INVITATION_MAX_AGE_SECONDS from then.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.outbox import claim, portal_url

from .models import Invitation
from .tokens import invitation_token

BATCH_SIZE = 200


def _unsent():
    rows = (
        Invitation.objects.filter(sent_at__isnull=True, accepted_at__isnull=True)
        .select_related("institution", "created_by")
        .order_by("pk")
    )
    return claim(rows)


def send_invitations(*, batch_size=BATCH_SIZE):
    """Mail every unsent, unaccepted invitation its link; returns how many were mailed."""
    now = timezone.now()
    expires = timezone.localdate(
        now + datetime.timedelta(seconds=settings.INVITATION_MAX_AGE_SECONDS)
    )
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        rows = list(_unsent()[:batch_size])
        for invitation in rows:
            path = reverse("invitation_accept", args=[invitation_token(invitation)])
            body = render_to_string(
                "accounts/email/invitation.txt",
                {
                    "invitation": invitation,
                    "url": portal_url(path),
                    "expires": expires,
                },
            )
            send_mail(
                subject=_("[Estado Abierto] Invitación para revisar el avance de los compromisos"),
                message=body,
                from_email=None,
                recipient_list=[invitation.email],
            )
        Invitation.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now)
    return len(rows)
