"""Reads of reporting rounds for pages, CSV and API: a fixed number of queries each."""

from decimal import Decimal
from typing import TypedDict

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from commitments.models import Institution
from states.models import State

from .round_models import (
    EntryStatus,
    FrozenCommitment,
    FrozenMilestone,
    FrozenReview,
    ReportingRound,
    ReviewOutcome,
    RoundEntry,
    RoundReview,
)

GROUPS = {"institucion": "institution_name", "entidad": "state_name"}


def rounds() -> QuerySet[ReportingRound]:
    return ReportingRound.objects.select_related("action_plan").annotate(
        commitment_count=Count("entries")
    )


def round_or_404(pk: int) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.select_related("action_plan"), pk=pk)


def annotate_board(entries: QuerySet[RoundEntry]) -> QuerySet[RoundEntry]:
    """Entries with the institution and state the board groups by, and their reviews."""
    return (
        entries.select_related("commitment", "progress_report")
        .annotate(
            institution_name=Coalesce(F("institution__name"), Value("")),
            state_name=Coalesce(F("commitment__action_plan__state__short_name"), Value("")),
        )
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=RoundReview.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
    )


def board_entries(
    round_: ReportingRound,
    *,
    status: str = "",
    review: str = "",
    institution: Institution | None = None,
    state: State | None = None,
    group: str = "",
) -> QuerySet[RoundEntry]:
    """The round's entries with what the board shows, filtered and ordered by group and code."""
    entries = annotate_board(RoundEntry.objects.filter(round=round_))
    if status:
        entries = entries.filter(status=status)
    if review:
        entries = entries.filter(review=review)
    if institution is not None:
        entries = entries.filter(institution=institution)
    if state is not None:
        entries = entries.filter(commitment__action_plan__state=state)
    order = [GROUPS[group]] if group in GROUPS else []
    return entries.order_by(*order, "commitment__code")


class BoardCounts(TypedDict):
    total: int
    pending: int
    submitted: int
    late: int
    reported: int
    awaiting: int
    validated: int
    disputed: int
    not_reviewed: int


def board_counts(round_: ReportingRound) -> BoardCounts:
    """How many commitments stand where, in one aggregate query."""
    counts = RoundEntry.objects.filter(round=round_).aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=EntryStatus.PENDING)),
        submitted=Count("pk", filter=Q(status=EntryStatus.SUBMITTED)),
        late=Count("pk", filter=Q(status=EntryStatus.LATE)),
        awaiting=Count("pk", filter=Q(review=ReviewOutcome.AWAITING)),
        validated=Count("pk", filter=Q(review=ReviewOutcome.VALIDATED)),
        disputed=Count("pk", filter=Q(review=ReviewOutcome.DISPUTED)),
        not_reviewed=Count("pk", filter=Q(review=ReviewOutcome.NOT_REVIEWED)),
    )
    return BoardCounts(
        total=counts["total"],
        pending=counts["pending"],
        submitted=counts["submitted"],
        late=counts["late"],
        reported=counts["submitted"] + counts["late"],
        awaiting=counts["awaiting"],
        validated=counts["validated"],
        disputed=counts["disputed"],
        not_reviewed=counts["not_reviewed"],
    )


def board_institutions(round_: ReportingRound) -> QuerySet[Institution]:
    """The institutions responsible for the round's commitments (filter choices)."""
    ids = RoundEntry.objects.filter(round=round_).values("institution_id")
    return Institution.objects.filter(pk__in=ids)


def board_states(round_: ReportingRound) -> QuerySet[State]:
    ids = RoundEntry.objects.filter(round=round_).values("commitment__action_plan__state")
    return State.objects.filter(pk__in=ids)


def entry_for_submission(round_: ReportingRound, code: str) -> RoundEntry:
    return get_object_or_404(
        RoundEntry.objects.select_related("round", "commitment__action_plan", "progress_report"),
        round=round_,
        commitment__code=code,
    )


def frozen_commitments(round_: ReportingRound) -> QuerySet[FrozenCommitment]:
    return FrozenCommitment.objects.filter(round=round_).order_by("code")


def frozen_milestones(round_: ReportingRound) -> QuerySet[FrozenMilestone]:
    return FrozenMilestone.objects.filter(round=round_).order_by("commitment_id", "position")


def frozen_reviews(round_: ReportingRound) -> QuerySet[FrozenReview]:
    return FrozenReview.objects.filter(round=round_).order_by("commitment_id", "organisation")


class FrozenSummary(TypedDict):
    total: int
    pending: int
    submitted: int
    late: int
    validated: int
    disputed: int
    not_reviewed: int
    with_information: int
    mean_completion: Decimal | None


def frozen_summary(round_: ReportingRound) -> FrozenSummary:
    """The frozen record's counts and mean completion, in one aggregate query."""
    summary = FrozenCommitment.objects.filter(round=round_).aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=EntryStatus.PENDING)),
        submitted=Count("pk", filter=Q(status=EntryStatus.SUBMITTED)),
        late=Count("pk", filter=Q(status=EntryStatus.LATE)),
        validated=Count("pk", filter=Q(review=ReviewOutcome.VALIDATED)),
        disputed=Count("pk", filter=Q(review=ReviewOutcome.DISPUTED)),
        not_reviewed=Count("pk", filter=Q(review=ReviewOutcome.NOT_REVIEWED)),
        with_information=Count("pk", filter=Q(completion_percent__isnull=False)),
        mean_completion=Avg("completion_percent"),
    )
    return FrozenSummary(
        total=summary["total"],
        pending=summary["pending"],
        submitted=summary["submitted"],
        late=summary["late"],
        validated=summary["validated"],
        disputed=summary["disputed"],
        not_reviewed=summary["not_reviewed"],
        with_information=summary["with_information"],
        mean_completion=summary["mean_completion"],
    )


def comparison(
    first: ReportingRound, second: ReportingRound
) -> tuple[QuerySet[FrozenCommitment], QuerySet[FrozenCommitment]]:
    """The later round's frozen commitments with the earlier round's figures beside them
    (None where a commitment was not in the earlier round), and those only in the earlier."""
    before = FrozenCommitment.objects.filter(round=first, commitment_id=OuterRef("commitment_id"))
    rows = (
        FrozenCommitment.objects.filter(round=second)
        .annotate(
            before_status=Subquery(before.values("status")[:1]),
            before_review=Subquery(before.values("review")[:1]),
            before_completion=Subquery(before.values("completion_percent")[:1]),
            before_complete=Subquery(before.values("milestones_complete")[:1]),
        )
        .order_by("code")
    )
    later = FrozenCommitment.objects.filter(round=second).values("commitment_id")
    only_before = (
        FrozenCommitment.objects.filter(round=first)
        .exclude(commitment_id__in=later)
        .order_by("code")
    )
    return rows, only_before
