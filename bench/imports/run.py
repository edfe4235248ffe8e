"""Milestone imports of 10,000 and 100,000 rows (CSV and XLSX) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/imports/run.py [--sizes 10000 100000]

DATABASE_URL only says which server to use: the bench creates its own database
(ogp_bench_imports), migrates it, adds one state plan with 10,000 commitments, writes
the files, and drops the database at the end. Each file goes the way an upload goes: stored
as a batch, its dry run (imports.runs.check_batch, which leaves the decoded rows in a
spool beside the upload), then its apply (apply_batch, which reads that spool), each in a
process of its own, so that its peak RSS is its own; "again" is the same file uploaded,
checked and applied a second time (every row unchanged; its apply is shown). It prints
wall time, peak RSS and SQL queries per 1,000 rows.
"""

import argparse
import csv
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = os.getenv("BENCH_DB", "ogp_bench_imports")
COMMITMENTS = 10_000
HEADER = [
    "commitment",
    "position",
    "title",
    "start_date",
    "due_date",
    "weight",
    "status",
    "percent_complete",
    "narrative",
]


def admin(url, statement):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.test")
    import django

    django.setup()


def seed():
    """One state, one local plan, 10,000 commitments, one staff person."""
    from django.contrib.auth import get_user_model

    from commitments.models import ActionPlan, Commitment
    from states.models import State

    state = State.objects.create(
        inegi_code="14",
        official_name="Jalisco",
        short_name="Jalisco",
        abbreviation="JAL",
        slug="jalisco",
    )
    plan = ActionPlan.objects.create(
        scope="state",
        state=state,
        cycle_year=2030,
        title="Plan de banco de pruebas",
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2032, 12, 31),
        status="active",
    )
    Commitment.objects.bulk_create(
        Commitment(code=f"BEN{i:05d}", action_plan=plan, title_es=f"Compromiso {i}")
        for i in range(COMMITMENTS)
    )
    get_user_model().objects.create_user("banco", is_staff=True)


def rows(count):
    per = max(1, count // COMMITMENTS)
    statuses = ["not_started", "in_progress", "complete", "withdrawn"]
    for n in range(count):
        status = statuses[n % 4]
        percent = {"not_started": 0, "in_progress": 40, "complete": 100, "withdrawn": 10}[status]
        yield [
            f"BEN{n // per % COMMITMENTS:05d}",
            n % per + 1 + (n // (per * COMMITMENTS)) * per,
            f"Hito {n} con un título de longitud habitual para un plan local",
            "2030-02-01",
            "2031-06-30",
            1 + n % 3,
            status,
            percent,
            "Avance reportado por la secretaría técnica local." if n % 2 else "",
        ]


def write_files(folder, count):
    from openpyxl import Workbook

    csv_path = folder / f"hitos-{count}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))
    xlsx_path = folder / f"hitos-{count}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    workbook.save(xlsx_path)
    return [csv_path, xlsx_path]


def peak_rss_mb():
    """This process's peak RSS. Not getrusage: Linux carries ru_maxrss over from the parent
    across fork and exec, so a child would report the bench's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def one(path, batch_id):
    """Run in a child process: the dry run of a new batch of `path` (upload, then check),
    or the apply of batch `batch_id` after its dry run; printed as JSON."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.db import connection

    from imports import runs, services
    from imports.models import ImportBatch

    user = get_user_model().objects.get(username="banco")
    if batch_id is None:
        # The upload is stored as batches.submit_file stores it, outside the timing.
        batch = ImportBatch.objects.create(user=user, kind="milestones", file_name=path.name)
        with path.open("rb") as handle:
            batch.file.save(path.name, File(handle), save=True)
    else:
        batch = ImportBatch.objects.get(pk=batch_id)
        assert runs.claim_apply(batch=batch, user=user)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # COPY does not pass through Django's execute wrappers: counted here, one per COPY.
    copy_rows = services._copy_rows

    def counted_copy(*args, **kwargs):
        nonlocal queries
        queries += 1
        return copy_rows(*args, **kwargs)

    services._copy_rows = counted_copy
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        if batch_id is None:
            runs.check_batch(batch_id=batch.pk)
        else:
            runs.apply_batch(batch_id=batch.pk)
    seconds = time.perf_counter() - started
    batch.refresh_from_db()
    outcome = batch.outcome
    print(
        json.dumps(
            {
                "batch": batch.pk,
                "status": batch.status,
                "seconds": round(seconds, 2),
                "rss_mb": peak_rss_mb(),
                "queries": queries,
                "rows": outcome["rows"],
                "created": outcome["created"],
                "updated": outcome["updated"],
                "unchanged": outcome["unchanged"],
                "errors": outcome["error_count"],
                "applied": outcome["applied"],
            }
        )
    )


def child(path, batch_id=None):
    command = [sys.executable, __file__, "--one", str(path)]
    if batch_id is not None:
        command += ["--apply", str(batch_id)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def upload_check_apply(path):
    """The real flow: a dry run in one process, then its apply in another."""
    check = child(path)
    assert check["status"] == "checked" and not check["errors"], check
    apply = child(path, check["batch"])
    assert apply["status"] == "applied", apply
    return check, apply


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one")
    parser.add_argument("--apply", type=int, help="the batch whose apply to run")
    options = parser.parse_args()
    if options.one:
        return one(Path(options.one), options.apply)

    server = os.getenv("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://user@host:port/any-db (the bench makes its own).")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{BENCH_DB}"))
    os.environ.pop("REDIS_URL", None)
    # The recompute the apply requests runs in a worker, not inside the timed import.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    # The uploads and their spools, shared by the dry run's and the apply's processes.
    media = tempfile.TemporaryDirectory()
    os.environ["MEDIA_ROOT"] = media.name
    admin(server, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    admin(server, f"CREATE DATABASE {BENCH_DB}")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        seed()
        connection.close()
        print("| file | rows | run | seconds | peak RSS (MB) | queries | per 1,000 rows |")
        print("|---|---:|---|---:|---:|---:|---:|")
        with tempfile.TemporaryDirectory() as folder:
            for count in options.sizes:
                for path in write_files(Path(folder), count):
                    check, apply = upload_check_apply(path)
                    _, again = upload_check_apply(path)
                    for label, result in (("dry run", check), ("apply", apply), ("again", again)):
                        per = result["queries"] / (result["rows"] / 1000)
                        print(
                            f"| {path.suffix[1:]} | {result['rows']:,} | {label} "
                            f"({result['created']:,} new, {result['unchanged']:,} same) | "
                            f"{result['seconds']} | {result['rss_mb']} | "
                            f"{result['queries']:,} | {per:.1f} |",
                            flush=True,
                        )
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "TRUNCATE commitments_milestone, commitments_historicalmilestone, "
                            "indicators_recomputerequest CASCADE"
                        )
                    connection.close()
    finally:
        from django.db import connections

        connections.close_all()
        admin(server, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        media.cleanup()


if __name__ == "__main__":
    main()
