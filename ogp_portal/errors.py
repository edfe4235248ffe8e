"""The server error page, which says 503 (try again) when the database is away.

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
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 30


def database_away(error):
    return isinstance(error, (OperationalError, InterfaceError))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if not database_away(error):
        return default_server_error(request, template_name)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("La base de datos no responde por un momento; intenta de nuevo.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
