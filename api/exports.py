"""Flat CSV columns for every public resource.

One definition serves `?format=csv` on the API lists, the open-data zip and
its Frictionless `datapackage.json`, so the three can never disagree.
Many-to-many values are joined with "; ".
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators.completion_levels import completion_level

from . import selectors

JOIN = "; "
CSV_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type
    description: str
    value: object  # callable(obj) -> value

    def render(self, obj):
        value = self.value(obj)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            # Frictionless' default datetime format: UTC, whole seconds, "Z".
            return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    columns: tuple
    queryset: object  # callable() -> queryset

    def rows(self, queryset=None, *, chunk_size=CSV_CHUNK_SIZE):
        """Yield rendered rows; prefetches run once per chunk, memory stays flat."""
        queryset = self.queryset() if queryset is None else queryset
        for obj in queryset.iterator(chunk_size=chunk_size):
            yield [column.render(obj) for column in self.columns]

    def header(self):
        return [column.name for column in self.columns]

    def describe_columns(self):
        """Markdown list of the columns, for the OpenAPI description."""
        return "\n".join(f"- `{c.name}` ({c.type}): {c.description}" for c in self.columns)


def joined(attribute, field):
    return lambda obj: JOIN.join(
        str(getattr(item, field)) for item in getattr(obj, attribute).all()
    )


def state_code(path):
    def value(obj):
        for part in path.split("."):
            obj = getattr(obj, part)
            if obj is None:
                return None
        return obj.inegi_code

    return value


class Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value):
        return value


def csv_lines(resource, queryset=None):
    """Yield the CSV text of a resource line by line (header first)."""
    writer = csv.writer(Echo())
    yield writer.writerow(resource.header())
    for row in resource.rows(queryset):
        yield writer.writerow(row)


def csv_text(resource, queryset=None):
    buffer = io.StringIO()
    for line in csv_lines(resource, queryset):
        buffer.write(line)
    return buffer.getvalue()


C = Column

ACTION_PLANS = Resource(
    name="action_plans",
    title=_("Planes de acción"),
    queryset=selectors.action_plans,
    columns=(
        C("id", "integer", _("Identificador del plan."), lambda o: o.pk),
        C("scope", "string", _("Ámbito: national o state."), lambda o: o.scope),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es nacional)."),
            state_code("state"),
        ),
        C("cycle_year", "integer", _("Año de inicio del ciclo."), lambda o: o.cycle_year),
        C("title", "string", _("Título del plan."), lambda o: o.title),
        C("start_date", "date", _("Fecha de inicio."), lambda o: o.start_date),
        C("end_date", "date", _("Fecha de fin."), lambda o: o.end_date),
        C("status", "string", _("Estado: draft, active o closed."), lambda o: o.status),
        C("commitment_count", "integer", _("Número de compromisos."), lambda o: o.commitment_count),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

COMMITMENTS = Resource(
    name="commitments",
    title=_("Compromisos"),
    queryset=selectors.commitments,
    columns=(
        C("code", "string", _("Clave única del compromiso."), lambda o: o.code),
        C(
            "action_plan_id",
            "integer",
            _("Identificador del plan de acción."),
            lambda o: o.action_plan_id,
        ),
        C(
            "scope",
            "string",
            _("Ámbito del plan: national o state."),
            lambda o: o.action_plan.scope,
        ),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad del plan."),
            state_code("action_plan.state"),
        ),
        C(
            "cycle_year",
            "integer",
            _("Año de inicio del ciclo del plan."),
            lambda o: o.action_plan.cycle_year,
        ),
        C("title_es", "string", _("Título en español."), lambda o: o.title_es),
        C("title_en", "string", _("Título en inglés."), lambda o: o.title_en),
        C("start_date", "date", _("Fecha de inicio."), lambda o: o.start_date),
        C("end_date", "date", _("Fecha de fin."), lambda o: o.end_date),
        C(
            "completion_percent",
            "number",
            _("Avance en porcentaje (0 a 100)."),
            lambda o: o.completion_percent,
        ),
        C(
            "completion_level",
            "string",
            _("Nivel de avance: not_started, limited, substantial o complete."),
            lambda o: completion_level(o.completion_percent).value,
        ),
        C(
            "lead_institutions",
            "string",
            _("Nombres de las instituciones responsables, separados por «; »."),
            joined("lead_institutions", "name"),
        ),
        C(
            "support_institutions",
            "string",
            _("Instituciones de apoyo, separadas por «; »."),
            joined("support_institutions", "name"),
        ),
        C(
            "policy_areas",
            "string",
            _("Slugs de las áreas de política, separados por «; »."),
            joined("policy_areas", "slug"),
        ),
        C(
            "sdg_targets",
            "string",
            _("Metas ODS, separadas por «; »."),
            joined("sdg_targets", "code"),
        ),
        C(
            "aligned_with",
            "string",
            _("Claves de los compromisos nacionales con los que se alinea, separadas por «; »."),
            lambda o: JOIN.join(a.national_commitment.code for a in o.alignments.all()),
        ),
        C("milestone_count", "integer", _("Número de hitos."), lambda o: o.milestone_count),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

MILESTONES = Resource(
    name="milestones",
    title=_("Hitos"),
    queryset=selectors.milestones,
    columns=(
        C("id", "integer", _("Identificador del hito."), lambda o: o.pk),
        C("commitment", "string", _("Clave del compromiso."), lambda o: o.commitment.code),
        C("position", "integer", _("Orden dentro del compromiso."), lambda o: o.position),
        C("title", "string", _("Título del hito."), lambda o: o.title),
        C("start_date", "date", _("Inicio previsto."), lambda o: o.start_date),
        C("due_date", "date", _("Fecha compromiso."), lambda o: o.due_date),
        C("weight", "integer", _("Peso en el avance del compromiso."), lambda o: o.weight),
        C(
            "status",
            "string",
            _("Estado: not_started, in_progress, complete o withdrawn."),
            lambda o: o.status,
        ),
        C(
            "percent_complete",
            "integer",
            _("Avance en porcentaje (0 a 100)."),
            lambda o: o.percent_complete,
        ),
        C(
            "completion_level",
            "string",
            _("Nivel de avance derivado del porcentaje."),
            lambda o: completion_level(o.percent_complete).value,
        ),
        C("actual_start_date", "date", _("Inicio real."), lambda o: o.actual_start_date),
        C("actual_end_date", "date", _("Conclusión real."), lambda o: o.actual_end_date),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

PROGRESS_EVENTS = Resource(
    name="progress_history",
    title=_("Historial de avance"),
    queryset=selectors.progress_events,
    columns=(
        C("occurred_at", "datetime", _("Momento del cambio."), lambda o: o.updated_at),
        C("commitment", "string", _("Clave del compromiso."), lambda o: o.commitment.code),
        C("milestone_id", "integer", _("Identificador del hito."), lambda o: o.pk),
        C("milestone_title", "string", _("Título del hito."), lambda o: o.title),
        C("status", "string", _("Estado del hito tras el cambio."), lambda o: o.status),
        C(
            "percent_complete",
            "integer",
            _("Avance del hito tras el cambio."),
            lambda o: o.percent_complete,
        ),
        C("version", "integer", _("Versión del hito tras el cambio."), lambda o: o.version),
    ),
)

STATES = Resource(
    name="states",
    title=_("Entidades federativas"),
    queryset=selectors.states,
    columns=(
        C("inegi_code", "string", _("Clave INEGI de dos dígitos."), lambda o: o.inegi_code),
        C("official_name", "string", _("Nombre oficial."), lambda o: o.official_name),
        C("short_name", "string", _("Nombre corto."), lambda o: o.short_name),
        C("abbreviation", "string", _("Abreviatura."), lambda o: o.abbreviation),
        C("slug", "string", _("Slug."), lambda o: o.slug),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

INSTITUTIONS = Resource(
    name="institutions",
    title=_("Instituciones"),
    queryset=selectors.institutions,
    columns=(
        C("id", "integer", _("Identificador de la institución."), lambda o: o.pk),
        C("name", "string", _("Nombre."), lambda o: o.name),
        C("acronym", "string", _("Siglas."), lambda o: o.acronym),
        C("kind", "string", _("Tipo de institución."), lambda o: o.kind),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es federal)."),
            state_code("state"),
        ),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

POLICY_AREAS = Resource(
    name="policy_areas",
    title=_("Áreas de política"),
    queryset=selectors.policy_areas,
    columns=(
        C("slug", "string", _("Slug del área."), lambda o: o.slug),
        C("name_es", "string", _("Nombre en español."), lambda o: o.name_es),
        C("name_en", "string", _("Nombre en inglés."), lambda o: o.name_en),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

SDG_TARGETS = Resource(
    name="sdg_targets",
    title=_("Metas ODS"),
    queryset=selectors.sdg_targets,
    columns=(
        C("code", "string", _("Clave de la meta, p. ej. 16.10."), lambda o: o.code),
        C("goal", "integer", _("Objetivo (1 a 17)."), lambda o: o.goal),
        C("description_es", "string", _("Descripción en español."), lambda o: o.description_es),
        C("description_en", "string", _("Descripción en inglés."), lambda o: o.description_en),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

MEETINGS = Resource(
    name="meetings",
    title=_("Sesiones de coordinación"),
    queryset=selectors.meetings,
    columns=(
        C("id", "integer", _("Identificador de la sesión."), lambda o: o.pk),
        C("space", "string", _("Slug del espacio de coordinación."), lambda o: o.space.slug),
        C("date", "datetime", _("Fecha y hora."), lambda o: o.date),
        C("title", "string", _("Título."), lambda o: o.title),
        C("place", "string", _("Lugar."), lambda o: o.place),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

ALIGNMENTS = Resource(
    name="alignments",
    title=_("Alineaciones local-nacional"),
    queryset=selectors.alignments,
    columns=(
        C("id", "integer", _("Identificador de la alineación."), lambda o: o.pk),
        C(
            "local_commitment",
            "string",
            _("Clave del compromiso local."),
            lambda o: o.local_commitment.code,
        ),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad del compromiso local."),
            state_code("local_commitment.action_plan.state"),
        ),
        C(
            "national_commitment",
            "string",
            _("Clave del compromiso nacional."),
            lambda o: o.national_commitment.code,
        ),
        C("kind", "string", _("Tipo: replicates o complements."), lambda o: o.kind),
        C("updated_at", "datetime", _("Última actualización."), lambda o: o.updated_at),
    ),
)

# The open-data package: one CSV per resource.
OPEN_DATA_RESOURCES = (
    ACTION_PLANS,
    COMMITMENTS,
    MILESTONES,
    STATES,
    INSTITUTIONS,
    POLICY_AREAS,
    SDG_TARGETS,
    MEETINGS,
    ALIGNMENTS,
)
