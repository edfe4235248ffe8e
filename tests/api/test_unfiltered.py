"""A list whose query string names no filter skips django-filter's form
(ListResource.filter_queryset): its queryset is the one the full FilterSet gives."""

import django_filters as filters
import pytest
from django.core.exceptions import EmptyResultSet
from django_filters.rest_framework import DjangoFilterBackend

from api.v1.resources.base import ListResource, unfiltered_names
from api.v1.urls import router
from tests.api.conftest import list_view

pytestmark = pytest.mark.django_db

VIEWSETS = sorted(
    {
        (prefix, viewset)
        for prefix, viewset, _basename in router.registry
        if issubclass(viewset, ListResource)
    },
    key=lambda pair: pair[0],
)


def sql(queryset):
    try:
        return str(queryset.query)
    except EmptyResultSet:  # a list whose queryset selects nothing (the history's stand-in)
        return "empty"


@pytest.mark.parametrize("query", ["", "?page=2&page_size=7&format=json"])
@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[p for p, _v in VIEWSETS])
def test_an_unfiltered_list_is_what_the_filterset_gives(prefix, viewset, query):
    view = list_view(viewset, query)
    if unfiltered_names(view) is None:
        pytest.skip("builds the FilterSet")
    queryset = view.get_queryset()
    fast = view.filter_queryset(queryset)
    full = DjangoFilterBackend().filter_queryset(view.request, queryset, view)
    assert sql(fast) == sql(full)
    assert fast.query.order_by == full.query.order_by


def test_the_commitments_list_skips_the_filterset_only_without_filter_parameters():
    from api.v1.resources.writable import CommitmentViewSet

    assert "cycle_year" in unfiltered_names(list_view(CommitmentViewSet, ""))
    for query, filtered in [
        ("?page_size=5", False),
        ("?cycle_year=2019", True),
        ("?ordering=-code", True),
        ("?search=agua&page=2", True),
    ]:
        view = list_view(CommitmentViewSet, query)
        queryset = view.get_queryset()
        changed = sql(view.filter_queryset(queryset)) != sql(queryset)
        assert changed is filtered, query


def test_a_required_filter_always_builds_the_filterset():
    from api.v1.resources.writable import CommitmentViewSet

    class Required(filters.FilterSet):
        code = filters.CharFilter(required=True)

    view = list_view(CommitmentViewSet, "")
    view.filterset_class = Required
    assert unfiltered_names(view) is None
