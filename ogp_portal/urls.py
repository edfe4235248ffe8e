from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.urls import api_urls
from imports import api_urls as imports_api_urls
from ogp_portal.health import healthz
from search import api_urls as search_api_urls
from states import views as state_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The API's own resources, and the endpoints of the apps built on it under /api/v1/.
    path(
        "api/",
        include(api_urls(v1_extra=[*search_api_urls.urlpatterns, *imports_api_urls.urlpatterns])),
    ),
    path("cuenta/", include("accounts.urls")),
    path("", state_views.home, name="home"),
    path("", include("commitments.urls")),
    path("estados/", include("states.urls")),
    path("diagnostico/", state_views.diagnostic, name="diagnostic"),
    path("alineacion/", state_views.alignment_matrix, name="alignment_matrix"),
    path("ods/", state_views.sdg_targets, name="sdg_targets"),
    path("coordinacion/", include("coordination.urls")),
    path("participacion/", include("reviews.urls")),
    path("tablero/", include("indicators.urls")),
    path("buscar/", include("search.urls")),
    path("importar/", include("imports.urls")),
]

handler400 = "ogp_portal.errors.bad_request"
handler403 = "ogp_portal.errors.permission_denied"
handler404 = "ogp_portal.errors.page_not_found"
# 503 with Retry-After when the database is away (a restart, a failover), else the 500 page.
handler500 = "ogp_portal.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
