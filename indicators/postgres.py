"""The indicator recompute as single PostgreSQL statements (the set-based path on PostgreSQL).

``indicators.services`` chooses this path when the database is PostgreSQL and keeps the ORM
path for SQLite; both must give the same rows (tests run the same behaviour tests on both
and compare the two paths on the same data).

- ``recompute_commitment_indicators``: one statement gathers the facts of a set of
  commitments (an id list, or an id range for the full pass) from one GROUP BY over their
  milestones, keeps only the commitments whose facts differ from their stored row (integer
  and timestamp comparisons), computes the indicators of those, updates their rows (a
  plain UPDATE: no row lock and conflict check per row), inserts the missing ones
  (upsert), updates the cached ``Commitment.completion_percent`` where it differs, the
  replicating states of national commitments, and clears the outbox marks older than the
  run. A nightly pass over unchanged data therefore writes nothing but the scopes.
- ``recompute_scope_indicators``: one statement aggregates per plan, per state and for
  the nation and upserts ``ScopeIndicator`` and today's ``IndicatorSnapshot``.

The rules are those of ``rules`` (thresholds, statuses counted and open; rounding and dates
as in ``services``; "not withdrawn" is written ``status <> withdrawn``, the same as
``rules.COUNTED`` under the milestone status constraint, and cheaper); every value is a query
parameter, table names come from the models' ``_meta``. Rounding half up to 2 or 4 places
is done in integer arithmetic, ``(2·100·a + b) div (2·b)`` hundredths of ``a / b``, which is
exact for the non-negative sums involved, like ``Decimal.quantize(ROUND_HALF_UP)``.
"""

from django.db import connection

from commitments.models import ActionPlan, Alignment, Commitment, Milestone

from . import rules
from .models import (
    NATION_SCOPE_ID,
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    RecomputeRequest,
    ScopeFigures,
    ScopeIndicator,
    ScopeKind,
    stale_before,
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


# What tells a changed commitment (compared with the stored row), then what is derived.
FACT_COLUMNS = [
    "action_plan_id",
    "rules_fingerprint",
    "weighted_percent_sum",
    "weight_sum",
    "milestones_total",
    "milestones_reported",
    "milestones_withdrawn",
    "milestones_on_time",
    "milestones_overdue",
    "last_update_at",
    "civil_society_agreement_share",
    "civil_society_dispute_share",
    "replicating_states",
]
INDICATOR_COLUMNS = [
    *FACT_COLUMNS,
    "completion_percent",
    "completion_level",
    "is_on_time",
    "is_disputed",
]

# The facts of a set of commitments and the ones that differ from their stored rows: the
# head of both statements below. {filter}s select an id list or an id range.
CHANGED_SQL = """
WITH shares AS (
    SELECT * FROM unnest(%(share_ids)s::bigint[], %(agreements)s::numeric[],
                         %(disputes)s::numeric[]) AS s (commitment_id, agreement, dispute)
),
fresh AS (
    SELECT
        c.id AS commitment_id,
        c.action_plan_id,
        %(rules)s::bigint AS rules_fingerprint,
        c.completion_percent AS cached_percent,
        p.state_id,
        COALESCE(m.weighted, 0) AS weighted_percent_sum,
        COALESCE(m.weights, 0) AS weight_sum,
        COALESCE(m.total, 0) AS milestones_total,
        COALESCE(m.reported, 0) AS milestones_reported,
        COALESCE(m.withdrawn, 0) AS milestones_withdrawn,
        COALESCE(m.reported - m.withdrawn - o.overdue - m.late, 0) AS milestones_on_time,
        COALESCE(o.overdue, 0) AS milestones_overdue,
        GREATEST(c.updated_at, m.last_update) AS last_update_at,
        s.agreement AS civil_society_agreement_share,
        s.dispute AS civil_society_dispute_share,
        CASE WHEN p.scope = %(national)s THEN COALESCE(r.states, 0) END AS replicating_states
    FROM {commitment} c
    JOIN {plan} p ON p.id = c.action_plan_id
    LEFT JOIN (
        SELECT
            commitment_id,
            -- Milestones listed without their progress (not reported) count in no figure.
            SUM(weight::integer * percent_complete::integer)
                FILTER (WHERE progress_reported AND status <> %(withdrawn)s) AS weighted,
            SUM(weight::integer)
                FILTER (WHERE progress_reported AND status <> %(withdrawn)s) AS weights,
            COUNT(*) AS total,
            COUNT(*) FILTER (WHERE progress_reported) AS reported,
            COUNT(*) FILTER (WHERE progress_reported AND status = %(withdrawn)s) AS withdrawn,
            COUNT(*) FILTER (WHERE progress_reported AND due_date < %(today)s
                AND status = ANY(%(open)s)) AS overdue,
            COUNT(*) FILTER (WHERE progress_reported AND status = ANY(%(open)s)) AS open,
            COUNT(*) FILTER (WHERE progress_reported AND actual_end_date > due_date
                AND status = %(complete)s) AS late,
            MAX(updated_at) AS last_update
        FROM {milestone}
        WHERE {milestone_filter}
        GROUP BY commitment_id
    ) m ON m.commitment_id = c.id
    -- Once the plan has ended, every milestone still open is overdue.
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.end_date < %(today)s THEN m.open ELSE m.overdue END AS overdue
    ) o
    LEFT JOIN (
        SELECT a.national_commitment_id, COUNT(DISTINCT lp.state_id) AS states
        FROM {alignment} a
        JOIN {commitment} lc ON lc.id = a.local_commitment_id
        JOIN {plan} lp ON lp.id = lc.action_plan_id
        WHERE a.kind = %(replicates)s AND {alignment_filter}
        GROUP BY a.national_commitment_id
    ) r ON r.national_commitment_id = c.id
    LEFT JOIN shares s ON s.commitment_id = c.id
    WHERE {commitment_filter}
),
changed AS MATERIALIZED (
    -- Only commitments whose facts differ from the stored row go further: comparing
    -- integers and timestamps is cheap, computing and writing every row is not.
    -- (MATERIALIZED keeps the planner from folding it into a merge join plan with a
    -- sort of every row: measured 47 ms against 54 ms.)
    SELECT f.*, i.commitment_id IS NOT NULL AS stored
    FROM fresh f
    LEFT JOIN {indicator} i ON i.commitment_id = f.commitment_id
    WHERE i.commitment_id IS NULL
        OR ({stored_facts}) IS DISTINCT FROM ({fresh_facts})
        OR f.cached_percent IS DISTINCT FROM i.completion_percent
)
"""

# Read-only, so PostgreSQL may run the milestone GROUP BY with parallel workers.
DETECT_SQL = (
    CHANGED_SQL
    + """
SELECT commitment_id FROM changed ORDER BY commitment_id
"""
)

COMMITMENT_SQL = (
    CHANGED_SQL  # noqa: S608 (two constants; every value is a parameter)
    + """,
computed AS MATERIALIZED (
    SELECT
        f.*,
        (CASE WHEN f.milestones_reported = 0 THEN NULL
            WHEN f.weight_sum > 0
            THEN ((200 * f.weighted_percent_sum + f.weight_sum) / (2 * f.weight_sum))::numeric
                / 100
            ELSE 0 END)::numeric(5, 2) AS completion_percent,
        CASE
            WHEN f.milestones_reported = 0 THEN %(level_no_information)s
            WHEN f.milestones_withdrawn = f.milestones_reported
                THEN %(level_withdrawn)s
            WHEN f.weight_sum > 0 AND f.weighted_percent_sum >= %(complete_at)s * f.weight_sum
                THEN %(level_complete)s
            WHEN f.weight_sum > 0
                AND f.weighted_percent_sum >= %(substantial_from)s * f.weight_sum
                THEN %(level_substantial)s
            WHEN f.weight_sum > 0 AND f.weighted_percent_sum > %(limited_above)s * f.weight_sum
                THEN %(level_limited)s
            ELSE %(level_not_started)s
        END AS completion_level,
        CASE WHEN f.milestones_reported > 0 THEN f.milestones_overdue = 0 END AS is_on_time,
        f.civil_society_dispute_share >= %(disputed_from)s AS is_disputed
    FROM changed f
),
updated AS (
    UPDATE {indicator} i SET {updates}, computed_at = %(now)s
    FROM computed n
    WHERE i.commitment_id = n.commitment_id AND n.stored
    RETURNING 1
),
inserted AS (
    INSERT INTO {indicator} AS i (commitment_id, {columns}, computed_at)
    SELECT n.commitment_id, {new_columns}, %(now)s
    FROM computed n
    WHERE NOT n.stored
    ON CONFLICT (commitment_id) DO UPDATE SET {assignments}, computed_at = EXCLUDED.computed_at
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
    WHERE {milestone_filter} AND requested_at <= %(started)s
    RETURNING 1
)
SELECT {summary}
"""
)

# An id list reports every listed commitment's plan and state (their scopes are recomputed
# next); a range (the full pass recomputes every scope) only the rows written, so that the
# range's fresh rows are not kept for a second reading.
IDS_SUMMARY = """
    (SELECT COUNT(*) FROM fresh),
    (SELECT COUNT(*) FROM computed),
    (SELECT array_agg(DISTINCT action_plan_id) FROM fresh),
    (SELECT array_agg(DISTINCT state_id) FROM fresh WHERE state_id IS NOT NULL)
"""
RANGE_SUMMARY = "NULL, (SELECT COUNT(*) FROM computed), NULL, NULL"

# An id list: the national commitments its local commitments align to get their replicating
# states recounted too (those inside the list are recounted above; updating them here as
# well would touch the same row twice in one statement).
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

CLEAR_SQL = """
DELETE FROM {request}
WHERE commitment_id > %(low)s AND commitment_id <= %(high)s AND requested_at <= %(started)s
"""


def _by_ids():
    return {
        "commitment_filter": "c.id = ANY(%(ids)s)",
        "milestone_filter": "commitment_id = ANY(%(ids)s)",
        "alignment_filter": "a.national_commitment_id = ANY(%(ids)s)",
    }


def _by_range():
    return {
        "commitment_filter": "c.id > %(low)s AND c.id <= %(high)s",
        "milestone_filter": "commitment_id > %(low)s AND commitment_id <= %(high)s",
        "alignment_filter": (
            "a.national_commitment_id > %(low)s AND a.national_commitment_id <= %(high)s"
        ),
    }


def _format(sql, filters, **extra):
    tables = _tables()
    return sql.format(
        columns=", ".join(INDICATOR_COLUMNS),
        assignments=", ".join(f"{name} = EXCLUDED.{name}" for name in INDICATOR_COLUMNS),
        updates=", ".join(f"{name} = n.{name}" for name in INDICATOR_COLUMNS),
        new_columns=", ".join(f"n.{name}" for name in INDICATOR_COLUMNS),
        stored_facts=", ".join(f"i.{name}" for name in FACT_COLUMNS),
        fresh_facts=", ".join(f"f.{name}" for name in FACT_COLUMNS),
        **filters,
        **extra,
        **tables,
    )


def _parameters(*, today, shares, **extra):
    share_ids = list(shares)
    return {
        "share_ids": share_ids,
        "agreements": [shares[pk][0] for pk in share_ids],
        "disputes": [shares[pk][1] for pk in share_ids],
        "open": [str(status) for status in rules.OPEN],
        "withdrawn": str(Milestone.Status.WITHDRAWN),
        "complete": str(Milestone.Status.COMPLETE),
        "today": today,
        "complete_at": rules.COMPLETE_AT_PERCENT,
        "substantial_from": rules.SUBSTANTIAL_FROM_PERCENT,
        "limited_above": rules.LIMITED_ABOVE_PERCENT,
        "level_withdrawn": str(CompletionLevel.WITHDRAWN),
        "level_complete": str(CompletionLevel.COMPLETE),
        "level_substantial": str(CompletionLevel.SUBSTANTIAL),
        "level_limited": str(CompletionLevel.LIMITED),
        "level_not_started": str(CompletionLevel.NOT_STARTED),
        "level_no_information": str(CompletionLevel.NO_INFORMATION),
        "disputed_from": rules.DISPUTED_FROM_SHARE,
        "national": str(ActionPlan.Scope.NATIONAL),
        "replicates": str(Alignment.Kind.REPLICATES),
        "rules": rules.rules_fingerprint(),
        **extra,
    }


def changed_commitment_ids(*, id_range, today, shares):
    """Ids of the commitments in ``id_range`` ((low, high]) whose stored facts are out of date.

    One read-only query: the full pass's GROUP BY over every milestone, compared row by row
    with the stored indicators, without computing or writing anything.
    """
    sql = _format(DETECT_SQL, _by_range())
    params = _parameters(today=today, shares=shares, low=id_range[0], high=id_range[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def recompute_commitment_indicators(*, now, today, started, shares, ids=None, id_range=None):
    """Recompute the commitments in ``ids`` (a list) or ``id_range`` ((low, high]) in one
    statement, writing only those that changed.

    Returns (commitments checked, rows written, their plan ids, their state ids); for a
    range, only the rows written (the other three are None).
    """
    if ids is not None:
        aligned = ALIGNED_SQL.format(**_tables())
        sql = _format(COMMITMENT_SQL, _by_ids(), aligned=aligned, summary=IDS_SUMMARY)
        bounds = {"ids": list(ids)}
    else:
        # A range recounts the replicas of every national commitment in it.
        sql = _format(COMMITMENT_SQL, _by_range(), aligned="", summary=RANGE_SUMMARY)
        bounds = {"low": id_range[0], "high": id_range[1]}
    params = _parameters(today=today, shares=shares, now=now, started=started, **bounds)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        checked, written, plan_ids, state_ids = cursor.fetchone()
    return checked, written, set(plan_ids or ()), set(state_ids or ())


def clear_requests(*, id_range, started):
    """Remove the outbox marks of ``id_range`` made before ``started`` (the full pass's)."""
    sql = CLEAR_SQL.format(**_tables())
    with connection.cursor() as cursor:
        cursor.execute(sql, {"low": id_range[0], "high": id_range[1], "started": started})


def commitment_id_bounds():
    """(count, lowest id, highest id) of the commitments, in one query."""
    table = connection.ops.quote_name(Commitment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MIN(id), MAX(id) FROM {table}")  # noqa: S608
        return cursor.fetchone()


SCOPE_COLUMNS = ScopeFigures.FIGURES

SCOPE_SQL = """
WITH per_plan AS (
    -- Each commitment is read once, per plan; states and the nation add up plans below
    -- (a grouping set per level over every commitment would read each row three times).
    SELECT
        i.action_plan_id,
        p.state_id,
        COUNT(*) AS total,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_no_information)s) AS no_information,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_not_started)s) AS not_started,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_limited)s) AS limited,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_substantial)s) AS substantial,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_complete)s) AS complete,
        COUNT(*) FILTER (WHERE i.completion_level = %(level_withdrawn)s) AS withdrawn,
        SUM(i.completion_percent) FILTER (WHERE i.completion_level <> ALL(%(inactive)s))
            AS percent_sum,
        COUNT(*) FILTER (WHERE i.completion_level <> ALL(%(inactive)s) AND i.is_on_time)
            AS on_time,
        COUNT(*) FILTER (WHERE i.completion_level <> ALL(%(inactive)s)
            AND i.last_update_at < %(stale_before)s) AS stale,
        COUNT(*) FILTER (WHERE i.completion_level <> ALL(%(inactive)s)
            AND i.is_disputed IS NOT NULL) AS assessed,
        COUNT(*) FILTER (WHERE i.completion_level <> ALL(%(inactive)s) AND i.is_disputed)
            AS disputed
    FROM {indicator} i
    JOIN {plan} p ON p.id = i.action_plan_id
    GROUP BY i.action_plan_id, p.state_id
),
grouped AS (
    SELECT
        CASE
            WHEN GROUPING(action_plan_id) = 0 THEN %(kind_plan)s
            WHEN GROUPING(state_id) = 0 THEN %(kind_state)s
            ELSE %(kind_nation)s
        END AS scope_kind,
        COALESCE(action_plan_id, state_id, %(nation_id)s) AS scope_id,
        COALESCE(SUM(total), 0)::bigint AS commitments_total,
        COALESCE(SUM(no_information), 0)::bigint AS commitments_no_information,
        COALESCE(SUM(not_started), 0)::bigint AS commitments_not_started,
        COALESCE(SUM(limited), 0)::bigint AS commitments_limited,
        COALESCE(SUM(substantial), 0)::bigint AS commitments_substantial,
        COALESCE(SUM(complete), 0)::bigint AS commitments_complete,
        COALESCE(SUM(withdrawn), 0)::bigint AS commitments_withdrawn,
        -- Sums of counts are numeric (NULL without plans): back to integers, so that the
        -- shares below divide integers. The mean divides like AVG: the same digits.
        -- Over the commitments with information and not withdrawn ("active").
        ROUND(SUM(percent_sum) / NULLIF(SUM(total) - SUM(withdrawn) - SUM(no_information), 0), 2)
            AS mean_completion,
        COALESCE(SUM(total) - SUM(withdrawn) - SUM(no_information), 0)::bigint AS active,
        COALESCE(SUM(on_time), 0)::bigint AS on_time,
        COALESCE(SUM(stale), 0)::bigint AS stale,
        COALESCE(SUM(assessed), 0)::bigint AS assessed,
        COALESCE(SUM(disputed), 0)::bigint AS disputed
    FROM per_plan
    GROUP BY GROUPING SETS ((action_plan_id), (state_id), ())
    HAVING (GROUPING(action_plan_id) = 0
            AND (%(all_plans)s OR action_plan_id = ANY(%(plan_ids)s)))
        OR (GROUPING(state_id) = 0 AND state_id IS NOT NULL
            AND (%(all_states)s OR state_id = ANY(%(state_ids)s)))
        OR (GROUPING(action_plan_id) = 1 AND GROUPING(state_id) = 1)
),
figures AS MATERIALIZED (
    SELECT
        scope_kind, scope_id,
        commitments_total, commitments_no_information, commitments_not_started, commitments_limited,
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
        columns=", ".join(SCOPE_COLUMNS),
        assignments=", ".join(f"{name} = EXCLUDED.{name}" for name in SCOPE_COLUMNS),
        share_on_time=_share("on_time", "active"),
        share_stale=_share("stale", "active"),
        share_disputed=_share("disputed", "assessed"),
        **tables,
    )
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
        "level_no_information": str(CompletionLevel.NO_INFORMATION),
        "inactive": [str(CompletionLevel.WITHDRAWN), str(CompletionLevel.NO_INFORMATION)],
        "stale_before": stale_before(today),
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
