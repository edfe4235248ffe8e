"""Flat CSV columns for every public resource.

One definition serves `?format=csv` on the API lists, the open-data zip and
its Frictionless `datapackage.json`, so the three can never disagree.
Many-to-many values are joined with "; ".

Keys live beside the columns: a resource's `primary_key`, and on a column
`required`, `unique` and `references` (the column holds the key of a row of
another resource). api.opendata turns them into the Table Schema's
constraints, primaryKey and foreignKeys. Declare only what the database
guarantees; tests/api/test_opendata.py validates a built package with
Frictionless. CSV consumers rely on the column order: append new columns at
the end of a resource, never rename or reorder.
"""

import csv
import datetime
import io
import json
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from operator import attrgetter

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from commitments.models import ProgressReport
from indicators.models import CommitmentIndicator
from ogp_portal.user_text import csv_cell
from reviews import public as public_comments
from states import selectors as state_selectors
from states.models import MetricaScore, SecretariatMember

from . import history_feed, selectors

JOIN = "; "
CSV_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Reference:
    """The key (primary key column) of a resource whose rows a column refers to."""

    resource: str  # a Resource's name
    field: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type
    description: str
    value: object  # callable(obj) -> value
    _: KW_ONLY
    required: bool = False  # never empty in any row
    unique: bool = False  # no two rows share a value
    references: Reference | None = None

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
        if self.type == "string":
            return csv_cell(str(value))  # people's text: never a spreadsheet formula
        return str(value)


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    columns: tuple
    queryset: object  # callable() -> queryset
    primary_key: tuple = ()  # column names; their values identify a row
    # Prefetches only the flat file needs (the JSON list does not show them).
    prefetch: tuple = ()

    def rows(self, queryset=None, *, chunk_size=CSV_CHUNK_SIZE):
        """Yield rendered rows; prefetches run once per chunk, memory stays flat."""
        queryset = self.queryset() if queryset is None else queryset
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
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


@dataclass(frozen=True)
class FeedResource(Resource):
    """The history feed: two querysets merged newest first (see api.history_feed)."""

    def rows(self, queryset=None, *, chunk_size=CSV_CHUNK_SIZE):
        querysets = self.queryset() if queryset is None else queryset
        for event in history_feed.stream(querysets, chunk_size=chunk_size):
            yield [column.render(event) for column in self.columns]


def source_column(*, required=False):
    """The key of the row's source in the `sources` table (every fact from outside has one)."""
    return Column(
        "source",
        "string",
        _("Clave de la fuente (tabla sources)."),
        lambda o: o.source.key if o.source_id else None,
        required=required,
        references=SOURCE,
    )


def stored_level(commitment):
    try:
        return commitment.indicator.completion_level
    except CommitmentIndicator.DoesNotExist:
        return None


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

# The keys that columns of other resources refer to.
ACTION_PLAN = Reference("action_plans", "id")
COMMITMENT = Reference("commitments", "code")
MILESTONE = Reference("milestones", "id")
STATE = Reference("states", "inegi_code")
INSTITUTION = Reference("institutions", "id")
MEETING = Reference("meetings", "id")
METRICA_EDITION = Reference("metrica_editions", "year")
COMMENT = Reference("comments", "id")
SOURCE = Reference("sources", "key")
IRM_REPORT = Reference("irm_reports", "id")

ACTION_PLANS = Resource(
    name="action_plans",
    title=_("Planes de acción"),
    queryset=selectors.action_plans,
    primary_key=("id",),
    prefetch=(
        Prefetch(
            "secretariat_members",
            queryset=SecretariatMember.objects.select_related("institution").order_by(
                "position", "pk"
            ),
        ),
    ),
    columns=(
        C("id", "integer", _("Identificador del plan."), lambda o: o.pk),
        C("scope", "string", _("Ámbito: national o state."), lambda o: o.scope, required=True),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es nacional)."),
            state_code("state"),
            references=STATE,
        ),
        C(
            "cycle_year",
            "integer",
            _("Año de inicio del ciclo."),
            lambda o: o.cycle_year,
            required=True,
        ),
        C("title", "string", _("Título del plan."), lambda o: o.title),
        C(
            "start_date",
            "date",
            _("Fecha de inicio; vacía si la fuente no la da (ver start_precision)."),
            lambda o: o.start_date,
        ),
        C(
            "end_date",
            "date",
            _("Fecha de fin; vacía si la fuente no la da (ver end_precision)."),
            lambda o: o.end_date,
        ),
        C(
            "status",
            "string",
            _("Estado: draft, active, closed o unknown (la fuente no dice cuándo termina)."),
            lambda o: o.status,
            required=True,
        ),
        C(
            "commitment_count",
            "integer",
            _("Número de compromisos."),
            lambda o: o.commitment_count,
            required=True,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "start_precision",
            "string",
            _("Precisión de start_date según la fuente: day, month o year."),
            lambda o: o.start_precision,
            required=True,
        ),
        C(
            "end_precision",
            "string",
            _("Precisión de end_date según la fuente: day, month o year."),
            lambda o: o.end_precision,
            required=True,
        ),
        C(
            "program",
            "string",
            _("Ejercicio local: cocreacion_local (INAI) u ogp_local; vacío si es nacional."),
            lambda o: o.program,
        ),
        C(
            "declared_commitments",
            "integer",
            _("Compromisos que la fuente dice que tiene el plan; vacío si no lo dice."),
            lambda o: o.declared_commitments,
        ),
        source_column(),
        C(
            "secretariat",
            "string",
            _(
                "Secretariado técnico local: instituciones con su sector entre paréntesis "
                "(government, oversight o civil_society), separadas por «; »."
            ),
            lambda o: JOIN.join(
                f"{member.institution.name} ({member.sector})"
                for member in o.secretariat_members.all()
            ),
        ),
    ),
)

COMMITMENTS = Resource(
    name="commitments",
    title=_("Compromisos"),
    queryset=selectors.commitments,
    primary_key=("code",),
    columns=(
        C("code", "string", _("Clave única del compromiso."), lambda o: o.code),
        C(
            "action_plan_id",
            "integer",
            _("Identificador del plan de acción."),
            lambda o: o.action_plan_id,
            required=True,
            references=ACTION_PLAN,
        ),
        C(
            "scope",
            "string",
            _("Ámbito del plan: national o state."),
            lambda o: o.action_plan.scope,
            required=True,
        ),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad del plan."),
            state_code("action_plan.state"),
            references=STATE,
        ),
        C(
            "cycle_year",
            "integer",
            _("Año de inicio del ciclo del plan."),
            lambda o: o.action_plan.cycle_year,
            required=True,
        ),
        C("title_es", "string", _("Título en español."), lambda o: o.title_es),
        C("title_en", "string", _("Título en inglés."), lambda o: o.title_en),
        C("start_date", "date", _("Fecha de inicio."), lambda o: o.start_date),
        C("end_date", "date", _("Fecha de fin."), lambda o: o.end_date),
        C(
            "completion_percent",
            "number",
            _("Avance en porcentaje (0 a 100); vacío sin información registrada (no es 0)."),
            lambda o: o.completion_percent,
        ),
        C(
            "completion_level",
            "string",
            _(
                "Nivel de cumplimiento guardado por el cálculo de indicadores: no_information "
                "(nadie registró hitos ni avance; no es «sin iniciar»), not_started, limited, "
                "substantial, complete o withdrawn; vacío si aún no se calcula."
            ),
            stored_level,
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
        C(
            "milestone_count",
            "integer",
            _("Número de hitos."),
            lambda o: o.milestone_count,
            required=True,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "title_es_origin",
            "string",
            _("Origen del título en español: official o translation (traducción del portal)."),
            lambda o: o.title_es_origin,
            required=True,
        ),
        C(
            "title_es_source",
            "string",
            _("Clave de la fuente del título oficial en español (tabla sources)."),
            lambda o: o.title_es_source.key if o.title_es_source_id else None,
            references=SOURCE,
        ),
        C(
            "code_assigned_by_portal",
            "boolean",
            _("La fuente no da una clave; la asignó el portal."),
            lambda o: o.code_assigned_by_portal,
            required=True,
        ),
        C("description", "string", _("Descripción del compromiso."), lambda o: o.description),
    ),
)

MILESTONES = Resource(
    name="milestones",
    title=_("Hitos"),
    queryset=selectors.milestones,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del hito."), lambda o: o.pk),
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C(
            "position",
            "integer",
            _("Orden dentro del compromiso."),
            lambda o: o.position,
            required=True,
        ),
        C("title", "string", _("Título del hito."), lambda o: o.title),
        C("start_date", "date", _("Inicio previsto."), lambda o: o.start_date),
        C("due_date", "date", _("Fecha compromiso."), lambda o: o.due_date),
        C(
            "weight",
            "integer",
            _("Peso en el avance del compromiso."),
            lambda o: o.weight,
            required=True,
        ),
        C(
            "status",
            "string",
            _(
                "Estado: not_started, in_progress, complete o withdrawn; vacío si nadie ha "
                "reportado su avance (progress_reported falso)."
            ),
            lambda o: o.status if o.progress_reported else None,
        ),
        C(
            "percent_complete",
            "integer",
            _("Avance en porcentaje (0 a 100); vacío si nadie ha reportado su avance."),
            lambda o: o.percent_complete if o.progress_reported else None,
        ),
        C("actual_start_date", "date", _("Inicio real."), lambda o: o.actual_start_date),
        C("actual_end_date", "date", _("Conclusión real."), lambda o: o.actual_end_date),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "progress_reported",
            "boolean",
            _("Alguien reportó su avance; si no, su estado y avance son desconocidos."),
            lambda o: o.progress_reported,
            required=True,
        ),
        C("narrative", "string", _("Descripción del avance."), lambda o: o.narrative),
    ),
)

# Not in the open-data package yet: the import's columns for progress reports, and its
# template; the exported file imports back.
PROGRESS_REPORTS = Resource(
    name="progress_reports",
    title=_("Informes de avance"),
    queryset=lambda: ProgressReport.objects.select_related("commitment").order_by(
        "commitment__code", "date", "pk"
    ),
    primary_key=("commitment", "date"),
    columns=(
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C("date", "date", _("Fecha del informe."), lambda o: o.date, required=True),
        C("summary", "string", _("Resumen del avance."), lambda o: o.summary, required=True),
    ),
)

# No foreign keys: a history row keeps the code a commitment had then, and a milestone's
# id outlives it in its "deleted" row.
PROGRESS_EVENTS = FeedResource(
    name="progress_history",
    title=_("Historial de avance"),
    queryset=selectors.progress_events,
    primary_key=("id",),
    columns=(
        C("id", "string", _("Identificador del evento."), lambda o: o.id),
        C(
            "occurred_at",
            "datetime",
            _("Momento del cambio."),
            lambda o: o.history_date,
            required=True,
        ),
        C(
            "kind",
            "string",
            _("Qué cambió: commitment o milestone."),
            lambda o: o.kind,
            required=True,
        ),
        C(
            "change",
            "string",
            _("Tipo de cambio: created, changed o deleted."),
            lambda o: o.change,
            required=True,
        ),
        C("commitment", "string", _("Clave del compromiso."), lambda o: o.commitment),
        C("milestone_id", "integer", _("Identificador del hito."), lambda o: o.milestone),
        C("milestone_title", "string", _("Título del hito."), lambda o: o.milestone_title),
        C("status", "string", _("Estado del hito tras el cambio."), lambda o: o.status),
        C(
            "percent_complete",
            "integer",
            _("Avance del hito tras el cambio."),
            lambda o: o.percent_complete,
        ),
        C(
            "version",
            "integer",
            _("Versión del registro tras el cambio."),
            lambda o: o.version,
            required=True,
        ),
        C(
            "changes",
            "object",
            _("Campos que cambiaron, en JSON: {campo: [antes, después]}."),
            lambda o: json.dumps(o.changes, ensure_ascii=False, sort_keys=True),
        ),
        C("editor_role", "string", _("Rol de quien hizo el cambio."), lambda o: o.editor_role),
        C(
            "editor_institution",
            "string",
            _("Institución de quien hizo el cambio."),
            lambda o: o.editor_institution,
        ),
    ),
)

STATES = Resource(
    name="states",
    title=_("Entidades federativas"),
    queryset=selectors.states,
    primary_key=("inegi_code",),
    columns=(
        C("inegi_code", "string", _("Clave INEGI de dos dígitos."), lambda o: o.inegi_code),
        C(
            "official_name",
            "string",
            _("Nombre oficial."),
            lambda o: o.official_name,
            required=True,
            unique=True,
        ),
        C(
            "short_name",
            "string",
            _("Nombre corto."),
            lambda o: o.short_name,
            required=True,
            unique=True,
        ),
        C(
            "abbreviation",
            "string",
            _("Abreviatura."),
            lambda o: o.abbreviation,
            required=True,
            unique=True,
        ),
        C("slug", "string", _("Slug."), lambda o: o.slug, required=True, unique=True),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        C(
            "standing",
            "string",
            _(
                "Participación en ejercicios locales según sus fuentes: participates, withdrew, "
                "conflicting, did_not_participate (solo con fuente) o no_information."
            ),
            lambda o: state_selectors.standing(o).value,
            required=True,
        ),
    ),
)

INSTITUTIONS = Resource(
    name="institutions",
    title=_("Instituciones"),
    queryset=selectors.institutions,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la institución."), lambda o: o.pk),
        C("name", "string", _("Nombre."), lambda o: o.name, required=True, unique=True),
        C("acronym", "string", _("Siglas."), lambda o: o.acronym),
        C("kind", "string", _("Tipo de institución."), lambda o: o.kind, required=True),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad (vacía si es federal)."),
            state_code("state"),
            references=STATE,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

POLICY_AREAS = Resource(
    name="policy_areas",
    title=_("Áreas de política"),
    queryset=selectors.policy_areas,
    primary_key=("slug",),
    columns=(
        C("slug", "string", _("Slug del área."), lambda o: o.slug),
        C("name_es", "string", _("Nombre en español."), lambda o: o.name_es),
        C(
            "name_en",
            "string",
            _("Nombre en inglés."),
            lambda o: o.name_en,
            required=True,
            unique=True,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

SDG_TARGETS = Resource(
    name="sdg_targets",
    title=_("Metas ODS"),
    queryset=selectors.sdg_targets,
    primary_key=("code",),
    columns=(
        C("code", "string", _("Clave de la meta, p. ej. 16.10."), lambda o: o.code),
        C("goal", "integer", _("Objetivo (1 a 17)."), lambda o: o.goal, required=True),
        C("description_es", "string", _("Descripción en español."), lambda o: o.description_es),
        C("description_en", "string", _("Descripción en inglés."), lambda o: o.description_en),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

# `space` is a coordination space's slug; the package has no table of spaces yet.
MEETINGS = Resource(
    name="meetings",
    title=_("Sesiones de coordinación"),
    queryset=selectors.meetings,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la sesión."), lambda o: o.pk),
        C(
            "space",
            "string",
            _("Slug del espacio de coordinación."),
            lambda o: o.space.slug,
            required=True,
        ),
        C("date", "datetime", _("Fecha y hora."), lambda o: o.date, required=True),
        C("title", "string", _("Título."), lambda o: o.title),
        C(
            "modality",
            "string",
            _("Formato: in_person, online o hybrid."),
            lambda o: o.modality,
            required=True,
        ),
        C("place", "string", _("Lugar."), lambda o: o.place),
        C("link", "string", _("Enlace de la sesión en línea."), lambda o: o.link),
        C(
            "agenda",
            "string",
            _("Puntos del orden del día, separados por «; »."),
            joined("agenda_items", "title"),
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

AGREEMENTS = Resource(
    name="agreements",
    title=_("Acuerdos de coordinación"),
    queryset=selectors.agreements,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del acuerdo."), lambda o: o.pk),
        C(
            "meeting",
            "integer",
            _("Identificador de la sesión."),
            lambda o: o.meeting_id,
            required=True,
            references=MEETING,
        ),
        C(
            "space",
            "string",
            _("Slug del espacio de coordinación."),
            lambda o: o.meeting.space.slug,
            required=True,
        ),
        C("text", "string", _("Texto del acuerdo."), lambda o: o.text),
        C(
            "responsible_id",
            "integer",
            _("Institución responsable."),
            lambda o: o.responsible_id,
            required=True,
            references=INSTITUTION,
        ),
        C(
            "responsible",
            "string",
            _("Nombre de la institución responsable."),
            lambda o: o.responsible.name,
        ),
        C("due_date", "date", _("Fecha compromiso."), lambda o: o.due_date, required=True),
        C(
            "status",
            "string",
            _("Estado: pending, in_progress, done o cancelled."),
            lambda o: o.status,
            required=True,
        ),
        C("done_date", "date", _("Fecha de cumplimiento."), lambda o: o.done_date),
        C(
            "is_overdue",
            "boolean",
            _("Abierto con la fecha compromiso vencida."),
            lambda o: "true" if o.is_overdue else "false",
            required=True,
        ),
        C(
            "commitments",
            "string",
            _("Claves de los compromisos relacionados, separadas por «; »."),
            joined("commitments", "code"),
        ),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

METRICA_EDITIONS = Resource(
    name="metrica_editions",
    title=_("Ediciones de la Métrica de Gobierno Abierto"),
    queryset=selectors.metrica_editions,
    primary_key=("year",),
    columns=(
        C("year", "integer", _("Año de la edición."), lambda o: o.year),
        C(
            "national_average",
            "number",
            _("Promedio nacional (0 a 1)."),
            lambda o: o.national_average,
            required=True,
        ),
        C("note", "string", _("Nota."), lambda o: o.note),
        C("source_url", "string", _("Dirección de la fuente."), lambda o: o.source.url),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        *(
            C(
                name,
                "number",
                _("Cifra de la Métrica (0 a 1); vacía si la fuente no la da."),
                attrgetter(name),
            )
            for name in MetricaScore.SUB_SCORES
        ),
        C(
            "bodies_assessed",
            "integer",
            _("Sujetos obligados evaluados."),
            attrgetter("bodies_assessed"),
        ),
        source_column(required=True),
    ),
)

METRICA_SCORES = Resource(
    name="metrica_scores",
    title=_("Calificaciones estatales en la Métrica de Gobierno Abierto"),
    queryset=selectors.metrica_scores,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la calificación."), lambda o: o.pk),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad."),
            lambda o: o.state.inegi_code,
            required=True,
            references=STATE,
        ),
        C(
            "edition",
            "integer",
            _("Año de la edición."),
            lambda o: o.edition.year,
            required=True,
            references=METRICA_EDITION,
        ),
        C(
            "score",
            "number",
            _("Índice de gobierno abierto (0 a 1); vacío si la fuente no lo da."),
            lambda o: o.score,
        ),
        C(
            "national_average",
            "number",
            _("Promedio nacional de la edición (0 a 1)."),
            lambda o: o.edition.national_average,
            required=True,
        ),
        *(
            C(name, "number", _("Componente de la Métrica (0 a 1)."), attrgetter(name))
            for name in (
                "transparency_government",
                "transparency_citizen",
                "participation_government",
                "participation_citizen",
            )
        ),
        C("source_url", "string", _("Dirección de la fuente."), lambda o: o.source.url),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
        *(
            C(
                name,
                "number",
                _("Subíndice (0 a 1); vacío si la fuente no lo da."),
                attrgetter(name),
            )
            for name in ("transparency", "participation")
        ),
        C(
            "rank",
            "integer",
            _("Lugar entre las entidades, si la fuente lo da."),
            attrgetter("rank"),
        ),
        C("note", "string", _("Nota sobre la cifra y su fuente."), attrgetter("note")),
        source_column(required=True),
    ),
)

COMMITMENT_INDICATORS = Resource(
    name="commitment_indicators",
    title=_("Indicadores por compromiso"),
    queryset=selectors.commitment_indicators,
    primary_key=("commitment",),
    columns=(
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            references=COMMITMENT,
        ),
        C(
            "action_plan_id",
            "integer",
            _("Identificador del plan de acción."),
            lambda o: o.commitment.action_plan_id,
            required=True,
            references=ACTION_PLAN,
        ),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad del plan."),
            state_code("commitment.action_plan.state"),
            references=STATE,
        ),
        C(
            "completion_percent",
            "number",
            _("Avance (%); vacío sin información registrada (no es 0)."),
            attrgetter("completion_percent"),
        ),
        C(
            "completion_level",
            "string",
            _(
                "Nivel: no_information (nadie registró avance), not_started, limited, "
                "substantial, complete o withdrawn."
            ),
            attrgetter("completion_level"),
            required=True,
        ),
        C(
            "milestones_total",
            "integer",
            _("Hitos."),
            attrgetter("milestones_total"),
            required=True,
        ),
        C(
            "milestones_withdrawn",
            "integer",
            _("Hitos retirados."),
            attrgetter("milestones_withdrawn"),
            required=True,
        ),
        C(
            "milestones_on_time",
            "integer",
            _("Hitos a tiempo."),
            attrgetter("milestones_on_time"),
            required=True,
        ),
        C(
            "milestones_overdue",
            "integer",
            _("Hitos vencidos."),
            attrgetter("milestones_overdue"),
            required=True,
        ),
        C(
            "last_update_at",
            "datetime",
            _("Última actualización."),
            attrgetter("last_update_at"),
            required=True,
        ),
        C(
            "days_since_update",
            "integer",
            _("Días desde la última actualización."),
            attrgetter("days_since_update"),
            required=True,
        ),
        C(
            "is_stale",
            "boolean",
            _("Sin actualizar (más de 90 días)."),
            attrgetter("is_stale"),
            required=True,
        ),
        C(
            "is_on_time",
            "boolean",
            _(
                "Sin hitos vencidos (con el plan concluido, todo hito abierto está vencido); "
                "vacío sin información registrada."
            ),
            attrgetter("is_on_time"),
        ),
        C(
            "civil_society_agreement_share",
            "number",
            _("Proporción de acuerdo de la sociedad civil (0 a 1)."),
            attrgetter("civil_society_agreement_share"),
        ),
        C(
            "civil_society_dispute_share",
            "number",
            _("Proporción de desacuerdo de la sociedad civil (0 a 1)."),
            attrgetter("civil_society_dispute_share"),
        ),
        C("is_disputed", "boolean", _("En disputa."), attrgetter("is_disputed")),
        C(
            "replicating_states",
            "integer",
            _("Entidades que lo replican (solo nacionales)."),
            attrgetter("replicating_states"),
        ),
        C("computed_at", "datetime", _("Calculado."), attrgetter("computed_at"), required=True),
        C(
            "milestones_reported",
            "integer",
            _("Hitos con avance reportado; las cifras se calculan sobre ellos."),
            attrgetter("milestones_reported"),
            required=True,
        ),
    ),
)

SCOPE_FIGURE_COLUMNS = (
    C(
        "commitments_total",
        "integer",
        _("Compromisos."),
        attrgetter("commitments_total"),
        required=True,
    ),
    *(
        C(
            f"commitments_{level}",
            "integer",
            _("Compromisos en este nivel."),
            attrgetter(f"commitments_{level}"),
            required=True,
        )
        for level in ("not_started", "limited", "substantial", "complete", "withdrawn")
    ),
    C(
        "mean_completion",
        "number",
        _("Avance promedio (%) de los compromisos con información y no retirados."),
        attrgetter("mean_completion"),
    ),
    C(
        "share_on_time",
        "number",
        _("Proporción a tiempo (0 a 1) de los compromisos con información y no retirados."),
        attrgetter("share_on_time"),
    ),
    C(
        "share_stale",
        "number",
        _("Proporción sin actualizar (0 a 1) de los compromisos con información."),
        attrgetter("share_stale"),
    ),
    C(
        "share_disputed",
        "number",
        _("Proporción en disputa (0 a 1)."),
        attrgetter("share_disputed"),
    ),
)
# The coverage beside every figure; appended at the end of the scope tables.
SCOPE_COVERAGE_COLUMNS = (
    C(
        "commitments_no_information",
        "integer",
        _("Compromisos sin información registrada."),
        attrgetter("commitments_no_information"),
        required=True,
    ),
    C(
        "commitments_with_information",
        "integer",
        _("Cobertura: compromisos con información, sobre los que se calculan las cifras."),
        attrgetter("commitments_with_information"),
        required=True,
    ),
)
# scope_id is an action plan's id, a state's id or 0 (no table holds all three), so it is
# part of the key but references nothing; `state` does.
SCOPE_COLUMNS = (
    C("scope_kind", "string", _("Tipo de ámbito: plan, state o nation."), attrgetter("scope_kind")),
    C("scope_id", "integer", _("Plan o entidad; 0 para el país."), attrgetter("scope_id")),
    C("scope_name", "string", _("Nombre del ámbito."), attrgetter("scope_name")),
    C(
        "state",
        "string",
        _("Clave INEGI de la entidad del ámbito."),
        attrgetter("scope_state"),
        references=STATE,
    ),
)

SCOPE_INDICATORS = Resource(
    name="scope_indicators",
    title=_("Indicadores por ámbito"),
    queryset=selectors.scope_indicators,
    primary_key=("scope_kind", "scope_id"),
    columns=(
        *SCOPE_COLUMNS,
        *SCOPE_FIGURE_COLUMNS,
        C("computed_at", "datetime", _("Calculado."), attrgetter("computed_at"), required=True),
        *SCOPE_COVERAGE_COLUMNS,
    ),
)

INDICATOR_SNAPSHOTS = Resource(
    name="indicator_snapshots",
    title=_("Instantáneas diarias de indicadores"),
    queryset=selectors.indicator_snapshots,
    primary_key=("date", "scope_kind", "scope_id"),
    columns=(
        C("date", "date", _("Fecha."), attrgetter("date"), required=True),
        *SCOPE_COLUMNS,
        *SCOPE_FIGURE_COLUMNS,
        *SCOPE_COVERAGE_COLUMNS,
    ),
)

ALIGNMENTS = Resource(
    name="alignments",
    title=_("Alineaciones local-nacional"),
    queryset=selectors.alignments,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la alineación."), lambda o: o.pk),
        C(
            "local_commitment",
            "string",
            _("Clave del compromiso local."),
            lambda o: o.local_commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad del compromiso local."),
            state_code("local_commitment.action_plan.state"),
            references=STATE,
        ),
        C(
            "national_commitment",
            "string",
            _("Clave del compromiso nacional."),
            lambda o: o.national_commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C("kind", "string", _("Tipo: replicates o complements."), lambda o: o.kind, required=True),
        C(
            "updated_at",
            "datetime",
            _("Última actualización."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)


def institution_name(attribute):
    def value(obj):
        institution = getattr(obj, attribute)
        return institution.name if institution else None

    return value


COMMENTS = Resource(
    name="comments",
    title=_("Comentarios públicos"),
    queryset=selectors.comments,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del comentario."), lambda o: o.pk),
        C(
            "target_kind",
            "string",
            _("Sobre qué es: commitment, milestone o meeting."),
            public_comments.target_kind,
            required=True,
        ),
        C(
            "commitment",
            "string",
            _("Clave del compromiso comentado o del compromiso del hito comentado."),
            lambda o: o.commitment_code,
            references=COMMITMENT,
        ),
        C(
            "milestone_id",
            "integer",
            _("Identificador del hito comentado."),
            lambda o: o.milestone_id,
            references=MILESTONE,
        ),
        C(
            "meeting_id",
            "integer",
            _("Identificador de la sesión comentada."),
            lambda o: o.meeting_id,
            references=MEETING,
        ),
        C(
            "parent_id",
            "integer",
            _("Comentario al que responde."),
            lambda o: o.parent_id,
            references=COMMENT,
        ),
        C(
            "author_name",
            "string",
            _("Nombre de quien lo escribió (nunca el usuario ni el correo); vacío si no lo dio."),
            lambda o: public_comments.person_name(o.author),
        ),
        C(
            "author_organisation",
            "string",
            _("Organización o institución de la persona al escribirlo."),
            institution_name("institution"),
        ),
        C(
            "status",
            "string",
            _("visible, deleted (eliminado, sin texto) o hidden (ocultado, sin texto)."),
            public_comments.status,
            required=True,
        ),
        C(
            "body_html",
            "string",
            _("Texto en HTML depurado; vacío si se eliminó o se ocultó."),
            public_comments.body_html,
        ),
        C(
            "moderation_reason",
            "string",
            _("Motivo público de la moderación o nota de su revisión."),
            public_comments.moderation_reason,
        ),
        C(
            "created_at",
            "datetime",
            _("Momento de publicación."),
            lambda o: o.created_at,
            required=True,
        ),
        C(
            "edited_at",
            "datetime",
            _("Última edición de un comentario visible."),
            public_comments.edited_at,
        ),
        C(
            "updated_at",
            "datetime",
            _("Último cambio visible."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

ASSESSMENTS = Resource(
    name="assessments",
    title=_("Evaluaciones de la sociedad civil"),
    queryset=selectors.assessments,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la evaluación."), lambda o: o.pk),
        C(
            "target_kind",
            "string",
            _("Qué se evalúa: progress_report o milestone."),
            public_comments.assessment_target_kind,
            required=True,
        ),
        C(
            "progress_report_id",
            "integer",
            _("Identificador del informe de avance evaluado."),
            lambda o: o.progress_report_id,
        ),
        C(
            "milestone_id",
            "integer",
            _("Identificador del hito evaluado."),
            lambda o: o.milestone_id,
            references=MILESTONE,
        ),
        C(
            "milestone_version",
            "integer",
            _("Versión del hito que se evaluó."),
            lambda o: o.milestone_version,
        ),
        C(
            "about_earlier_version",
            "boolean",
            _("El gobierno actualizó el hito después de la evaluación."),
            lambda o: (
                "true" if o.milestone_id and o.milestone_version != o.milestone.version else "false"
            ),
        ),
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C(
            "organisation_id",
            "integer",
            _("Identificador de la organización."),
            lambda o: o.organisation_id,
            required=True,
            references=INSTITUTION,
        ),
        C(
            "organisation",
            "string",
            _("Nombre de la organización."),
            lambda o: o.organisation.name,
            required=True,
        ),
        C(
            "verdict",
            "string",
            _("Valoración: agree, dispute o needs_evidence."),
            lambda o: o.verdict,
            required=True,
        ),
        C(
            "justification",
            "string",
            _("Justificación, en texto plano."),
            lambda o: o.justification,
        ),
        C(
            "created_at",
            "datetime",
            _("Primera evaluación."),
            lambda o: o.created_at,
            required=True,
        ),
        C(
            "updated_at",
            "datetime",
            _("Última evaluación registrada."),
            lambda o: o.updated_at,
            required=True,
        ),
    ),
)

SOURCES = Resource(
    name="sources",
    title=_("Fuentes de los datos externos"),
    queryset=selectors.sources,
    primary_key=("key",),
    columns=(
        C("key", "string", _("Clave de la fuente."), attrgetter("key")),
        C("publication", "string", _("Publicación."), attrgetter("publication"), required=True),
        C("publisher", "string", _("Quién la publica."), attrgetter("publisher")),
        C("url", "string", _("Dirección."), attrgetter("url"), required=True),
        C(
            "published",
            "string",
            _("Fecha de publicación (AAAA, AAAA-MM o AAAA-MM-DD); vacía si no la muestra."),
            attrgetter("published"),
        ),
        C(
            "is_mirror",
            "boolean",
            _("La dirección es una copia en un sitio de terceros."),
            attrgetter("is_mirror"),
            required=True,
        ),
        C("note", "string", _("Nota."), attrgetter("note")),
    ),
)

IRM_ASSESSMENTS = Resource(
    name="irm_assessments",
    title=_("Valoraciones del Mecanismo de Revisión Independiente (IRM)"),
    queryset=selectors.irm_assessments,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador de la valoración."), attrgetter("pk")),
        C(
            "commitment",
            "string",
            _("Clave del compromiso."),
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        C(
            "report_kind",
            "string",
            _("Informe: progress, design, mid_term, end_of_term o results; vacío si no se sabe."),
            attrgetter("report_kind"),
        ),
        C(
            "pending",
            "boolean",
            _("La fuente dice que la valoración está pendiente."),
            attrgetter("pending"),
            required=True,
        ),
        *(
            C(name, "boolean", _("Vacío: la fuente no lo dice."), attrgetter(name))
            for name in (
                "verifiable",
                "relevant_access_to_information",
                "relevant_civic_participation",
                "relevant_public_accountability",
                "relevant_technology_innovation",
            )
        ),
        C(
            "potential_impact",
            "string",
            _("Impacto potencial: none, minor, moderate o transformative; vacío sin información."),
            attrgetter("potential_impact"),
        ),
        C(
            "ambition",
            "string",
            _("Ambición: low, moderate o high; vacío sin información."),
            attrgetter("ambition"),
        ),
        C(
            "completion",
            "string",
            _(
                "Cumplimiento según el IRM: no_evidence, not_started, limited, substantial o "
                "complete; vacío sin información."
            ),
            attrgetter("completion"),
        ),
        C(
            "did_it_open_government",
            "string",
            _(
                "¿Abrió el gobierno?: worsened, did_not_change, marginal, major u outstanding; "
                "vacío sin información."
            ),
            attrgetter("did_it_open_government"),
        ),
        C(
            "early_results",
            "string",
            _(
                "Resultados tempranos: no_notable, marginal, significant u outstanding; vacío "
                "sin información."
            ),
            attrgetter("early_results"),
        ),
        C(
            "starred",
            "boolean",
            _("Compromiso estelar; vacío sin información."),
            attrgetter("starred"),
        ),
        C("note", "string", _("Nota."), attrgetter("note")),
        source_column(required=True),
    ),
)

IRM_REPORTS = Resource(
    name="irm_reports",
    title=_("Informes del IRM sobre los planes nacionales"),
    queryset=selectors.irm_reports,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del informe."), attrgetter("pk")),
        C(
            "action_plan_id",
            "integer",
            _("Identificador del plan de acción."),
            attrgetter("action_plan_id"),
            required=True,
            references=ACTION_PLAN,
        ),
        C(
            "kind",
            "string",
            _("Informe: progress, design, mid_term, end_of_term o results."),
            attrgetter("kind"),
            required=True,
        ),
        C("title", "string", _("Título."), attrgetter("title"), required=True),
        C("notes", "string", _("Notas."), attrgetter("notes")),
        source_column(required=True),
    ),
)

IRM_REPORT_FIGURES = Resource(
    name="irm_report_figures",
    title=_("Cifras de los informes del IRM"),
    queryset=selectors.irm_report_figures,
    primary_key=("report_id", "metric"),
    columns=(
        C(
            "report_id",
            "integer",
            _("Identificador del informe."),
            attrgetter("report_id"),
            references=IRM_REPORT,
        ),
        C("metric", "string", _("Indicador."), attrgetter("metric")),
        C("value", "integer", _("Valor."), attrgetter("value"), required=True),
        C("of_total", "integer", _("De un total de."), attrgetter("of_total")),
    ),
)

STATE_PARTICIPATION = Resource(
    name="state_participation",
    title=_("Participación de las entidades en ejercicios locales"),
    queryset=selectors.state_participations,
    primary_key=("id",),
    columns=(
        C("id", "integer", _("Identificador del registro."), attrgetter("pk")),
        C(
            "state",
            "string",
            _("Clave INEGI de la entidad."),
            lambda o: o.state.inegi_code,
            required=True,
            references=STATE,
        ),
        C(
            "program",
            "string",
            _("Ejercicio: cocreacion_local (INAI) u ogp_local."),
            attrgetter("program"),
            required=True,
        ),
        C(
            "status",
            "string",
            _("Situación según la fuente: participates, withdrew o did_not_participate."),
            attrgetter("status"),
            required=True,
        ),
        C("start_year", "integer", _("Desde (año), si la fuente lo da."), attrgetter("start_year")),
        C("end_year", "integer", _("Hasta (año), si la fuente lo da."), attrgetter("end_year")),
        C("note", "string", _("Nota."), attrgetter("note")),
        source_column(required=True),
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
    AGREEMENTS,
    METRICA_EDITIONS,
    METRICA_SCORES,
    COMMITMENT_INDICATORS,
    SCOPE_INDICATORS,
    INDICATOR_SNAPSHOTS,
    PROGRESS_EVENTS,
    COMMENTS,
    ASSESSMENTS,
    SOURCES,
    IRM_ASSESSMENTS,
    IRM_REPORTS,
    IRM_REPORT_FIGURES,
    STATE_PARTICIPATION,
)
