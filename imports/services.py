"""Importing a spreadsheet: a dry run that says what would change, then the same run applied.

`import_table` reads the rows in chunks of a thousand; each chunk costs the same few
queries whatever its content (lookups by key, one bulk write per kind of change). The
apply runs in one transaction: any row error and nothing is kept. Writes follow the
rules of commitments.services (dates inside the plan's period, a version bump, a history
row written with the change, with the importer as author and the file name as the
reason) and the whole import requests one indicator recompute through the outbox.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.history import plain
from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    DatePrecision,
    Institution,
    Milestone,
    MilestoneStatus,
    PolicyArea,
    ProgressReport,
    SdgTarget,
    Source,
)
from commitments.services import check_dates_in_plan_period
from indicators.outbox import request_recompute_of_many
from ogp_portal import permissions
from ogp_portal.outbox import data_changed
from states.models import MetricaEdition, MetricaScore, SecretariatMember, SecretariatSector, State

from .columns import KINDS, Kind
from .files import FileRefused, Table

CHUNK_SIZE = 1000
MAX_ERRORS_KEPT = 500
BATCH_SIZE = 500

# A row's cells as imports.columns' parsers return them: text, numbers, dates, lists of
# names, by column. Which one a column holds is the column's parser's business.
type Values = dict[str, Any]
# {column: message}
type Errors = dict[str, str]
# {field: [before, after]} as the history rows store it.
type Changes = dict[str, list[object]]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Outcome:
    """What a dry run would do, or what an apply did."""

    kind: str
    applied: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, row: int, column: str, message: object) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, column, str(message)))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outcome:
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        return cls(**data)


class RowInvalid(Exception):
    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors  # {column: message}


class _Rollback(Exception):
    pass


@dataclass
class Row:
    number: int
    values: Values
    # Set by the handlers that look up the row's state (not set: not looked up).
    state: State = field(init=False, repr=False, compare=False)
    state_error: RowInvalid = field(init=False, repr=False, compare=False)


@dataclass
class Action[M: Model]:
    verb: str  # "create", "update" or "unchanged"
    obj: M
    changes: Changes = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def may_import(user: User, kind: Kind) -> bool:
    if kind.staff_only:
        return bool(permissions.is_portal_staff(user))
    return bool(permissions.can_import(user))


def check_header(kind: Kind, header: list[str]) -> None:
    """Refuse a file whose columns are not the resource's: missing, renamed, unknown, twice."""
    accepted = set(kind.accepted)
    problems: list[str] = []
    unknown = [name for name in header if name not in accepted]
    if "" in header:
        problems.append(_("Hay una columna sin nombre en la primera fila."))
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        problems.append(_("Columnas repetidas: %(names)s.") % {"names": ", ".join(twice)})
    missing = [item.column for item in kind.fields if item.required and item.column not in header]
    if missing:
        problems.append(_("Faltan las columnas: %(names)s.") % {"names": ", ".join(missing)})
    unknown = [name for name in unknown if name]
    if unknown:
        described = []
        for name in unknown:
            close = difflib.get_close_matches(name, kind.columns, n=1, cutoff=0.6)
            described.append(
                _("«%(name)s» (¿quiso decir «%(close)s»?)") % {"name": name, "close": close[0]}
                if close
                else f"«{name}»"
            )
        problems.append(
            _("Columnas desconocidas: %(names)s. Use los encabezados de la plantilla.")
            % {"names": ", ".join(described)}
        )
    if problems:
        raise FileRefused(" ".join(problems))


def import_table(
    *,
    kind: Kind,
    table: Table,
    user: User,
    file_name: str,
    apply: bool,
    on_progress: Callable[[int], object] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Outcome:
    """Dry run (apply=False) or apply one table; all or nothing. Returns an Outcome."""
    if not may_import(user, kind):
        raise PermissionDenied
    check_header(kind, table.header)
    outcome = Outcome(kind=kind.name)
    handler = HANDLERS[kind.name](user=user, reason=file_name, apply=apply, header=table.header)
    seen: dict[tuple[str, ...], int] = {}
    try:
        with transaction.atomic():
            for chunk in itertools.batched(table.rows, chunk_size):
                rows = _parse_chunk(kind, table.header, chunk, outcome, seen)
                handler.load(rows)
                planned = []
                for row in rows:
                    try:
                        action = handler.plan(row)
                    except RowInvalid as error:
                        for column, message in error.errors.items():
                            outcome.add_error(row.number, column, message)
                        continue
                    setattr(
                        outcome,
                        _COUNTERS[action.verb],
                        getattr(outcome, _COUNTERS[action.verb]) + 1,
                    )
                    planned.append(action)
                if apply and not outcome.error_count:
                    handler.write([action for action in planned if action.verb != "unchanged"])
                if on_progress is not None:
                    on_progress(outcome.rows)
            if not apply or outcome.error_count:
                raise _Rollback
            handler.finish()
            outcome.applied = True
            data_changed()
    except _Rollback:
        pass
    return outcome


_COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged"}


def _parse_chunk(
    kind: Kind,
    header: list[str],
    chunk: Iterable[tuple[int, list[object]]],
    outcome: Outcome,
    seen: dict[tuple[str, ...], int],
) -> list[Row]:
    rows = []
    for number, cells in chunk:
        outcome.rows += 1
        values, errors = kind.parse(header, cells)
        for column, message in errors.items():
            outcome.add_error(number, column, message)
        if any(name in errors for name in kind.key):
            continue
        key = tuple(str(values.get(name, "")).strip().lower() for name in kind.key)
        if key in seen:
            outcome.add_error(
                number,
                kind.key[-1],
                _("Clave repetida en el archivo: la fila %(row)s ya tiene %(key)s.")
                % {"row": seen[key], "key": " / ".join(str(values.get(k)) for k in kind.key)},
            )
            continue
        seen[key] = number
        if not errors:
            rows.append(Row(number, values))
    return rows


def _suggestion(value: object, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(candidates), n=1, cutoff=0.6)
    return (_(" ¿Quiso decir «%(close)s»?") % {"close": close[0]}) if close else ""


def _validation_errors(error: ValidationError) -> Errors:
    """A ValidationError of a service as {column: message}."""
    return {
        name: " ".join(str(m) for m in messages) for name, messages in error.message_dict.items()
    }


def _history_rows[M: Model](
    model: type[M],
    objs: Iterable[M],
    *,
    history_type: str,
    user: User,
    reason: str,
    changes: Callable[[M], Changes],
) -> None:
    """History rows as the services write them, in one statement for many records."""
    history = model.history.model  # type: ignore[attr-defined]  # added by django-simple-history
    now = timezone.now()
    rows = []
    for obj in objs:
        row = history(
            history_date=now,
            history_user=user if getattr(user, "pk", None) else None,
            history_change_reason=reason[:100],
            history_type=history_type,
            changes=changes(obj),
            **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
        )
        rows.append(row)
    history.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _created_changes(fields: Iterable[str]) -> Callable[[object], Changes]:
    def changes(obj: object) -> Changes:
        result: Changes = {}
        for name in fields:
            value = plain(getattr(obj, name))
            if value not in (None, ""):
                result[name] = [None, value]
        return result

    return changes


# --- Lookups shared by the handlers ----------------------------------------------------


class Lookups:
    """Reference data read once per import (states, institutions, areas, targets)."""

    def __init__(self) -> None:
        self._states: dict[str, State] | None = None
        self._institutions: dict[str, Institution] | None = None
        self._areas: dict[str, PolicyArea] | None = None
        self._targets: dict[str, SdgTarget] | None = None
        self._codes: list[str] | None = None

    def state(self, value: object) -> State:
        if self._states is None:
            self._states = {}
            for state in State.objects.all():
                for name in (
                    state.inegi_code,
                    state.short_name,
                    state.official_name,
                    state.abbreviation,
                    state.slug,
                ):
                    self._states[name.lower()] = state
        text = str(value).strip().lower()
        if text.isdigit() and len(text) == 1:
            text = "0" + text
        try:
            return self._states[text]
        except KeyError:
            names = [s.short_name for s in set(self._states.values())]
            raise RowInvalid(
                {
                    "state": _("No existe la entidad «%(value)s».") % {"value": value}
                    + _suggestion(value, names)
                }
            ) from None

    def institutions(self, names: Iterable[str], column: str) -> list[Institution]:
        if self._institutions is None:
            self._institutions = {i.name.lower(): i for i in Institution.objects.all()}
        found = []
        for name in names:
            institution = self._institutions.get(name.lower())
            if institution is None:
                raise RowInvalid(
                    {
                        column: _(
                            "No existe la institución «%(value)s»; pida al equipo del portal "
                            "que la registre."
                        )
                        % {"value": name}
                        + _suggestion(name, [i.name for i in self._institutions.values()])
                    }
                )
            found.append(institution)
        return found

    def policy_areas(self, slugs: Iterable[str]) -> list[PolicyArea]:
        if self._areas is None:
            self._areas = {}
            for area in PolicyArea.objects.all():
                for name in (area.slug, area.name_es, area.name_en):
                    if name:
                        self._areas[name.lower()] = area
        return self._find(self._areas, slugs, "policy_areas", _("el área de política"))

    def sdg_targets(self, codes: Iterable[str]) -> list[SdgTarget]:
        if self._targets is None:
            self._targets = {t.code: t for t in SdgTarget.objects.all()}
        return self._find(self._targets, codes, "sdg_targets", _("la meta ODS"))

    def _find[T](
        self, table: dict[str, T], values: Iterable[str], column: str, what: str
    ) -> list[T]:
        found = []
        for value in values:
            item = table.get(value.lower())
            if item is None:
                raise RowInvalid(
                    {
                        column: _("No existe %(what)s «%(value)s».")
                        % {"what": what, "value": value}
                        + _suggestion(value, table.keys())
                    }
                )
            found.append(item)
        return found

    def unknown_commitment(self, code: str, column: str) -> RowInvalid:
        if self._codes is None:
            self._codes = list(Commitment.objects.values_list("code", flat=True))
        return RowInvalid(
            {
                column: _("No existe el compromiso «%(value)s».") % {"value": code}
                + _suggestion(code, self._codes)
            }
        )


class Handler[M: Model]:
    """Per-kind rules: load a chunk's records in bulk, plan each row, write in bulk."""

    def __init__(self, *, user: User, reason: str, apply: bool, header: Iterable[str]) -> None:
        self.user = user
        self.reason = reason
        self.apply = apply
        self.present = set(header)
        self.lookups = Lookups()
        self.touched: set[int] = set()  # commitment ids whose indicators change

    def load(self, rows: list[Row]) -> None:
        pass

    def plan(self, row: Row) -> Action[M]:
        raise NotImplementedError

    def write(self, actions: list[Action[M]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        request_recompute_of_many(commitment_ids=sorted(self.touched))

    def locked[Q: QuerySet[Any]](self, queryset: Q) -> Q:
        return queryset.select_for_update(of=("self",)) if self.apply else queryset

    def refuse_unless_allowed(self, plan: ActionPlan, column: str) -> None:
        if not permissions.can_import_into_plan(self.user, plan):
            raise RowInvalid(
                {
                    column: _(
                        "No puede importar en este plan: solo en los planes locales de su entidad."
                    )
                }
            )

    @staticmethod
    def diff(obj: Model, target: Mapping[str, object]) -> Changes:
        return {
            name: [plain(getattr(obj, name)), plain(value)]
            for name, value in target.items()
            if getattr(obj, name) != value
        }


def _dates_in_order(values: Mapping[str, Any], pairs: Iterable[tuple[str, str]]) -> Errors:
    errors: Errors = {}
    for first, second in pairs:
        start, end = values.get(first), values.get(second)
        if start and end and end < start:
            errors[second] = _("La fecha %(end)s es anterior a %(start)s (%(first)s).") % {
                "end": end.isoformat(),
                "start": start.isoformat(),
                "first": first,
            }
    return errors


# --- Milestones ------------------------------------------------------------------------

MILESTONE_FIELDS = (
    "title",
    "start_date",
    "due_date",
    "weight",
    "actual_start_date",
    "actual_end_date",
    "narrative",
)


class MilestoneHandler(Handler[Milestone]):
    """Batched: per chunk, one query for the commitments not seen yet, one for their plans,
    one for the milestones at the file's positions; writes are bulk statements."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commitments: dict[str, tuple[int, int]] = {}  # code -> (pk, action_plan_id)
        self.plans: dict[int, ActionPlan] = {}

    def load(self, rows: list[Row]) -> None:
        codes = {row.values["commitment"] for row in rows} - set(self.commitments)
        for code, pk, plan_id in Commitment.objects.filter(code__in=codes).values_list(
            "code", "pk", "action_plan_id"
        ):
            self.commitments[code] = (pk, plan_id)
        plan_ids = {plan_id for _pk, plan_id in self.commitments.values()} - set(self.plans)
        self.plans.update(ActionPlan.objects.in_bulk(plan_ids))
        ids = {
            self.commitments[row.values["commitment"]][0]
            for row in rows
            if row.values["commitment"] in self.commitments
        }
        positions = {row.values["position"] for row in rows}
        existing = self.locked(
            Milestone.objects.filter(commitment_id__in=ids, position__in=positions)
        )
        self.existing = {(m.commitment_id, m.position): m for m in existing}

    def plan(self, row: Row) -> Action[Milestone]:
        values = row.values
        if values["commitment"] not in self.commitments:
            raise self.lookups.unknown_commitment(values["commitment"], "commitment")
        commitment_id, plan_id = self.commitments[values["commitment"]]
        plan = self.plans[plan_id]
        self.refuse_unless_allowed(plan, "commitment")
        target = {name: values[name] for name in MILESTONE_FIELDS if name in values}
        if "weight" in target and target["weight"] is None:
            target["weight"] = 1
        if "status" in values or "percent_complete" in values:
            target.update(self._progress(values))
        existing = self.existing.get((commitment_id, values["position"]))
        merged = {
            name: target.get(name, getattr(existing, name) if existing else None)
            for name in (*MILESTONE_FIELDS, "status", "percent_complete")
        }
        errors = _dates_in_order(
            merged, [("start_date", "due_date"), ("actual_start_date", "actual_end_date")]
        )
        if merged["status"] == MilestoneStatus.COMPLETE and merged["percent_complete"] != 100:
            errors["percent_complete"] = _("Un hito completado tiene un avance del 100 %.")
        try:
            check_dates_in_plan_period(
                plan=plan,
                **{
                    name: target[name]
                    for name in ("start_date", "due_date", "actual_start_date", "actual_end_date")
                    if target.get(name)
                },
            )
        except ValidationError as error:
            errors.update(_validation_errors(error))
        if errors:
            raise RowInvalid(errors)
        if existing is None:
            # The instance is made only when written: a dry run counts, it builds nothing.
            target.update(commitment_id=commitment_id, position=values["position"])
            # write() reads only the target of a created milestone, never its obj.
            return Action("create", None, extra={"target": target})  # type: ignore[arg-type]
        changes = self.diff(existing, target)
        if not changes:
            return Action("unchanged", existing)
        return Action("update", existing, changes, {"target": target})

    @staticmethod
    def _progress(values: Values) -> dict[str, object]:
        status = values.get("status") or ""
        percent = values.get("percent_complete")
        if not status and percent is None:
            return {"progress_reported": False, "status": "not_started", "percent_complete": 0}
        if not status:
            status = (
                MilestoneStatus.COMPLETE
                if percent == 100
                else MilestoneStatus.IN_PROGRESS
                if percent
                else MilestoneStatus.NOT_STARTED
            )
        if percent is None:
            percent = 100 if status == MilestoneStatus.COMPLETE else 0
        return {"progress_reported": True, "status": status, "percent_complete": percent}

    def write(self, actions: list[Action[Milestone]]) -> None:
        now = timezone.now()
        targets = [a.extra["target"] for a in actions if a.verb == "create"]
        if targets and connection.vendor == "postgresql":
            self._create_on_postgresql(targets, now=now)
            targets = []
        created = [Milestone(created_at=now, updated_at=now, **target) for target in targets]
        if created:
            Milestone.objects.bulk_create(created, batch_size=BATCH_SIZE)
            _history_rows(
                Milestone,
                created,
                history_type="+",
                user=self.user,
                reason=self.reason,
                changes=_created_changes(
                    ("position", *MILESTONE_FIELDS, "status", "percent_complete")
                ),
            )
        updated = [a for a in actions if a.verb == "update"]
        if updated:
            fields = {"version", "updated_at"}
            for action in updated:
                milestone = action.obj
                for name, value in action.extra["target"].items():
                    setattr(milestone, name, value)
                milestone.version += 1
                milestone.updated_at = now
                fields.update(action.extra["target"])
            Milestone.objects.bulk_update(
                [a.obj for a in updated], sorted(fields), batch_size=BATCH_SIZE
            )
            by_pk = {a.obj.pk: a.changes for a in updated}
            _history_rows(
                Milestone,
                [a.obj for a in updated],
                history_type="~",
                user=self.user,
                reason=self.reason,
                changes=lambda obj: by_pk[obj.pk],
            )
        self.touched.update(
            a.extra["target"]["commitment_id"] for a in actions if a.verb == "create"
        )
        self.touched.update(a.obj.commitment_id for a in updated)

    def _create_on_postgresql(
        self, targets: list[dict[str, Any]], *, now: datetime.datetime
    ) -> None:
        """The same rows as bulk_create and _history_rows, through COPY: at 100,000 rows the
        ORM's per-value work, then psycopg2's adaptation of each value (about 10 µs each,
        some 30 values a row), was most of the apply's time."""
        created_changes = _created_changes(
            ("position", *MILESTONE_FIELDS, "status", "percent_complete")
        )
        records = [
            {**MILESTONE_DEFAULTS, **target, "created_at": now, "updated_at": now}
            for target in targets
        ]
        ids = _new_ids(Milestone, len(records))
        user_id = self.user.pk if getattr(self.user, "pk", None) else None
        history: list[dict[str, Any]] = []
        for pk, record in zip(ids, records, strict=True):
            record["id"] = pk
            history.append(
                {
                    **record,
                    "history_date": now,
                    "history_change_reason": self.reason[:100],
                    "history_type": "+",
                    "history_user_id": user_id,
                    "changes": created_changes(SimpleNamespace(**record)),
                }
            )
        _copy_rows(Milestone, records)
        _copy_rows(Milestone.history.model, history)


MILESTONE_DEFAULTS = {
    field.attname: field.get_default()
    for field in Milestone._meta.concrete_fields
    if not field.primary_key
}


def _new_ids(model: type[Model], count: int) -> list[int]:
    """`count` ids from the table's own sequence, in one query (COPY returns none)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_value(value: object) -> str | None:
    """A value as PostgreSQL's CSV COPY reads it; None stays None (an unquoted empty field,
    which COPY reads as NULL, while every other field is quoted: "" is an empty string)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _copy_rows(model: type[Model], records: Sequence[Mapping[str, Any]]) -> None:
    """COPY records (dicts by attname, each with every column but an auto history_id)
    into the model's table: PostgreSQL only. Triggers fire as for an INSERT."""
    fields = [
        f for f in model._meta.concrete_fields if f.attname in records[0] or not f.primary_key
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
    for record in records:
        writer.writerow([_copy_value(record[f.attname]) for f in fields])
    buffer.seek(0)
    # Names from the model's own metadata; the file's values travel as COPY data.
    sql = "COPY {} ({}) FROM STDIN WITH (FORMAT csv)".format(
        connection.ops.quote_name(model._meta.db_table),
        # A concrete field always has a column.
        ",".join(connection.ops.quote_name(f.column) for f in fields),  # type: ignore[arg-type]
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, buffer)


# --- Commitments -----------------------------------------------------------------------

COMMITMENT_FIELDS = ("title_es", "title_en", "description", "start_date", "end_date")
COMMITMENT_LISTS = ("lead_institutions", "support_institutions", "policy_areas", "sdg_targets")


class CommitmentHandler(Handler[Commitment]):
    def load(self, rows: list[Row]) -> None:
        codes = {row.values["code"] for row in rows}
        existing = self.locked(
            Commitment.objects.filter(code__in=codes).select_related("action_plan")
        ).prefetch_related(*COMMITMENT_LISTS, "alignments__national_commitment")
        self.existing = {c.code: c for c in existing}
        states = {pk for row in rows if (pk := self._state_id(row)) is not None}
        self.plans = {
            (plan.state_id, plan.cycle_year): plan
            for plan in ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE, state_id__in=states)
        }
        aligned = {code for row in rows for code in row.values.get("aligned_with", [])}
        self.national = {
            c.code: c
            for c in Commitment.objects.filter(
                code__in=aligned, action_plan__scope=ActionPlan.Scope.NATIONAL
            )
        }

    def _state_id(self, row: Row) -> int | None:
        try:
            row.state = self.lookups.state(row.values["state"])
        except RowInvalid as error:
            row.state_error = error
            return None
        return row.state.pk

    def plan(self, row: Row) -> Action[Commitment]:
        values = row.values
        if getattr(row, "state_error", None):
            raise row.state_error
        plan = self.plans.get((row.state.pk, values["cycle_year"]))
        if plan is None:
            raise RowInvalid(
                {
                    "cycle_year": _(
                        "No hay plan de acción de %(state)s del ciclo %(cycle)s; impórtelo "
                        "primero (importación de planes de acción locales)."
                    )
                    % {"state": row.state.short_name, "cycle": values["cycle_year"]}
                }
            )
        self.refuse_unless_allowed(plan, "state")
        existing = self.existing.get(values["code"])
        if existing is not None and existing.action_plan_id != plan.pk:
            self.refuse_unless_allowed(existing.action_plan, "code")
        target = {name: values[name] for name in COMMITMENT_FIELDS if name in values}
        target["action_plan"] = plan
        lists: dict[str, Sequence[Model]] = {}
        for name in ("lead_institutions", "support_institutions"):
            if name in values:
                lists[name] = self.lookups.institutions(values[name], name)
        if "policy_areas" in values:
            lists["policy_areas"] = self.lookups.policy_areas(values["policy_areas"])
        if "sdg_targets" in values:
            lists["sdg_targets"] = self.lookups.sdg_targets(values["sdg_targets"])
        if "aligned_with" in values:
            missing = [c for c in values["aligned_with"] if c not in self.national]
            if missing:
                raise self.lookups.unknown_commitment(missing[0], "aligned_with")
            lists["aligned_with"] = [self.national[c] for c in values["aligned_with"]]
        merged = {
            name: target.get(name, getattr(existing, name) if existing else "")
            for name in COMMITMENT_FIELDS
        }
        errors = _dates_in_order(merged, [("start_date", "end_date")])
        if not merged["title_es"] and not merged["title_en"]:
            errors["title_es"] = _("El compromiso necesita un título en español o en inglés.")
        if errors:
            raise RowInvalid(errors)
        extra = {"target": target, "lists": lists}
        if existing is None:
            return Action("create", Commitment(code=values["code"]), extra=extra)
        changes = self.diff(existing, target)
        if not changes and not self._lists_differ(existing, lists):
            return Action("unchanged", existing)
        return Action("update", existing, changes, extra)

    @staticmethod
    def _current_lists(commitment: Commitment) -> dict[str, Sequence[Model]]:
        current: dict[str, Sequence[Model]] = {
            name: list(getattr(commitment, name).all()) for name in COMMITMENT_LISTS
        }
        current["aligned_with"] = [a.national_commitment for a in commitment.alignments.all()]
        return current

    def _lists_differ(self, commitment: Commitment, lists: Mapping[str, Sequence[Model]]) -> bool:
        current = self._current_lists(commitment)
        return any(
            {item.pk for item in items} != {item.pk for item in current[name]}
            for name, items in lists.items()
        )

    def write(self, actions: list[Action[Commitment]]) -> None:
        for action in actions:
            commitment = action.obj
            target = action.extra["target"]
            for name, value in target.items():
                setattr(commitment, name, value)
            if action.verb == "update":
                commitment.version += 1
                commitment._history_changes = {  # type: ignore[attr-defined]  # read by commitments.history
                    k: v for k, v in action.changes.items() if k != "action_plan"
                }
            # Both read by django-simple-history.
            commitment._history_user = self.user  # type: ignore[attr-defined]
            commitment._change_reason = self.reason[:100]  # type: ignore[attr-defined]
            commitment.save()
            lists = action.extra["lists"]
            for name in COMMITMENT_LISTS:
                if name in lists:
                    getattr(commitment, name).set(lists[name])
            if "aligned_with" in lists:
                wanted = {c.pk for c in lists["aligned_with"]}
                commitment.alignments.exclude(national_commitment_id__in=wanted).delete()
                have = set(commitment.alignments.values_list("national_commitment_id", flat=True))
                Alignment.objects.bulk_create(
                    [
                        Alignment(
                            local_commitment=commitment,
                            national_commitment_id=pk,
                            kind=Alignment.Kind.REPLICATES,
                        )
                        for pk in sorted(wanted - have)
                    ]
                )
            self.touched.add(commitment.pk)


# --- Local action plans ----------------------------------------------------------------

PLAN_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "status",
    "start_precision",
    "end_precision",
    "program",
    "declared_commitments",
)
SECRETARIAT_ENTRY = re.compile(r"^(?P<name>.*?)\s*\((?P<sector>[a-z_]+)\)$")


class ActionPlanHandler(Handler[ActionPlan]):
    def load(self, rows: list[Row]) -> None:
        for row in rows:
            try:
                row.state = self.lookups.state(row.values["state"])
            except RowInvalid as error:
                row.state_error = error
        states = {row.state.pk for row in rows if hasattr(row, "state")}
        existing = self.locked(
            ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE, state_id__in=states)
        ).prefetch_related("secretariat_members")
        self.existing = {(p.state_id, p.cycle_year): p for p in existing}

    def plan(self, row: Row) -> Action[ActionPlan]:
        values = row.values
        if getattr(row, "state_error", None):
            raise row.state_error
        existing = self.existing.get((row.state.pk, values["cycle_year"]))
        plan = existing or ActionPlan(
            scope=ActionPlan.Scope.STATE, state=row.state, cycle_year=values["cycle_year"]
        )
        self.refuse_unless_allowed(plan, "state")
        target = {name: values[name] for name in PLAN_FIELDS if name in values}
        for name in ("start_precision", "end_precision"):
            if name in target and not target[name]:
                target[name] = DatePrecision.DAY
        merged = {name: target.get(name, getattr(plan, name)) for name in PLAN_FIELDS}
        errors = _dates_in_order(merged, [("start_date", "end_date")])
        members = None
        if "secretariat" in values:
            try:
                members = self._members(values["secretariat"])
            except RowInvalid as error:
                errors.update(error.errors)
        if errors:
            raise RowInvalid(errors)
        extra = {"target": target, "members": members}
        if existing is None:
            return Action("create", plan, extra=extra)
        changes = self.diff(existing, target)
        members_change = members is not None and members != [
            (m.institution_id, m.sector) for m in existing.secretariat_members.all()
        ]
        if not changes and not members_change:
            return Action("unchanged", existing)
        return Action("update", existing, changes, extra)

    def _members(self, entries: Iterable[str]) -> list[tuple[int, str]]:
        members = []
        for entry in entries:
            match = SECRETARIAT_ENTRY.match(entry)
            if not match or match["sector"] not in SecretariatSector.values:
                raise RowInvalid(
                    {
                        "secretariat": _(
                            "«%(value)s»: escriba «Institución (sector)» con sector "
                            "government, oversight o civil_society."
                        )
                        % {"value": entry}
                    }
                )
            (institution,) = self.lookups.institutions([match["name"]], "secretariat")
            members.append((institution.pk, match["sector"]))
        return members

    def write(self, actions: list[Action[ActionPlan]]) -> None:
        for action in actions:
            plan = action.obj
            for name, value in action.extra["target"].items():
                setattr(plan, name, value)
            plan.save()
            members = action.extra["members"]
            if members is not None:
                plan.secretariat_members.all().delete()
                SecretariatMember.objects.bulk_create(
                    SecretariatMember(
                        action_plan=plan, institution_id=pk, sector=sector, position=position
                    )
                    for position, (pk, sector) in enumerate(members, start=1)
                )


# --- Progress reports ------------------------------------------------------------------


class ProgressReportHandler(Handler[ProgressReport]):
    def load(self, rows: list[Row]) -> None:
        codes = {row.values["commitment"] for row in rows}
        self.commitments = {
            c.code: c
            for c in Commitment.objects.filter(code__in=codes).select_related("action_plan")
        }
        dates = {row.values["date"] for row in rows}
        existing = self.locked(
            ProgressReport.objects.filter(
                commitment__in=self.commitments.values(), date__in=dates
            ).order_by("pk")
        )
        self.existing: dict[tuple[int, datetime.date], ProgressReport] = {}
        for report in existing:
            self.existing.setdefault((report.commitment_id, report.date), report)

    def plan(self, row: Row) -> Action[ProgressReport]:
        values = row.values
        commitment = self.commitments.get(values["commitment"])
        if commitment is None:
            raise self.lookups.unknown_commitment(values["commitment"], "commitment")
        self.refuse_unless_allowed(commitment.action_plan, "commitment")
        try:
            check_dates_in_plan_period(plan=commitment.action_plan, date=values["date"])
        except ValidationError as error:
            raise RowInvalid(_validation_errors(error)) from None
        existing = self.existing.get((commitment.pk, values["date"]))
        if existing is None:
            return Action(
                "create",
                ProgressReport(
                    commitment=commitment,
                    date=values["date"],
                    summary=values["summary"],
                    author=self.user,
                ),
            )
        if existing.summary == values["summary"]:
            return Action("unchanged", existing)
        existing.summary = values["summary"]
        return Action("update", existing)

    def write(self, actions: list[Action[ProgressReport]]) -> None:
        now = timezone.now()
        created = [a.obj for a in actions if a.verb == "create"]
        ProgressReport.objects.bulk_create(created, batch_size=BATCH_SIZE)
        updated = [a.obj for a in actions if a.verb == "update"]
        for report in updated:
            report.updated_at = now
        ProgressReport.objects.bulk_update(
            updated, ["summary", "updated_at"], batch_size=BATCH_SIZE
        )
        self.touched.update(a.obj.commitment_id for a in actions)


# --- Métrica de Gobierno Abierto -------------------------------------------------------

METRICA_FIELDS = (*MetricaScore.SUB_SCORES, "score", "rank", "note")


class MetricaScoreHandler(Handler[MetricaScore]):
    def load(self, rows: list[Row]) -> None:
        self.editions = {e.year: e for e in MetricaEdition.objects.all()}
        keys = {row.values["source"] for row in rows}
        self.sources = {s.key: s for s in Source.objects.filter(key__in=keys)}
        for row in rows:
            try:
                row.state = self.lookups.state(row.values["state"])
            except RowInvalid as error:
                row.state_error = error
        states = {row.state.pk for row in rows if hasattr(row, "state")}
        existing = self.locked(MetricaScore.objects.filter(state_id__in=states))
        self.existing = {(s.state_id, s.edition_id): s for s in existing}

    def plan(self, row: Row) -> Action[MetricaScore]:
        values = row.values
        if getattr(row, "state_error", None):
            raise row.state_error
        edition = self.editions.get(values["edition"])
        if edition is None:
            raise RowInvalid(
                {
                    "edition": _("No existe la edición %(year)s de la Métrica.")
                    % {"year": values["edition"]}
                    + _suggestion(values["edition"], [str(y) for y in self.editions])
                }
            )
        source = self.sources.get(values["source"])
        if source is None:
            raise RowInvalid(
                {"source": _("No existe la fuente «%(value)s».") % {"value": values["source"]}}
            )
        target = {name: values[name] for name in METRICA_FIELDS if name in values}
        target["source"] = source
        existing = self.existing.get((row.state.pk, edition.pk))
        merged = {
            name: target.get(name, getattr(existing, name) if existing else None)
            for name in METRICA_FIELDS
        }
        if all(merged[name] is None for name in METRICA_FIELDS if name != "note"):
            raise RowInvalid({"score": _("La fila no da ninguna cifra ni lugar.")})
        if existing is None:
            return Action(
                "create", MetricaScore(state=row.state, edition=edition), extra={"target": target}
            )
        changes = self.diff(existing, target)
        if not changes:
            return Action("unchanged", existing)
        return Action("update", existing, changes, {"target": target})

    def write(self, actions: list[Action[MetricaScore]]) -> None:
        for action in actions:
            for name, value in action.extra["target"].items():
                setattr(action.obj, name, "" if value is None and name == "note" else value)
            action.obj.save()


HANDLERS: dict[str, type[Handler[Any]]] = {
    "action_plans": ActionPlanHandler,
    "commitments": CommitmentHandler,
    "milestones": MilestoneHandler,
    "progress_reports": ProgressReportHandler,
    "metrica_scores": MetricaScoreHandler,
}
assert set(HANDLERS) == set(KINDS)
