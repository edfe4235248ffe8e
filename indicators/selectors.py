"""Reads of the stored indicators for the dashboard, state and commitment pages.

Pages read what the recompute stored (ScopeIndicator, IndicatorSnapshot,
CommitmentIndicator); nothing here recomputes. Every function runs a fixed number
of queries whatever the number of plans, states or snapshots.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import ActionPlan, Milestone
from states.models import State

from .charts import Chart, Series, short_date
from .models import NATION_SCOPE_ID, CompletionLevel, IndicatorSnapshot, ScopeIndicator, ScopeKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

# The two ways the map colours the states: by mean completion or by the latest plan's status.
MapMode = Literal["avance", "estado"]

# Trend charts show at most this many days of snapshots.
TREND_DAYS = 365

# The order and the field of each completion level in ScopeFigures.
LEVEL_FIELDS = [
    (CompletionLevel.NO_INFORMATION, "commitments_no_information"),
    (CompletionLevel.NOT_STARTED, "commitments_not_started"),
    (CompletionLevel.LIMITED, "commitments_limited"),
    (CompletionLevel.SUBSTANTIAL, "commitments_substantial"),
    (CompletionLevel.COMPLETE, "commitments_complete"),
    (CompletionLevel.WITHDRAWN, "commitments_withdrawn"),
]


def levels() -> list[tuple[str, StrOrPromise]]:
    """(value, label) of each completion level, in chart order."""
    return [(level.value, level.label) for level, _field in LEVEL_FIELDS]


def _by_scope_id(indicators: Iterable[ScopeIndicator]) -> dict[int, ScopeIndicator]:
    """Scope indicators of one kind by scope id (unique within a kind)."""
    return {indicator.scope_id: indicator for indicator in indicators}


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _share_percent(value: Decimal | None) -> float | None:
    return None if value is None else float((Decimal(value) * 100).quantize(Decimal("0.1")))


# --- Completion levels per cycle ----------------------------------------------------


@dataclass
class PlanLevels:
    plan: ActionPlan
    indicator: ScopeIndicator | None

    @property
    def counts(self) -> list[tuple[str, StrOrPromise, int]]:
        """(level value, label, count) for each level; zeros until the plan is computed."""
        return [
            (level.value, level.label, getattr(self.indicator, name, 0) or 0)
            for level, name in LEVEL_FIELDS
        ]

    @property
    def total(self) -> int:
        return self.indicator.commitments_total if self.indicator else 0

    @property
    def mean_completion(self) -> Decimal | None:
        return self.indicator.mean_completion if self.indicator else None


def plan_levels(plans: Iterable[ActionPlan]) -> list[PlanLevels]:
    """Each plan with its stored scope indicator, in the order given (one query)."""
    plans = list(plans)
    stored = _by_scope_id(
        ScopeIndicator.objects.filter(
            scope_kind=ScopeKind.PLAN, scope_id__in=[plan.pk for plan in plans]
        )
    )
    return [PlanLevels(plan=plan, indicator=stored.get(plan.pk)) for plan in plans]


def national_plans_by_cycle() -> list[PlanLevels]:
    """National plans, oldest cycle first, each with its completion levels."""
    return plan_levels(
        ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).order_by("cycle_year")
    )


def levels_chart(
    rows: Sequence[PlanLevels],
    *,
    id: str,
    caption: StrOrPromise,
    row_header: StrOrPromise,
    label_of: Callable[[PlanLevels], str],
) -> Chart:
    """A stacked bar: one bar per row (a plan), one stack per completion level."""
    return Chart(
        id=id,
        kind="stacked-bar",
        caption=caption,
        row_header=row_header,
        labels=[label_of(row) for row in rows],
        series=[
            Series(key=value, label=label, values=[row.counts[index][2] for row in rows])
            for index, (value, label) in enumerate(levels())
        ],
        total=True,
    )


def nation_indicator() -> ScopeIndicator | None:
    return ScopeIndicator.objects.filter(
        scope_kind=ScopeKind.NATION, scope_id=NATION_SCOPE_ID
    ).first()


# --- Local plans' and states' figures on the state pages ---------------------------


class _MilestoneCounts(TypedDict):
    commitment__action_plan: int
    milestone_count: int
    completed: int


@dataclass(frozen=True)
class PlanIndicators:
    commitment_count: int = 0
    mean_completion: Decimal | None = None
    milestone_count: int = 0
    completed_milestones: int = 0


def plan_indicators(plan_ids: Iterable[int]) -> dict[int, PlanIndicators]:
    """Indicators of each plan, by plan id, in two queries.

    Commitments and mean completion are the plan's stored scope indicators (written by the
    recompute; the dashboard shows the same figures), milestone counts one grouped count.
    """
    plan_ids = list(plan_ids)
    if not plan_ids:
        return {}
    stored = {
        row.scope_id: row
        for row in ScopeIndicator.objects.filter(scope_kind=ScopeKind.PLAN, scope_id__in=plan_ids)
    }
    milestones: dict[int, _MilestoneCounts] = {
        row["commitment__action_plan"]: row
        for row in Milestone.objects.filter(commitment__action_plan__in=plan_ids)
        .values("commitment__action_plan")
        .annotate(
            milestone_count=Count("pk"),
            completed=Count("pk", filter=Q(status=Milestone.Status.COMPLETE)),
        )
        .order_by()
    }
    indicators = {}
    for plan_id in plan_ids:
        scope, counts = stored.get(plan_id), milestones.get(plan_id)
        indicators[plan_id] = PlanIndicators(
            commitment_count=scope.commitments_total if scope else 0,
            mean_completion=scope.mean_completion if scope else None,
            milestone_count=counts["milestone_count"] if counts else 0,
            completed_milestones=counts["completed"] if counts else 0,
        )
    return indicators


def with_state_mean_completion[S: State](
    states: QuerySet[S],
) -> QuerySet[WithAnnotations[State], S]:
    """The states annotated with `mean_completion`, their stored state indicator (the same
    figure as the dashboard and the state page), in the states' own query."""
    stored_state = ScopeIndicator.objects.filter(
        scope_kind=ScopeKind.STATE, scope_id=OuterRef("pk")
    )
    return states.annotate(mean_completion=Subquery(stored_state.values("mean_completion")[:1]))


# --- Trends ------------------------------------------------------------------------


def trend(*, kind: str, scope_id: int, days: int = TREND_DAYS) -> list[IndicatorSnapshot]:
    """The scope's snapshots of the last `days` days, oldest first (one query)."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return list(
        IndicatorSnapshot.objects.filter(scope_kind=kind, scope_id=scope_id, date__gte=since)
        .order_by("date")
        .only(
            "date",
            "commitments_total",
            "commitments_complete",
            "mean_completion",
            "share_on_time",
        )
    )


def trend_chart(snapshots: Sequence[IndicatorSnapshot], *, id: str, caption: StrOrPromise) -> Chart:
    """A line chart: mean completion and share of commitments on time (percent) per day."""
    return Chart(
        id=id,
        kind="line",
        caption=caption,
        row_header=_("Fecha"),
        labels=[short_date(snapshot.date) for snapshot in snapshots],
        series=[
            Series(
                key="mean",
                label=_("Avance promedio (%)"),
                values=[_percent(snapshot.mean_completion) for snapshot in snapshots],
            ),
            Series(
                key="on_time",
                label=_("Compromisos a tiempo (%)"),
                values=[_share_percent(snapshot.share_on_time) for snapshot in snapshots],
            ),
        ],
        percent=True,
    )


@dataclass(frozen=True)
class ScopeChoice:
    value: str
    label: str
    kind: str
    scope_id: int
    group: str


def trend_scopes() -> list[ScopeChoice]:
    """Every scope a reader may pick for the trend: the nation, national plans, states."""
    choices = [ScopeChoice("nacional", str(_("Nacional")), ScopeKind.NATION, NATION_SCOPE_ID, "")]
    for plan in ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).order_by("cycle_year"):
        choices.append(
            ScopeChoice(
                f"plan-{plan.pk}", plan.title, ScopeKind.PLAN, plan.pk, str(_("Planes nacionales"))
            )
        )
    for state in State.objects.order_by("short_name"):
        choices.append(
            ScopeChoice(
                f"entidad-{state.inegi_code}",
                state.short_name,
                ScopeKind.STATE,
                state.pk,
                str(_("Entidades federativas")),
            )
        )
    return choices


# --- Map of the states ---------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    key: str
    label: StrOrPromise


NO_LOCAL_PLAN = Bucket("sin-plan", _("Sin plan de acción local registrado"))
NO_INFORMATION = Bucket("sin-informacion", _("Plan local sin avance registrado"))
COMPLETION_BUCKETS = [
    NO_LOCAL_PLAN,
    NO_INFORMATION,
    Bucket("avance-1", _("Avance promedio menor a 25 %")),
    Bucket("avance-2", _("Avance promedio de 25 % a menos de 50 %")),
    Bucket("avance-3", _("Avance promedio de 50 % a menos de 75 %")),
    Bucket("avance-4", _("Avance promedio de 75 % o más")),
]
STATUS_BUCKETS = [
    NO_LOCAL_PLAN,
    Bucket("estado-draft", ActionPlan.Status.DRAFT.label),
    Bucket("estado-active", ActionPlan.Status.ACTIVE.label),
    Bucket("estado-closed", ActionPlan.Status.CLOSED.label),
    Bucket("estado-unknown", _("Plan sin fechas en la fuente")),
]
MAP_MODES = {"avance": COMPLETION_BUCKETS, "estado": STATUS_BUCKETS}


def completion_bucket(mean_completion: Decimal | None) -> Bucket:
    # No figure (no commitment with recorded progress) is not "less than 25 %".
    if mean_completion is None:
        return NO_INFORMATION
    return COMPLETION_BUCKETS[2 + min(int(Decimal(mean_completion) // 25), 3)]


@dataclass
class StateFigures:
    state: State
    local_plans: int
    latest_status: str | None
    indicator: ScopeIndicator | None
    bucket: Bucket = field(default=NO_LOCAL_PLAN)

    @property
    def latest_status_label(self) -> StrOrPromise | None:
        return ActionPlan.Status(self.latest_status).label if self.latest_status else None

    @property
    def mean_completion(self) -> Decimal | None:
        return self.indicator.mean_completion if self.indicator else None

    @property
    def commitments(self) -> int:
        return self.indicator.commitments_total if self.indicator else 0


def state_figures(*, mode: MapMode = "avance") -> list[StateFigures]:
    """The 32 states with their local plans, the latest plan's status and stored figures,
    each in the map bucket of `mode` ("avance" or "estado"). Two queries."""
    local = Q(action_plans__scope=ActionPlan.Scope.STATE)
    latest = ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE, state=OuterRef("pk")).order_by(
        "-cycle_year"
    )
    states = State.objects.order_by("inegi_code").annotate(
        local_plans=Count("action_plans", filter=local),
        latest_status=Subquery(latest.values("status")[:1]),
    )
    stored = _by_scope_id(ScopeIndicator.objects.filter(scope_kind=ScopeKind.STATE))
    rows = []
    for state in states:
        row = StateFigures(
            state=state,
            local_plans=state.local_plans,
            latest_status=state.latest_status,
            indicator=stored.get(state.pk),
        )
        if row.local_plans:
            if mode == "estado":
                row.bucket = next(
                    bucket
                    for bucket in STATUS_BUCKETS
                    if bucket.key == f"estado-{row.latest_status}"
                )
            else:
                row.bucket = completion_bucket(row.mean_completion)
        rows.append(row)
    return rows


def legend(rows: Iterable[StateFigures], *, mode: MapMode = "avance") -> list[tuple[Bucket, int]]:
    """(bucket, number of states in it) for every bucket of the mode, empty ones too."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.bucket.key] = counts.get(row.bucket.key, 0) + 1
    return [(bucket, counts.get(bucket.key, 0)) for bucket in MAP_MODES[mode]]


# --- State page ------------------------------------------------------------------


def plans_chart(plan_rows: Sequence[PlanLevels], *, id: str, caption: StrOrPromise) -> Chart:
    """A bar chart: the mean completion of each plan (percent), by cycle."""
    return Chart(
        id=id,
        kind="bar",
        caption=caption,
        row_header=_("Ciclo"),
        labels=[str(row.plan.cycle_year) for row in plan_rows],
        series=[
            Series(
                key="mean",
                label=_("Avance promedio (%)"),
                values=[_percent(row.mean_completion) for row in plan_rows],
            )
        ],
        percent=True,
    )
