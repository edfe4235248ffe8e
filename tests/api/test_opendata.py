import csv
import io
import json
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from api import exports
from api.opendata import KEEP, build_open_data_package, package_names
from api.tasks import build_open_data
from tests.factories import CommitmentFactory, MilestoneFactory

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
    assert set(by_path) == {f"{r.name}.csv" for r in exports.OPEN_DATA_RESOURCES}
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
