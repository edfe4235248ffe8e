"""Reads of civil society's review that pages and feeds share; constant queries per page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Model, Prefetch, Q, QuerySet

from commitments.models import Commitment, Milestone, ProgressReport
from coordination.models import Meeting
from states.models import State

from .models import Assessment, Comment, Event, Flag, Follow, Verdict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # (label, verdict, count): one row of a verdict table.
    VerdictCount = tuple[StrOrPromise, str, int]

THREAD_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


@dataclass
class Thread:
    target_kind: str  # "compromiso", "hito" or "sesion": the URL segment
    key: str
    roots: list[Comment]
    next_cursor: int | None
    count: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def _with_people(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    return queryset.select_related("author", "institution")


def comment_thread(
    *,
    commitment: Commitment | None = None,
    milestone: Milestone | None = None,
    meeting: Meeting | None = None,
    after: int | None = None,
) -> Thread:
    """Root comments of one target (oldest first, keyset pages) with their replies: 2 queries."""
    target: dict[str, Model]
    if commitment is not None:
        target, kind, key = {"commitment": commitment}, "compromiso", commitment.code
    elif milestone is not None:
        target, kind, key = {"milestone": milestone}, "hito", str(milestone.pk)
    elif meeting is not None:
        target, kind, key = {"meeting": meeting}, "sesion", str(meeting.pk)
    else:
        raise TypeError("comment_thread needs a commitment, a milestone or a meeting")
    candidates = _with_people(Comment.objects.filter(**target, parent__isnull=True))
    if after:
        candidates = candidates.filter(pk__gt=after)
    roots = list(
        candidates.order_by("pk").prefetch_related(
            Prefetch("replies", queryset=_with_people(Comment.objects.order_by("pk")))
        )[: THREAD_PAGE_SIZE + 1]
    )
    next_cursor = roots[THREAD_PAGE_SIZE - 1].pk if len(roots) > THREAD_PAGE_SIZE else None
    return Thread(
        target_kind=kind, key=key, roots=roots[:THREAD_PAGE_SIZE], next_cursor=next_cursor
    )


def moderation_queue() -> QuerySet[Comment]:
    """Comments with flags not yet dealt with, most flagged first, with their flags.

    A queryset to paginate: a page costs a count, the page and its flags (3 queries).
    """
    open_flags = Q(flags__resolved_at__isnull=True)
    return (
        Comment.objects.annotate(open_flags=Count("flags", filter=open_flags))
        .filter(open_flags__gt=0)
        .select_related("author", "institution", "commitment", "milestone__commitment", "meeting")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"),
                to_attr="open_flag_list",
            )
        )
        .order_by("-open_flags", "pk")
    )


def hidden_comments() -> QuerySet[Comment]:
    """Recently hidden comments, so staff can restore them."""
    return (
        Comment.objects.filter(hidden_at__isnull=False)
        .select_related("author", "commitment", "milestone__commitment", "meeting", "hidden_by")
        .order_by("-hidden_at")[:QUEUE_PAGE_SIZE]
    )


def _verdict_counts(assessments: Iterable[Assessment]) -> list[VerdictCount]:
    counts = dict.fromkeys(Verdict.values, 0)
    for assessment in assessments:
        counts[assessment.verdict] += 1
    return [(Verdict(verdict).label, verdict, count) for verdict, count in counts.items()]


def reports_with_assessments(commitment: Commitment) -> list[ProgressReport]:
    """The commitment's progress reports, each with its current assessments: 3 queries."""
    reports = list(
        ProgressReport.objects.filter(commitment=commitment)
        .select_related("author")
        .prefetch_related(
            "evidence",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("organisation", "reviewer"),
            ),
        )
    )
    for report in reports:
        report.verdict_counts = _verdict_counts(report.assessments.all())  # type: ignore[attr-defined]  # for the template
    return reports


def milestone_with_assessments(pk: int) -> Milestone:
    milestone = (
        Milestone.objects.select_related("commitment__action_plan__state")
        .prefetch_related(
            "evidence",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("organisation", "reviewer"),
            ),
        )
        .get(pk=pk)
    )
    milestone.verdict_counts = _verdict_counts(milestone.assessments.all())  # type: ignore[attr-defined]  # for the template
    return milestone


def is_following(user: User | AnonymousUser, **target: Model) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user_id=user.pk, **target).exists()


def events_of_commitment(
    commitment: Commitment, *, kinds: Sequence[str], limit: int = 50
) -> QuerySet[Event]:
    return Event.objects.filter(commitment=commitment, kind__in=kinds).select_related("actor")[
        :limit
    ]


def events_of_state(state: State, *, kinds: Sequence[str], limit: int = 50) -> QuerySet[Event]:
    return Event.objects.filter(state=state, kind__in=kinds).select_related("actor", "commitment")[
        :limit
    ]


def civil_society_view(commitment: Commitment) -> tuple[int, list[VerdictCount]]:
    """How many organisations agree, dispute or ask for evidence about the commitment's
    reported progress (its reports and milestones), from one GROUP BY.

    Returns (total, [(label, verdict, count)]); total 0 means no organisation assessed it.
    """
    rows: dict[str, int] = dict(
        Assessment.objects.filter(commitment=commitment)
        .order_by()
        .values_list("verdict")
        .annotate(count=Count("pk"))
    )
    counts: list[VerdictCount] = [
        (Verdict(verdict).label, verdict, rows.get(verdict, 0)) for verdict in Verdict.values
    ]
    return sum(rows.values()), counts
