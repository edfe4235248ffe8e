"""The imports' API endpoints, which the root URLconf adds under /api/v1/ (as `api:v1:…`):
imports is built on the API (its columns are the API's), so the API does not import it."""

from django.urls import path

from .api import ImportDetailView, ImportView

urlpatterns = [
    path("imports/", ImportView.as_view(), name="import-list"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import-detail"),
]
