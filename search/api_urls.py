"""The search's API endpoint, which the root URLconf adds under /api/v1/ (as `api:v1:search`):
it is built on the API's shared bases, so the API does not import it."""

from django.urls import path

from .api import SearchView

urlpatterns = [path("search/", SearchView.as_view(), name="search")]
