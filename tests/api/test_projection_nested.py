"""A projected page's nested lists: SQL compiled once (on PostgreSQL with the keys as one
array parameter, elsewhere once per page length), run with each page's keys, reads what
values() reads."""

import pytest

from api.v1.resources.base import Many, Projection
from api.v1.resources.commitments import COMMITMENT_PAGE, CommitmentSerializer
from commitments.models import Commitment
from tests.conftest import ON_POSTGRES
from tests.factories import CommitmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

LOOKUPS = ("commitment_id", "institution__id", "institution__name", "institution__updated_at")


def commitments_with_leads(count):
    made = []
    for n in range(count):
        commitment = CommitmentFactory()
        commitment.lead_institutions.set(
            [InstitutionFactory(name=f"Institución {n}-{k}") for k in range(n % 3)]
        )
        made.append(commitment.pk)
    return made


def test_the_compiled_sql_reads_each_pages_own_keys_as_values_would():
    keys = commitments_with_leads(6)
    many = COMMITMENT_PAGE.many["lead_institutions"]
    projection = Projection(CommitmentSerializer, many={"lead_institutions": many})
    # Two pages of the same length: the second runs the SQL compiled for the first.
    for page in (keys[:3], keys[3:]):
        expected = list(many.queryset(page).values(*LOOKUPS))
        assert expected  # the story needs institutions on each page
        assert projection.nested("lead_institutions", many, page, LOOKUPS) == expected
    # PostgreSQL: one SQL for any page length; elsewhere one per length.
    assert list(projection.sql) == [("lead_institutions", None if ON_POSTGRES else 3)]
    assert projection.nested("lead_institutions", many, [], LOOKUPS) == []


def test_keys_that_are_not_one_parameter_each_read_through_values():
    keys = commitments_with_leads(4)
    through = Commitment.lead_institutions.through

    def twice(page):
        both = through.objects.filter(commitment_id__in=page) | through.objects.filter(
            commitment_id__in=list(reversed(page))
        )
        return both.order_by("institution__name", "institution")

    many = Many(twice, "commitment_id")
    projection = Projection(CommitmentSerializer, many={"lead_institutions": many})
    for page in (keys[:2], keys[2:]):
        expected = list(many.queryset(page).values(*LOOKUPS))
        assert expected
        assert list(projection.nested("lead_institutions", many, page, LOOKUPS)) == expected
    assert projection.sql == {("lead_institutions", 2): ()}  # no template for this one


@pytest.mark.postgres
def test_on_postgresql_every_nested_list_of_a_commitment_page_is_one_array_parameter():
    keys = commitments_with_leads(5)
    projection = Projection(CommitmentSerializer, many=COMMITMENT_PAGE.many)
    for name, many in COMMITMENT_PAGE.many.items():
        lookups, _item = COMMITMENT_PAGE.item_reader(name, many, None)
        lookups = (many.owner, *lookups, *((many.stamp,) if many.stamp else ()))
        # Pages of different lengths, and a key twice: what the IN list of values() reads.
        for page in (keys, keys[:2], [keys[4], keys[4]], [keys[0]]):
            expected = list(many.queryset(page).values(*lookups))
            assert projection.nested(name, many, page, lookups) == expected
        compiler, sql, params, slots, *_rest, arrayed = projection.sql[name, None]
        assert arrayed and "= ANY(%s::bigint[])" in sql and " IN (" not in sql
    assert len(projection.sql) == len(COMMITMENT_PAGE.many)
