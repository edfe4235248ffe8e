"""Reads shared by the pages (and later the API): querysets whose query count
does not grow with the number of rows."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Protocol, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, DateField, Field, Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ogp_portal import permissions
from ogp_portal.permissions import AnyUser
from search.selectors import ranked_by_search

from .history import plain
from .models import (
    ActionPlan,
    Commitment,
    Institution,
    IrmAssessment,
    IrmReport,
    Milestone,
    PolicyArea,
    ProgressReport,
    TitleAlias,
    overdue_milestone,
)
from .rules import MILESTONE_PROGRESS_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CommitmentCounts(TypedDict):
    national_plans: int
    commitments: int
    milestones: int


def commitment_counts() -> CommitmentCounts:
    """The home page's headline figures of plans, commitments and milestones (the page,
    `states.views.home`, adds the number of states)."""
    return {
        "national_plans": ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).count(),
        "commitments": Commitment.objects.count(),
        "milestones": Milestone.objects.count(),
    }


def action_plans_with_commitment_counts() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.select_related("state", "source").annotate(
        commitment_count=Count("commitments")
    )


def national_action_plans_with_commitment_counts() -> QuerySet[ActionPlan]:
    return action_plans_with_commitment_counts().filter(scope=ActionPlan.Scope.NATIONAL)


def irm_reports_of(plan: ActionPlan) -> QuerySet[IrmReport]:
    """The IRM's reports on the plan, each with its figures and source (two queries)."""
    return plan.irm_reports.select_related("source").prefetch_related("figures")


def commitments_of_plan(plan: ActionPlan) -> QuerySet[Commitment]:
    return plan.commitments.prefetch_related("policy_areas")


def commitment_cycles() -> list[int]:
    """Cycle years that have at least one action plan, newest first."""
    return list(
        ActionPlan.objects.order_by("-cycle_year").values_list("cycle_year", flat=True).distinct()
    )


def policy_areas_by_name() -> list[PolicyArea]:
    """Policy areas sorted by the name the reader sees (which depends on the language)."""
    return sorted(PolicyArea.objects.all(), key=lambda area: area.name.casefold())


def search_commitments(
    *, cycle: int | None = None, area: str | None = None, q: str = ""
) -> QuerySet[Commitment]:
    """Commitments filtered by cycle year, policy area slug and a search of their texts;
    with a search, best match first (then by code), as on /buscar/."""
    commitments = Commitment.objects.select_related("action_plan").prefetch_related("policy_areas")
    if cycle:
        commitments = commitments.filter(action_plan__cycle_year=cycle)
    if area:
        # The slug is unique, so this join yields each commitment at most once.
        commitments = commitments.filter(policy_areas__slug=area)
    if q:
        # Accents, plurals, descriptions and typos, through the portal's search index.
        commitments = ranked_by_search(
            commitments, q, "commitment", own_lookups=("code", "title_es", "title_en")
        )
    return commitments


def commitments_with_full_record() -> QuerySet[Commitment]:
    """Commitments with everything the detail page shows, in a fixed number of queries."""
    return Commitment.objects.select_related(
        "action_plan", "action_plan__state", "action_plan__source", "indicator", "title_es_source"
    ).prefetch_related(
        Prefetch("title_aliases", queryset=TitleAlias.objects.select_related("source")),
        Prefetch("irm_assessments", queryset=IrmAssessment.objects.select_related("source")),
        Prefetch(
            "action_plan__irm_reports",
            queryset=IrmReport.objects.select_related("source").prefetch_related("figures"),
        ),
        "lead_institutions",
        "support_institutions",
        "policy_areas",
        "sdg_targets",
        Prefetch(
            "milestones",
            queryset=Milestone.objects.order_by("position", "pk").prefetch_related("evidence"),
        ),
    )


# --- Progress editing -------------------------------------------------------

TIMELINE_SIZE = 20


class HistoryRecord(Protocol):
    """What the timeline reads of a django-simple-history row (an untyped library)."""

    history_id: int
    history_date: datetime.datetime
    history_type: str
    history_user: User | None
    # The history rows of commitments and milestones both copy the record's title.
    title: str
    # {field: [before, after]}, filled by commitments.history.
    changes: dict[str, list[object]]


class FieldChange(TypedDict):
    field: str
    label: StrOrPromise
    before: object
    after: object


class TimelineEntry(TypedDict):
    when: datetime.datetime
    who: User | None
    institution: Institution | None
    created: bool
    subject: str
    changes: list[FieldChange]


class ConflictField(TypedDict):
    name: str
    label: StrOrPromise
    started: object
    current: object
    changed: bool


class MilestoneConflict(TypedDict):
    milestone: Milestone
    fields: list[ConflictField]
    editors: list[User]
    last_change: datetime.datetime | None
    started_known: bool


def _field_display(model: type[Model], name: str, value: object) -> object:
    """A reader's form of a stored history value: choice labels, dates, a dash for empty."""
    if value in (None, ""):
        return "—"
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return value
    # History rows hold the model's own columns, never a reverse relation.
    if not isinstance(field, Field):
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, DateField) and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _field_label(model: type[Model], name: str) -> StrOrPromise:
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return name
    if not isinstance(field, Field):
        return name
    return capfirst(field.verbose_name)


def _institution_of(user: User | None) -> Institution | None:
    # The user's membership (accounts, an app above) read through the relation.
    membership = getattr(user, "membership", None) if user else None
    institution: Institution | None = getattr(membership, "institution", None)
    return institution


def _timeline_entry(record: HistoryRecord, model: type[Model], subject: str) -> TimelineEntry:
    return {
        "when": record.history_date,
        "who": record.history_user,
        "institution": _institution_of(record.history_user),
        "created": record.history_type == "+",
        "subject": subject,
        "changes": [
            {
                "field": name,
                "label": _field_label(model, name),
                "before": _field_display(model, name, before),
                "after": _field_display(model, name, after),
            }
            for name, (before, after) in sorted(record.changes.items())
        ],
    }


def commitment_timeline(
    commitment: Commitment,
    *,
    before: datetime.datetime | None = None,
    size: int = TIMELINE_SIZE,
) -> tuple[list[TimelineEntry], datetime.datetime | None]:
    """The newest changes to a commitment and its milestones, newest first, in two queries.

    Returns (entries, cursor for the next page or None). Creation rows written by the
    data load (no user) are left out: they are the official record, not a change to it.
    """
    rows: list[tuple[HistoryRecord, type[Commitment] | type[Milestone]]] = []
    for history, model, owner in (
        (Commitment.history, Commitment, {"id": commitment.pk}),
        (Milestone.history, Milestone, {"commitment_id": commitment.pk}),
    ):
        records = (
            history.filter(**owner)
            .exclude(changes={})
            .exclude(history_type="+", history_user__isnull=True)
            .select_related("history_user__membership__institution")
            .order_by("-history_date", "-history_id")
        )
        if before is not None:
            records = records.filter(history_date__lt=before)
        rows.extend((record, model) for record in records[: size + 1])
    rows.sort(key=lambda row: row[0].history_date, reverse=True)
    page, more = rows[:size], len(rows) > size
    entries: list[TimelineEntry] = []
    for record, model in page:
        if model is Milestone:
            subject = _("Hito: %(title)s") % {"title": record.title}
        else:
            subject = _("Compromiso")
        entries.append(_timeline_entry(record, model, subject))
    cursor = page[-1][0].history_date if more and page else None
    return entries, cursor


def milestone_for_edit(*, commitment: Commitment, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("commitment__action_plan"), commitment=commitment, pk=pk
    )


def milestones_with_evidence(commitment: Commitment) -> QuerySet[Milestone]:
    return commitment.milestones.order_by("position", "pk").prefetch_related("evidence")


def progress_reports_of(commitment: Commitment) -> QuerySet[ProgressReport]:
    return commitment.progress_reports.select_related("author").prefetch_related("evidence")


CONFLICT_FIELDS = [*MILESTONE_PROGRESS_FIELDS, "position"]


def milestone_conflict(*, milestone_id: int, started_version: int) -> MilestoneConflict:
    """What changed in a milestone since `started_version`: per field, then and now, and by whom."""
    current = Milestone.objects.select_related("commitment__action_plan").get(pk=milestone_id)
    started: HistoryRecord | None = (
        Milestone.history.filter(id=milestone_id, version=started_version)
        .order_by("-history_id")
        .first()
    )
    later: list[HistoryRecord] = list(
        Milestone.history.filter(id=milestone_id, version__gt=started_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields: list[ConflictField] = []
    for name in CONFLICT_FIELDS:
        now = plain(getattr(current, name))
        then = plain(getattr(started, name)) if started is not None else None
        fields.append(
            {
                "name": name,
                "label": _field_label(Milestone, name),
                "started": _field_display(Milestone, name, then) if started else None,
                "current": _field_display(Milestone, name, now),
                "changed": started is None or then != now,
            }
        )
    editors: list[User] = []
    for record in later:
        if record.history_user and record.history_user not in editors:
            editors.append(record.history_user)
    return {
        "milestone": current,
        "fields": fields,
        "editors": editors,
        "last_change": later[-1].history_date if later else None,
        "started_known": started is not None,
    }


def editable_commitments(user: AnyUser) -> QuerySet[Commitment]:
    """The commitments this user may change, as a queryset (empty for read-only users);
    the rule is ogp_portal.permissions'."""
    if permissions.is_portal_staff(user):
        return Commitment.objects.all()
    scope = permissions.editable_scope(user)
    if scope is None:
        return Commitment.objects.none()
    # The joins through both institution lists may repeat a commitment; ids keep it unique.
    ids = Commitment.objects.filter(scope).values("pk")
    return Commitment.objects.filter(pk__in=ids)


def commitments_responsible_for(user: AnyUser) -> QuerySet[Commitment]:
    """What the user may edit, with each commitment's overdue milestones, grouped by plan."""
    today = timezone.localdate()
    late = overdue_milestone(today, milestone="milestones__", plan="action_plan__")
    return (
        editable_commitments(user)
        .select_related("action_plan", "action_plan__state")
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            overdue_count=Count("milestones", filter=late, distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.overdue(today).order_by("due_date", "position"),
                to_attr="overdue_milestones",
            )
        )
        .order_by("-action_plan__cycle_year", "action_plan__title", "-overdue_count", "code")
    )
