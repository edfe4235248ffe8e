"""Backup and restore drill: what a backup holds comes back exactly, rows and files.

The drill backs up a small portal (plans, commitments, milestones with history,
comments, accounts, uploaded files), then damages it as an operator's bad day would
(rows deleted, a value changed, a row added, a file lost and another overwritten),
restores, and compares the row count and a checksum of every table, and of every file,
with the figures taken before. Runs on SQLite (the backup API) and on PostgreSQL
(pg_dump / pg_restore) alike.
"""

import json
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Commitment, Milestone
from ogp_portal.backups import figures, read_manifest
from reviews.models import Comment
from tests.factories import CommentFactory, CommitmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for number in range(3):
        commitment = CommitmentFactory(code=f"MXB{number}")
        for position in (1, 2):
            milestone = MilestoneFactory(commitment=commitment, position=position)
            milestone.percent_complete = 30 * position
            milestone.save()  # a history row too
        CommentFactory(commitment=commitment, author=UserFactory(), body="Bien **hecho**")
    evidence = settings.MEDIA_ROOT / "evidencias" / "2030"
    evidence.mkdir(parents=True)
    (evidence / "acta.pdf").write_bytes(b"%PDF-1.4 acta de la mesa\n" * 50)
    (evidence / "fotos.zip").write_bytes(bytes(range(256)) * 40)
    return settings.MEDIA_ROOT


def back_up(tmp_path):
    call_command("backup_portal", output_dir=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("estado-abierto-*.tar")
    return archive


def damage(media_root):
    Milestone.objects.filter(commitment__code="MXB0").delete()
    Commitment.objects.filter(code="MXB1").update(title_es="Cambiado por error")
    CommitmentFactory(code="MXB9")
    Comment.objects.all().delete()
    (media_root / "evidencias" / "2030" / "acta.pdf").unlink()
    (media_root / "evidencias" / "2030" / "fotos.zip").write_bytes(b"otra cosa")


def test_the_restore_drill_brings_back_every_row_and_file(portal, tmp_path):
    before = figures()
    archive = back_up(tmp_path)
    damage(portal)
    assert figures() != before

    call_command("restore_portal", str(archive), yes=True)

    after = figures()
    assert after.rows == before.rows
    assert after.tables == before.tables
    assert after.media == before.media
    assert before.rows["commitments_milestone"] == 6
    assert before.rows["reviews_comment"] == 3
    assert set(before.media) == {"evidencias/2030/acta.pdf", "evidencias/2030/fotos.zip"}
    assert Commitment.objects.get(code="MXB1").title_es != "Cambiado por error"


def test_the_manifest_records_counts_checksums_and_engine(portal, tmp_path):
    from django.db import connection

    manifest = read_manifest(back_up(tmp_path))

    assert manifest["engine"] == connection.vendor
    assert manifest["rows"]["commitments_commitment"] == 3
    assert len(manifest["tables"]["commitments_commitment"]) == 64
    assert manifest["database"] in {"database.dump", "database.sqlite3"}


def test_a_backup_that_does_not_match_its_manifest_is_refused(portal, tmp_path):
    archive = back_up(tmp_path)
    tampered = tmp_path / "tampered.tar"
    manifest = read_manifest(archive)
    manifest["rows"]["commitments_commitment"] = 4  # what the restored data will not have
    folder = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with tarfile.open(tampered, "w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(folder).as_posix())
    shutil.rmtree(folder)

    with pytest.raises(CommandError, match="commitments_commitment: 3 rows, the backup has 4"):
        call_command("restore_portal", str(tampered), yes=True)
