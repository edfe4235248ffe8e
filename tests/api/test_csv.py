import csv
import io

import pytest

from api.v1.resources.commitments import COMMITMENTS
from indicators.services import recompute_commitments
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db


def read_csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_commitments_csv_is_flat_with_joined_many_to_many(api):
    commitment = CommitmentFactory(code="MX0087")
    MilestoneFactory(commitment=commitment, percent_complete=50, status="in_progress")
    recompute_commitments(commitment_ids=[commitment.pk])
    commitment.lead_institutions.set(
        [InstitutionFactory(name="Secretaría A"), InstitutionFactory(name="Secretaría B")]
    )
    commitment.policy_areas.set(
        [PolicyAreaFactory(slug="fiscal"), PolicyAreaFactory(slug="justicia")]
    )
    response = api.get("/api/v1/commitments/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="commitments.csv"'
    [row] = read_csv(response)
    assert list(row) == COMMITMENTS.header()
    assert row["lead_institutions"] == "Secretaría A; Secretaría B"
    assert row["policy_areas"] == "fiscal; justicia"
    assert row["completion_level"] == "substantial"


def test_csv_honours_filters_and_is_not_paginated(api):
    for n in range(3):
        CommitmentFactory(code=f"KEEP{n}")
    CommitmentFactory(code="DROP")
    response = api.get("/api/v1/commitments/", {"format": "csv", "search": "keep", "page_size": 1})
    assert [row["code"] for row in read_csv(response)] == ["KEEP0", "KEEP1", "KEEP2"]


def test_csv_columns_are_documented_in_the_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    description = schema["paths"]["/api/v1/commitments/"]["get"]["description"]
    for column in COMMITMENTS.columns:
        assert f"`{column.name}`" in description


def test_detail_has_no_csv(api):
    CommitmentFactory(code="X1")
    assert api.get("/api/v1/commitments/X1/", {"format": "csv"}).status_code == 400
