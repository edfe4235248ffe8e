import datetime

import pytest
from django.utils import timezone

from commitments.models import Commitment
from indicators.services import recompute_commitments
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    SdgTargetFactory,
    StateActionPlanFactory,
    StateFactory,
    UserFactory,
)

from .conftest import record_progress

pytestmark = pytest.mark.django_db


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def two_commitments():
    oaxaca = StateFactory(inegi_code="20")
    national = CommitmentFactory(code="MX0001", title_es="Transparencia presupuestaria")
    local = CommitmentFactory(
        code="OAX01",
        title_es="Parlamento abierto",
        action_plan=StateActionPlanFactory(state=oaxaca, cycle_year=2021),
    )
    return national, local


def test_scope_state_and_cycle_year(api, two_commitments):
    national, local = two_commitments
    assert codes(api.get("/api/v1/commitments/", {"scope": "state"})) == ["OAX01"]
    assert codes(api.get("/api/v1/commitments/", {"state": "20"})) == ["OAX01"]
    assert codes(api.get("/api/v1/commitments/", {"cycle_year": 2021})) == ["OAX01"]
    assert codes(api.get("/api/v1/commitments/", {"action_plan": national.action_plan_id})) == [
        "MX0001"
    ]


def test_institution_matches_lead_or_support_without_duplicates(api, two_commitments):
    national, local = two_commitments
    institution = InstitutionFactory()
    national.lead_institutions.add(institution)
    local.support_institutions.add(institution)
    local.lead_institutions.add(InstitutionFactory())
    assert codes(api.get("/api/v1/commitments/", {"institution": institution.pk})) == [
        "MX0001",
        "OAX01",
    ]


def test_policy_area_and_sdg_target(api, two_commitments):
    national, _ = two_commitments
    area = PolicyAreaFactory(slug="fiscal-openness")
    target = SdgTargetFactory(code="16.6")
    national.policy_areas.add(area)
    national.sdg_targets.add(target)
    assert codes(api.get("/api/v1/commitments/", {"policy_area": "fiscal-openness"})) == ["MX0001"]
    assert codes(api.get("/api/v1/commitments/", {"sdg_target": "16.6"})) == ["MX0001"]
    milestone = MilestoneFactory(commitment=national)
    MilestoneFactory()
    response = api.get("/api/v1/milestones/", {"sdg_target": "16.6"})
    assert [row["id"] for row in response.json()["results"]] == [milestone.pk]


@pytest.mark.parametrize(
    ("milestones", "level"),
    [
        ([("not_started", 0)], "not_started"),
        ([("in_progress", 1), ("not_started", 0)], "limited"),
        ([("in_progress", 99), ("not_started", 0)], "limited"),
        ([("complete", 100), ("not_started", 0)], "substantial"),
        ([("complete", 100), ("in_progress", 99)], "substantial"),
        ([("complete", 100), ("withdrawn", 0)], "complete"),
        ([("withdrawn", 0), ("withdrawn", 0)], "withdrawn"),
    ],
)
def test_completion_level_is_the_stored_indicator(api, milestones, level):
    commitment = CommitmentFactory(code="C1")
    for position, (status, percent) in enumerate(milestones, start=1):
        MilestoneFactory(
            commitment=commitment, position=position, status=status, percent_complete=percent
        )
    recompute_commitments(commitment_ids=[commitment.pk])
    assert codes(api.get("/api/v1/commitments/", {"completion_level": level})) == ["C1"]
    assert api.get("/api/v1/commitments/C1/").json()["completion_level"] == level
    row = api.get("/api/v1/indicators/commitments/", {"completion_level": level}).json()
    assert [item["commitment"] for item in row["results"]] == ["C1"]


def test_commitment_without_indicators_yet_has_a_null_level_and_matches_no_level(api):
    CommitmentFactory(code="C1")
    assert api.get("/api/v1/commitments/C1/").json()["completion_level"] is None
    assert codes(api.get("/api/v1/commitments/", {"completion_level": "not_started"})) == []


def test_milestone_status(api):
    done = MilestoneFactory(status="complete", percent_complete=100)
    MilestoneFactory(status="in_progress", percent_complete=30)
    response = api.get("/api/v1/milestones/", {"status": "complete"})
    assert [row["id"] for row in response.json()["results"]] == [done.pk]


def test_updated_since(api, two_commitments):
    national, _ = two_commitments
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Commitment.objects.exclude(pk=national.pk).update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert codes(api.get("/api/v1/commitments/", {"updated_since": since})) == ["MX0001"]


def test_search_on_code_and_titles(api, two_commitments):
    assert codes(api.get("/api/v1/commitments/", {"search": "parlamento"})) == ["OAX01"]
    assert codes(api.get("/api/v1/commitments/", {"search": "mx00"})) == ["MX0001"]


def test_ordering_allow_list(api, two_commitments):
    national, local = two_commitments
    Commitment.objects.filter(pk=local.pk).update(completion_percent=80)
    assert codes(api.get("/api/v1/commitments/", {"ordering": "-completion_percent"})) == [
        "OAX01",
        "MX0001",
    ]
    # No figure (no information) comes last in both directions, on every database.
    assert codes(api.get("/api/v1/commitments/", {"ordering": "completion_percent"})) == [
        "OAX01",
        "MX0001",
    ]
    assert codes(api.get("/api/v1/commitments/", {"ordering": "-code"})) == ["OAX01", "MX0001"]


def test_local_action_plans_are_state_plans_only(api, two_commitments):
    response = api.get("/api/v1/local-action-plans/")
    assert [plan["scope"] for plan in response.json()["results"]] == ["state"]
    response = api.get("/api/v1/action-plans/", {"scope": "national"})
    assert [plan["scope"] for plan in response.json()["results"]] == ["national"]


def test_progress_history_is_newest_first_and_follows_the_cursor(api):
    milestones = MilestoneFactory.create_batch(5)
    editor = UserFactory(is_staff=True)
    for n, milestone in enumerate(milestones):
        record_progress(milestone, editor, percent_complete=10 + n)
    seen = []
    response = api.get("/api/v1/progress-history/", {"page_size": 2})
    while True:
        body = response.json()
        seen.extend(event["milestone"] for event in body["results"])
        if not body["next"]:
            break
        response = api.get(body["next"])
    assert seen == [m.pk for m in reversed(milestones)]


def test_expand_milestones(api):
    milestone = MilestoneFactory()
    plain = api.get("/api/v1/commitments/").json()["results"][0]
    assert "milestones" not in plain
    expanded = api.get("/api/v1/commitments/", {"expand": "milestones"}).json()["results"][0]
    assert [m["id"] for m in expanded["milestones"]] == [milestone.pk]
