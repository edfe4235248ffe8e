"""Every list costs the same number of queries whatever the page size or table size."""

import pytest

from .conftest import build_world

pytestmark = pytest.mark.django_db

# endpoint -> the most queries its list may run (count + page + prefetches).
LISTS = {
    "/api/v1/action-plans/": 2,
    "/api/v1/local-action-plans/": 2,
    # ... and the title's other official wordings and the IRM's assessments, with sources.
    "/api/v1/commitments/": 9,
    "/api/v1/commitments/?expand=milestones": 10,
    "/api/v1/milestones/": 2,
    "/api/v1/progress-history/": 2,  # one per history table, no count
    "/api/v1/states/": 3,  # with the participation records and their sources
    "/api/v1/institutions/": 2,
    "/api/v1/policy-areas/": 2,
    "/api/v1/sdg-targets/": 2,
    "/api/v1/meetings/": 3,
    "/api/v1/alignments/": 2,
    "/api/v1/agreements/": 3,
    "/api/v1/metrica/": 2,
    "/api/v1/metrica/editions/": 2,
    "/api/v1/indicators/commitments/": 2,
    "/api/v1/indicators/scopes/": 2,
    "/api/v1/indicators/snapshots/": 2,
    "/api/v1/comments/": 2,
    "/api/v1/assessments/": 2,
}


def with_page_size(url, size=100):
    return f"{url}{'&' if '?' in url else '?'}page_size={size}"


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(api, url, size, django_assert_max_num_queries):
    build_world(size)
    with django_assert_max_num_queries(LISTS[url]):
        response = api.get(with_page_size(url))
    assert response.status_code == 200
    assert len(response.json()["results"]) >= size


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_page_size(
    api, url, size, django_assert_max_num_queries
):
    build_world(6)
    with django_assert_max_num_queries(LISTS[url]):
        response = api.get(with_page_size(url, size))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("url", LISTS)
def test_csv_query_count_does_not_grow_with_rows(api, url, size, django_assert_max_num_queries):
    # A CSV export streams the whole filtered list in chunks of 2,000 rows,
    # so below that size it costs what one page costs (minus the count).
    build_world(size)
    with django_assert_max_num_queries(LISTS[url]):
        response = api.get(url, {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) > size


@pytest.mark.parametrize("size", [2, 6])
def test_commitment_detail_query_count_is_fixed(api, size, django_assert_max_num_queries):
    commitments = build_world(size)["commitments"]
    with django_assert_max_num_queries(10):
        response = api.get(f"/api/v1/commitments/{commitments[-1].code}/?expand=milestones")
    assert response.status_code == 200
    assert len(response.json()["milestones"]) == 2
