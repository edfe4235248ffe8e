from django.http import JsonResponse
from django.urls import path

from ogp_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The baseline: the full middleware stack and a tiny JSON body, no database."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
