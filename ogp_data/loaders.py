"""Load Mexico's Open Government Partnership data shipped with the project.

`load_mexico_ogp()` upserts the states, policy areas, SDG targets, institutions, national
action plans, commitments, milestones and coordination spaces described in
`commitments/data/mexico_ogp.json`, and the facts from outside the portal, each with its
source: the sources themselves, Spanish titles (official, or the portal's translation) and
other official wordings, the IRM's assessments of commitments and its plan-level figures,
the states' participation in local exercises, and the Métrica de Gobierno Abierto's editions
and state scores. Every row is found by its natural key (INEGI code, slug,
SDG code, name, country and cycle, commitment code, commitment and position), so running it
again changes nothing: rows whose values already equal the file's are not written (their
`updated_at` stays put), and many-to-many links are made exactly equal to the file's.

The file is the source of truth for everything it names, with one exception: a milestone's
status is only set when the milestone is created, because progress is recorded in the portal.
Rows that the file does not mention are left alone.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction

from commitments.loaders import read_bundled_data
from commitments.models import (
    ActionPlan,
    Commitment,
    Institution,
    IrmAssessment,
    IrmReport,
    IrmReportFigure,
    Milestone,
    PolicyArea,
    SdgTarget,
    Source,
    TitleAlias,
)
from coordination.models import CoordinationSpace
from ogp_portal.outbox import data_changed
from states.models import (
    MetricaEdition,
    MetricaScore,
    SecretariatMember,
    State,
    StateParticipation,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    """How many rows of each model the load created, updated or left unchanged."""

    counts: dict[type[models.Model], ModelCounts] = field(default_factory=dict)

    def __getitem__(self, model):
        return self.counts.setdefault(model, ModelCounts())

    def count(self, model, outcome):
        counts = self[model]
        setattr(counts, outcome, getattr(counts, outcome) + 1)


STATE_FIELDS = ("official_name", "short_name", "abbreviation", "slug")
POLICY_AREA_FIELDS = ("name_en", "name_es")
SDG_TARGET_FIELDS = ("goal", "description_es", "description_en")
INSTITUTION_FIELDS = ("acronym", "kind")
ACTION_PLAN_FIELDS = ("title", "status")
ACTION_PLAN_OPTIONAL = {
    "start_precision": "day",
    "end_precision": "day",
    "program": "",
    "declared_commitments": None,
    "note": "",
}
SOURCE_FIELDS = ("publication", "publisher", "url", "published", "is_mirror", "note")
COMMITMENT_TEXT_FIELDS = ("title_es", "title_en", *Commitment.CONTENT_FIELDS)
LINKS = {
    # many-to-many field of Commitment: (related model, natural key)
    "lead_institutions": (Institution, "name"),
    "support_institutions": (Institution, "name"),
    "policy_areas": (PolicyArea, "slug"),
    "sdg_targets": (SdgTarget, "code"),
}


@transaction.atomic
def load_mexico_ogp(*, data=None) -> LoadReport:
    """Upsert the Mexico OGP data (the bundled file unless `data` is given) in one transaction."""
    data = read_bundled_data() if data is None else data
    report = LoadReport()
    data_changed()
    for model in (
        Source,
        State,
        PolicyArea,
        SdgTarget,
        Institution,
        ActionPlan,
        SecretariatMember,
        Commitment,
        Milestone,
        TitleAlias,
        CoordinationSpace,
        IrmReport,
        IrmReportFigure,
        IrmAssessment,
        StateParticipation,
        MetricaEdition,
        MetricaScore,
    ):
        report[model]  # every model appears in the report, in load order, even with no rows

    sources = {}
    for row in data.get("sources", []):
        sources[row["key"]], _ = _upsert(
            Source,
            report,
            lookup={"key": row["key"]},
            values={
                name: row.get(name, False if name == "is_mirror" else "") for name in SOURCE_FIELDS
            },
        )

    for row in data.get("states", []):
        _upsert(
            State,
            report,
            lookup={"inegi_code": row["inegi_code"]},
            values=_pick(row, STATE_FIELDS),
        )
    for row in data.get("policy_areas", []):
        _upsert(
            PolicyArea,
            report,
            lookup={"slug": row["slug"]},
            values=_pick(row, POLICY_AREA_FIELDS),
        )
    for row in data.get("sdg_targets", []):
        _upsert(
            SdgTarget,
            report,
            lookup={"code": row["code"]},
            values=_pick(row, SDG_TARGET_FIELDS),
        )
    for row in data.get("institutions", []):
        _upsert(
            Institution,
            report,
            lookup={"name": row["name"]},
            values={**_pick(row, INSTITUTION_FIELDS), "state": _state(row.get("state"))},
        )

    plans = {}  # (state INEGI code or None for national, cycle year) -> ActionPlan
    for row in data.get("action_plans", []):
        plan, _ = _upsert(
            ActionPlan,
            report,
            lookup={
                "country": row.get("country", "MX"),
                "scope": row["scope"],
                "state": _state(row.get("state")),
                "cycle_year": row["cycle_year"],
            },
            values={
                **_pick(row, ACTION_PLAN_FIELDS),
                **{name: row.get(name, default) for name, default in ACTION_PLAN_OPTIONAL.items()},
                "start_date": _date(row["start_date"]),
                "end_date": _date(row["end_date"]),
                "source": _source(sources, row.get("source")),
            },
        )
        for position, member in enumerate(row.get("secretariat", []), start=1):
            _upsert(
                SecretariatMember,
                report,
                lookup={"action_plan": plan, "institution": _institution(member["name"])},
                values={"sector": member["sector"], "position": position},
            )
        plans[(row.get("state"), row["cycle_year"])] = plan

    for row in data.get("commitments", []):
        plan = plans[(row.get("state"), row["cycle_year"])]
        commitment, outcome = _load_commitment(row, plan=plan, sources=sources)
        report.count(Commitment, outcome)
        for alias in row.get("title_aliases", []):
            _upsert(
                TitleAlias,
                report,
                lookup={"commitment": commitment, "title": alias["title"]},
                values={"source": _source(sources, alias["source"])},
            )
        for milestone in row.get("milestones", []):
            _upsert(
                Milestone,
                report,
                lookup={"commitment": commitment, "position": milestone["position"]},
                values={
                    "title": milestone["title"],
                    "start_date": _date(milestone.get("start_date")),
                    "due_date": _date(milestone.get("due_date")),
                    "weight": milestone.get("weight", 1),
                },
                # Progress is recorded in the portal: the file only gives the first status,
                # and a milestone it lists without one has no progress reported yet.
                initial={
                    "status": milestone.get("status", Milestone.Status.NOT_STARTED),
                    "progress_reported": "status" in milestone,
                },
                bump_version=True,
            )

    for row in data.get("coordination_spaces", []):
        _upsert(
            CoordinationSpace,
            report,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "description": row.get("description", ""),
                "commitment": _commitment(row.get("commitment")),
            },
        )
    for row in data.get("irm_reports", []):
        irm_report, _ = _upsert(
            IrmReport,
            report,
            lookup={"action_plan": plans[(None, row["cycle_year"])], "kind": row["kind"]},
            values={
                "title": row["title"],
                "source": _source(sources, row["source"]),
                "notes": row.get("notes", ""),
            },
        )
        for figure in row.get("figures", []):
            _upsert(
                IrmReportFigure,
                report,
                lookup={"report": irm_report, "metric": figure["metric"]},
                values={"value": figure["value"], "of_total": figure.get("of_total")},
            )
    for row in data.get("irm_assessments", []):
        _upsert(
            IrmAssessment,
            report,
            lookup={
                "commitment": _commitment(row["code"]),
                "report_kind": row.get("report_kind", ""),
                "source": _source(sources, row["source"]),
            },
            values={
                name: row.get(name, _blank(IrmAssessment, name))
                for name in IrmAssessment.RATING_FIELDS
            },
        )
    for row in data.get("state_participation", []):
        _upsert(
            StateParticipation,
            report,
            lookup={
                "state": _state(row["state"]),
                "program": row["program"],
                "source": _source(sources, row["source"]),
            },
            values={
                "status": row["status"],
                "start_year": row.get("start_year"),
                "end_year": row.get("end_year"),
                "note": row.get("note", ""),
            },
        )
    editions = {}
    for row in data.get("metrica_editions", []):
        editions[row["year"]], _ = _upsert(
            MetricaEdition,
            report,
            lookup={"year": row["year"]},
            values={
                # Decimal, so that 0.39 read again equals the stored 0.390.
                "national_average": Decimal(row["national_average"]),
                **{name: _decimal(row.get(name)) for name in MetricaScore.SUB_SCORES},
                "bodies_assessed": row.get("bodies_assessed"),
                "note": row.get("note", ""),
                "source": _source(sources, row["source"]),
            },
        )
    for row in data.get("metrica_scores", []):
        _upsert(
            MetricaScore,
            report,
            lookup={"state": _state(row["state"]), "edition": editions[row["year"]]},
            values={
                "score": _decimal(row.get("score")),
                **{name: _decimal(row.get(name)) for name in MetricaScore.SUB_SCORES},
                "rank": row.get("rank"),
                "note": row.get("note", ""),
                "source": _source(sources, row["source"]),
            },
        )
    return report


def _load_commitment(row, *, plan, sources):
    """Upsert one commitment and its links; return it and whether anything changed."""
    values = {name: row.get(name, "") for name in COMMITMENT_TEXT_FIELDS}
    values.update(
        title_es_origin=row.get("title_es_origin", Commitment.TitleOrigin.OFFICIAL),
        title_es_source=_source(sources, row.get("title_es_source")),
        code_assigned_by_portal=row.get("code_assigned_by_portal", False),
        action_plan=plan,
        start_date=_date(row.get("start_date")),
        end_date=_date(row.get("end_date")),
    )
    commitment, outcome = _upsert(
        Commitment, None, lookup={"code": row["code"]}, values=values, bump_version=True
    )
    links_changed = False
    for name, (model, key) in LINKS.items():
        wanted = _pks(model, key, row.get(name, []))
        manager = getattr(commitment, name)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            links_changed = True
    if links_changed and outcome == UNCHANGED:
        commitment.version += 1
        commitment.save(update_fields=["version", "updated_at"])
        outcome = UPDATED
    return commitment, outcome


def _upsert(model, report, *, lookup, values, initial=None, bump_version=False):
    """Create the row found by `lookup`, or update the fields that differ from `values`.

    `initial` holds values used only when the row is created. Returns the row and whether it
    was created, updated or left unchanged; counts that in `report` unless it is None.
    """
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is None:
        row = model(**{**(initial or {}), **values, **lookup})
        outcome = CREATED
    else:
        changed = [name for name, value in values.items() if _differs(row, name, value)]
        if not changed:
            if report is not None:
                report.count(model, UNCHANGED)
            return row, UNCHANGED
        for name in changed:
            setattr(row, name, values[name])
        if bump_version:
            row.version += 1
        outcome = UPDATED
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    if report is not None:
        report.count(model, outcome)
    return row, outcome


def _differs(row, name, value):
    field = row._meta.get_field(name)
    if field.is_relation:
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def _pks(model, key, natural_keys):
    """Primary keys of the rows with these natural keys; a missing one is an error in the data."""
    found = dict(model.objects.filter(**{f"{key}__in": natural_keys}).values_list(key, "pk"))
    missing = [natural_key for natural_key in natural_keys if natural_key not in found]
    if missing:
        raise model.DoesNotExist(f"{model.__name__} not in the data: {', '.join(missing)}")
    return set(found.values())


def _pick(row, names):
    return {name: row[name] for name in names}


def _state(inegi_code):
    return State.objects.get(inegi_code=inegi_code) if inegi_code else None


def _source(sources, key):
    """The source named by `key` in the file's "sources"; a key not there is a data error."""
    if not key:
        return None
    if key not in sources:
        raise Source.DoesNotExist(f"Source not in the data: {key}")
    return sources[key]


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _blank(model, name):
    """The value of a field the file leaves out: NULL where allowed, else its default."""
    field = model._meta.get_field(name)
    return None if field.null else field.get_default()


def _institution(name):
    return Institution.objects.get(name=name)


def _commitment(code):
    return Commitment.objects.get(code=code) if code else None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None
