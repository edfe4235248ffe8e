"""Full indicator recompute over ~100,000 milestones on PostgreSQL, beside a raw SQL GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/indicators/run.py

DATABASE_URL only says which server to use: the bench creates its own database
(ogp_bench_indicators), migrates it, fills it with `generate_demo_data`, and
drops it at the end. It prints the full recompute, the raw GROUP BY over the
same milestones in the same run, their ratio (goal ≤ 3×), and one incremental
recompute (a commitment with its plan, state and the nation).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = "ogp_bench_indicators"
RAW_SQL = """
    SELECT commitment_id, SUM(weight * percent_complete) / NULLIF(SUM(weight), 0)
    FROM commitments_milestone
    WHERE status <> 'withdrawn'
    GROUP BY commitment_id
"""


def admin_connection(url):
    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def recreate(url, *, drop_only=False):
    admin = admin_connection(url)  # not `with`: psycopg2 would open a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            if not drop_only:
                cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    finally:
        admin.close()


def timed(action, *, repeat=1):
    """Best wall-clock time of `repeat` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=5.0, help="5 ≈ 100,000 milestones")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    server = os.getenv("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://user@host:port/any-db (the bench makes its own).")
    parts = urlsplit(server)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.pop("REDIS_URL", None)  # tasks are not involved: services are called directly
    os.environ["DEBUG"] = "0"  # no query log in memory
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-to-serve-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ogp_portal.settings.base"
    sys.path.insert(0, str(ROOT))

    recreate(server)
    try:
        import django

        django.setup()
        run(options)
    finally:
        from django.db import connections

        connections.close_all()
        recreate(server, drop_only=True)


def run(options):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from commitments.models import Alignment, Commitment, Milestone
    from indicators.services import recompute_all, recompute_commitments

    call_command("migrate", verbosity=0)
    print(f"Generating demo data (scale {options.scale}, seed {options.seed})…", flush=True)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        # The bench's own throwaway database, not the demo's: say so explicitly.
        call_command(
            "generate_demo_data",
            scale=options.scale,
            seed=options.seed,
            allow_real_database=True,
            stdout=quiet,
        )
    print(f"  generated in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    milestones, commitments = Milestone.objects.count(), Commitment.objects.count()
    print(f"  {milestones:,} milestones, {commitments:,} commitments\n")

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL)
            return len(cursor.fetchall())

    cold, _, first = timed(recompute_all)
    # The first pass inserted every indicator and rewrote every cached percent: do what
    # autovacuum does within a minute of that (the nightly pass never runs on those
    # dead rows and unset hint bits).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    full, full_median, summary = timed(recompute_all, repeat=options.repeat)
    # The nightly pass: each run a day later than the one before (milestones fall due,
    # commitments turn stale), as the beat schedule runs it.
    now = timezone.now()
    days = iter(range(1, options.repeat + 1))
    nights = []

    def next_night():
        nights.append(recompute_all(now=now + datetime.timedelta(days=next(days))).written)

    nightly, nightly_median, _ = timed(next_night, repeat=options.repeat)
    raw_best, raw_median, rows = timed(raw, repeat=options.repeat)
    local = (
        Alignment.objects.filter(kind=Alignment.Kind.REPLICATES)
        .values_list("local_commitment_id", flat=True)
        .first()
    )
    one, one_median, _ = timed(
        lambda: recompute_commitments(commitment_ids=[local]), repeat=options.repeat
    )

    print(
        f"Raw SQL GROUP BY ({rows:,} rows)           best {raw_best * 1000:8.1f} ms"
        f"  median {raw_median * 1000:8.1f} ms"
    )
    print(f"Full recompute, first ({first.written:,} rows written){'':6} {cold * 1000:8.1f} ms")
    print(
        f"Full recompute, again ({summary.written:,} rows written)"
        f"{'':7} best {full * 1000:8.1f} ms  median {full_median * 1000:8.1f} ms"
    )
    print(
        f"Full recompute, each a day later      best {nightly * 1000:8.1f} ms"
        f"  median {nightly_median * 1000:8.1f} ms"
        f"  (rows written: {', '.join(f'{n:,}' for n in nights)})"
    )
    print(
        f"  {summary.commitments:,} commitments, {summary.scopes:,} scopes, "
        f"{summary.snapshots:,} snapshots"
    )
    print(
        f"Ratio full / raw: {full / raw_best:.1f}× (a day later {nightly / raw_best:.1f}×, "
        f"first run {cold / raw_best:.1f}×; goal ≤ 3×)"
    )
    print(
        f"Incremental (1 commitment + plan, state, nation) best {one * 1000:.1f} ms"
        f"  median {one_median * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
