"""Why a service refused a write: one small hierarchy every app's services raise.

Services decide; channels translate. Each error says what happened in the domain's
terms and carries what a channel needs to answer (field errors, the current version,
how long to wait). The API translates them in one DRF exception handler
(`api.v1.service_errors`), the pages in one helper (`ogp_portal.service_pages`).

`NotAllowed` is also Django's `PermissionDenied` and `InvalidInput` also Django's
`ValidationError`, so code written against Django's own exceptions (the admin, forms,
`full_clean`) keeps working, and an untranslated refusal is still a 403, not a 500.
"""

from django.core.exceptions import PermissionDenied, ValidationError


class ServiceError(Exception):
    """A service refused the write; nothing was saved."""


class NotAllowed(ServiceError, PermissionDenied):
    """This person may not do this (to this record)."""


class NotFound(ServiceError):
    """The record the write is about does not exist."""


class InvalidInput(ServiceError, ValidationError):
    """The input breaks a rule: field errors ({field: [messages]}) or a general one."""


class VersionConflict(ServiceError):
    """The record changed since the version the person started from."""

    def __init__(self, message, *, started_version, current_version=None):
        super().__init__(message)
        self.started_version = started_version
        self.current_version = current_version


class RateLimited(ServiceError):
    """The person reached their limit for this action; `retry_after` seconds to wait.

    `reason` is what the person is told (translatable), the same on every channel."""

    def __init__(self, *, action, retry_after, reason=""):
        super().__init__(f"Rate limit reached for {action}")
        self.action = action
        self.retry_after = retry_after
        self.reason = reason
