import pytest

from api.v1 import response_cache
from commitments.models import Commitment
from ogp_portal import outbox
from tests.factories import CommitmentFactory, PolicyAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 60
    response_cache.bump_generation()


def titles(response):
    return [row["title_es"] for row in response.json()["results"]]


def test_repeated_list_is_served_from_cache(api, cache_on, django_assert_max_num_queries):
    CommitmentFactory(title_es="Uno")
    first = api.get("/api/v1/commitments/")
    with django_assert_max_num_queries(0):
        again = api.get("/api/v1/commitments/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert api.get("/api/v1/commitments/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_save_makes_the_cache_stale(api, cache_on, django_capture_on_commit_callbacks):
    commitment = CommitmentFactory(title_es="Antes")
    assert titles(api.get("/api/v1/commitments/")) == ["Antes"]
    with django_capture_on_commit_callbacks(execute=True):
        commitment.title_es = "Después"
        commitment.save()
    assert titles(api.get("/api/v1/commitments/")) == ["Después"]


def test_a_many_to_many_change_makes_the_cache_stale(
    api, cache_on, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory()
    assert api.get("/api/v1/commitments/").json()["results"][0]["policy_areas"] == []
    with django_capture_on_commit_callbacks(execute=True):
        commitment.policy_areas.add(PolicyAreaFactory(slug="salud"))
    areas = api.get("/api/v1/commitments/").json()["results"][0]["policy_areas"]
    assert [area["slug"] for area in areas] == ["salud"]


def test_writes_that_skip_signals_bump_the_generation_explicitly(api, cache_on):
    CommitmentFactory(title_es="Antes")
    api.get("/api/v1/commitments/")
    Commitment.objects.update(title_es="Set-based")
    response_cache.bump_generation()
    assert titles(api.get("/api/v1/commitments/")) == ["Set-based"]


def test_apps_below_api_make_the_cache_stale_through_the_outbox(api, cache_on):
    # The reporting rounds close with queryset updates; coordination cannot import api.
    CommitmentFactory(title_es="Antes")
    api.get("/api/v1/commitments/")
    Commitment.objects.update(title_es="Set-based")
    outbox.invalidate_api_cache()
    assert titles(api.get("/api/v1/commitments/")) == ["Set-based"]


def test_different_queries_are_cached_apart(api, cache_on):
    CommitmentFactory(code="A1")
    CommitmentFactory(code="B1")
    assert api.get("/api/v1/commitments/", {"search": "A1"}).json()["count"] == 1
    assert api.get("/api/v1/commitments/").json()["count"] == 2
