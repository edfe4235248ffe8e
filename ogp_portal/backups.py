"""Backup and restore of the whole portal: the database and the uploaded files (media).

A backup is one tar file holding
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite,
  through sqlite3's online backup API, consistent while the portal runs);
- `media/`, every file under MEDIA_ROOT;
- `manifest.json`: when, which engine, the row count of every table, a SHA-256 of the
  data of every table (rows in primary-key order) and of every media file.

A restore puts the database back (`pg_restore --clean --single-transaction` into the
configured database; the SQLite backup API over it), writes the media files back, then
counts and hashes again and refuses to call it done unless every figure matches the
manifest.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .outbox import data_changed

FORMAT = 1


class BackupError(Exception):
    """The backup or restore could not be made, or does not match its manifest."""


@dataclass(frozen=True)
class Figures:
    rows: dict  # table -> row count
    tables: dict  # table -> sha256 of its rows
    media: dict  # relative path -> sha256

    def as_dict(self):
        return {"rows": self.rows, "tables": self.tables, "media": self.media}


def _models():
    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        yield model
    # Tables without a model of their own are not part of the portal's data.


def table_figures():
    """Row count and a SHA-256 of the rows, per table, each table read in key order."""
    rows, tables = {}, {}
    for model in sorted(_models(), key=lambda m: m._meta.db_table):
        columns = [field.attname for field in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        values = model._base_manager.order_by("pk").values_list(*columns)
        for row in values.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
            digest.update(b"\n")
            count += 1
        rows[model._meta.db_table] = count
        tables[model._meta.db_table] = digest.hexdigest()
    return rows, tables


def _file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_figures(root):
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): _file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def figures():
    rows, tables = table_figures()
    return Figures(rows=rows, tables=tables, media=media_figures(settings.MEDIA_ROOT))


def _on_postgresql():
    return connection.vendor == "postgresql"


def _pg_environment():
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    return env


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(folder, *, snapshot=None):
    if _on_postgresql():
        target = folder / "database.dump"
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        if snapshot:
            command.append(f"--snapshot={snapshot}")
        _run([*command, "--file", str(target)], env=_pg_environment())
        return target.name
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    raise BackupError(f"no backup for the {connection.vendor} database")


def _restore_database(folder, name):
    if name == "database.dump":
        if not _on_postgresql():
            raise BackupError("a PostgreSQL backup restores only into PostgreSQL")
        connection.close()  # no session of ours holds a lock on the tables dropped
        _run(
            ["pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner"]
            + ["--no-privileges", "--exit-on-error", "--dbname", _pg_environment()["PGDATABASE"]]
            + [str(folder / name)],
            env=_pg_environment(),
        )
        return
    if connection.vendor != "sqlite":
        raise BackupError("an SQLite backup restores only into SQLite")
    connection.ensure_connection()
    source = sqlite3.connect(folder / name)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def create_backup(*, output_dir):
    """Write a backup of the database and media into output_dir; return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    archive = output_dir / f"estado-abierto-{stamp}.tar"
    # On SQLite the online backup API copies from the live connection, outside a transaction.
    consistent = transaction.atomic() if _on_postgresql() else contextlib.nullcontext()
    with tempfile.TemporaryDirectory() as scratch, consistent:
        folder = Path(scratch)
        snapshot = None
        if _on_postgresql():
            # The dump and the figures read one snapshot: writes while the backup runs
            # are in neither. (SQLite: counted right after the copy.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        database = _dump_database(folder, snapshot=snapshot)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": database,
            **figures().as_dict(),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(folder / "manifest.json", arcname="manifest.json")
            tar.add(folder / database, arcname=database)
            media_root = Path(settings.MEDIA_ROOT)
            for relative in manifest["media"]:
                tar.add(media_root / relative, arcname=f"media/{relative}")
        partial.rename(archive)
    return archive


def read_manifest(archive):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def compare(manifest, now):
    """The differences between a manifest and the figures now, in words (empty: none)."""
    problems = []
    for table, count in manifest["rows"].items():
        if now.rows.get(table) != count:
            problems.append(f"{table}: {now.rows.get(table)} rows, the backup has {count}")
        elif now.tables.get(table) != manifest["tables"][table]:
            problems.append(f"{table}: same row count, different data")
    for path, digest in manifest["media"].items():
        if now.media.get(path) != digest:
            problems.append(f"media/{path}: missing or different")
    return problems


def restore_backup(*, archive):
    """Put the backup's database and media back, then check them against its manifest."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
        _restore_database(folder, manifest["database"])
        media_root = Path(settings.MEDIA_ROOT)
        for relative in manifest["media"]:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / "media" / relative, target)
    problems = compare(manifest, figures())
    if problems:
        raise BackupError("the restored data does not match the backup: " + "; ".join(problems))
    data_changed()  # the API's cached answers are of the data before the restore
    return manifest
