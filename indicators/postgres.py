"""The indicator recompute as single PostgreSQL statements (the set-based path on PostgreSQL).

``indicators.services`` chooses this path when the database is PostgreSQL and keeps the ORM
path for SQLite; both must give the same rows (tests run the same behaviour tests on both
and compare the two paths on the same data).

- ``recompute_commitment_indicators``: one statement computes the figures of a set of
  commitments (an id list, or an id range for the full pass) from one GROUP BY over their
  milestones, updates the ``CommitmentIndicator`` rows that changed (a plain UPDATE: no
  row lock and conflict check per row) and inserts the missing ones (upsert),
  updates the cached ``Commitment.completion_percent`` where it differs, the replicating
  states of national commitments, and clears the outbox marks older than the run.
- ``recompute_scope_indicators``: one statement aggregates per plan, per state and for
  the nation and upserts ``ScopeIndicator`` and today's ``IndicatorSnapshot``.

The rules are those of ``services`` (thresholds, rounding, dates); every value is a query
parameter, table names come from the models' ``_meta``. Rounding half up to 2 or 4 places
is done in integer arithmetic, ``(2·100·a + b) div (2·b)`` hundredths of ``a / b``, which is
exact for the non-negative sums involved, like ``Decimal.quantize(ROUND_HALF_UP)``.
"""

from django.conf import settings
from django.db import connection

from commitments.models import ActionPlan, Alignment, Commitment, Milestone

from .models import (
    NATION_SCOPE_ID,
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    RecomputeRequest,
    ScopeIndicator,
    ScopeKind,
)


def _tables():
    quote = connection.ops.quote_name
    return {
        "indicator": quote(CommitmentIndicator._meta.db_table),
        "commitment": quote(Commitment._meta.db_table),
        "milestone": quote(Milestone._meta.db_table),
        "plan": quote(ActionPlan._meta.db_table),
        "alignment": quote(Alignment._meta.db_table),
        "request": quote(RecomputeRequest._meta.db_table),
        "scope": quote(ScopeIndicator._meta.db_table),
        "snapshot": quote(IndicatorSnapshot._meta.db_table),
    }


INDICATOR_COLUMNS = [
    "completion_percent",
    "completion_level",
    "milestones_total",
    "milestones_withdrawn",
    "milestones_on_time",
    "milestones_overdue",
    "last_update_at",
    "days_since_update",
    "is_stale",
    "is_on_time",
    "civil_society_agreement_share",
    "civil_society_dispute_share",
    "is_disputed",
    "replicating_states",
]

COMMITMENT_SQL = """
WITH shares AS (
    SELECT * FROM unnest(%(share_ids)s::bigint[], %(agreements)s::numeric[],
                         %(disputes)s::numeric[]) AS s (commitment_id, agreement, dispute)
),
figures AS (
    SELECT
        c.id AS commitment_id,
        c.action_plan_id,
        c.completion_percent AS cached_percent,
        o.commitment_id IS NOT NULL AS stored,
        p.state_id,
        p.scope AS plan_scope,
        COALESCE(m.weighted, 0) AS weighted,
        COALESCE(m.weights, 0) AS weights,
        COALESCE(m.total, 0) AS total,
        COALESCE(m.withdrawn, 0) AS withdrawn,
        COALESCE(m.overdue, 0) AS overdue,
        COALESCE(m.late, 0) AS late,
        GREATEST(c.updated_at, m.last_update) AS last_update_at,
        r.states AS replicas,
        s.agreement,
        s.dispute
    FROM {commitment} c
    JOIN {plan} p ON p.id = c.action_plan_id
    LEFT JOIN (
        SELECT
            commitment_id,
            SUM(weight::integer * percent_complete::integer)
                FILTER (WHERE status = ANY(%(counted)s)) AS weighted,
            SUM(weight::integer) FILTER (WHERE status = ANY(%(counted)s)) AS weights,
            COUNT(*) AS total,
            COUNT(*) FILTER (WHERE status = %(withdrawn)s) AS withdrawn,
            COUNT(*) FILTER (WHERE status = ANY(%(open)s) AND due_date < %(today)s) AS overdue,
            COUNT(*) FILTER (WHERE status = %(complete)s AND actual_end_date > due_date) AS late,
            MAX(updated_at) AS last_update
        FROM {milestone}
        WHERE {milestone_filter}
        GROUP BY commitment_id
    ) m ON m.commitment_id = c.id
    LEFT JOIN (
        SELECT a.national_commitment_id, COUNT(DISTINCT lp.state_id) AS states
        FROM {alignment} a
        JOIN {commitment} lc ON lc.id = a.local_commitment_id
        JOIN {plan} lp ON lp.id = lc.action_plan_id
        WHERE a.kind = %(replicates)s AND {alignment_filter}
        GROUP BY a.national_commitment_id
    ) r ON r.national_commitment_id = c.id
    LEFT JOIN shares s ON s.commitment_id = c.id
    LEFT JOIN {indicator} o ON o.commitment_id = c.id
    WHERE {commitment_filter}
),
computed AS MATERIALIZED (
    SELECT
        f.commitment_id,
        f.action_plan_id,
        f.state_id,
        f.cached_percent,
        f.stored,
        (CASE WHEN f.weights > 0
            THEN ((200 * f.weighted + f.weights) / (2 * f.weights))::numeric / 100
            ELSE 0 END)::numeric(5, 2) AS completion_percent,
        CASE
            WHEN f.total > 0 AND f.withdrawn = f.total THEN %(level_withdrawn)s
            WHEN f.weights > 0 AND f.weighted >= %(complete_at)s * f.weights
                THEN %(level_complete)s
            WHEN f.weights > 0 AND f.weighted >= %(substantial_from)s * f.weights
                THEN %(level_substantial)s
            WHEN f.weights > 0 AND f.weighted > %(limited_above)s * f.weights
                THEN %(level_limited)s
            ELSE %(level_not_started)s
        END AS completion_level,
        f.total AS milestones_total,
        f.withdrawn AS milestones_withdrawn,
        f.total - f.withdrawn - f.overdue - f.late AS milestones_on_time,
        f.overdue AS milestones_overdue,
        f.last_update_at,
        d.days AS days_since_update,
        d.days > %(stale_after)s AS is_stale,
        f.overdue = 0 AS is_on_time,
        f.agreement AS civil_society_agreement_share,
        f.dispute AS civil_society_dispute_share,
        f.dispute >= %(disputed_from)s AS is_disputed,
        CASE WHEN f.plan_scope = %(national)s THEN COALESCE(f.replicas, 0) END
            AS replicating_states
    FROM figures f
    CROSS JOIN LATERAL (
        SELECT GREATEST(
            %(today)s::date - (f.last_update_at AT TIME ZONE %(time_zone)s)::date, 0
        ) AS days
    ) d
),
updated AS (
    UPDATE {indicator} i SET {updates}, computed_at = %(now)s
    FROM computed n
    WHERE i.commitment_id = n.commitment_id AND n.stored
        AND ({stored}) IS DISTINCT FROM ({new_columns})
    RETURNING 1
),
inserted AS (
    INSERT INTO {indicator} AS i (commitment_id, {columns}, computed_at)
    SELECT n.commitment_id, {new_columns}, %(now)s
    FROM computed n
    WHERE NOT n.stored
    ON CONFLICT (commitment_id) DO UPDATE SET {assignments}, computed_at = EXCLUDED.computed_at
    WHERE ({stored}) IS DISTINCT FROM ({excluded})
    RETURNING 1
),
cached AS (
    UPDATE {commitment} c SET completion_percent = n.completion_percent
    FROM computed n
    WHERE c.id = n.commitment_id AND n.cached_percent IS DISTINCT FROM n.completion_percent
    RETURNING 1
),
{aligned}
cleared AS (
    DELETE FROM {request}
    WHERE {request_filter} AND requested_at <= %(started)s
    RETURNING 1
)
SELECT
    (SELECT COUNT(*) FROM computed),
    (SELECT array_agg(DISTINCT action_plan_id) FROM computed),
    (SELECT array_agg(DISTINCT state_id) FROM computed WHERE state_id IS NOT NULL)
"""

# An id list: the national commitments its local commitments align to get their replicating
# states recounted too (those inside the list are recounted by the upsert itself; updating
# them here as well would touch the same row twice in one statement).
ALIGNED_SQL = """
aligned AS (
    UPDATE {indicator} i SET replicating_states = COALESCE((
        SELECT COUNT(DISTINCT lp.state_id)
        FROM {alignment} a
        JOIN {commitment} lc ON lc.id = a.local_commitment_id
        JOIN {plan} lp ON lp.id = lc.action_plan_id
        WHERE a.national_commitment_id = i.commitment_id AND a.kind = %(replicates)s
    ), 0)
    FROM {commitment} c
    JOIN {plan} p ON p.id = c.action_plan_id
    WHERE c.id = i.commitment_id
        AND p.scope = %(national)s
        AND i.commitment_id IN (
            SELECT national_commitment_id FROM {alignment}
            WHERE local_commitment_id = ANY(%(ids)s)
        )
        AND NOT i.commitment_id = ANY(%(ids)s)
    RETURNING 1
),
"""


def recompute_commitment_indicators(*, now, today, started, shares, ids=None, id_range=None):
    """Recompute the commitments in ``ids`` (a list) or ``id_range`` ((low, high]) in one statement.

    Returns (commitments recomputed, their plan ids, their state ids).
    """
    from . import services

    if ids is not None:
        commitment_filter, milestone_filter = "c.id = ANY(%(ids)s)", "commitment_id = ANY(%(ids)s)"
        alignment_filter = "a.national_commitment_id = ANY(%(ids)s)"
        aligned = ALIGNED_SQL
        bounds = {"ids": list(ids)}
    else:
        commitment_filter = "c.id > %(low)s AND c.id <= %(high)s"
        milestone_filter = "commitment_id > %(low)s AND commitment_id <= %(high)s"
        alignment_filter = (
            "a.national_commitment_id > %(low)s AND a.national_commitment_id <= %(high)s"
        )
        aligned = ""  # the full pass recounts every national commitment in its own range
        bounds = {"low": id_range[0], "high": id_range[1]}
    request_filter = milestone_filter
    tables = _tables()
    sql = COMMITMENT_SQL.format(
        aligned=aligned.format(**tables),
        commitment_filter=commitment_filter,
        milestone_filter=milestone_filter,
        alignment_filter=alignment_filter,
        request_filter=request_filter,
        columns=", ".join(INDICATOR_COLUMNS),
        assignments=", ".join(f"{name} = EXCLUDED.{name}" for name in INDICATOR_COLUMNS),
        stored=", ".join(f"i.{name}" for name in INDICATOR_COLUMNS),
        updates=", ".join(f"{name} = n.{name}" for name in INDICATOR_COLUMNS),
        new_columns=", ".join(f"n.{name}" for name in INDICATOR_COLUMNS),
        excluded=", ".join(f"EXCLUDED.{name}" for name in INDICATOR_COLUMNS),
        **tables,
    )
    share_ids = list(shares)
    params = {
        **bounds,
        "share_ids": share_ids,
        "agreements": [shares[pk][0] for pk in share_ids],
        "disputes": [shares[pk][1] for pk in share_ids],
        "counted": [str(status) for status in services.COUNTED],
        "open": [str(status) for status in services.OPEN],
        "withdrawn": str(Milestone.Status.WITHDRAWN),
        "complete": str(Milestone.Status.COMPLETE),
        "today": today,
        "time_zone": settings.TIME_ZONE,
        "complete_at": services.COMPLETE_AT_PERCENT,
        "substantial_from": services.SUBSTANTIAL_FROM_PERCENT,
        "limited_above": services.LIMITED_ABOVE_PERCENT,
        "level_withdrawn": str(CompletionLevel.WITHDRAWN),
        "level_complete": str(CompletionLevel.COMPLETE),
        "level_substantial": str(CompletionLevel.SUBSTANTIAL),
        "level_limited": str(CompletionLevel.LIMITED),
        "level_not_started": str(CompletionLevel.NOT_STARTED),
        "stale_after": services.STALE_AFTER_DAYS,
        "disputed_from": services.DISPUTED_FROM_SHARE,
        "national": str(ActionPlan.Scope.NATIONAL),
        "replicates": str(Alignment.Kind.REPLICATES),
        "now": now,
        "started": started,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, plan_ids, state_ids = cursor.fetchone()
    return count, set(plan_ids or ()), set(state_ids or ())


def commitment_id_bounds():
    """(count, lowest id, highest id) of the commitments, in one query."""
    table = connection.ops.quote_name(Commitment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MIN(id), MAX(id) FROM {table}")  # noqa: S608
        return cursor.fetchone()


SCOPE_AGGREGATES = """
    COUNT(*) AS commitments_total,
    COUNT(*) FILTER (WHERE i.completion_level = %(level_not_started)s) AS commitments_not_started,
    COUNT(*) FILTER (WHERE i.completion_level = %(level_limited)s) AS commitments_limited,
    COUNT(*) FILTER (WHERE i.completion_level = %(level_substantial)s) AS commitments_substantial,
    COUNT(*) FILTER (WHERE i.completion_level = %(level_complete)s) AS commitments_complete,
    COUNT(*) FILTER (WHERE i.completion_level = %(level_withdrawn)s) AS commitments_withdrawn,
    ROUND(AVG(i.completion_percent) FILTER (WHERE i.completion_level = ANY(%(active)s)), 2)
        AS mean_completion,
    COUNT(*) FILTER (WHERE i.completion_level = ANY(%(active)s)) AS active,
    COUNT(*) FILTER (WHERE i.completion_level = ANY(%(active)s) AND i.is_on_time) AS on_time,
    COUNT(*) FILTER (WHERE i.completion_level = ANY(%(active)s) AND i.is_stale) AS stale,
    COUNT(*) FILTER (WHERE i.completion_level = ANY(%(active)s) AND i.is_disputed IS NOT NULL)
        AS assessed,
    COUNT(*) FILTER (WHERE i.completion_level = ANY(%(active)s) AND i.is_disputed) AS disputed
"""

SCOPE_COLUMNS = [
    "commitments_total",
    "commitments_not_started",
    "commitments_limited",
    "commitments_substantial",
    "commitments_complete",
    "commitments_withdrawn",
    "mean_completion",
    "share_on_time",
    "share_stale",
    "share_disputed",
]

SCOPE_SQL = """
WITH grouped AS (
    SELECT
        CASE
            WHEN GROUPING(c.action_plan_id) = 0 THEN %(kind_plan)s
            WHEN GROUPING(p.state_id) = 0 THEN %(kind_state)s
            ELSE %(kind_nation)s
        END AS scope_kind,
        COALESCE(c.action_plan_id, p.state_id, %(nation_id)s) AS scope_id,
        {aggregates}
    FROM {indicator} i
    JOIN {commitment} c ON c.id = i.commitment_id
    JOIN {plan} p ON p.id = c.action_plan_id
    GROUP BY GROUPING SETS ((c.action_plan_id), (p.state_id), ())
    HAVING (GROUPING(c.action_plan_id) = 0
            AND (%(all_plans)s OR c.action_plan_id = ANY(%(plan_ids)s)))
        OR (GROUPING(p.state_id) = 0 AND p.state_id IS NOT NULL
            AND (%(all_states)s OR p.state_id = ANY(%(state_ids)s)))
        OR (GROUPING(c.action_plan_id) = 1 AND GROUPING(p.state_id) = 1)
),
figures AS MATERIALIZED (
    SELECT
        scope_kind, scope_id,
        commitments_total, commitments_not_started, commitments_limited,
        commitments_substantial, commitments_complete, commitments_withdrawn,
        mean_completion::numeric(5, 2) AS mean_completion,
        {share_on_time} AS share_on_time,
        {share_stale} AS share_stale,
        {share_disputed} AS share_disputed
    FROM grouped
),
latest AS (
    INSERT INTO {scope} (scope_kind, scope_id, {columns}, computed_at)
    SELECT scope_kind, scope_id, {columns}, %(now)s FROM figures
    ON CONFLICT (scope_kind, scope_id)
    DO UPDATE SET {assignments}, computed_at = EXCLUDED.computed_at
    RETURNING 1
),
dated AS (
    INSERT INTO {snapshot} (scope_kind, scope_id, {columns}, date)
    SELECT scope_kind, scope_id, {columns}, %(today)s FROM figures
    ON CONFLICT (scope_kind, scope_id, date) DO UPDATE SET {assignments}
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM latest), (SELECT COUNT(*) FROM dated)
"""


def _share(part, whole):
    """``part / whole`` rounded half up to 4 places, NULL without a whole (exact integers)."""
    return (
        f"(CASE WHEN {whole} > 0 THEN "
        f"((20000 * {part} + {whole}) / (2 * {whole}))::numeric / 10000 END)::numeric(5, 4)"
    )


def recompute_scope_indicators(*, plan_ids, state_ids, now, today):
    """Aggregate per plan, per state and for the nation, and upsert latest and snapshot rows.

    ``None`` means every plan / every state; then rows of scopes that no longer have
    commitments are removed. Returns (scopes written, snapshots written).
    """
    tables = _tables()
    sql = SCOPE_SQL.format(
        aggregates=SCOPE_AGGREGATES,
        columns=", ".join(SCOPE_COLUMNS),
        assignments=", ".join(f"{name} = EXCLUDED.{name}" for name in SCOPE_COLUMNS),
        share_on_time=_share("on_time", "active"),
        share_stale=_share("stale", "active"),
        share_disputed=_share("disputed", "assessed"),
        **tables,
    )
    active = [level for level in CompletionLevel.values if level != CompletionLevel.WITHDRAWN]
    params = {
        "kind_plan": str(ScopeKind.PLAN),
        "kind_state": str(ScopeKind.STATE),
        "kind_nation": str(ScopeKind.NATION),
        "nation_id": NATION_SCOPE_ID,
        "all_plans": plan_ids is None,
        "plan_ids": list(plan_ids or ()),
        "all_states": state_ids is None,
        "state_ids": list(state_ids or ()),
        "level_not_started": str(CompletionLevel.NOT_STARTED),
        "level_limited": str(CompletionLevel.LIMITED),
        "level_substantial": str(CompletionLevel.SUBSTANTIAL),
        "level_complete": str(CompletionLevel.COMPLETE),
        "level_withdrawn": str(CompletionLevel.WITHDRAWN),
        "active": active,
        "now": now,
        "today": today,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        scopes, snapshots = cursor.fetchone()
        if plan_ids is None and state_ids is None:
            cursor.execute(
                f"DELETE FROM {tables['scope']} WHERE computed_at < %s",  # noqa: S608
                [now],
            )
    return scopes, snapshots
