"""Large files run as Celery tasks; the page shows their progress without JavaScript."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Milestone
from imports import batches, spools
from imports.models import ImportBatch
from tests.commitments.worlds import build_world
from tests.indicators.test_celery_worker import celery_worker, wait_for  # noqa: F401

from .helpers import MILESTONE_HEADER, csv_bytes


def big_file(positions=range(3, 403)):
    rows = [MILESTONE_HEADER]
    rows += [["JAL9001", str(p), f"Hito {p}", "", "2031-06-30", "", "", "", ""] for p in positions]
    return csv_bytes(rows)


def test_a_large_file_shows_a_refreshing_progress_bar_while_it_is_checked(client, world, settings):
    settings.IMPORT_BACKGROUND_FROM_BYTES = 1024
    client.force_login(world.users["state_editor"])
    # In a test transaction the task waits for a commit that never comes: it stays running.
    client.post(
        reverse("imports:start"),
        {"kind": "milestones", "file": SimpleUploadedFile("grande.csv", big_file())},
    )
    batch = ImportBatch.objects.get()
    page = client.get(batch.get_absolute_url())
    assert batch.status == "checking"
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert "<progress" in page.text and "Recargar" in page.text


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """The worker process reads the upload from the same folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))


@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_worker_checks_and_applies_a_large_file(shared_media, celery_worker):  # noqa: F811
    worker, log = celery_worker
    world = build_world()
    editor = world.users["state_editor"]
    upload = SimpleUploadedFile("grande.csv", big_file())

    batch = batches.submit_file(user=editor, kind="milestones", upload=upload, background=True)
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == "checked", worker, log)
    batch.refresh_from_db()
    assert batch.outcome["created"] == 400 and batch.rows_expected
    assert not Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()
    # The worker left the rows it decoded beside the upload, for the apply to read.
    spool = spools.spool_name(batch.file.name)
    assert batch.file.storage.exists(spool)

    assert batches.confirm_batch(batch=batch, user=editor, background=True)
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == "applied", worker, log)

    assert world.local_commitment.milestones.count() == 402
    assert world.local_commitment.milestones.get(position=3).history.get().history_user == editor
    batch.refresh_from_db()
    assert not batch.file  # the upload was kept until the apply ended, then deleted
    assert not default_storage.exists(spool)
