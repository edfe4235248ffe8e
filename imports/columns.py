"""What each import reads: columns of the export of the same resource (api.v1.resources).

One definition: the import's columns are named after the export's, so a file exported by
the portal (API `?format=csv` / `?format=xlsx`) imports back, and the XLSX template has
exactly the importable columns. Export columns the portal works out itself (ids,
counts, update times) are accepted in a file and ignored; any other column is refused.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.v1.resources.base import JOIN, Resource
from api.v1.resources.commitments import COMMITMENTS, PROGRESS_REPORTS
from api.v1.resources.metrica import METRICA_SCORES
from api.v1.resources.milestones import MILESTONES
from api.v1.resources.plans import ACTION_PLANS
from commitments.models import DatePrecision, LocalProgram, MilestoneStatus, PlanStatus
from ogp_portal.user_text import csv_cell_undone


class Invalid(Exception):
    """One cell's value cannot be used; the message says why, in Spanish."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Parsers: the cell's text (already unescaped and stripped) to a value --------------


def text(max_length):
    def parse(value):
        if len(value) > max_length:
            raise Invalid(
                _("El texto tiene %(length)s caracteres; el máximo es %(max)s.")
                % {"length": len(value), "max": max_length}
            )
        return value

    return parse


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def date(value):
    if value == "":
        return None
    if len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise Invalid(
        _("«%(value)s» no es una fecha válida: use AAAA-MM-DD (p. ej. 2024-03-31).")
        % {"value": value}
    )


def integer(minimum, maximum):
    def parse(value):
        if value == "":
            return None
        try:
            number = int(value)
        except ValueError:
            raise Invalid(_("«%(value)s» no es un número entero.") % {"value": value}) from None
        if not minimum <= number <= maximum:
            raise Invalid(
                _("%(value)s está fuera del intervalo permitido (%(min)s a %(max)s).")
                % {"value": number, "min": minimum, "max": maximum}
            )
        return number

    return parse


def percent(value):
    if value == "":
        return None
    try:
        number = int(Decimal(value.rstrip("%").strip()))
    except (InvalidOperation, ValueError):
        raise Invalid(_("«%(value)s» no es un porcentaje.") % {"value": value}) from None
    if not 0 <= number <= 100:
        raise Invalid(_("El avance debe estar entre 0 y 100; dice %(value)s.") % {"value": number})
    return number


def score(value):
    """A Métrica figure, 0 to 1 with three decimals."""
    if value == "":
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise Invalid(_("«%(value)s» no es un número.") % {"value": value}) from None
    if not Decimal(0) <= number <= Decimal(1):
        raise Invalid(_("La cifra debe estar entre 0 y 1; dice %(value)s.") % {"value": value})
    return number.quantize(Decimal("0.001"))


def choice(choices):
    """The stored value, or its Spanish label as the template's drop-down offers it."""
    by_text = {}
    for value, label in choices.choices:
        by_text[value.lower()] = value
        by_text[str(label).lower()] = value

    def parse(value):
        if value == "":
            return ""
        try:
            return by_text[value.lower()]
        except KeyError:
            raise Invalid(
                _("«%(value)s» no es una opción válida; use una de: %(options)s.")
                % {"value": value, "options": ", ".join(choices.values)}
            ) from None

    parse.choices = choices
    return parse


def listed(value):
    """Several values in one cell, separated by «; »."""
    return [part.strip() for part in re.split(r"\s*;\s*", value) if part.strip()]


def key_text(value):
    return value.strip()


# --- Columns and kinds -------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    column: str  # the name of a column of the export
    parse: object
    required: bool = False
    help: str = ""

    @property
    def choices(self):
        return getattr(self.parse, "choices", None)


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    export: Resource
    key: tuple
    fields: tuple
    staff_only: bool = False
    description: str = ""
    by_column: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        exported = set(self.export.header())
        for item in self.fields:
            if item.column not in exported:
                raise ValueError(f"{self.name}: {item.column} is not a column of the export")
        object.__setattr__(self, "by_column", {item.column: item for item in self.fields})

    @property
    def columns(self):
        return [item.column for item in self.fields]

    @property
    def accepted(self):
        """Every column a file may carry: the export's, of which only `columns` are read."""
        return self.export.header()

    def parse(
        self, header: Sequence[str], cells: Sequence[object]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The row's values by column, and {column: message} for the cells that fail."""
        values, errors = {}, {}
        for position, name in enumerate(header):
            item = self.by_column.get(name)
            if item is None:
                continue
            raw = cells[position] if position < len(cells) else ""
            raw = csv_cell_undone(raw.strip()) if isinstance(raw, str) else raw
            if raw == "" and item.required:
                errors[name] = _("Falta el valor (la columna es obligatoria).")
                continue
            try:
                values[name] = item.parse(raw)
            except Invalid as error:
                errors[name] = error.message
        return values, errors


STATE_HELP = gettext_lazy("Clave INEGI de la entidad (01 a 32) o su nombre.")

ACTION_PLANS = Kind(
    name="action_plans",
    title=gettext_lazy("Planes de acción locales"),
    export=ACTION_PLANS,
    key=("state", "cycle_year"),
    description=gettext_lazy("Un plan por entidad y ciclo; la entidad y el ciclo lo identifican."),
    fields=(
        Field("state", key_text, required=True, help=STATE_HELP),
        Field(
            "cycle_year",
            integer(2011, 2100),
            required=True,
            help=gettext_lazy("Año de inicio del ciclo."),
        ),
        Field("title", text(200), required=True, help=gettext_lazy("Título del plan.")),
        Field("start_date", date, help=gettext_lazy("Fecha de inicio, AAAA-MM-DD.")),
        Field("end_date", date, help=gettext_lazy("Fecha de fin, AAAA-MM-DD.")),
        Field(
            "status",
            choice(PlanStatus),
            required=True,
            help=gettext_lazy("Estado del plan (lista desplegable)."),
        ),
        Field(
            "start_precision",
            choice(DatePrecision),
            help=gettext_lazy("Precisión de la fecha de inicio; vacío es «día»."),
        ),
        Field(
            "end_precision",
            choice(DatePrecision),
            help=gettext_lazy("Precisión de la fecha de fin; vacío es «día»."),
        ),
        Field("program", choice(LocalProgram), help=gettext_lazy("Ejercicio local.")),
        Field(
            "declared_commitments",
            integer(0, 999),
            help=gettext_lazy("Compromisos que el plan dice tener."),
        ),
        Field(
            "secretariat",
            listed,
            help=gettext_lazy(
                "Secretariado técnico local: «Institución (sector)» separadas por «; »; "
                "sector government, oversight o civil_society."
            ),
        ),
    ),
)

COMMITMENTS = Kind(
    name="commitments",
    title=gettext_lazy("Compromisos"),
    export=COMMITMENTS,
    key=("code",),
    description=gettext_lazy(
        "La clave identifica el compromiso; la entidad y el ciclo, su plan (que debe existir)."
    ),
    fields=(
        Field("code", text(20), required=True, help=gettext_lazy("Clave única, p. ej. JAL0001.")),
        Field("state", key_text, required=True, help=STATE_HELP),
        Field("cycle_year", integer(2011, 2100), required=True, help=gettext_lazy("Ciclo.")),
        Field("title_es", text(500), help=gettext_lazy("Título en español.")),
        Field("title_en", text(500), help=gettext_lazy("Título en inglés.")),
        Field("description", text(20_000), help=gettext_lazy("Descripción.")),
        Field("start_date", date, help=gettext_lazy("Inicio, AAAA-MM-DD.")),
        Field("end_date", date, help=gettext_lazy("Fin, AAAA-MM-DD.")),
        Field(
            "lead_institutions",
            listed,
            help=gettext_lazy("Instituciones responsables por su nombre, separadas por «; »."),
        ),
        Field(
            "support_institutions",
            listed,
            help=gettext_lazy("Instituciones de apoyo, separadas por «; »."),
        ),
        Field(
            "policy_areas",
            listed,
            help=gettext_lazy("Áreas de política (slug), separadas por «; »"),
        ),
        Field("sdg_targets", listed, help=gettext_lazy("Metas ODS (p. ej. 16.10), por «; ».")),
        Field(
            "aligned_with",
            listed,
            help=gettext_lazy("Claves de compromisos nacionales (MX0001–MX0087), por «; »."),
        ),
    ),
)

MILESTONES = Kind(
    name="milestones",
    title=gettext_lazy("Hitos"),
    export=MILESTONES,
    key=("commitment", "position"),
    description=gettext_lazy("El compromiso y el orden identifican el hito."),
    fields=(
        Field("commitment", key_text, required=True, help=gettext_lazy("Clave del compromiso.")),
        Field(
            "position",
            integer(1, 999),
            required=True,
            help=gettext_lazy("Orden del hito en el compromiso (1, 2, 3…)."),
        ),
        Field("title", text(500), required=True, help=gettext_lazy("Título del hito.")),
        Field("start_date", date, help=gettext_lazy("Inicio previsto, AAAA-MM-DD.")),
        Field("due_date", date, help=gettext_lazy("Fecha compromiso, AAAA-MM-DD.")),
        Field("weight", integer(1, 1000), help=gettext_lazy("Peso; vacío es 1.")),
        Field(
            "status",
            choice(MilestoneStatus),
            help=gettext_lazy("Estado; vacío si aún no se reporta avance."),
        ),
        Field("percent_complete", percent, help=gettext_lazy("Avance de 0 a 100.")),
        Field("actual_start_date", date, help=gettext_lazy("Inicio real, AAAA-MM-DD.")),
        Field("actual_end_date", date, help=gettext_lazy("Conclusión real, AAAA-MM-DD.")),
        Field("narrative", text(20_000), help=gettext_lazy("Descripción del avance.")),
    ),
)

PROGRESS_REPORTS = Kind(
    name="progress_reports",
    title=gettext_lazy("Informes de avance"),
    export=PROGRESS_REPORTS,
    key=("commitment", "date"),
    description=gettext_lazy("El compromiso y la fecha identifican el informe."),
    fields=(
        Field("commitment", key_text, required=True, help=gettext_lazy("Clave del compromiso.")),
        Field("date", date, required=True, help=gettext_lazy("Fecha, AAAA-MM-DD.")),
        Field("summary", text(20_000), required=True, help=gettext_lazy("Resumen del avance.")),
    ),
)

METRICA_SCORES = Kind(
    name="metrica_scores",
    title=gettext_lazy("Calificaciones de la Métrica de Gobierno Abierto"),
    export=METRICA_SCORES,
    key=("state", "edition"),
    staff_only=True,
    description=gettext_lazy("La entidad y la edición identifican la calificación."),
    fields=(
        Field("state", key_text, required=True, help=STATE_HELP),
        Field(
            "edition",
            integer(2017, 2100),
            required=True,
            help=gettext_lazy("Año de la edición (debe existir)."),
        ),
        Field("score", score, help=gettext_lazy("Índice, de 0 a 1.")),
        Field("transparency", score, help=gettext_lazy("Subíndice de transparencia.")),
        Field("participation", score, help=gettext_lazy("Subíndice de participación.")),
        Field("transparency_government", score, help=gettext_lazy("Componente, 0 a 1.")),
        Field("transparency_citizen", score, help=gettext_lazy("Componente, 0 a 1.")),
        Field("participation_government", score, help=gettext_lazy("Componente, 0 a 1.")),
        Field("participation_citizen", score, help=gettext_lazy("Componente, 0 a 1.")),
        Field("rank", integer(1, 32), help=gettext_lazy("Lugar entre las entidades.")),
        Field("note", text(600), help=gettext_lazy("Nota.")),
        Field(
            "source",
            key_text,
            required=True,
            help=gettext_lazy("Clave de la fuente (tabla sources)."),
        ),
    ),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (ACTION_PLANS, COMMITMENTS, MILESTONES, PROGRESS_REPORTS, METRICA_SCORES)
}


def joined(values):
    return JOIN.join(values)
