"""Indicator recompute: requested by every progress write, run by Celery.

Per commitment (``CommitmentIndicator``, and ``Commitment.completion_percent``):

- completion percent: the reported milestones' mean ``percent_complete`` weighted
  by ``weight``, withdrawn milestones left out; none (NULL) without a reported
  milestone: a commitment nobody recorded progress for has no figure, not 0 %.
  A milestone is reported unless a data file listed it without its progress
  (``Milestone.progress_reported``); unreported milestones count in no figure.
- completion level, with the names of OGP's Independent Reporting Mechanism
  (thresholds in ``rules.completion_level``, and only there):

  ============  ===========================================================
  no informa-   the commitment has no reported milestone: nothing about its
  tion          progress was recorded (the IRM's "no evidence available")
  withdrawn     every reported milestone is withdrawn
  not started   0 %
  limited       more than 0 % and less than 50 %
  substantial   50 % or more and less than 100 %
  complete      100 % (every milestone not withdrawn is at 100 %)
  ============  ===========================================================

- overdue milestones (``commitments.models.overdue_milestone``, the rule of
  ``Milestone.objects.overdue``): neither complete nor withdrawn, and their due date or
  the end of their plan is before today (an ended plan is never "on time");
  on-time milestones: not withdrawn, not overdue, not completed after their
  due date. A commitment is on time when none of its milestones is overdue;
  without information it is neither (NULL).
- days since the last update: from the latest ``updated_at`` of the
  commitment and its milestones (``last_update_at``); stale after
  ``commitments.rules.STALE_AFTER_DAYS`` (90) days. Both are derived from ``last_update_at`` when
  read (``CommitmentIndicator.days_since_update``/``is_stale``, ``stale_before``
  in SQL), so that a new day alone rewrites no row.
- civil-society agreement and dispute shares: from the organisations' current
  assessments (``reviews.Assessment``) of the commitment's progress reports and
  milestones; NULL while it has none (``civil_society_shares``).
- for commitments of national plans, ``replicating_states``: the distinct
  states whose local commitments replicate it (Alignment kind "replicates").

Per scope (``ScopeIndicator`` latest, ``IndicatorSnapshot`` one per day): a
plan (its commitments), a state (the commitments of all its plans) and the
nation (every commitment, national and state). Counts by level over all
commitments (``no_information`` among them, so every figure can show its coverage);
mean completion, share on time and share stale over the commitments with information
and not withdrawn; share disputed over those with assessments.

Everything is set-based and the number of queries does not grow with the rows. On
PostgreSQL (``indicators.postgres``) each step is one statement: the facts of a set of
commitments (an id list, or an id range of the full pass) gathered by one GROUP BY over
their milestones, compared with the stored rows, and only the changed ones computed and
written with every cached value; then the scopes aggregated and upserted. Elsewhere
(SQLite) the ORM path below does the same with one GROUP BY per chunk of commitments,
bulk upserts and UPDATEs with subqueries. Both give the same rows, with one difference:
on PostgreSQL a commitment row whose facts did not change is not rewritten, so its
``computed_at`` is that of the last run that changed it (the ORM path rewrites it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.db import connection, transaction
from django.db.models import (
    Avg,
    BigIntegerField,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from commitments.models import ActionPlan, Alignment, Commitment, Milestone, overdue_milestone
from ogp_portal.outbox import data_changed
from reviews.models import Assessment, Verdict

from . import postgres
from .models import (
    NATION_SCOPE_ID,
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    RecomputeRequest,
    ScopeIndicator,
    ScopeKind,
    stale_before,
)
from .rules import (
    COUNTED,
    DISPUTED_FROM_SHARE,
    completion_level,
    rules_fingerprint,
)

# (agreement share, dispute share) of one commitment, Decimals in 0..1; None without assessments.
Shares = tuple[Decimal | None, Decimal | None]
# (commitments recomputed, rows written, their plan ids, their state ids).
ChunkResult = tuple[int, int, set[int], set[int]]
# Called with (done, total) after each chunk of the full pass.
OnProgress = Callable[[int, int], None]
# Keyword arguments of a ScopeIndicator / IndicatorSnapshot row (scope, counts, shares).
ScopeValues = dict[str, object]


class MilestoneFigures(TypedDict):
    """One row of ``_milestone_figures``: a commitment and the sums over its milestones."""

    pk: int
    updated_at: datetime.datetime
    action_plan_id: int
    action_plan__state_id: int | None
    weighted: int | Decimal  # a sum of bigints: Decimal on some backends
    weights: int | Decimal
    milestone_count: int
    reported: int
    withdrawn: int
    overdue: int
    completed_late: int
    last_milestone_update: datetime.datetime | None


CHUNK_SIZE = 2000
# The full pass on PostgreSQL: commitments per statement (by id range).
SQL_CHUNK_SIZE = 50_000

CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
# The levels averaged over: a commitment with information, not withdrawn.
ACTIVE_LEVELS = [
    level
    for level in CompletionLevel.values
    if level not in {CompletionLevel.WITHDRAWN, CompletionLevel.NO_INFORMATION}
]


@dataclass(frozen=True)
class RecomputeSummary:
    commitments: int  # checked
    scopes: int
    snapshots: int
    written: int = 0  # commitment rows written (on PostgreSQL only those that changed)


def civil_society_shares(*, commitment_ids: Iterable[int]) -> dict[int, Shares]:
    """Civil-society agreement and dispute shares per commitment, from one GROUP BY.

    Returns ``{commitment_id: (agreement_share, dispute_share)}`` (Decimals in 0..1) for
    the given commitments that have assessments: agreement = agree / all current
    assessments of the commitment's reports and milestones, dispute = dispute / all
    ("needs evidence" counts in the whole only). ``commitment_ids`` is a list of ids or, in
    the full pass on PostgreSQL, a ``values_list("pk", flat=True)`` queryset of an id range:
    it is used with ``__in`` (a subquery), never iterated over.
    """
    rows = (
        Assessment.objects.filter(commitment_id__in=commitment_ids)
        .order_by()
        .values("commitment_id")
        .annotate(
            total=Count("pk"),
            agree=Count("pk", filter=Q(verdict=Verdict.AGREE)),
            dispute=Count("pk", filter=Q(verdict=Verdict.DISPUTE)),
        )
    )
    return {
        row["commitment_id"]: (
            _share(row["agree"], row["total"]),
            _share(row["dispute"], row["total"]),
        )
        for row in rows
    }


def recompute_commitments(
    *, commitment_ids: Iterable[int], now: datetime.datetime | None = None
) -> int:
    """Recompute the given commitments and the scopes above them (plans, states, nation).

    Returns the number of commitments recomputed. Running it twice changes nothing.
    """
    now = now or timezone.now()
    ids = list(commitment_ids)
    recomputed = 0
    plan_ids: set[int] = set()
    state_ids: set[int] = set()
    # One transaction: readers never see a commitment updated but its plan not yet.
    with transaction.atomic():
        one_recompute_at_a_time()
        for start in range(0, len(ids), CHUNK_SIZE):
            count, _written, plans, states = recompute_commitment_chunk(
                commitment_ids=ids[start : start + CHUNK_SIZE], now=now
            )
            recomputed += count
            plan_ids |= plans
            state_ids |= states
        if recomputed:
            recompute_scopes(plan_ids=plan_ids, state_ids=state_ids, now=now)
            data_changed()
    return recomputed


def recompute_pending(*, limit: int = 5000) -> int:
    """Recompute every commitment still marked (lost or failed messages)."""
    ids = list(
        RecomputeRequest.objects.order_by("requested_at").values_list("commitment_id", flat=True)[
            :limit
        ]
    )
    return recompute_commitments(commitment_ids=ids) if ids else 0


def recompute_all(
    *,
    chunk_size: int | None = None,
    now: datetime.datetime | None = None,
    on_progress: OnProgress | None = None,
) -> RecomputeSummary:
    """Recompute every commitment, then every scope: the nightly healing pass.

    ``on_progress(done, total)`` is called after each chunk of commitments (by default
    ``SQL_CHUNK_SIZE`` on PostgreSQL, ``CHUNK_SIZE`` elsewhere).
    """
    now = now or timezone.now()
    if on_postgresql():
        with transaction.atomic():
            one_recompute_at_a_time()
            summary = _recompute_all_sql(
                chunk_size=chunk_size or SQL_CHUNK_SIZE, now=now, on_progress=on_progress
            )
            data_changed()
        return summary
    chunk_size = chunk_size or CHUNK_SIZE
    total = Commitment.objects.count()
    done, rewritten, last_id = 0, 0, 0
    if on_progress:
        on_progress(done, total)
    while True:
        ids = list(
            Commitment.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not ids:
            break
        count, written, _plans, _states = recompute_commitment_chunk(commitment_ids=ids, now=now)
        done += count
        rewritten += written
        last_id = ids[-1]
        if on_progress:
            on_progress(done, max(total, done))
    scopes, snapshots = recompute_scopes(plan_ids=None, state_ids=None, now=now)
    data_changed()
    return RecomputeSummary(commitments=done, scopes=scopes, snapshots=snapshots, written=rewritten)


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# Any two recomputes on PostgreSQL run one after the other: each takes this
# transaction-level advisory lock first, so its statements start after the previous
# recompute committed and read what it wrote. Without it, a recompute that read the
# milestones before an edit could write its older figures after the recompute of that
# edit (UPDATE waits for the row, then applies its own values). SQLite has one writer.
RECOMPUTE_LOCK_KEY = 0x4F_47_50_49_4E_44  # "OGPIND"


def one_recompute_at_a_time() -> None:
    """Wait for any other recompute to commit; held until this transaction ends."""
    if on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_KEY])


def _recompute_all_sql(
    *, chunk_size: int, now: datetime.datetime, on_progress: OnProgress | None
) -> RecomputeSummary:
    """The full pass on PostgreSQL: per id range of commitments, find the changed ones, then
    recompute those; then every scope.

    Per range: one read-only query compares the facts of every commitment with its stored
    row and returns the ids that differ (usually few: a new day changes only commitments
    whose milestones fell due), one statement recomputes those, one clears the range's
    outbox marks. Ranges are cut from the lowest and highest id, never per row.
    """
    today = timezone.localdate(now)
    total, low, high = postgres.commitment_id_bounds()
    written = 0
    if on_progress:
        on_progress(0, total)
    if total:
        for start in range(low - 1, high, chunk_size):
            id_range = (start, min(start + chunk_size, high))
            started = timezone.now()
            in_range = Commitment.objects.filter(pk__gt=id_range[0], pk__lte=id_range[1])
            shares = civil_society_shares(commitment_ids=in_range.values_list("pk", flat=True))
            changed = postgres.changed_commitment_ids(id_range=id_range, today=today, shares=shares)
            if changed:
                # When most of the range changed (a first run), one pass over the range
                # costs less than a long id list.
                most = 2 * len(changed) > id_range[1] - id_range[0]
                _checked, count, _plans, _states = postgres.recompute_commitment_indicators(
                    **({"id_range": id_range} if most else {"ids": changed}),
                    shares=shares,
                    now=now,
                    today=today,
                    started=started,
                )
                written += count
            postgres.clear_requests(id_range=id_range, started=started)
            if on_progress:
                # Ids are dense in practice; the bar is an estimate between the two ends.
                done = total if id_range[1] == high else min(id_range[1] - low + 1, total)
                on_progress(done, total)
    scopes, snapshots = postgres.recompute_scope_indicators(
        plan_ids=None, state_ids=None, now=now, today=today
    )
    return RecomputeSummary(commitments=total, scopes=scopes, snapshots=snapshots, written=written)


def recompute_commitment_chunk(
    *, commitment_ids: Sequence[int], now: datetime.datetime
) -> ChunkResult:
    """Recompute and store one chunk of commitments' indicators in a constant number of queries.

    Returns (commitments recomputed, rows written, their plan ids, their state ids).
    """
    started = timezone.now()
    today = timezone.localdate(now)
    if on_postgresql():
        result: ChunkResult = postgres.recompute_commitment_indicators(
            ids=commitment_ids,
            shares=civil_society_shares(commitment_ids=commitment_ids),
            now=now,
            today=today,
            started=started,
        )
        return result
    return _recompute_commitment_chunk_orm(
        commitment_ids=commitment_ids, now=now, today=today, started=started
    )


def _recompute_commitment_chunk_orm(
    *,
    commitment_ids: Sequence[int],
    now: datetime.datetime,
    today: datetime.date,
    started: datetime.datetime,
) -> ChunkResult:
    """The ORM path (SQLite): one GROUP BY, a bulk upsert, UPDATEs with subqueries."""
    rows = list(_milestone_figures(commitment_ids=commitment_ids, today=today))
    shares = civil_society_shares(commitment_ids=commitment_ids)
    rules = rules_fingerprint()
    indicators = [
        _indicator_from(row, shares.get(row["pk"], (None, None)), now=now, rules=rules)
        for row in rows
    ]
    fields = [
        field.name
        for field in CommitmentIndicator._meta.concrete_fields
        if field.name not in {"commitment", "replicating_states"}
    ]
    with transaction.atomic():
        CommitmentIndicator.objects.bulk_create(
            indicators, update_conflicts=True, unique_fields=["commitment"], update_fields=fields
        )
        stored = CommitmentIndicator.objects.filter(commitment=OuterRef("pk"))
        Commitment.objects.filter(pk__in=commitment_ids).exclude(
            completion_percent=F("indicator__completion_percent")
        ).update(completion_percent=Subquery(stored.values("completion_percent")[:1]))
        _store_replicating_states(commitment_ids=commitment_ids)
        # Only clear marks older than this run: a later edit keeps its own mark.
        RecomputeRequest.objects.filter(
            commitment_id__in=commitment_ids, requested_at__lte=started
        ).delete()
    plan_ids = {row["action_plan_id"] for row in rows}
    state_ids = {state for row in rows if (state := row["action_plan__state_id"]) is not None}
    return len(rows), len(rows), plan_ids, state_ids


def _milestone_figures(
    *, commitment_ids: Sequence[int], today: datetime.date
) -> QuerySet[Commitment, MilestoneFigures]:
    """One GROUP BY over the chunk's commitments joined to their milestones."""
    status = "milestones__status"
    reported = Q(milestones__progress_reported=True)
    counted = reported & Q(**{f"{status}__in": COUNTED})
    overdue = reported & overdue_milestone(today, milestone="milestones__", plan="action_plan__")
    completed_late = reported & Q(
        **{status: Milestone.Status.COMPLETE},
        milestones__actual_end_date__gt=F("milestones__due_date"),
    )
    weight = Cast("milestones__weight", BigIntegerField())
    figures = (
        Commitment.objects.filter(pk__in=commitment_ids)
        .order_by()
        .values("pk", "updated_at", "action_plan_id", "action_plan__state_id")
        .annotate(
            weighted=Sum(weight * F("milestones__percent_complete"), filter=counted, default=0),
            weights=Sum(weight, filter=counted, default=0),
            milestone_count=Count("milestones"),
            reported=Count("milestones", filter=reported),
            withdrawn=Count(
                "milestones", filter=reported & Q(**{status: Milestone.Status.WITHDRAWN})
            ),
            overdue=Count("milestones", filter=overdue),
            completed_late=Count("milestones", filter=completed_late),
            last_milestone_update=Max("milestones__updated_at"),
        )
    )
    # The stubs type the sums and the latest update as Any (and the plan's state as never
    # NULL): the rows are what MilestoneFigures says.
    return figures  # type: ignore[return-value]


def _indicator_from(
    row: MilestoneFigures, shares: Shares, *, now: datetime.datetime, rules: int
) -> CommitmentIndicator:
    weighted, weights = int(row["weighted"]), int(row["weights"])
    if not row["reported"]:
        percent = None
    elif weights:
        percent = (Decimal(weighted) / Decimal(weights)).quantize(CENT, ROUND_HALF_UP)
    else:
        percent = Decimal(0)
    level = completion_level(
        weighted=weighted,
        weights=weights,
        milestones=row["reported"],
        withdrawn=row["withdrawn"],
    )
    last_update = max(filter(None, [row["updated_at"], row["last_milestone_update"]]))
    counted = row["reported"] - row["withdrawn"]
    agreement, dispute = shares
    return CommitmentIndicator(
        commitment_id=row["pk"],
        action_plan_id=row["action_plan_id"],
        rules_fingerprint=rules,
        weighted_percent_sum=weighted,
        weight_sum=weights,
        completion_percent=percent,
        completion_level=level,
        milestones_total=row["milestone_count"],
        milestones_reported=row["reported"],
        milestones_withdrawn=row["withdrawn"],
        milestones_on_time=counted - row["overdue"] - row["completed_late"],
        milestones_overdue=row["overdue"],
        last_update_at=last_update,
        is_on_time=row["overdue"] == 0 if row["reported"] else None,
        civil_society_agreement_share=agreement,
        civil_society_dispute_share=dispute,
        is_disputed=None if dispute is None else dispute >= DISPUTED_FROM_SHARE,
        computed_at=now,
    )


def _store_replicating_states(*, commitment_ids: Sequence[int]) -> None:
    """Count distinct replicating states for the national commitments touched by this chunk.

    Touched: national commitments in the chunk and those the chunk's local commitments align to.
    """
    aligned_to = Alignment.objects.filter(local_commitment_id__in=commitment_ids).values(
        "national_commitment_id"
    )
    replicas = (
        Alignment.objects.filter(
            national_commitment_id=OuterRef("commitment_id"), kind=Alignment.Kind.REPLICATES
        )
        .order_by()
        .values("national_commitment_id")
        .annotate(states=Count("local_commitment__action_plan__state", distinct=True))
        .values("states")
    )
    CommitmentIndicator.objects.filter(
        Q(commitment_id__in=commitment_ids) | Q(commitment_id__in=aligned_to),
        commitment__action_plan__scope=ActionPlan.Scope.NATIONAL,
    ).update(replicating_states=Coalesce(Subquery(replicas[:1]), 0))


def recompute_scopes(
    *,
    plan_ids: Collection[int] | None = None,
    state_ids: Collection[int] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[int, int]:
    """Aggregate the stored commitment indicators per plan, per state and for the nation.

    ``None`` means every plan / every state (and then rows of scopes that no longer have
    commitments are removed). Upserts the latest values and today's snapshot; returns
    (scopes written, snapshots written).
    """
    now = now or timezone.now()
    if on_postgresql():
        with transaction.atomic():
            one_recompute_at_a_time()
            written: tuple[int, int] = postgres.recompute_scope_indicators(
                plan_ids=plan_ids, state_ids=state_ids, now=now, today=timezone.localdate(now)
            )
            return written
    return _recompute_scopes_orm(plan_ids=plan_ids, state_ids=state_ids, now=now)


def _recompute_scopes_orm(
    *,
    plan_ids: Collection[int] | None,
    state_ids: Collection[int] | None,
    now: datetime.datetime,
) -> tuple[int, int]:
    everything = plan_ids is None and state_ids is None
    figures: list[ScopeValues] = []
    today = timezone.localdate(now)
    stale = stale_before(today)
    if plan_ids is None or plan_ids:
        plans = Q() if plan_ids is None else Q(action_plan_id__in=plan_ids)
        figures += _scope_figures(ScopeKind.PLAN, plans, group_by="action_plan_id", stale=stale)
    if state_ids is None or state_ids:
        states = (
            Q(action_plan__state__isnull=False)
            if state_ids is None
            else Q(action_plan__state_id__in=state_ids)
        )
        figures += _scope_figures(
            ScopeKind.STATE, states, group_by="action_plan__state_id", stale=stale
        )
    figures += _scope_figures(ScopeKind.NATION, Q(), group_by=None, stale=stale)

    names = [name for name in figures[0] if name not in {"scope_kind", "scope_id"}]
    with transaction.atomic():
        ScopeIndicator.objects.bulk_create(
            [ScopeIndicator(**values, computed_at=now) for values in figures],
            update_conflicts=True,
            unique_fields=["scope_kind", "scope_id"],
            update_fields=[*names, "computed_at"],
        )
        IndicatorSnapshot.objects.bulk_create(
            [IndicatorSnapshot(**values, date=today) for values in figures],
            update_conflicts=True,
            unique_fields=["scope_kind", "scope_id", "date"],
            update_fields=names,
        )
        if everything:
            ScopeIndicator.objects.filter(computed_at__lt=now).delete()
    return len(figures), len(figures)


def _scope_figures(
    kind: str, condition: Q, *, group_by: str | None, stale: datetime.datetime
) -> list[ScopeValues]:
    active = Q(completion_level__in=ACTIVE_LEVELS)
    aggregates = {
        "commitments_total": Count("pk"),
        **{
            f"commitments_{level}": Count("pk", filter=Q(completion_level=level))
            for level in CompletionLevel.values
        },
        "mean": Avg("completion_percent", filter=active),
        "active": Count("pk", filter=active),
        "on_time": Count("pk", filter=active & Q(is_on_time=True)),
        "stale": Count("pk", filter=active & Q(last_update_at__lt=stale)),
        "assessed": Count("pk", filter=active & Q(is_disputed__isnull=False)),
        "disputed": Count("pk", filter=active & Q(is_disputed=True)),
    }
    indicators = CommitmentIndicator.objects.filter(condition).order_by()
    if group_by is None:
        return [_scope_values(kind, NATION_SCOPE_ID, indicators.aggregate(**aggregates))]
    rows = indicators.values(group_by).annotate(**aggregates)
    return [_scope_values(kind, row[group_by], row) for row in rows]


# `row` is what the ORM's aggregate()/annotate() gives: its values are typed Any by the stubs.
def _scope_values(kind: str, scope_id: int, row: Mapping[str, Any]) -> ScopeValues:
    return {
        "scope_kind": kind,
        "scope_id": scope_id,
        **{name: row[name] for name in row if name.startswith("commitments_")},
        "mean_completion": None
        if row["mean"] is None
        else Decimal(str(row["mean"])).quantize(CENT, ROUND_HALF_UP),
        "share_on_time": _share(row["on_time"], row["active"]),
        "share_stale": _share(row["stale"], row["active"]),
        "share_disputed": _share(row["disputed"], row["assessed"]),
    }


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP) if whole else None
