from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .resilience import BROKER, CACHE


@never_cache
def healthz(request):
    """Liveness for load balancers and docker-compose.

    503 only when the database does not answer: without Redis the portal still serves
    and stores every write (ogp_portal/resilience.py), so it reports `"redis":
    "unavailable"` and `"status": "degraded"` with 200, and the failures this process
    counted since it started.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"error: {error.__class__.__name__}"
    if not settings.REDIS_URL:
        checks["redis"] = "not configured"
    elif checks["cache"] == "ok" and BROKER.state()["available"]:
        checks["redis"] = "ok"
    else:
        checks["redis"] = "unavailable"
    if checks["database"] != "ok":
        status = "error"
    elif checks["cache"] != "ok" or checks["redis"] == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, **checks}
    if settings.REDIS_URL:
        body["redis_failures"] = {
            "cache": CACHE.state()["failures"],
            "broker": BROKER.state()["failures"],
        }
    return JsonResponse(body, status=503 if status == "error" else 200)
