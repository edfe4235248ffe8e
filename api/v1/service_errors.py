"""The API's answer to a service's refusal: the one DRF exception handler.

Views call the services and let their refusals (`ogp_portal.service_errors`, and the
Django ValidationError a model's `full_clean` raises) reach this handler, which turns
them into the API's status codes, headers and bodies:

- NotAllowed: 403 {"detail"}; NotFound: 404 {"detail"};
- InvalidInput / ValidationError: 400 {field: [messages]}, general ones under
  `non_field_errors`;
- VersionConflict: 412 with the current version (and, when the view can describe the
  record, its current representation) and its ETag;
- RateLimited: 429 {"detail", "retry_after"} and Retry-After.

Everything else goes to DRF's own handler.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ogp_portal.service_errors import NotAllowed, NotFound, RateLimited, VersionConflict


def field_errors(error):
    """A Django ValidationError as {field: [messages]}; one without fields under
    non_field_errors (the shape the API has always answered)."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def _detail(error, default):
    text = str(error.args[0]) if error.args and error.args[0] else ""
    return text or str(default)


def rate_limited(limit):
    minutes = max(1, -(-limit.retry_after // 60))
    detail = _("%(reason)s No se guardó nada. Intente de nuevo en %(minutes)s min.") % {
        "reason": limit.reason,
        "minutes": minutes,
    }
    return Response(
        {"detail": str(detail), "retry_after": limit.retry_after},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(limit.retry_after)},
    )


def version_conflict(conflict, view):
    """412; a view that knows the record says what it is now (`describe_conflict`)."""
    describe = getattr(view, "describe_conflict", None)
    if describe is not None:
        body, headers = describe(conflict)
    else:
        body, headers = {"detail": _("El registro cambió desde la versión que envió.")}, {}
        if conflict.current_version is not None:
            body["current_version"] = conflict.current_version
            headers = {"ETag": f'"{conflict.current_version}"'}
    return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers=headers)


def service_error_response(exc, context):
    """The response to a service's refusal, or None for anything else."""
    if isinstance(exc, NotAllowed) and exc.args and exc.args[0]:
        return Response({"detail": str(exc.args[0])}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NotFound):
        return Response({"detail": _detail(exc, _("No existe."))}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, RateLimited):
        return rate_limited(exc)
    if isinstance(exc, VersionConflict):
        return version_conflict(exc, context.get("view"))
    if isinstance(exc, ValidationError):
        return Response(field_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    return None


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: service refusals first, then DRF's own
    (which also answers a NotAllowed without a message, as Django's PermissionDenied)."""
    response = service_error_response(exc, context)
    if response is None:
        return drf_exception_handler(exc, context)
    set_rollback()
    return response
