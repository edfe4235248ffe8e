"""Reads of civil society's review that pages and feeds share; constant queries per page."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from commitments.models import Milestone, ProgressReport

from .models import Assessment, Comment, Event, Flag, Follow, Verdict

THREAD_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


@dataclass
class Thread:
    target_kind: str  # "compromiso", "hito" or "sesion": the URL segment
    key: str
    roots: list
    next_cursor: int | None
    count: int = 0
    extra: dict = field(default_factory=dict)


def _with_people(queryset):
    return queryset.select_related("author", "institution")


def comment_thread(*, commitment=None, milestone=None, meeting=None, after=None):
    """Root comments of one target (oldest first, keyset pages) with their replies: 2 queries."""
    if commitment is not None:
        target, kind, key = {"commitment": commitment}, "compromiso", commitment.code
    elif milestone is not None:
        target, kind, key = {"milestone": milestone}, "hito", str(milestone.pk)
    else:
        target, kind, key = {"meeting": meeting}, "sesion", str(meeting.pk)
    roots = _with_people(Comment.objects.filter(**target, parent__isnull=True))
    if after:
        roots = roots.filter(pk__gt=after)
    roots = list(
        roots.order_by("pk").prefetch_related(
            Prefetch("replies", queryset=_with_people(Comment.objects.order_by("pk")))
        )[: THREAD_PAGE_SIZE + 1]
    )
    next_cursor = roots[THREAD_PAGE_SIZE - 1].pk if len(roots) > THREAD_PAGE_SIZE else None
    return Thread(
        target_kind=kind, key=key, roots=roots[:THREAD_PAGE_SIZE], next_cursor=next_cursor
    )


def moderation_queue():
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


def hidden_comments():
    """Recently hidden comments, so staff can restore them."""
    return (
        Comment.objects.filter(hidden_at__isnull=False)
        .select_related("author", "commitment", "milestone__commitment", "meeting", "hidden_by")
        .order_by("-hidden_at")[:QUEUE_PAGE_SIZE]
    )


def _verdict_counts(assessments):
    counts = dict.fromkeys(Verdict.values, 0)
    for assessment in assessments:
        counts[assessment.verdict] += 1
    return [(Verdict(verdict).label, verdict, count) for verdict, count in counts.items()]


def reports_with_assessments(commitment):
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
        report.verdict_counts = _verdict_counts(report.assessments.all())
    return reports


def milestone_with_assessments(pk):
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
    milestone.verdict_counts = _verdict_counts(milestone.assessments.all())
    return milestone


def is_following(user, **target):
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, **target).exists()


def events_of_commitment(commitment, *, kinds, limit=50):
    return Event.objects.filter(commitment=commitment, kind__in=kinds).select_related("actor")[
        :limit
    ]


def events_of_state(state, *, kinds, limit=50):
    return Event.objects.filter(state=state, kind__in=kinds).select_related("actor", "commitment")[
        :limit
    ]


def civil_society_view(commitment):
    """How many organisations agree, dispute or ask for evidence about the commitment's
    reported progress (its reports and milestones), from one GROUP BY.

    Returns (total, [(label, verdict, count)]); total 0 means no organisation assessed it.
    """
    rows = dict(
        Assessment.objects.filter(commitment=commitment)
        .order_by()
        .values_list("verdict")
        .annotate(count=Count("pk"))
    )
    counts = [(Verdict(verdict).label, verdict, rows.get(verdict, 0)) for verdict in Verdict.values]
    return sum(rows.values()), counts
