"""The index follows a parent's changes into the entries that copy its data.

A milestone, a progress report and an evidence are found by their commitment's code and
filtered by its plan, state and cycle; a meeting and its agreements by the plan of their
space's commitment. Renaming or moving the parent must move them too, on SQLite and on
PostgreSQL, whether the change comes through save() or a bulk update.
"""

import datetime

import pytest

from commitments.models import ActionPlan, Commitment, Evidence, Milestone
from coordination.models import CoordinationSpace, Meeting
from search import selectors
from search.models import SearchEntry
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    CommitmentFactory,
    CoordinationSpaceFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgressReportFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    """A commitment with a milestone, a report, evidence of both, and a space that met."""
    old_plan = ActionPlanFactory(cycle_year=2041, title="Cuarto Plan de Acción Nacional")
    colima = StateFactory(inegi_code="06", short_name="Colima", slug="colima")
    new_plan = StateActionPlanFactory(state=colima, cycle_year=2043, title="Plan Local de Colima")
    commitment = CommitmentFactory(
        code="MX0201", action_plan=old_plan, title_es="Archivos abiertos"
    )
    milestone = MilestoneFactory(commitment=commitment, title="Digitalizar los expedientes")
    report = ProgressReportFactory(
        commitment=commitment,
        date=datetime.date(2041, 6, 1),
        summary="Se catalogaron los expedientes históricos.",
    )
    milestone_evidence = Evidence.objects.create(
        milestone=milestone, kind="link", title="Inventario de expedientes", url="https://a.mx/"
    )
    report_evidence = Evidence.objects.create(
        progress_report=report, kind="link", title="Catálogo de expedientes", url="https://b.mx/"
    )
    space = CoordinationSpaceFactory(commitment=commitment)
    meeting = MeetingFactory(space=space, title="Sesión sobre expedientes")
    agreement = AgreementFactory(meeting=meeting, text="Publicar el catálogo de expedientes")
    return {
        "old_plan": old_plan,
        "new_plan": new_plan,
        "colima": colima,
        "commitment": commitment,
        "dependents": {
            ("milestone", milestone.pk),
            ("progress_report", report.pk),
            ("evidence", milestone_evidence.pk),
            ("evidence", report_evidence.pk),
        },
        "coordination": {("meeting", meeting.pk), ("agreement", agreement.pk)},
        "milestone": milestone,
        "report": report,
        "milestone_evidence": milestone_evidence,
        "meeting": meeting,
        "agreement": agreement,
        "space": space,
    }


def found(query, **kwargs):
    return {(hit.kind, hit.object_id) for hit in selectors.search(query, **kwargs).hits}


def test_a_new_code_finds_the_milestones_reports_and_evidence_and_the_old_one_does_not(family):
    assert family["dependents"] <= found("MX0201")
    commitment = family["commitment"]
    commitment.code = "MX0299"
    commitment.save()
    assert family["dependents"] <= found("MX0299")
    assert found("MX0201") == set()
    # The entries carry the new code, so the results link to the commitment's new address.
    assert set(
        SearchEntry.objects.filter(kind__in=["milestone", "progress_report", "evidence"])
        .values_list("code", flat=True)
        .distinct()
    ) == {"MX0299"}


def test_moving_a_commitment_to_another_plan_moves_its_dependents_in_the_filters(family):
    Commitment.objects.filter(pk=family["commitment"].pk).update(
        action_plan=family["new_plan"]
    )  # a bulk update: no save(), no signal, only the database sees it
    everything = family["dependents"] | family["coordination"]
    assert everything <= found("expedientes", plan=family["new_plan"].pk)
    assert everything <= found("expedientes", state=family["colima"].pk)
    assert everything <= found("expedientes", cycle=2043)
    assert found("expedientes", plan=family["old_plan"].pk) == set()
    assert found("expedientes", cycle=2041) == set()


def test_a_plan_moved_to_another_cycle_or_state_takes_all_its_entries_along(family):
    Commitment.objects.filter(pk=family["commitment"].pk).update(action_plan=family["new_plan"])
    durango = StateFactory(inegi_code="10", short_name="Durango", slug="durango")
    ActionPlan.objects.filter(pk=family["new_plan"].pk).update(cycle_year=2045, state=durango)
    expected = (
        family["dependents"] | family["coordination"] | {("commitment", family["commitment"].pk)}
    )
    assert expected <= found("expedientes or archivos", cycle=2045)
    assert expected <= found("expedientes or archivos", state=durango.pk)
    assert found("expedientes or archivos", cycle=2043) == set()
    assert found("expedientes or archivos", state=family["colima"].pk) == set()
    # The plan's own entry is kept by its own trigger.
    assert found("Colima", cycle=2045) == {("action_plan", family["new_plan"].pk)}


def test_moving_a_milestone_to_another_commitment_moves_its_evidence(family):
    other = CommitmentFactory(code="MX0202", action_plan=family["new_plan"])
    Milestone.objects.filter(pk=family["milestone"].pk).update(commitment=other)
    evidence = ("evidence", family["milestone_evidence"].pk)
    assert evidence in found("MX0202")
    assert evidence not in found("MX0201")
    assert evidence in found("inventario", plan=family["new_plan"].pk)


def test_meetings_and_agreements_follow_their_space_and_its_commitment(family):
    other = CommitmentFactory(code="MX0203", action_plan=family["new_plan"])
    CoordinationSpace.objects.filter(pk=family["space"].pk).update(commitment=other)
    assert family["coordination"] <= found("expedientes", plan=family["new_plan"].pk)
    # A meeting moved to a space that no commitment started leaves every plan behind.
    Meeting.objects.filter(pk=family["meeting"].pk).update(space=CoordinationSpaceFactory())
    assert found("expedientes", plan=family["new_plan"].pk).isdisjoint(family["coordination"])
    assert family["coordination"] <= found("expedientes")


def test_an_update_that_changes_nothing_copied_leaves_the_dependents_alone(family):
    before = dict(SearchEntry.objects.values_list("kind", "id").filter(kind="milestone"))
    commitment = family["commitment"]
    commitment.title_es = "Archivos abiertos y accesibles"
    commitment.save()
    Commitment.objects.filter(pk=commitment.pk).update(code="MX0201")  # the same code
    # Same entry rows (the cascade did not run), and the commitment's own entry is current.
    assert dict(SearchEntry.objects.values_list("kind", "id").filter(kind="milestone")) == before
    assert ("commitment", commitment.pk) in found("accesibles")
