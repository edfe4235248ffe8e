"""The public API: /api/v1/ resources, the OpenAPI schema and its two readers."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from .docs import RedocView, SwaggerView
from .v1.resources.base import not_found

app_name = "api"

urlpatterns = [
    path("v1/", include("api.v1.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^.*/$", not_found),  # without the slash, APPEND_SLASH redirects first
]
