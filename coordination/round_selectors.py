"""Reads of reporting rounds for pages, CSV and API: a fixed number of queries each."""

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, Subquery, Value
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


def rounds():
    return ReportingRound.objects.select_related("action_plan").annotate(
        commitment_count=Count("entries")
    )


def round_or_404(pk):
    return get_object_or_404(ReportingRound.objects.select_related("action_plan"), pk=pk)


def annotate_board(entries):
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


def board_entries(round_, *, status="", review="", institution=None, state=None, group=""):
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


def board_counts(round_):
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
    counts["reported"] = counts["submitted"] + counts["late"]
    return counts


def board_institutions(round_):
    """The institutions responsible for the round's commitments (filter choices)."""
    ids = RoundEntry.objects.filter(round=round_).values("institution_id")
    return Institution.objects.filter(pk__in=ids)


def board_states(round_):
    ids = RoundEntry.objects.filter(round=round_).values("commitment__action_plan__state")
    return State.objects.filter(pk__in=ids)


def entry_for_submission(round_, code):
    return get_object_or_404(
        RoundEntry.objects.select_related("round", "commitment__action_plan", "progress_report"),
        round=round_,
        commitment__code=code,
    )


def frozen_commitments(round_):
    return FrozenCommitment.objects.filter(round=round_).order_by("code")


def frozen_milestones(round_):
    return FrozenMilestone.objects.filter(round=round_).order_by("commitment_id", "position")


def frozen_reviews(round_):
    return FrozenReview.objects.filter(round=round_).order_by("commitment_id", "organisation")


def frozen_summary(round_):
    """The frozen record's counts and mean completion, in one aggregate query."""
    return FrozenCommitment.objects.filter(round=round_).aggregate(
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


def comparison(first, second):
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
