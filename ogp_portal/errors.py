"""Error pages: HTML for people, JSON for the API, whatever raised them.

Django answers some failures before any API view runs (a path no pattern matches, a
body over DATA_UPLOAD_MAX_MEMORY_SIZE); under /api/ those answers are JSON too, in the
shape of the API's own errors ({"detail": ...}).

A database restart or failover makes requests fail with OperationalError (or
InterfaceError on a connection that died). That is not a bug of the portal but a
moment to wait: the answer is 503 with Retry-After, a page that needs no database,
and JSON under /api/. Every write is one transaction, so nothing is half-written.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


def _is_api(request):
    return request.path.startswith("/api/")


def database_away(error):
    return isinstance(error, (OperationalError, InterfaceError))


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("La petición no es válida.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("No tiene permiso para realizar esta acción.")}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("No existe.")}, status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if database_away(sys.exc_info()[1]):
        if _is_api(request):
            response = JsonResponse(
                {"detail": _("La base de datos no responde por un momento; intenta de nuevo.")},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _is_api(request):
        return JsonResponse({"detail": _("Error del servidor.")}, status=500)
    return defaults.server_error(request, template_name)
