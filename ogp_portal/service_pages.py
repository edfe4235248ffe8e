"""How a page answers a service's refusal: one helper for every view.

Views call a service and hand whatever it refused to `refusal`: not allowed is the 403
page, not found the 404 page, a rate limit the 429 page with Retry-After, a version
conflict the page's own 409 (only the page knows what to show beside the person's input),
and invalid input goes onto the form, field by field where the form shows the field.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .service_errors import NotAllowed, NotFound, RateLimited, VersionConflict


def refusal(
    request: HttpRequest,
    error: Exception,
    *,
    form: forms.BaseForm | None = None,
    conflict_page: Callable[[VersionConflict], HttpResponse] | None = None,
) -> HttpResponse | None:
    """The response to a refused write, or None when the refusal now shows on `form`
    (or, without a form, as messages) and the view renders its page as usual."""
    if isinstance(error, NotAllowed):
        raise error  # Django's PermissionDenied: the 403 page
    if isinstance(error, NotFound):
        raise Http404 from error
    if isinstance(error, RateLimited):
        return rate_limited_page(request, error)
    if isinstance(error, VersionConflict) and conflict_page is not None:
        return conflict_page(error)
    if isinstance(error, ValidationError):
        if form is None:
            for message in error.messages:
                messages.error(request, message)
        else:
            put_on_form(form, error)
        return None
    raise error


def put_on_form(form: forms.BaseForm, error: ValidationError) -> None:
    """A ValidationError on the form: field errors where the form shows that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, field_errors)


def rate_limited_page(request: HttpRequest, limit: RateLimited) -> HttpResponse:
    """HTTP 429: why, how many minutes to wait, and Retry-After in seconds."""
    minutes = max(1, -(-limit.retry_after // 60))
    response = render(
        request,
        "reviews/rate_limited.html",
        {
            "reason": limit.reason,
            "minutes": minutes,
            "back": request.META.get("HTTP_REFERER", ""),
        },
        status=429,
    )
    response["Retry-After"] = str(limit.retry_after)
    return response
