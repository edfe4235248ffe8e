"""The public API: /api/v1/ resources, the OpenAPI schema and its two readers.

The root URLconf includes `api_urls(...)` under /api/ and passes the endpoints that apps
built on the API (search, imports) add under /api/v1/, so the API imports none of them.
"""

from collections.abc import Sequence

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from .docs import RedocView, SwaggerView
from .v1 import urls as v1_urls
from .v1.resources.base import not_found

app_name = "api"


def api_urls(
    *, v1_extra: Sequence[URLPattern | URLResolver] = ()
) -> tuple[list[URLPattern | URLResolver], str]:
    """The API's URLconf for `include()`: namespace `api`, /v1/ within as `api:v1`."""
    return (
        [
            path("v1/", include((v1_urls.v1_urlpatterns(extra=v1_extra), v1_urls.app_name))),
            path("schema/", SpectacularAPIView.as_view(), name="schema"),
            path("docs/", SwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
            path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
            re_path(r"^.*/$", not_found),  # without the slash, APPEND_SLASH redirects first
        ],
        app_name,
    )
