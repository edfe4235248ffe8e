import csv
import datetime
import io
import json
import zipfile

import frictionless
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from api.opendata import (
    KEEP,
    OPEN_DATA_RESOURCES,
    build_open_data_package,
    datapackage,
    gather_sources,
    package_names,
)
from api.tasks import build_open_data
from commitments.models import Commitment, Institution
from coordination.models import CoordinationSpace
from indicators.services import recompute_all
from states.models import MetricaEdition, State
from tests.factories import (
    AgreementFactory,
    AlignmentFactory,
    CommitmentFactory,
    MeetingFactory,
    MetricaScoreFactory,
    MilestoneFactory,
    SourceFactory,
    StateActionPlanFactory,
    UserFactory,
)

from .conftest import build_reviews, build_world, record_progress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_download_is_a_clear_404_before_the_first_build(api):
    response = api.get("/api/v1/opendata/")
    assert response.status_code == 404
    assert "todavía no" in response.json()["detail"]


def test_command_builds_a_zip_of_csvs_with_a_datapackage(api):
    commitment = CommitmentFactory(code="MX0087")
    MilestoneFactory(commitment=commitment)
    call_command("build_opendata", stdout=io.StringIO())

    response = api.get("/api/v1/opendata/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="estado-abierto-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    by_path = {resource["path"]: resource for resource in package["resources"]}
    assert set(by_path) == {f"{r.name}.csv" for r in OPEN_DATA_RESOURCES}
    for path, resource in by_path.items():
        header = next(csv.reader(io.StringIO(archive.read(path).decode())))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        assert all(field["type"] and field["description"] for field in resource["schema"]["fields"])
    rows = list(csv.DictReader(io.StringIO(archive.read("commitments.csv").decode())))
    assert [row["code"] for row in rows] == ["MX0087"]


def test_task_builds_a_package_and_old_ones_are_pruned():
    for _ in range(KEEP + 2):
        build_open_data.delay()
    assert len(package_names()) == KEEP


def test_latest_package_is_served(api):
    import datetime

    build_open_data_package(now=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    newest = build_open_data_package(now=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC))
    response = api.get("/api/v1/opendata/")
    assert newest.endswith("20250102T000000.zip")
    assert "20250102T000000.zip" in response["Content-Disposition"]


def test_package_is_rebuilt_daily_by_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["daily-open-data-package"]
    assert entry["task"] == "api.tasks.build_open_data"


# --- A package that a data portal accepts ---------------------------------------------


def extracted(name, folder):
    """Unzip a stored package into `folder`; the path of its datapackage.json."""
    with default_storage.open(name) as stored, zipfile.ZipFile(stored) as archive:
        archive.extractall(folder)
    return folder / "datapackage.json"


def errors_of(report):
    """(resource, error type) of every error, e.g. ("milestones", "foreign-key")."""
    found = [(None, error.type) for error in report.errors]
    for task in report.tasks:
        found += [(task.name, error.type) for error in task.errors]
    return found


def rows_of(path):
    with path.open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def write_rows(path, rows):
    with path.open("w", encoding="utf-8", newline="") as text:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def real_data_with_local_work():
    """Mexico's real data, plus a state plan whose commitment replicates MX0087 and is
    worked on: milestones with progress, a Métrica score, a meeting with an agreement,
    comments and assessments, indicators."""
    call_command("load_mexico_ogp", stdout=io.StringIO())
    jalisco = State.objects.get(inegi_code="14")
    local = CommitmentFactory(
        code="JAL-01", action_plan=StateActionPlanFactory(state=jalisco, cycle_year=2022)
    )
    AlignmentFactory(
        local_commitment=local, national_commitment=Commitment.objects.get(code="MX0087")
    )
    institution = Institution.objects.order_by("pk").first()
    local.lead_institutions.set([institution])
    MilestoneFactory(commitment=local, position=1)
    MilestoneFactory(commitment=local, position=2)
    editor = UserFactory(is_staff=True)
    record_progress(local.milestones.get(position=1), editor, percent_complete=60)
    MetricaScoreFactory(
        state=jalisco,
        edition=MetricaEdition.objects.get(year=2019),
        source=SourceFactory(url="https://example.org/metrica-2019-jalisco"),
    )
    meeting = MeetingFactory(space=CoordinationSpace.objects.get())
    AgreementFactory(meeting=meeting, responsible=institution).commitments.set([local])
    build_reviews([local, *Commitment.objects.filter(code="MX0087")], [meeting])
    recompute_all()


@pytest.mark.parametrize(
    "build", [real_data_with_local_work, lambda: build_world(2)], ids=["real-data", "synthetic"]
)
def test_package_passes_frictionless_validation_with_keys_and_foreign_keys(tmp_path, build):
    build()
    descriptor = extracted(build_open_data_package(), tmp_path)

    report = frictionless.validate(str(descriptor))

    assert errors_of(report) == []
    assert report.valid
    # Every table was read, and the ones that hold the keys have rows to check them on.
    assert {task.name for task in report.tasks} == {
        resource.name.replace("_", "-") for resource in OPEN_DATA_RESOURCES
    }
    for table in ("commitments", "milestones", "alignments", "metrica_scores", "comments"):
        assert rows_of(tmp_path / f"{table}.csv"), table


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("milestones", "commitment", "NO-EXISTE"),
        ("commitments", "action_plan_id", "999999"),
        ("metrica_scores", "edition", "2099"),
        ("comments", "parent_id", "999999"),
        ("assessments", "organisation_id", "999999"),
    ],
)
def test_a_row_pointing_at_a_missing_row_fails_validation(tmp_path, table, column, value):
    build_world(1)
    descriptor = extracted(build_open_data_package(), tmp_path)
    rows = rows_of(tmp_path / f"{table}.csv")
    rows[0][column] = value
    write_rows(tmp_path / f"{table}.csv", rows)

    report = frictionless.validate(str(descriptor))

    assert not report.valid
    assert (table.replace("_", "-"), "foreign-key") in errors_of(report)


def test_two_rows_with_the_same_key_fail_validation(tmp_path):
    build_world(2)
    descriptor = extracted(build_open_data_package(), tmp_path)
    rows = rows_of(tmp_path / "states.csv")
    rows[1]["inegi_code"] = rows[0]["inegi_code"]
    write_rows(tmp_path / "states.csv", rows)

    report = frictionless.validate(str(descriptor))

    assert ("states", "primary-key") in errors_of(report)


@pytest.mark.parametrize("resource", OPEN_DATA_RESOURCES, ids=lambda r: r.name)
def test_every_table_has_a_primary_key_and_its_foreign_keys_reference_keys(resource):
    by_name = {r.name: r for r in OPEN_DATA_RESOURCES}
    columns = {column.name for column in resource.columns}
    assert resource.primary_key
    assert set(resource.primary_key) <= columns
    for column in resource.columns:
        if column.references:
            target = by_name[column.references.resource]
            assert target.primary_key == (column.references.field,), column.name


def test_datapackage_declares_licence_homepage_version_sources_and_contributors(settings):
    settings.PORTAL_BASE_URL = "https://estadoabierto.example.mx"
    sources = [
        {"title": "Lista de compromisos", "path": "https://a.example/", "publisher": "OGP"},
        {"title": "Métrica 2019", "path": "https://b.example/", "publisher": "INAI y CIDE"},
        {"title": "Métrica 2017", "path": "https://c.example/", "publisher": "INAI y CIDE"},
    ]

    package = datapackage(
        OPEN_DATA_RESOURCES,
        created=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        sources=sources,
    )

    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Atribución 4.0 Internacional",
        }
    ]
    assert "Términos de Libre Uso MX" in package["description"]
    assert package["homepage"] == "https://estadoabierto.example.mx"
    assert package["version"]
    assert package["sources"] == [
        {"title": "Lista de compromisos", "path": "https://a.example/"},
        {"title": "Métrica 2019", "path": "https://b.example/"},
        {"title": "Métrica 2017", "path": "https://c.example/"},
    ]
    roles = [(c["title"], c["role"]) for c in package["contributors"]]
    assert ("Estado Abierto", "publisher") in roles
    assert ("Equipo de Estado Abierto", "maintainer") in roles
    assert [title for title, role in roles if role == "author"] == ["OGP", "INAI y CIDE"]


def test_sources_are_the_data_files_and_every_source_of_its_facts():
    call_command("load_mexico_ogp", stdout=io.StringIO())
    with open(django_settings.BASE_DIR / "commitments/data/mexico_ogp.json", encoding="utf-8") as f:
        data = json.load(f)

    sources = gather_sources()

    assert sources[0]["title"] == data["source"]
    assert sources[0]["path"].startswith("https://www.opengovpartnership.org/")
    in_file = sorted((row["key"], row["publication"], row["url"]) for row in data["sources"])
    assert [(s["title"], s["path"]) for s in sources[1:]] == [
        (publication, url) for _key, publication, url in in_file
    ]
