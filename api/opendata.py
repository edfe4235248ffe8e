"""The bulk open-data package: a zip of CSVs plus a Frictionless datapackage.json.

Built by a Celery task (api.tasks) or `manage.py build_opendata`, stored in
Django's default storage under opendata/, and served by /api/v1/opendata/.
Files are written to a temporary file first, so memory stays flat and a
half-written package is never visible.
"""

import io
import json
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from . import exports

FOLDER = "opendata"
PREFIX = "estado-abierto-"
KEEP = 7


def datapackage(resources, *, created):
    return {
        "profile": "tabular-data-package",
        "name": "estado-abierto",
        "title": "Estado Abierto: planes de acción, compromisos e hitos de gobierno abierto",
        "created": created.isoformat(),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": resource.name.replace("_", "-"),
                "path": f"{resource.name}.csv",
                "title": str(resource.title),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": str(c.description)}
                        for c in resource.columns
                    ]
                },
            }
            for resource in resources
        ],
    }


def build_open_data_package(*, now=None):
    """Write a new package and return its storage name; older packages beyond KEEP go."""
    now = now or timezone.now()
    resources = exports.OPEN_DATA_RESOURCES
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for resource in resources:
                with (
                    archive.open(f"{resource.name}.csv", "w") as raw,
                    io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
                ):
                    for line in exports.csv_lines(resource):
                        text.write(line)
            archive.writestr(
                "datapackage.json",
                json.dumps(datapackage(resources, created=now), ensure_ascii=False, indent=2),
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
