"""Indicators, agreements, the Métrica, meeting agendas and the real history feed."""

import datetime
import json

import pytest

from accounts.models import Role
from indicators.services import recompute_all
from tests.factories import (
    ActionPlanFactory,
    AgendaItemFactory,
    AgreementFactory,
    CommitmentFactory,
    InstitutionFactory,
    MeetingFactory,
    MembershipFactory,
    MetricaEditionFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    StateActionPlanFactory,
    StateFactory,
    UserFactory,
)

from .conftest import record_progress

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def indicator_world():
    jalisco = StateFactory(inegi_code="14", short_name="Jalisco")
    national_plan = ActionPlanFactory(title="Plan nacional")
    state_plan = StateActionPlanFactory(state=jalisco, title="Plan de Jalisco")
    late = CommitmentFactory(code="MX01", action_plan=national_plan)
    MilestoneFactory(
        commitment=late,
        start_date=None,
        due_date=datetime.date(2001, 1, 1),
        percent_complete=20,
        status="in_progress",
    )
    done = CommitmentFactory(code="JAL01", action_plan=state_plan)
    MilestoneFactory(commitment=done, percent_complete=100, status="complete")
    recompute_all()
    return {"national_plan": national_plan, "state_plan": state_plan, "jalisco": jalisco}


def test_commitment_indicators_filter_by_level_state_and_on_time(api, indicator_world):
    rows = results(api.get("/api/v1/indicators/commitments/"))
    assert {row["commitment"]: row["completion_level"] for row in rows} == {
        "JAL01": "complete",
        "MX01": "limited",
    }
    assert [
        r["commitment"]
        for r in results(api.get("/api/v1/indicators/commitments/", {"state": "14"}))
    ] == ["JAL01"]
    late = results(api.get("/api/v1/indicators/commitments/", {"is_on_time": "false"}))
    assert [row["commitment"] for row in late] == ["MX01"]
    assert late[0]["milestones_overdue"] == 1
    response = api.get("/api/v1/indicators/commitments/", {"is_stale": "maybe"})
    assert response.status_code == 400
    assert "is_stale" in response.json()


def test_scope_indicators_name_their_scope(api, indicator_world):
    rows = results(api.get("/api/v1/indicators/scopes/", {"page_size": 100}))
    names = {(row["scope_kind"], row["scope_name"], row["state"]) for row in rows}
    assert ("nation", "México", None) in names
    assert ("state", "Jalisco", "14") in names
    assert ("plan", "Plan de Jalisco", "14") in names
    assert ("plan", "Plan nacional", None) in names
    nation = results(api.get("/api/v1/indicators/scopes/", {"scope_kind": "nation"}))
    assert nation[0]["commitments_total"] == 2
    assert nation[0]["commitments_complete"] == 1


def test_snapshots_filter_by_date_range(api, indicator_world):
    today = datetime.date.today().isoformat()
    assert results(
        api.get("/api/v1/indicators/snapshots/", {"date_from": today, "scope_kind": "nation"})
    )
    assert results(api.get("/api/v1/indicators/snapshots/", {"date_to": "2000-01-01"})) == []
    response = api.get("/api/v1/indicators/snapshots/", {"date_from": "ayer"})
    assert response.status_code == 400
    assert "date_from" in response.json()


def test_agreements_with_overdue_status_and_commitment_codes(api):
    ministry = InstitutionFactory(name="Secretaría")
    meeting = MeetingFactory()
    overdue = AgreementFactory(
        meeting=meeting, responsible=ministry, due_date=datetime.date(2001, 1, 1)
    )
    overdue.commitments.set([CommitmentFactory(code="MX02"), CommitmentFactory(code="MX01")])
    AgreementFactory(meeting=meeting, due_date=datetime.date(2100, 1, 1))
    AgreementFactory(
        meeting=meeting,
        status="done",
        done_date=datetime.date(2001, 1, 1),
        due_date=datetime.date(2001, 1, 1),
    )

    rows = results(api.get("/api/v1/agreements/", {"overdue": "true"}))
    assert [row["id"] for row in rows] == [overdue.pk]
    assert rows[0]["commitments"] == ["MX01", "MX02"]
    assert rows[0]["responsible"]["name"] == "Secretaría"
    assert rows[0]["is_overdue"] is True
    assert len(results(api.get("/api/v1/agreements/", {"overdue": "false"}))) == 2
    assert len(results(api.get("/api/v1/agreements/", {"status": "done"}))) == 1
    assert len(results(api.get("/api/v1/agreements/", {"responsible": ministry.pk}))) == 1
    assert len(results(api.get("/api/v1/agreements/", {"commitment": "MX02"}))) == 1
    assert len(results(api.get("/api/v1/agreements/", {"due_from": "2050-01-01"}))) == 1
    assert api.get("/api/v1/agreements/", {"status": "late"}).status_code == 400


def test_metrica_scores_and_editions(api):
    edition = MetricaEditionFactory(year=2021, national_average="0.520")
    MetricaScoreFactory(state=StateFactory(inegi_code="09"), edition=edition, score="0.610")
    [row] = results(api.get("/api/v1/metrica/", {"edition": 2021}))
    assert row["state"]["inegi_code"] == "09"
    assert row["score"] == 0.61
    assert row["national_average"] == 0.52
    [edition_row] = results(api.get("/api/v1/metrica/editions/"))
    assert edition_row["year"] == 2021
    assert api.get("/api/v1/metrica/editions/2021/").status_code == 200


def test_meetings_carry_format_link_and_agenda(api):
    meeting = MeetingFactory(modality="hybrid", link="https://example.org/sala")
    AgendaItemFactory(meeting=meeting, position=2, title="Segundo")
    AgendaItemFactory(meeting=meeting, position=1, title="Primero")
    [row] = results(api.get("/api/v1/meetings/"))
    assert row["modality"] == "hybrid"
    assert row["link"] == "https://example.org/sala"
    assert [item["title"] for item in row["agenda_items"]] == ["Primero", "Segundo"]


def test_history_feed_shows_changes_role_and_institution_never_the_person(api):
    ministry = InstitutionFactory(name="Secretaría de Prueba")
    editor = MembershipFactory(
        user=UserFactory(username="ana@example.org", email="ana@example.org", first_name="Ana"),
        role=Role.GOVERNMENT_EDITOR,
        institution=ministry,
    ).user
    milestone = MilestoneFactory(percent_complete=0)
    milestone.commitment.lead_institutions.add(ministry)  # the services check who may edit
    record_progress(milestone, editor, percent_complete=40, narrative="Avance")

    response = api.get("/api/v1/progress-history/")
    [event] = results(response)
    assert event["kind"] == "milestone"
    assert event["change"] == "changed"
    assert event["milestone"] == milestone.pk
    assert event["changes"]["percent_complete"] == [0, 40]
    assert event["editor_role"] == "government_editor"
    assert event["editor_institution"] == "Secretaría de Prueba"
    assert "ana" not in response.content.decode().lower()

    csv_text = b"".join(api.get("/api/v1/progress-history/", {"format": "csv"}).streaming_content)
    assert b"ana" not in csv_text.lower()
    assert json.dumps(40) in csv_text.decode()


def test_history_feed_merges_commitment_and_milestone_rows_and_filters_them(api):
    editor = UserFactory(is_staff=True)
    commitment = CommitmentFactory(code="MX01")
    milestone = MilestoneFactory(commitment=commitment)
    record_progress(milestone, editor, percent_complete=10)
    commitment.title_es = "Nuevo título"
    commitment._history_user = editor
    commitment.save()
    record_progress(milestone, editor, percent_complete=20)
    CommitmentFactory(code="MX02")

    rows = results(api.get("/api/v1/progress-history/", {"commitment": "MX01"}))
    assert [(row["kind"], row["percent_complete"]) for row in rows] == [
        ("milestone", 20),
        ("commitment", None),
        ("milestone", 10),
    ]
    assert rows[1]["changes"]["title_es"][1] == "Nuevo título"
    assert rows[1]["editor_role"] == "staff"
    only = results(api.get("/api/v1/progress-history/", {"type": "commitment"}))
    assert [row["kind"] for row in only] == ["commitment"]
    page = api.get("/api/v1/progress-history/", {"page_size": 1}).json()
    second = api.get(page["next"]).json()
    assert second["results"][0]["kind"] == "commitment"


def test_commitment_indicators_filter_and_order_by_staleness(api):
    fresh, old, older = (CommitmentFactory(code=code) for code in ("F01", "O01", "O02"))
    for commitment, days in ((old, 120), (older, 400)):
        type(commitment).objects.filter(pk=commitment.pk).update(
            updated_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
        )
    recompute_all()

    stale = results(api.get("/api/v1/indicators/commitments/", {"is_stale": "true"}))
    current = results(api.get("/api/v1/indicators/commitments/", {"is_stale": "false"}))
    by_days = results(
        api.get("/api/v1/indicators/commitments/", {"ordering": "-days_since_update"})
    )

    assert {row["commitment"] for row in stale} == {"O01", "O02"}
    assert all(row["is_stale"] for row in stale)
    assert [row["commitment"] for row in current] == ["F01"]
    assert [row["commitment"] for row in by_days] == ["O02", "O01", "F01"]
    assert [row["days_since_update"] for row in by_days] == [400, 120, 0]
    ascending = api.get("/api/v1/indicators/commitments/", {"ordering": "days_since_update"})
    assert [row["commitment"] for row in results(ascending)] == ["F01", "O01", "O02"]
