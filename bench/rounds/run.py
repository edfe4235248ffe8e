"""Closing a reporting round over ~10,000 commitments / ~100,000 milestones on PostgreSQL,
and the round's board at 100 and at 10,000 commitments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/rounds/run.py

DATABASE_URL only names the server: the bench creates its own database (ogp_bench_rounds),
migrates it, fills it with `generate_demo_data --scale 5`, gives every milestone a history
row from before the deadline (and a tenth of them a second one after it, which the frozen
record must ignore), and drops the database at the end. Goals (issue 14): close ≤ 10 s with
a number of statements that does not grow with the round; board at 10,000 ≤ 1.5× at 100.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.indicators.run import recreate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = "ogp_bench_rounds"


def timed(action, *, repeat=1):
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
    os.environ.pop("REDIS_URL", None)
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-to-serve-0123456789")
    # The test settings: plain static files storage (no collectstatic manifest needed).
    os.environ["DJANGO_SETTINGS_MODULE"] = "ogp_portal.settings.test"

    import bench.indicators.run as indicators_bench

    indicators_bench.BENCH_DB = BENCH_DB  # recreate() names the database from there
    recreate(server)
    try:
        import django

        django.setup()
        run(options)
    finally:
        from django.db import connections

        connections.close_all()
        recreate(server, drop_only=True)


def add_history(*, before, after):
    """A history row per milestone dated `before`; a second one for every tenth dated `after`
    with the milestone at 100 % (an edit after the deadline the freeze must not see)."""
    from django.db import connection

    from commitments.models import Milestone

    history = Milestone.history.model._meta.db_table
    columns = [
        "id", "changes", "created_at", "updated_at", "position", "title", "start_date",
        "due_date", "weight", "status", "percent_complete", "progress_reported",
        "actual_start_date", "actual_end_date", "narrative", "version", "commitment_id",
    ]  # fmt: skip
    listed = ", ".join(columns)
    selected = ", ".join("'{}'" if c == "changes" else c for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history} ({listed}, history_date, history_type) "  # noqa: S608
            f"SELECT {selected}, %s, '+' FROM commitments_milestone",
            [before],
        )
        cursor.execute(
            f"INSERT INTO {history} ({listed}, history_date, history_type) "  # noqa: S608
            f"SELECT {selected.replace('percent_complete', '100')}, %s, '~' "
            "FROM commitments_milestone WHERE MOD(id, 10) = 0",
            [after],
        )
        cursor.execute(
            "UPDATE commitments_milestone SET created_at = %s WHERE created_at > %s",
            [before, before],
        )
        cursor.execute("VACUUM ANALYZE")


def board_time(client, round_, repeat):
    url = round_.get_absolute_url()

    def get():
        response = client.get(url, {"agrupar": "institucion"})
        assert response.status_code == 200, response.status_code
        return response

    return timed(get, repeat=repeat)


def run(options):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from commitments.models import Commitment, Milestone
    from coordination import round_services as services
    from coordination.models import FrozenCommitment, FrozenMilestone, ReportingRound

    setup_test_environment()  # the test client, ALLOWED_HOSTS=testserver
    call_command("migrate", verbosity=0)
    print(f"Generating demo data (scale {options.scale}, seed {options.seed})…", flush=True)
    with open(os.devnull, "w") as quiet:
        call_command(
            "generate_demo_data",
            scale=options.scale,
            seed=options.seed,
            allow_real_database=True,
            stdout=quiet,
        )
    today = timezone.localdate()
    deadline = today - datetime.timedelta(days=1)
    before = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(12)))
    add_history(
        before=before - datetime.timedelta(days=3), after=before + datetime.timedelta(hours=14)
    )
    milestones, commitments = Milestone.objects.count(), Commitment.objects.count()
    print(f"  {milestones:,} milestones, {commitments:,} commitments\n")

    staff = get_user_model().objects.create(username="bench-staff", is_staff=True)
    client = Client()
    ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))

    def open_round(name, chosen):
        return services.open_round(
            user=staff,
            name=name,
            scope=ReportingRound.Scope.COMMITMENTS,
            commitments=chosen,
            opens_on=deadline - datetime.timedelta(days=30),
            deadline=deadline,
            validation_ends_on=today + datetime.timedelta(days=10),
        )

    small = open_round("Bench 100", ids[:100])
    small_best, small_median, _ = board_time(client, small, options.repeat)
    with CaptureQueriesContext(connection) as small_queries:
        services.close_round(round=small, user=staff)

    opened, _, large = timed(lambda: open_round("Bench all", ids))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large_best, large_median, _ = board_time(client, large, options.repeat)
    with CaptureQueriesContext(connection) as board_queries:
        client.get(large.get_absolute_url(), {"agrupar": "institucion"})

    with CaptureQueriesContext(connection) as large_queries:
        closed, _, _ = timed(lambda: services.close_round(round=large, user=staff))
    frozen_m = FrozenMilestone.objects.filter(round=large).count()
    frozen_c = FrozenCommitment.objects.filter(round=large).count()
    # Every tenth milestone has a history row at 100 % dated after the deadline.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM coordination_frozenmilestone WHERE round_id = %s "
            "AND MOD(milestone_id, 10) = 0 AND percent_complete = 100",
            [large.pk],
        )
        frozen_full = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM commitments_milestone WHERE MOD(id, 10) = 0 "
            "AND percent_complete = 100"
        )
        live_full = cursor.fetchone()[0]
    print(f"Open a round over {len(ids):,} commitments        {opened * 1000:9.1f} ms")
    print(
        f"Close (freeze) {frozen_c:,} commitments / {frozen_m:,} milestones "
        f"{closed * 1000:9.1f} ms  in {len(large_queries.captured_queries)} statements "
        f"(a 100-commitment round: {len(small_queries.captured_queries)})"
    )
    print(
        f"  every tenth milestone at 100 % in the frozen record: {frozen_full:,} "
        f"(as before the deadline: {live_full:,}; the later edits are not in it)"
    )
    for query in large_queries.captured_queries:
        print(f"    {float(query['time']) * 1000:8.1f} ms  {' '.join(query['sql'].split())[:90]}")
    print(
        f"Board page at 100 commitments    best {small_best * 1000:8.1f} ms"
        f"  median {small_median * 1000:8.1f} ms"
    )
    print(
        f"Board page at {len(ids):,} commitments best {large_best * 1000:8.1f} ms"
        f"  median {large_median * 1000:8.1f} ms  ({len(board_queries.captured_queries)} queries)"
    )
    for query in board_queries.captured_queries:
        print(f"    {float(query['time']) * 1000:8.1f} ms  {' '.join(query['sql'].split())[:90]}")
    print(f"Ratio board 10,000 / 100: {large_median / small_median:.2f}× (goal ≤ 1.5×)")


if __name__ == "__main__":
    main()
