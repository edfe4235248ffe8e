"""Error pages: HTML for people, JSON for the API, whatever raised them.

Django answers some failures before any API view runs (a path no pattern matches, a
body over DATA_UPLOAD_MAX_MEMORY_SIZE); under /api/ those answers are JSON too, in the
shape of the API's own errors ({"detail": ...}).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request):
    return request.path.startswith("/api/")


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


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Error del servidor.")}, status=500)
    return defaults.server_error(request)
