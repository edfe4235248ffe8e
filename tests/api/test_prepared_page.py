"""An unfiltered projected list runs SQL compiled once (Projection.prepared_values): its
page SQL with LIMIT and OFFSET as parameters, its COUNT(*) as queryset.count() ran it. It
reads what values() of the queryset reads, sees writes, pages as the paginator does and
never keeps SQL with a date or time in it."""

import copy
import datetime

import pytest

from api.v1.resources import base
from api.v1.resources.base import ListResource, Projection
from api.v1.resources.commitments import COMMITMENT_PAGE, base_commitments
from api.v1.resources.milestones import MilestoneSerializer
from api.v1.urls import router
from commitments.models import Commitment, Milestone
from indicators.services import recompute_all
from tests.api.conftest import list_view
from tests.factories import CommentFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

PROJECTED = sorted(
    {
        (prefix, viewset)
        for prefix, viewset, _basename in router.registry
        if issubclass(viewset, ListResource) and viewset.projection is not None
    },
    key=lambda pair: pair[0],
)


@pytest.fixture
def world():
    for n in range(5):
        milestone = MilestoneFactory(commitment=CommitmentFactory(), position=1)
        if n % 2:
            CommentFactory(commitment=None, milestone=milestone)
        else:
            CommentFactory(commitment=milestone.commitment)
    recompute_all()  # the commitments' indicators


@pytest.mark.parametrize(("prefix", "viewset"), PROJECTED, ids=[p for p, _v in PROJECTED])
def test_each_projected_list_reads_what_values_reads(world, prefix, viewset):
    view = list_view(viewset)
    projection = copy.copy(viewset.projection)
    projection.prepared = {}  # none compiled yet
    queryset = view.filter_queryset(view.get_queryset())
    expected = list(projection.values(queryset))
    assert len(expected) >= 5
    for _request in range(2):  # the first compiles, the second reuses
        prepared = projection.prepared_values(viewset, queryset)
        assert prepared.count() == queryset.count() == len(expected)
        for start, stop in [(0, 2), (2, 4), (4, 100), (0, 100)]:
            assert prepared[start:stop] == expected[start:stop]
    assert len(projection.prepared) == 1
    page = next(iter(projection.prepared.values()))
    assert page.count is not None and page.page[1].endswith(" LIMIT %s OFFSET %s")


def test_the_sql_is_compiled_once_and_sees_each_write(world, api, monkeypatch):
    first = api.get("/api/v1/commitments/?page_size=2").json()
    assert first["count"] == 5

    def compiled_again(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(Projection, "values", compiled_again)
    CommitmentFactory(code="AAA-000")  # first in the list's order (by code)
    second = api.get("/api/v1/commitments/?page_size=2").json()
    assert second["count"] == 6
    assert second["results"][0]["code"] == "AAA-000"
    assert second["results"][1] == first["results"][0]


def test_a_page_past_the_end_and_an_empty_list_as_the_paginator_says(
    api, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the COUNT; no page query for an empty page
        empty = api.get("/api/v1/milestones/")
    assert empty.status_code == 200
    assert empty.json()["count"] == 0 and empty.json()["results"] == []
    MilestoneFactory()
    past = api.get("/api/v1/milestones/?page=2")
    assert past.status_code == 400
    # The same answer as through the ORM (an ordering makes the request a filtered one).
    assert past.json() == api.get("/api/v1/milestones/?page=2&ordering=position").json()
    assert past.json()["page"]


def test_sql_with_a_date_or_time_is_never_kept(world):
    today = datetime.date.today()
    projection = Projection(MilestoneSerializer)
    queryset = Milestone.objects.filter(due_date__lte=today).order_by("pk")
    values = projection.prepared_values(Milestone, queryset)
    assert list(projection.prepared.values()) == [False]  # refused, and remembered
    assert values.count() == queryset.count()  # values() as it is, compiled per request
    assert not isinstance(values, base.PreparedRows)

    # A COUNT with a date parameter (here in the count only) is run but not kept.
    projection = copy.copy(COMMITMENT_PAGE)
    projection.prepared = {}
    rows = projection.prepared_values(Commitment, base_commitments(False).all())
    rows.queryset = Commitment.objects.filter(created_at__lte=datetime.datetime.now(datetime.UTC))
    assert rows.count() == 5
    assert next(iter(projection.prepared.values())).count is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # a new connection, outside a test transaction
def test_the_kept_count_is_the_sql_itself_not_a_prepared_statement_of_one_connection(world, api):
    # The list runs under prepared_statements(): what it keeps must be the SELECT, so that
    # a new connection (CONN_MAX_AGE, a failed health check) can prepare it again.
    from django.db import connection

    assert api.get("/api/v1/commitments/?page_size=2").json()["count"] == 5
    kept = [page for page in COMMITMENT_PAGE.prepared.values() if page]
    assert kept and all(page.count[0].startswith("SELECT") for page in kept if page.count)
    connection.close()  # a new session: no statement of the old one exists there
    CommitmentFactory()
    again = api.get("/api/v1/commitments/?page_size=2")
    assert again.status_code == 200 and again.json()["count"] == 6
