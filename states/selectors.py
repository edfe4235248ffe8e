"""Reads about the federal entities shared by pages and API.

Every function here runs a fixed number of queries whatever the number of states, plans,
commitments or alignments; aggregates are computed by the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypedDict

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from commitments.models import ActionPlan, Alignment, Commitment, Milestone, SdgTarget
from commitments.selectors import CommitmentCounts, commitment_counts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

from .models import (
    MetricaEdition,
    MetricaScore,
    SecretariatMember,
    Standing,
    State,
    StateParticipation,
    standing_of,
)

LOCAL = Q(scope=ActionPlan.Scope.STATE)


class PortalCounts(CommitmentCounts):
    states: int


def portal_counts() -> PortalCounts:
    """The headline figures of the home page: commitments' and the number of states."""
    return {**commitment_counts(), "states": State.objects.count()}


def states_with_local_plan_counts() -> QuerySet[State]:
    return State.objects.annotate(
        local_plan_count=Count("action_plans", filter=Q(action_plans__scope=ActionPlan.Scope.STATE))
    )


# --- State page ---------------------------------------------------------------------


@dataclass
class StatePage:
    state: State
    plans: list[ActionPlan]  # each with `secretariat_by_sector`
    metrica: Sequence[MetricaEdition]  # editions, each with `state_score` (a MetricaScore or None)


# Attributes set on model instances below are read by the templates; mypy cannot know them,
# hence the `attr-defined` ignores.


def state_page(*, slug: str) -> StatePage:
    """What the state page shows from the ground apps: local plans with their secretariat,
    commitments, milestones and alignments, and the state's Métrica scores (the plans'
    indicators are added by the page, from indicators.selectors.plan_indicators)."""
    state = get_object_or_404(State.objects.prefetch_related(participations()), slug=slug)
    commitments = Commitment.objects.order_by("code").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk")),
        Prefetch(
            "alignments",
            queryset=Alignment.objects.select_related("national_commitment").order_by(
                "national_commitment__code"
            ),
        ),
        "sdg_targets",
    )
    plans = list(
        state.action_plans.filter(LOCAL)
        .select_related("source")
        .order_by("-cycle_year")
        .prefetch_related(
            Prefetch(
                "secretariat_members",
                queryset=SecretariatMember.objects.select_related("institution"),
            ),
            Prefetch("commitments", queryset=commitments),
        )
    )
    for plan in plans:
        plan.secretariat_by_sector = _by_sector(plan.secretariat_members.all())  # type: ignore[attr-defined]  # for the template
    state.plan_count = len(plans)  # type: ignore[attr-defined]  # read by standing()
    with_standing([state])
    editions = list(
        MetricaEdition.objects.select_related("source")
        .order_by("year")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=MetricaScore.objects.filter(state=state).select_related("source"),
                to_attr="mine",
            )
        )
    )
    for edition in editions:
        edition.state_score = edition.mine[0] if edition.mine else None  # type: ignore[attr-defined]  # for the template
    return StatePage(state=state, plans=plans, metrica=editions)


def _by_sector(
    members: Iterable[SecretariatMember],
) -> list[tuple[StrOrPromise, list[SecretariatMember]]]:
    """Secretariat members grouped by sector, in the sector order of the choices."""
    grouped: defaultdict[str, list[SecretariatMember]] = defaultdict(list)
    for member in members:
        grouped[member.sector].append(member)
    return [
        (label, grouped[value])
        for value, label in SecretariatMember.Sector.choices
        if grouped[value]
    ]


# --- Diagnostic ---------------------------------------------------------------------


def participations() -> Prefetch[Literal["participations"], QuerySet[StateParticipation]]:
    """The prefetch of a state's participation records, each with its source."""
    return Prefetch(
        "participations",
        queryset=StateParticipation.objects.select_related("source").order_by(
            "program", "start_year", "pk"
        ),
    )


def standing(state: State) -> Standing:
    """A state's Standing, from its participation records (prefetched with
    `participations()`) and its local plans on record (`plan_count`)."""
    return standing_of(
        statuses=[row.status for row in state.participations.all()],
        local_plans=state.plan_count,  # type: ignore[attr-defined]  # annotated or set by callers
    )


def with_standing[S: State](states: Iterable[S]) -> list[S]:
    """Set `standing` on each state (fetched with `participations()` and `plan_count`)."""
    states = list(states)
    for state in states:
        state.standing = standing(state)  # type: ignore[attr-defined]  # for the templates
    return states


class _DiagnosticFigures(TypedDict):
    plan_count: int
    latest_cycle: int | None
    commitment_count: int
    latest_metrica_score: Decimal | None
    latest_metrica_year: int | None


type DiagnosticState = WithAnnotations[State, _DiagnosticFigures]


def state_diagnostic() -> QuerySet[DiagnosticState]:
    """For all 32 states, in two queries: local plans, latest cycle, commitments, the latest
    Métrica index, and the participation records with their sources. The page adds the
    stored mean completion (indicators.selectors.with_state_mean_completion)."""
    latest_score = MetricaScore.objects.filter(state=OuterRef("pk"), score__isnull=False).order_by(
        "-edition__year"
    )
    local = Q(action_plans__scope=ActionPlan.Scope.STATE)
    states = State.objects.order_by("inegi_code").prefetch_related(participations())
    return states.annotate(
        plan_count=Count("action_plans", filter=local, distinct=True),
        latest_cycle=Max("action_plans__cycle_year", filter=local),
        commitment_count=Count("action_plans__commitments", filter=local, distinct=True),
        latest_metrica_score=Subquery(latest_score.values("score")[:1]),
        latest_metrica_year=Subquery(latest_score.values("edition__year")[:1]),
    )


class DiagnosticSummary(TypedDict):
    states: int
    with_plans: int
    by_standing: list[tuple[Standing, int]]
    with_metrica: int


def diagnostic_summary(states: Iterable[DiagnosticState]) -> DiagnosticSummary:
    """Counts over the diagnostic rows already fetched (no further queries)."""
    rows = list(states)
    by_standing = dict.fromkeys(Standing, 0)
    for state in rows:
        by_standing[state.standing] += 1  # type: ignore[attr-defined]  # set by with_standing()
    return {
        "states": len(rows),
        "with_plans": sum(1 for state in rows if state.plan_count),
        "by_standing": [(standing, by_standing[standing]) for standing in Standing],
        "with_metrica": sum(1 for state in rows if state.latest_metrica_score is not None),
    }


# --- Alignment matrix ---------------------------------------------------------------


@dataclass
class MatrixCell:
    state: State
    replicates: int = 0
    complements: int = 0


@dataclass
class MatrixRow:
    commitment: Commitment
    cells: list[MatrixCell] = field(default_factory=list)

    @property
    def replicating_states(self) -> int:
        return sum(1 for cell in self.cells if cell.replicates)

    @property
    def complementing_states(self) -> int:
        return sum(1 for cell in self.cells if cell.complements)


@dataclass
class MatrixColumn:
    state: State
    replicated: int = 0
    complemented: int = 0


@dataclass
class AlignmentMatrix:
    states: list[State]
    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    alignment_count: int


def alignment_matrix(*, all_national: bool = False) -> AlignmentMatrix:
    """National commitments × states: in each cell how many of the state's local
    commitments replicate or complement that national commitment.

    Rows are the national commitments with at least one alignment (or all of them).
    Three queries: states, national commitments, and one GROUP BY over alignments.
    """
    states = list(State.objects.order_by("inegi_code"))
    counts = (
        Alignment.objects.filter(
            local_commitment__action_plan__scope=ActionPlan.Scope.STATE,
            national_commitment__action_plan__scope=ActionPlan.Scope.NATIONAL,
        )
        .values("national_commitment", "local_commitment__action_plan__state", "kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    # national commitment id -> state id -> [replicates, complements]
    cells: defaultdict[int, dict[int, list[int]]] = defaultdict(dict)
    for count in counts:
        pair = cells[count["national_commitment"]].setdefault(
            count["local_commitment__action_plan__state"], [0, 0]
        )
        pair[0 if count["kind"] == Alignment.Kind.REPLICATES else 1] += count["count"]

    national = Commitment.objects.filter(
        action_plan__scope=ActionPlan.Scope.NATIONAL
    ).select_related("action_plan")
    if not all_national:
        national = national.filter(pk__in=list(cells))
    columns = {state.pk: MatrixColumn(state=state) for state in states}
    rows = []
    for commitment in national.order_by("code"):
        row = MatrixRow(commitment=commitment)
        for state in states:
            replicates, complements = cells[commitment.pk].get(state.pk, (0, 0))
            row.cells.append(MatrixCell(state, replicates, complements))
            columns[state.pk].replicated += bool(replicates)
            columns[state.pk].complemented += bool(complements)
        rows.append(row)
    return AlignmentMatrix(
        states=states,
        rows=rows,
        columns=list(columns.values()),
        alignment_count=sum(sum(pair) for by_state in cells.values() for pair in by_state.values()),
    )


# --- SDG targets -------------------------------------------------------------------


def sdg_targets_with_commitments() -> QuerySet[SdgTarget]:
    """SDG targets with their national and local commitments, in two queries."""
    return SdgTarget.objects.order_by("goal", "code").prefetch_related(
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related(
                "action_plan", "action_plan__state"
            ).order_by("action_plan__scope", "code"),
        )
    )


def metrica_editions() -> QuerySet[MetricaEdition]:
    return MetricaEdition.objects.select_related("source").order_by("year")
