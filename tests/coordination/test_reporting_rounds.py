"""Reporting rounds (issue 14): staff open a round, editors report, civil society validates
or disputes, and closing freezes each commitment as it stood at the deadline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from commitments.models import Milestone
from coordination import round_services as services
from coordination.models import (
    FrozenCommitment,
    FrozenMilestone,
    FrozenReview,
    ReportingRound,
    RoundEntry,
)
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MembershipFactory,
    MilestoneFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MEXICO = ZoneInfo("America/Mexico_City")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    """A national plan of 2025 with two commitments, staff, an editor of the first one's
    institution and a reviewer of a civil-society organisation."""
    plan = ActionPlanFactory(cycle_year=2025)
    first = CommitmentFactory(action_plan=plan, code="MX0101")
    second = CommitmentFactory(action_plan=plan, code="MX0102")
    editor = MembershipFactory(role=Role.GOVERNMENT_EDITOR).user
    first.lead_institutions.add(editor.membership.institution)
    return {
        "plan": plan,
        "first": first,
        "second": second,
        "staff": UserFactory(is_staff=True),
        "editor": editor,
        "reviewer": ReviewerFactory().user,
    }


def open_round(world, **overrides):
    today = timezone.localdate()
    arguments = {
        "user": world["staff"],
        "name": "Segundo informe de avance 2025",
        "scope": ReportingRound.Scope.PLAN,
        "action_plan": world["plan"],
        "opens_on": today - 10 * DAY,
        "deadline": today + 5 * DAY,
        "validation_ends_on": today + 20 * DAY,
    }
    arguments.update(overrides)
    return services.open_round(**arguments)


def local(day, hour, minute=0, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=MEXICO)


def submit(entry, user, *, now=None):
    return services.submit_report(
        entry=entry,
        user=user,
        date=datetime.date(2025, 6, 1),
        summary="Se publicaron los datos del primer semestre.",
        now=now,
    )


# --- Opening ----------------------------------------------------------------------


def test_opening_a_round_over_a_plan_lists_each_commitment_as_pending(world):
    round_ = open_round(world)
    entries = RoundEntry.objects.filter(round=round_).order_by("commitment__code")
    assert [(e.commitment.code, e.status, e.review) for e in entries] == [
        ("MX0101", "pending", ""),
        ("MX0102", "pending", ""),
    ]
    assert round_.history.count() == 1
    assert RoundEntry.history.filter(round_id=round_.pk).count() == 2


def test_a_round_over_chosen_commitments_holds_only_those(world):
    round_ = open_round(
        world,
        scope=ReportingRound.Scope.COMMITMENTS,
        action_plan=None,
        commitments=[world["second"]],
    )
    assert list(round_.entries.values_list("commitment__code", flat=True)) == ["MX0102"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"deadline_offset": -20}, "deadline", "deadline_before_opening"),
        ({"validation_offset": 2}, "validation_ends_on", "validation_before_deadline"),
        ({"empty": True}, "commitments", "empty_scope"),
        ({"name": "  "}, "name", "required"),
    ],
)
def test_bad_rounds_are_refused_with_a_clear_error_and_nothing_is_stored(
    world, overrides, field, code
):
    today = timezone.localdate()
    arguments = {}
    if "deadline_offset" in overrides:
        arguments["deadline"] = today + overrides["deadline_offset"] * DAY
    if "validation_offset" in overrides:
        arguments["validation_ends_on"] = today + overrides["validation_offset"] * DAY
    if overrides.get("empty"):
        arguments.update(scope=ReportingRound.Scope.COMMITMENTS, action_plan=None, commitments=[])
    if "name" in overrides:
        arguments["name"] = overrides["name"]
    with pytest.raises(ValidationError) as error:
        open_round(world, **arguments)
    assert field in error.value.error_dict
    assert error.value.error_dict[field][0].code == code
    assert ReportingRound.objects.count() == 0
    assert RoundEntry.objects.count() == 0


def test_a_plan_without_commitments_is_an_empty_scope(world):
    with pytest.raises(ValidationError) as error:
        open_round(world, action_plan=ActionPlanFactory(cycle_year=2023))
    assert error.value.error_dict["action_plan"][0].code == "empty_scope"


def test_a_commitment_cannot_be_in_two_open_rounds(world):
    open_round(world)
    with pytest.raises(ValidationError) as error:
        open_round(
            world,
            name="Otra ronda",
            scope=ReportingRound.Scope.COMMITMENTS,
            action_plan=None,
            commitments=[world["second"]],
        )
    assert error.value.error_dict["commitments"][0].code == "already_in_open_round"
    assert "MX0102" in str(error.value)
    assert ReportingRound.objects.count() == 1


def test_the_database_itself_refuses_a_second_open_entry_for_a_commitment(world):
    first = open_round(world)
    second = ReportingRound.objects.create(
        name="Paralela",
        scope=ReportingRound.Scope.COMMITMENTS,
        opens_on=first.opens_on,
        deadline=first.deadline,
        validation_ends_on=first.validation_ends_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundEntry.objects.create(round=second, commitment=world["first"])


def test_the_database_refuses_a_deadline_before_the_opening(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingRound.objects.create(
            name="Al revés",
            scope=ReportingRound.Scope.COMMITMENTS,
            opens_on=datetime.date(2025, 5, 1),
            deadline=datetime.date(2025, 4, 1),
            validation_ends_on=datetime.date(2025, 6, 1),
        )


# --- Submitting -------------------------------------------------------------------


def test_submitting_goes_through_the_progress_report_service_and_is_on_time(world):
    round_ = open_round(world)
    entry = round_.entries.get(commitment=world["first"])
    submit(entry, world["editor"])
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.SUBMITTED
    assert entry.review == RoundEntry.Review.AWAITING
    report = entry.progress_report
    assert report.commitment == world["first"]
    assert report.author == world["editor"]
    assert world["first"].progress_reports.get() == report
    assert entry.history.first().history_user == world["editor"]


def test_a_report_at_235959_local_time_on_the_deadline_is_on_time_and_a_second_later_is_late(
    world,
):
    round_ = open_round(world)
    first, second = round_.entries.order_by("commitment__code")
    submit(first, world["staff"], now=local(round_.deadline, 23, 59, 59))
    submit(second, world["staff"], now=local(round_.deadline + DAY, 0, 0, 0))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RoundEntry.Status.SUBMITTED
    assert second.status == RoundEntry.Status.LATE


def test_submitting_to_a_closed_round_is_refused_and_stores_no_report(world):
    round_ = open_round(world)
    services.close_round(round=round_, user=world["staff"], now=local(round_.deadline + DAY, 9))
    entry = round_.entries.get(commitment=world["first"])
    with pytest.raises(ValidationError) as error:
        submit(entry, world["editor"])
    assert error.value.code == "round_closed"
    assert world["first"].progress_reports.count() == 0


# --- Civil society ----------------------------------------------------------------


def test_a_dispute_needs_reasons_and_makes_the_entry_disputed(world):
    round_ = open_round(world)
    entry = round_.entries.get(commitment=world["first"])
    submit(entry, world["editor"])
    with pytest.raises(ValidationError):
        services.review_entry(entry=entry, user=world["reviewer"], verdict="dispute", reason="")
    services.review_entry(
        entry=entry, user=world["reviewer"], verdict="dispute", reason="No hay evidencia."
    )
    entry.refresh_from_db()
    assert entry.review == RoundEntry.Review.DISPUTED


def test_one_organisation_validating_and_another_disputing_leaves_it_disputed(world):
    round_ = open_round(world)
    entry = round_.entries.get(commitment=world["first"])
    submit(entry, world["editor"])
    services.review_entry(entry=entry, user=world["reviewer"], verdict="validate")
    entry.refresh_from_db()
    assert entry.review == RoundEntry.Review.VALIDATED
    services.review_entry(
        entry=entry, user=ReviewerFactory().user, verdict="dispute", reason="Faltan datos."
    )
    entry.refresh_from_db()
    assert entry.review == RoundEntry.Review.DISPUTED


def test_nothing_to_review_before_a_report_is_submitted(world):
    entry = open_round(world).entries.get(commitment=world["first"])
    with pytest.raises(ValidationError) as error:
        services.review_entry(entry=entry, user=world["reviewer"], verdict="validate")
    assert error.value.code == "nothing_submitted"


# --- Closing and the frozen record ------------------------------------------------


@pytest.fixture
def closed(world):
    """A round whose first commitment reported and was disputed; milestones: one complete
    (weight 1), one at 50 % (weight 3), one without reported progress."""
    round_ = open_round(world)
    first = world["first"]
    MilestoneFactory(
        commitment=first, position=1, weight=1, status="complete", percent_complete=100
    )
    MilestoneFactory(
        commitment=first, position=2, weight=3, status="in_progress", percent_complete=50
    )
    MilestoneFactory(commitment=first, position=3, weight=5, progress_reported=False)
    entry = round_.entries.get(commitment=first)
    submit(entry, world["editor"])
    services.review_entry(
        entry=entry, user=world["reviewer"], verdict="dispute", reason="No vemos el portal."
    )
    services.close_round(round=round_, user=world["staff"], now=local(round_.deadline + DAY, 9))
    return round_


def test_closing_freezes_each_commitment_with_its_status_figures_and_reasons(closed, world):
    closed.refresh_from_db()
    assert closed.status == ReportingRound.Status.CLOSED
    first = FrozenCommitment.objects.get(round=closed, code="MX0101")
    second = FrozenCommitment.objects.get(round=closed, code="MX0102")
    assert (first.status, first.review) == ("submitted", "disputed")
    assert (second.status, second.review) == ("pending", "")
    assert first.milestones_total == 3
    assert first.milestones_complete == 1
    # (1 × 100 + 3 × 50) / 4; the unreported milestone counts for nothing.
    assert float(first.completion_percent) == 62.5
    assert second.completion_percent is None
    assert first.report_summary.startswith("Se publicaron")
    assert first.institution == world["editor"].membership.institution.name
    review = FrozenReview.objects.get(round=closed)
    assert (review.verdict, review.reason) == ("dispute", "No vemos el portal.")
    assert not RoundEntry.objects.filter(round=closed, is_open=True).exists()


def test_reports_nobody_reviewed_are_not_reviewed_at_close(world):
    round_ = open_round(world)
    submit(round_.entries.get(commitment=world["second"]), world["staff"])
    services.close_round(round=round_, user=world["staff"], now=local(round_.deadline + DAY, 9))
    assert FrozenCommitment.objects.get(round=round_, code="MX0102").review == "not_reviewed"


def test_later_edits_do_not_change_the_frozen_record(closed, world):
    milestone = Milestone.objects.filter(commitment=world["first"]).order_by("position").last()
    Milestone.objects.filter(pk=milestone.pk).update(percent_complete=90, status="in_progress")
    world["first"].title_es = "Otro título"
    world["first"].save()
    frozen = FrozenMilestone.objects.get(round=closed, milestone_id=milestone.pk)
    assert frozen.percent_complete == 0
    assert FrozenCommitment.objects.get(round=closed, code="MX0101").title_es != "Otro título"


def test_the_database_refuses_to_change_a_frozen_row(closed):
    with pytest.raises(DatabaseError), transaction.atomic():
        FrozenCommitment.objects.filter(round=closed).update(completion_percent=100)
    with pytest.raises(DatabaseError), transaction.atomic():
        FrozenMilestone.objects.filter(round=closed).update(percent_complete=100)
    assert float(FrozenCommitment.objects.get(code="MX0101").completion_percent) == 62.5


@pytest.mark.postgres
def test_postgresql_also_refuses_to_delete_a_frozen_row(closed):
    with pytest.raises(DatabaseError), transaction.atomic():
        FrozenMilestone.objects.filter(round=closed).delete()
    assert FrozenMilestone.objects.filter(round=closed).count() == 3


def test_the_frozen_milestones_are_as_of_the_deadline_not_as_of_the_close(world):
    round_ = open_round(world)
    milestone = MilestoneFactory(
        commitment=world["first"], status="in_progress", percent_complete=20
    )
    # Created before the deadline …
    Milestone.history.filter(id=milestone.pk).update(history_date=local(round_.deadline, 12))
    Milestone.objects.filter(pk=milestone.pk).update(created_at=local(round_.deadline, 12))
    # … changed after it, before the round was closed.
    services_now = local(round_.deadline + 2 * DAY, 9)
    milestone.percent_complete = 70
    milestone.save()
    Milestone.history.filter(id=milestone.pk, percent_complete=70).update(
        history_date=local(round_.deadline + DAY, 8)
    )
    services.close_round(round=round_, user=world["staff"], now=services_now)
    assert FrozenMilestone.objects.get(milestone_id=milestone.pk).percent_complete == 20


def test_closing_twice_or_reopening_a_frozen_round_is_refused_and_changes_nothing(closed, world):
    count = FrozenCommitment.objects.count()
    with pytest.raises(ValidationError) as error:
        services.close_round(round=closed, user=world["staff"])
    assert error.value.code == "round_frozen"
    with pytest.raises(ValidationError) as error:
        services.reopen_round(round=closed, user=world["staff"])
    assert error.value.code == "round_frozen"
    assert FrozenCommitment.objects.count() == count
    closed.refresh_from_db()
    assert closed.status == ReportingRound.Status.CLOSED


def test_a_round_is_not_closed_before_its_deadline(world):
    round_ = open_round(world)
    with pytest.raises(ValidationError) as error:
        services.close_round(round=round_, user=world["staff"], now=local(round_.deadline, 23))
    assert error.value.code == "before_deadline"
    assert FrozenCommitment.objects.count() == 0


def test_after_closing_the_commitments_may_join_a_new_round(closed, world):
    today = timezone.localdate()
    second = open_round(
        world,
        name="Resultado final",
        opens_on=today,
        deadline=today + 30 * DAY,
        validation_ends_on=today + 40 * DAY,
    )
    assert second.entries.count() == 2


def test_a_report_replacing_one_made_on_time_keeps_the_entry_on_time(world):
    round_ = open_round(world)
    entry = round_.entries.get(commitment=world["first"])
    submit(entry, world["editor"], now=local(round_.deadline, 12))
    submit(entry, world["editor"], now=local(round_.deadline + DAY, 12))
    entry.refresh_from_db()
    assert entry.status == RoundEntry.Status.SUBMITTED
    assert world["first"].progress_reports.count() == 2
    assert entry.progress_report == world["first"].progress_reports.order_by("pk").last()


def test_a_review_after_the_validation_window_is_refused(world):
    round_ = open_round(world)
    entry = round_.entries.get(commitment=world["first"])
    submit(entry, world["editor"])
    with pytest.raises(ValidationError) as error:
        services.review_entry(
            entry=entry,
            user=world["reviewer"],
            verdict="validate",
            now=local(round_.validation_ends_on + DAY, 9),
        )
    assert error.value.code == "validation_window_over"
    entry.refresh_from_db()
    assert entry.review == RoundEntry.Review.AWAITING
    assert not entry.reviews.exists()
