import uuid

import pytest

from commitments.models import ActionPlan
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/commitments/", "/api/v1/commitments/TS-A/"])
def test_etag_gives_304_until_something_changes(api, url):
    commitment = CommitmentFactory(code="TS-A")
    first = api.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Last-Modified"]

    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    # A change in a nested object (the plan's title) changes the ETag.
    ActionPlan.objects.filter(pk=commitment.action_plan_id).update(title="Otro título")
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_gives_304(api):
    CommitmentFactory()
    first = api.get("/api/v1/commitments/")
    response = api.get("/api/v1/commitments/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304
    stale = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert api.get("/api/v1/commitments/", HTTP_IF_MODIFIED_SINCE=stale).status_code == 200


def test_different_filters_have_different_etags(api):
    CommitmentFactory(code="A1")
    CommitmentFactory(code="B1")
    one = api.get("/api/v1/commitments/", {"search": "A1"})
    both = api.get("/api/v1/commitments/")
    assert one["ETag"] != both["ETag"]


def test_anonymous_throttle_answers_429_with_retry_after(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"},
    }
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"  # fresh bucket
    statuses = [api.get("/api/v1/states/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/states/", REMOTE_ADDR=address)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_user_throttle_counts_per_user(api, settings, django_user_model):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "2/minute"},
    }
    user = django_user_model.objects.create_user(username=f"analista-{uuid.uuid4().hex[:8]}")
    api.force_authenticate(user)
    statuses = [api.get("/api/v1/states/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_list_is_last_modified_when_the_newest_thing_it_shows_was(api):
    """Last-Modified is the newest stamp of the page: its rows, their plans and the items of
    their nested lists (institutions, policy areas, alignments)."""
    import datetime

    from django.utils.http import http_date

    from commitments.models import Alignment, Commitment, Institution, PolicyArea
    from tests.factories import AlignmentFactory, InstitutionFactory, PolicyAreaFactory

    def last_modified():
        return api.get("/api/v1/commitments/?page_size=100")["Last-Modified"]

    def later(minutes):
        return datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            minutes=minutes
        )

    alignment = AlignmentFactory()
    commitment = alignment.local_commitment
    institution, area = InstitutionFactory(), PolicyAreaFactory()
    commitment.lead_institutions.add(institution)
    commitment.policy_areas.add(area)
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=later(0))
    assert last_modified() == http_date(later(0).timestamp())
    Institution.objects.filter(pk=institution.pk).update(updated_at=later(1))
    assert last_modified() == http_date(later(1).timestamp())
    PolicyArea.objects.filter(pk=area.pk).update(updated_at=later(2))
    assert last_modified() == http_date(later(2).timestamp())
    Alignment.objects.filter(pk=alignment.pk).update(updated_at=later(3))
    assert last_modified() == http_date(later(3).timestamp())
