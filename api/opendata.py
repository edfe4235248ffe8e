"""The bulk open-data package: a zip of CSVs plus a Frictionless datapackage.json.

Built by a Celery task (api.tasks) or `manage.py build_opendata`, stored in
Django's default storage under opendata/, and served by /api/v1/opendata/.
Files are written to a temporary file first, so memory stays flat and a
half-written package is never visible.

The datapackage.json declares the licence (CC BY 4.0), the sources the facts
come from (gather_sources(), the one place to extend when sources become
rows of their own), the contributors, and for every table its primary and
foreign keys, taken from the column definitions of api.v1.resources.
"""

import io
import json
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.loaders import DATA_FILE
from commitments.models import Source
from ogp_portal.tables import LICENSE_NAME, LICENSE_URL, csv_lines, resource_descriptor

from .v1.resources import (
    classifications,
    commitments,
    coordination,
    history,
    indicators,
    institutions,
    irm,
    metrica,
    milestones,
    plans,
    reviews,
    sources,
    states,
)

FOLDER = "opendata"
PREFIX = "estado-abierto-"
KEEP = 7

# The version of the package's structure (semantic versioning): the major number changes
# when a resource or column is removed or renamed, the minor when one is added.
VERSION = "1.0.0"

# One CSV per resource, in this order.
OPEN_DATA_RESOURCES = (
    plans.ACTION_PLANS,
    commitments.COMMITMENTS,
    milestones.MILESTONES,
    states.STATES,
    institutions.INSTITUTIONS,
    classifications.POLICY_AREAS,
    classifications.SDG_TARGETS,
    coordination.MEETINGS,
    commitments.ALIGNMENTS,
    coordination.AGREEMENTS,
    metrica.METRICA_EDITIONS,
    metrica.METRICA_SCORES,
    indicators.COMMITMENT_INDICATORS,
    indicators.SCOPE_INDICATORS,
    indicators.INDICATOR_SNAPSHOTS,
    history.PROGRESS_EVENTS,
    reviews.COMMENTS,
    reviews.ASSESSMENTS,
    sources.SOURCES,
    irm.IRM_ASSESSMENTS,
    irm.IRM_REPORTS,
    irm.IRM_REPORT_FIGURES,
    states.STATE_PARTICIPATION,
)

# The publisher of the data file's own source (the file names the publication only).
OGP = "Open Government Partnership (OGP)"
OGP_MEXICO_URL = "https://www.opengovpartnership.org/members/mexico/"


def gather_sources():
    """The publications the package's facts come from, as dicts {title, path, publisher}.

    The data file's own source, then every row of the Source table (each IRM rating,
    Métrica figure, participation record, official title and plan points to one); the
    `sources` table of the package lists them with their keys and dates.
    """
    found = []
    with DATA_FILE.open(encoding="utf-8") as data:
        found.append({"title": json.load(data)["source"], "path": OGP_MEXICO_URL, "publisher": OGP})
    for source in Source.objects.order_by("key"):
        found.append(
            {"title": source.publication, "path": source.url, "publisher": source.publisher}
        )
    return found


def contributors(sources):
    """The portal publishes and maintains the package; each source's publisher authored facts."""
    portal = settings.PORTAL_BASE_URL
    publishers = dict.fromkeys(s["publisher"] for s in sources if s.get("publisher"))
    return [
        {"title": "Estado Abierto", "path": portal, "role": "publisher"},
        {"title": _("Equipo de Estado Abierto"), "path": portal, "role": "maintainer"},
        *({"title": publisher, "role": "author"} for publisher in publishers),
    ]


def datapackage(resources, *, created, sources):
    """The datapackage.json of the package; `sources` as gather_sources() returns them."""
    return {
        "profile": "tabular-data-package",
        "name": "estado-abierto",
        "title": "Estado Abierto: planes de acción, compromisos e hitos de gobierno abierto",
        "description": _(
            "Planes de acción de gobierno abierto de México, nacionales y estatales, con sus "
            "compromisos, hitos, indicadores, la Métrica de Gobierno Abierto, el espacio de "
            "coordinación nacional y la revisión de la sociedad civil. Se publican con la "
            "licencia Creative Commons Atribución 4.0 (CC BY 4.0), compatible con los "
            "Términos de Libre Uso MX de datos.gob.mx: se pueden usar, compartir y adaptar "
            "citando a Estado Abierto y a las fuentes."
        ),
        "homepage": settings.PORTAL_BASE_URL,
        "version": VERSION,
        "created": created.isoformat(),
        "licenses": [
            {
                "name": LICENSE_NAME,
                "path": LICENSE_URL,
                "title": _("Creative Commons Atribución 4.0 Internacional"),
            }
        ],
        "sources": [
            {"title": s["title"], **({"path": s["path"]} if s.get("path") else {})} for s in sources
        ],
        "contributors": contributors(sources),
        "resources": [resource_descriptor(resource) for resource in resources],
    }


def build_open_data_package(*, now=None):
    """Write a new package and return its storage name; older packages beyond KEEP go."""
    now = now or timezone.now()
    resources = OPEN_DATA_RESOURCES
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for resource in resources:
                with (
                    archive.open(f"{resource.name}.csv", "w") as raw,
                    io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
                ):
                    for line in csv_lines(resource):
                        text.write(line)
            archive.writestr(
                "datapackage.json",
                json.dumps(
                    datapackage(resources, created=now, sources=gather_sources()),
                    ensure_ascii=False,
                    indent=2,
                ),
            )
        spool.seek(0)
        name = default_storage.save(
            f"{FOLDER}/{PREFIX}{now:%Y%m%dT%H%M%S}.zip", File(spool, name="package.zip")
        )
    for old in package_names()[:-KEEP]:
        default_storage.delete(old)
    return name


def package_names():
    """Stored packages, oldest first (the names sort by time)."""
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(f"{FOLDER}/{f}" for f in files if f.startswith(PREFIX) and f.endswith(".zip"))


def latest_package_name():
    names = package_names()
    return names[-1] if names else None
