"""Why a service refused a write: one small hierarchy every app's services raise.

Services decide; channels translate. Each error says what happened in the domain's
terms and carries what a channel needs to answer (field errors, the current version,
how long to wait). The API translates them in one DRF exception handler
(`api.v1.service_errors`), the pages in one helper (`ogp_portal.service_pages`).

`NotAllowed` is also Django's `PermissionDenied` and `InvalidInput` also Django's
`ValidationError`, so code written against Django's own exceptions (the admin, forms,
`full_clean`) keeps working, and an untranslated refusal is still a 403, not a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise


class ServiceError(Exception):
    """A service refused the write; nothing was saved."""


class NotAllowed(ServiceError, PermissionDenied):
    """This person may not do this (to this record)."""


class NotFound(ServiceError):
    """The record the write is about does not exist."""


class InvalidInput(ServiceError, ValidationError):
    """The input breaks a rule: field errors ({field: [messages]}) or a general one."""


def full_clean(instance: Model, *, exclude: list[str] | None = None) -> None:
    """The model's own validation, refusing as InvalidInput (same messages and fields).

    `Model.full_clean` raises Django's plain ValidationError; services call this instead
    so every refusal they make is a ServiceError."""
    try:
        instance.full_clean(exclude=exclude)
    except InvalidInput:
        raise
    except ValidationError as error:
        raise InvalidInput(error) from error


class VersionConflict(ServiceError):
    """The record changed since the version the person started from."""

    def __init__(
        self, message: str, *, started_version: int, current_version: int | None = None
    ) -> None:
        super().__init__(message)
        self.started_version = started_version
        self.current_version = current_version


class RateLimited(ServiceError):
    """The person reached their limit for this action; `retry_after` seconds to wait.

    `reason` is what the person is told (translatable), the same on every channel."""

    def __init__(self, *, action: str, retry_after: int, reason: StrOrPromise = "") -> None:
        super().__init__(f"Rate limit reached for {action}")
        self.action = action
        self.retry_after = retry_after
        self.reason = reason
