"""Login lockout that stops guessing without locking people out (django-axes).

Three limits, all counted in the database so every web process sees them:

- per (username, address) pair: `AXES_FAILURE_LIMIT` failures lock that pair for
  `AXES_COOLOFF_TIME`; attempts refused during the lock do not extend it, so the
  failures expire. Other people behind the same address (an office's NAT) and the
  account's owner elsewhere are not affected.
- per account, slower: at most `LOGIN_ACCOUNT_FAILURE_LIMIT` password checks may fail
  per `LOGIN_FAILURE_WINDOW` (sliding), from all addresses together, below the ASVS
  bound of 100 per hour (V2.2.1). Past it the account refuses new addresses, but not the
  addresses it has logged in from before: its owner still gets in during an attack.
- per address, generous: `LOGIN_ADDRESS_FAILURE_LIMIT` failures per window across all
  accounts (one address spraying guesses over many accounts).

A successful password reset lifts every lock and throttle of the account
(`lift_locks`).
"""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)

# Why a login was refused, for the page: the pair's lock or the account's throttle.
PAIR = "pair"
ACCOUNT = "account"
ADDRESS = "address"


def failures_since(**filters):
    since = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    return AccessFailureLog.objects.filter(attempt_time__gte=since, **filters).count()


def has_logged_in_from(*, username, ip_address):
    return AccessLog.objects.filter(username=username, ip_address=ip_address).exists()


def account_throttled(*, username, ip_address):
    """The account had too many failed checks lately, and this address is new to it."""
    if not username:
        return False
    if failures_since(username=username) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return False
    return not has_logged_in_from(username=username, ip_address=ip_address)


def address_throttled(*, ip_address):
    if not ip_address:
        return False
    return failures_since(ip_address=ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (the pair's lock) plus the account and address throttles."""

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            request.login_refused_by = PAIR
            return True
        ip_address = getattr(request, "axes_ip_address", None)
        username = get_client_username(request, credentials)
        if account_throttled(username=username, ip_address=ip_address):
            request.login_refused_by = ACCOUNT
            logger.warning("Login throttled for account %r from a new address", username)
            return True
        if address_throttled(ip_address=ip_address):
            request.login_refused_by = ADDRESS
            logger.warning("Login throttled for address %s", ip_address)
            return True
        return False


def lift_locks(*, username):
    """Forget the account's failures: its pairs' locks and the account throttle."""
    attempts, _ = AccessAttempt.objects.filter(username=username).delete()
    failures, _ = AccessFailureLog.objects.filter(username=username).delete()
    logger.info(
        "Login locks lifted for %r (%d attempts, %d failures)", username, attempts, failures
    )


class ResetPasswordForm(SetPasswordForm):
    """The new password of a reset link; saving it lifts the account's locks."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            lift_locks(username=user.get_username())
        return user


def lockout_response(request, original_response=None, credentials=None):
    """Render the translated lockout page with HTTP 429 and how long to wait."""
    refused_by = getattr(request, "login_refused_by", PAIR)
    # The pair's lock lasts the cool-off; the throttles last until failures leave the window.
    cooloff = settings.AXES_COOLOFF_TIME if refused_by == PAIR else settings.LOGIN_FAILURE_WINDOW
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    response = render(
        request,
        "accounts/lockout.html",
        {
            "cooloff_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "refused_by": refused_by,
        },
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
