"""The signed link of an invitation: made when it is mailed or shown, read when it is used.

Its own module so that the mailing task and the services both use it without importing
each other.
"""

from django.conf import settings
from django.core import signing

from .models import Invitation

INVITATION_SALT = "accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The unused invitation the token names, or None when it is forged, expired or used."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(pk=pk, accepted_at__isnull=True).first()
