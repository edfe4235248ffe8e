"""A round's tables as CSV (the live board) and its dated open-data release (a closed round).

The columns and the release's datapackage.json use the same flat tables and Table Schema
builder as the API and the portal's open-data package (ogp_portal.tables), so they read
alike. The release is made from the frozen rows, which never change: it is built on
request, the same bytes every time (the zip's dates are the round's closing time).
"""

import io
import json
import tempfile
import zipfile

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.tables import (
    LICENSE_NAME,
    LICENSE_URL,
    Column,
    Fields,
    Reference,
    Resource,
    csv_lines,
    resource_descriptor,
)

from . import round_selectors as selectors


def text(attribute):
    # String columns are made safe for spreadsheets (CSV injection) by Column.render.
    return lambda obj: getattr(obj, attribute) or ""


def reasons(entry):
    return " | ".join(
        f"{review.organisation.name}: {review.get_verdict_display()}"
        + (f" — {review.reason}" if review.reason else "")
        for review in entry.reviews.all()
    )


# One description per field of the board, for the API's JSON (schema) and the CSV alike.
BOARD_FIELDS = Fields(
    round=gettext_lazy("Identificador de la ronda."),
    commitment=gettext_lazy("Clave del compromiso."),
    title=gettext_lazy("Título del compromiso."),
    institution=gettext_lazy("Institución responsable."),
    state=gettext_lazy("Entidad federativa (vacía para compromisos nacionales)."),
    status=gettext_lazy("Entrega: pending, submitted o late."),
    review=gettext_lazy(
        "Validación: awaiting, validated, disputed o not_reviewed; vacía si está pendiente."
    ),
    submitted_at=gettext_lazy("Fecha y hora de la entrega (UTC)."),
    report_date=gettext_lazy("Fecha del informe de avance entregado."),
    reviews=gettext_lazy(
        "Valoración de cada organización, con sus razones (en el JSON, objetos con "
        "organisation, verdict y reason; en el CSV, separadas por « | »)."
    ),
)
entry_column = BOARD_FIELDS.column


def board_resource(queryset):
    return Resource(
        name="round_board",
        title=gettext_lazy("Tablero de la ronda"),
        queryset=lambda: queryset,
        primary_key=("round", "commitment"),
        columns=(
            entry_column(
                "round",
                "integer",
                lambda o: o.round_id,
                required=True,
            ),
            entry_column(
                "commitment",
                "string",
                lambda o: o.commitment.code,
                required=True,
            ),
            entry_column(
                "title",
                "string",
                lambda o: text("title")(o.commitment),
            ),
            entry_column(
                "institution",
                "string",
                lambda o: o.institution_name,
            ),
            entry_column(
                "state",
                "string",
                lambda o: o.state_name,
            ),
            entry_column(
                "status",
                "string",
                lambda o: o.status,
                required=True,
            ),
            entry_column(
                "review",
                "string",
                lambda o: o.review,
            ),
            entry_column(
                "submitted_at",
                "datetime",
                lambda o: o.submitted_at,
            ),
            entry_column(
                "report_date",
                "date",
                lambda o: o.progress_report.date if o.progress_report_id else None,
            ),
            entry_column(
                "reviews",
                "string",
                reasons,
            ),
        ),
    )


def _frozen_resources(round_):
    commitments = Resource(
        name="round_commitments",
        title=gettext_lazy("Compromisos de la ronda al cierre"),
        queryset=lambda: selectors.frozen_commitments(round_),
        primary_key=("commitment",),
        columns=(
            Column(
                "commitment",
                "string",
                gettext_lazy("Clave del compromiso."),
                lambda o: o.code,
                required=True,
                unique=True,
            ),
            Column("title_es", "string", gettext_lazy("Título en español."), text("title_es")),
            Column("title_en", "string", gettext_lazy("Título en inglés."), text("title_en")),
            Column(
                "institution",
                "string",
                gettext_lazy("Institución responsable."),
                text("institution"),
            ),
            Column(
                "state",
                "string",
                gettext_lazy("Entidad federativa (vacía si es nacional)."),
                lambda o: o.state,
            ),
            Column(
                "status",
                "string",
                gettext_lazy("pending, submitted o late."),
                lambda o: o.status,
                required=True,
            ),
            Column(
                "review",
                "string",
                gettext_lazy("validated, disputed o not_reviewed; vacía si no se entregó."),
                lambda o: o.review,
            ),
            Column(
                "submitted_at",
                "datetime",
                gettext_lazy("Fecha y hora de la entrega (UTC)."),
                lambda o: o.submitted_at,
            ),
            Column(
                "report_date",
                "date",
                gettext_lazy("Fecha del informe de avance."),
                lambda o: o.report_date,
            ),
            Column(
                "report_summary",
                "string",
                gettext_lazy("Resumen del informe."),
                text("report_summary"),
            ),
            Column(
                "milestones",
                "integer",
                gettext_lazy("Hitos a la fecha límite."),
                lambda o: o.milestones_total,
                required=True,
            ),
            Column(
                "milestones_complete",
                "integer",
                gettext_lazy("Hitos completados."),
                lambda o: o.milestones_complete,
                required=True,
            ),
            Column(
                "completion_percent",
                "number",
                gettext_lazy("Avance ponderado (%); vacío sin información."),
                lambda o: o.completion_percent,
            ),
        ),
    )
    commitment = Reference("round_commitments", "commitment")
    milestones = Resource(
        name="round_milestones",
        title=gettext_lazy("Hitos a la fecha límite"),
        queryset=lambda: selectors.frozen_milestones(round_).select_related("commitment"),
        primary_key=("milestone",),
        columns=(
            Column(
                "milestone",
                "integer",
                gettext_lazy("Identificador del hito."),
                lambda o: o.milestone_id,
                required=True,
                unique=True,
            ),
            Column(
                "commitment",
                "string",
                gettext_lazy("Clave del compromiso."),
                lambda o: o.commitment.code,
                required=True,
                references=commitment,
            ),
            Column("position", "integer", gettext_lazy("Orden."), lambda o: o.position),
            Column("title", "string", gettext_lazy("Título."), text("title")),
            Column(
                "status",
                "string",
                gettext_lazy("not_started, in_progress, complete o withdrawn."),
                lambda o: o.status,
            ),
            Column(
                "percent_complete",
                "integer",
                gettext_lazy("Avance (%)."),
                lambda o: o.percent_complete,
            ),
            Column("weight", "integer", gettext_lazy("Peso."), lambda o: o.weight),
            Column(
                "progress_reported",
                "boolean",
                gettext_lazy("Si se había reportado su avance."),
                lambda o: "true" if o.progress_reported else "false",
            ),
            Column("due_date", "date", gettext_lazy("Fecha compromiso."), lambda o: o.due_date),
            Column(
                "actual_end_date",
                "date",
                gettext_lazy("Conclusión real."),
                lambda o: o.actual_end_date,
            ),
        ),
    )
    reviews = Resource(
        name="round_reviews",
        title=gettext_lazy("Validaciones de la sociedad civil"),
        queryset=lambda: selectors.frozen_reviews(round_).select_related("commitment"),
        columns=(
            Column(
                "commitment",
                "string",
                gettext_lazy("Clave del compromiso."),
                lambda o: o.commitment.code,
                required=True,
                references=commitment,
            ),
            Column("organisation", "string", gettext_lazy("Organización."), text("organisation")),
            Column("verdict", "string", gettext_lazy("validate o dispute."), lambda o: o.verdict),
            Column("reason", "string", gettext_lazy("Razones."), text("reason")),
        ),
    )
    return (commitments, milestones, reviews)


def release_name(round_):
    return f"ronda-{round_.pk}-{timezone.localdate(round_.closed_at):%Y-%m-%d}"


def datapackage(round_, resources):
    closed = round_.closed_at
    return {
        "profile": "tabular-data-package",
        "name": f"estado-abierto-{release_name(round_)}",
        "title": round_.name,
        "description": _(
            "Registro congelado de la ronda de informes «%(name)s»: cada compromiso, sus hitos "
            "y su avance a la fecha límite (%(deadline)s), su entrega y la validación de la "
            "sociedad civil. Licencia CC BY 4.0."
        )
        % {"name": round_.name, "deadline": round_.deadline.isoformat()},
        "homepage": settings.PORTAL_BASE_URL.rstrip("/") + round_.get_absolute_url(),
        "version": "1.0.0",
        "created": closed.isoformat(),
        "licenses": [{"name": LICENSE_NAME, "path": LICENSE_URL}],
        "contributors": [
            {"title": "Estado Abierto", "path": settings.PORTAL_BASE_URL, "role": "publisher"}
        ],
        "resources": [resource_descriptor(resource) for resource in resources],
    }


def build_release(round_):
    """The release zip of a closed round, in a temporary file (rewound); memory stays flat."""
    resources = _frozen_resources(round_)
    stamp = timezone.localtime(round_.closed_at).timetuple()[:6]
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the caller streams and closes it)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for resource in resources:
            info = zipfile.ZipInfo(f"{resource.name}.csv", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with (
                archive.open(info, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
            ):
                for line in csv_lines(resource):
                    out.write(line)
        info = zipfile.ZipInfo("datapackage.json", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(
            info, json.dumps(datapackage(round_, resources), ensure_ascii=False, indent=2)
        )
    spool.seek(0)
    return spool
