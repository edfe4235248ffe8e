"""Benchmark the API's list endpoints against a trivial JSON view, and the CSV export.

Creates (or reuses) a PostgreSQL database, migrates it, fills it with demo
data at realistic scale, starts gunicorn on loopback and runs wrk against
each list URL and the trivial view. Prints requests/s for each and their
ratio to the trivial view; then (with --csv) the wall time and the worker's
peak RSS of the milestones CSV export at 25,000 and 250,000 rows.

    python bench/api/run.py [--workers 2] [--duration 10] [--reseed] [--csv] [--only commitments]
"""

import argparse
import datetime
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ogp_bench_api"
NATIONAL = 87
LOCAL = 2000
MILESTONES = 20000
HISTORY_ROWS = 110000  # the history cursor is measured at depth 100,000
HISTORY_DEPTH = 100000
COMMENTS = 5000
# The CSV export: two plans of their own, one with 25,000 milestones, one with 250,000.
CSV_SIZES = {2030: 25000, 2031: 250000}


def env_for(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.api.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Throttling is measured too (a cache round trip), but must not refuse the load.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def in_process(*, computed=True):
    """Django set up in this process against the bench database, as the server runs it;
    `computed`: the response cache off (every request computed)."""
    os.environ.update(env_for(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)))
    if computed:
        os.environ["API_RESPONSE_CACHE_SECONDS"] = "0"
    else:
        os.environ.pop("API_RESPONSE_CACHE_SECONDS", None)
    import django

    django.setup()


def computed_client(url):
    """Django set up in process with every page computed (in_process), and a test client
    that has asked for `url` once: imports, connection and URL conf warm."""
    in_process(computed=True)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get(url).status_code == 200
    return client


def cpu_seconds(pid, *, user=True, system=True):
    """The CPU time (user + system, or either) a local process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()
    ticks = (int(fields[11]) if user else 0) + (int(fields[12]) if system else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def backend_cpu():
    """A function giving the CPU seconds this process's PostgreSQL backend has used (the
    database must run on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return lambda: cpu_seconds(backend)


def ensure_database(database_url):
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(reseed):
    """A minimal bulk generator (generate_demo_data is being written elsewhere)."""
    import django

    django.setup()
    from django.db import transaction

    from commitments.models import (
        ActionPlan,
        Alignment,
        Commitment,
        Institution,
        Milestone,
        PolicyArea,
        SdgTarget,
    )
    from states.models import State

    if Commitment.objects.exists() and not reseed:
        return "reused"
    rng = random.Random(87)
    with transaction.atomic():
        for model in (
            Alignment,
            Milestone,
            Commitment,
            ActionPlan,
            Institution,
            PolicyArea,
            SdgTarget,
            State,
        ):
            model.objects.all().delete()
        states = State.objects.bulk_create(
            State(
                inegi_code=f"{n:02d}",
                official_name=f"Estado {n}",
                short_name=f"Estado {n}",
                abbreviation=f"E{n:02d}",
                slug=f"estado-{n}",
            )
            for n in range(1, 33)
        )
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Institución {n}",
                acronym=f"I{n}",
                kind="government",
                state=states[n % 32] if n % 3 else None,
            )
            for n in range(300)
        )
        areas = PolicyArea.objects.bulk_create(
            PolicyArea(slug=f"area-{n}", name_en=f"Area {n}", name_es=f"Área {n}")
            for n in range(12)
        )
        targets = SdgTarget.objects.bulk_create(
            SdgTarget(code=f"16.{n}", goal=16, description_es=f"Meta 16.{n}") for n in range(1, 11)
        )
        start = datetime.date(2019, 1, 1)
        national_plan = ActionPlan.objects.create(
            scope="national",
            cycle_year=2019,
            title="Cuarto Plan de Acción",
            start_date=start,
            end_date=datetime.date(2021, 12, 31),
            status="active",
        )
        state_plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                scope="state",
                state=state,
                cycle_year=2022,
                title=f"Plan {state.short_name}",
                start_date=datetime.date(2022, 1, 1),
                end_date=datetime.date(2024, 6, 30),
                status="active",
            )
            for state in states
        )
        commitments = [
            Commitment(
                code=f"MX{n:04d}",
                action_plan=national_plan,
                title_es=f"Compromiso {n}",
                title_en=f"Commitment {n}",
                description="Texto " * 80,
                completion_percent=rng.choice([0, 25, 50, 75, 100]),
            )
            for n in range(NATIONAL)
        ]
        commitments += [
            Commitment(
                code=f"L{n:05d}",
                action_plan=state_plans[n % 32],
                title_es=f"Compromiso local {n}",
                title_en=f"Local commitment {n}",
                description="Texto " * 80,
                completion_percent=rng.choice([0, 10, 60, 100]),
            )
            for n in range(LOCAL)
        ]
        commitments = Commitment.objects.bulk_create(commitments, batch_size=1000)
        lead = Commitment.lead_institutions.through
        support = Commitment.support_institutions.through
        area_link = Commitment.policy_areas.through
        target_link = Commitment.sdg_targets.through
        lead.objects.bulk_create(
            [
                lead(commitment=c, institution=i)
                for c in commitments
                for i in rng.sample(institutions, 2)
            ],
            batch_size=5000,
        )
        support.objects.bulk_create(
            [support(commitment=c, institution=rng.choice(institutions)) for c in commitments],
            batch_size=5000,
        )
        area_link.objects.bulk_create(
            [
                area_link(commitment=c, policyarea=a)
                for c in commitments
                for a in rng.sample(areas, 2)
            ],
            batch_size=5000,
        )
        target_link.objects.bulk_create(
            [target_link(commitment=c, sdgtarget=rng.choice(targets)) for c in commitments],
            batch_size=5000,
        )
        national = commitments[:NATIONAL]
        Alignment.objects.bulk_create(
            [
                Alignment(
                    local_commitment=c, national_commitment=rng.choice(national), kind="replicates"
                )
                for c in commitments[NATIONAL:]
            ],
            batch_size=5000,
        )
        per = MILESTONES // len(commitments)
        extra = MILESTONES - per * len(commitments)
        milestones = []
        for index, commitment in enumerate(commitments):
            for position in range(1, per + (2 if index < extra else 1)):
                status = rng.choice(["not_started", "in_progress", "complete"])
                milestones.append(
                    Milestone(
                        commitment=commitment,
                        position=position,
                        title=f"Hito {position}",
                        status=status,
                        percent_complete=100 if status == "complete" else 30,
                        progress_reported=True,
                    )
                )
        Milestone.objects.bulk_create(milestones, batch_size=5000)
    return f"{len(commitments)} commitments, {len(milestones)} milestones"


def seed_lists(reseed):
    """History rows, comments and indicators for the other list endpoints (once)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from commitments.models import Commitment, Milestone
    from indicators.models import CommitmentIndicator
    from indicators.services import recompute_all
    from ogp_portal.user_text import render_markdown
    from reviews.models import Comment

    History = Milestone.history.model
    if History.objects.count() >= HISTORY_ROWS and not reseed:
        return "reused"
    start = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    copied = [f.attname for f in Milestone._meta.concrete_fields]
    with transaction.atomic():
        History.objects.all().delete()
        Comment.objects.all().delete()
        milestones = list(Milestone.objects.order_by("pk")[:MILESTONES])
        History.objects.bulk_create(
            (
                History(
                    **{name: getattr(milestones[n % len(milestones)], name) for name in copied},
                    history_date=start + datetime.timedelta(seconds=n),
                    history_type="~",
                    changes={"percent_complete": [n % 100, (n + 10) % 100]},
                )
                for n in range(HISTORY_ROWS)
            ),
            batch_size=5000,
        )
        author, _ = get_user_model().objects.get_or_create(username="bench-autora")
        commitments = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
        Comment.objects.bulk_create(
            (
                Comment(
                    commitment_id=commitments[n % len(commitments)],
                    author=author,
                    body=f"Comentario de carga {n}. " * 4,
                    body_html=render_markdown(f"Comentario de carga {n}. " * 4),
                    created_at=start + datetime.timedelta(minutes=n),
                )
                for n in range(COMMENTS)
            ),
            batch_size=5000,
        )
    recompute_all()
    return (
        f"{HISTORY_ROWS} history rows, {COMMENTS} comments, "
        f"{CommitmentIndicator.objects.count()} commitment indicators"
    )


def seed_csv(reseed):
    """Two plans whose milestones are the 25,000- and 250,000-row CSV exports (once)."""
    from django.db import transaction

    from commitments.models import ActionPlan, Commitment, Milestone

    if ActionPlan.objects.filter(cycle_year__in=CSV_SIZES).count() == 2 and not reseed:
        return "reused"
    with transaction.atomic():
        Milestone.objects.filter(commitment__action_plan__cycle_year__in=CSV_SIZES).delete()
        Commitment.objects.filter(action_plan__cycle_year__in=CSV_SIZES).delete()
        ActionPlan.objects.filter(cycle_year__in=CSV_SIZES).delete()
        for year, size in CSV_SIZES.items():
            plan = ActionPlan.objects.create(
                scope="national",
                cycle_year=year,
                title=f"Plan de carga {year}",
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year + 1, 12, 31),
                status="active",
            )
            commitments = Commitment.objects.bulk_create(
                Commitment(
                    code=f"CSV{year}-{n:04d}",
                    action_plan=plan,
                    title_es=f"Compromiso de carga {n}",
                    title_en=f"Load commitment {n}",
                    description="Texto",
                )
                for n in range(size // 100)
            )
            Milestone.objects.bulk_create(
                (
                    Milestone(
                        commitment=commitments[n // 100],
                        position=n % 100 + 1,
                        title=f"Hito de carga {n}",
                        status="in_progress",
                        percent_complete=n % 100,
                        progress_reported=True,
                    )
                    for n in range(size)
                ),
                batch_size=5000,
            )
    return ", ".join(f"CSV plan {year}: {size} milestones" for year, size in CSV_SIZES.items())


def analyze():
    """Planner statistics as a running database has them: the bulk load leaves none until
    autovacuum gets to it (and some machines run PostgreSQL with autovacuum off), and plans
    on default estimates hash whole tables for a page's nested lists."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def history_cursor(depth):
    """The history feed's cursor after `depth` rows (only milestone rows are seeded)."""
    from api.history_feed import Position
    from commitments.models import Milestone

    row = (
        Milestone.history.model.objects.order_by("-history_date", "-history_id")
        .values("history_date", "history_id")[depth - 1 : depth]
        .get()
    )
    return Position(row["history_date"], "milestone", row["history_id"]).encode()


def start_gunicorn(env, workers, port):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ogp_portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=env,
    )


def stop(gunicorn):
    gunicorn.send_signal(signal.SIGTERM)
    gunicorn.wait(timeout=120)


def peak_rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def measure_csv(env, port):
    """Wall time and the worker's peak RSS for each CSV size, a fresh worker each."""
    results = []
    for year, size in CSV_SIZES.items():
        gunicorn = start_gunicorn(env, 1, port)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/bench/trivial/")
            [worker] = (
                Path(f"/proc/{gunicorn.pid}/task/{gunicorn.pid}/children").read_text().split()
            )
            before = peak_rss_kb(worker)
            began = time.monotonic()
            rows = 0
            url = f"{base}/api/v1/milestones/?format=csv&cycle_year={year}"
            with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 (loopback)
                for _line in response:
                    rows += 1
            wall = time.monotonic() - began
            results.append((size, rows - 1, wall, before, peak_rss_kb(worker)))
        finally:
            stop(gunicorn)
    return results


def wait_until_up(url, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def system_cpu():
    """Busy CPU seconds of the whole machine (every state but idle and iowait), /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def pids_of(name):
    found = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


class CpuShare:
    """CPU microseconds a request, by process, while one wrk run lasts: the gunicorn
    workers, Redis, PostgreSQL, wrk itself, and what the machine spent besides (the
    kernel's network work in interrupts, everything else). The processes are looked up at
    each sample: a PostgreSQL backend a worker opened since the last one counts whole."""

    def __init__(self, gunicorn):
        self.gunicorn = gunicorn

    def processes(self):
        master = self.gunicorn.pid
        workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return {
            "workers": [int(pid) for pid in workers],
            "redis": pids_of("redis-server"),
            "postgres": pids_of("postgres"),
        }

    def sample(self):
        """{group: {pid: (user + system, system) CPU seconds}}, and wrk's and the machine's."""

        def spent(pid):
            try:
                return cpu_seconds(pid), cpu_seconds(pid, user=False)
            except OSError:  # a process that has gone
                return None

        own = {
            group: {pid: found for pid in pids if (found := spent(pid)) is not None}
            for group, pids in self.processes().items()
        }
        children = os.times()
        own["wrk"] = children.children_user + children.children_system
        own["machine"] = system_cpu()
        return own

    @staticmethod
    def per_request(before, after, requests):
        def grown(group, part=0):
            old = before[group]
            return sum(
                now[part] - old.get(pid, (0.0, 0.0))[part] for pid, now in after[group].items()
            )

        seconds = {group: grown(group) for group in ("workers", "redis", "postgres")}
        # The workers' time in the kernel apart: sockets (and loopback delivery) are there.
        seconds["(kernel)"] = grown("workers", 1)
        seconds["wrk"] = after["wrk"] - before["wrk"]
        seconds["machine"] = after["machine"] - before["machine"]
        spent = {key: value / requests * 1e6 for key, value in seconds.items()}
        spent["other"] = spent["machine"] - sum(
            v for k, v in spent.items() if k not in ("machine", "(kernel)")
        )
        return spent


def wrk(url, duration, connections, threads):
    output = subprocess.run(
        # A computed page can take seconds on a loaded machine: wrk's 2 s default would
        # count it as an error rather than a slow answer.
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "60s"]
        + ["--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, output, int(errors.group(1)) if errors else 0, requests


def measured(share, url, duration, connections, threads):
    """wrk's figures and the CPU a request cost each process (CpuShare)."""
    before = share.sample()
    rate, output, errors, requests = wrk(url, duration, connections, threads)
    return rate, output, errors, share.per_request(before, share.sample(), requests)


TRIVIAL = "trivial JsonResponse view"


def report_round(found):
    """One round's requests/s, ratios and CPU a request (CpuShare) for each URL."""
    trivial_rate, _, trivial_errors, trivial_cpu = found[TRIVIAL]
    print(f"{TRIVIAL:34} {trivial_rate:9.1f} req/s  (non-2xx: {trivial_errors})")
    for name, (rate, _, errors, _cpu) in found.items():
        if name != TRIVIAL:
            print(
                f"{name + ' (100/page)':34} {rate:9.1f} req/s  ratio {rate / trivial_rate:.3f}"
                f"  (non-2xx: {errors})"
            )
    print("CPU µs a request (machine: all busy CPU; other: kernel interrupts, the rest):")
    columns = list(trivial_cpu)
    print(f"{'':34} " + " ".join(f"{c:>9}" for c in columns))
    for name, (*_, cpu) in found.items():
        print(f"{name[:34]:34} " + " ".join(f"{cpu[c]:9.0f}" for c in columns))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--csv", action="store_true", help="also measure the CSV export")
    parser.add_argument("--only", action="append", help="measure only these lists (names)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the trivial view and the lists this many times in turn (the machine's "
        "speed drifts: a ratio is taken within a round, and the median reported)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    env = env_for(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    ensure_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print("data:", seed(args.reseed))
    print("lists:", seed_lists(args.reseed))
    if args.csv:
        print("csv:", seed_csv(args.reseed))
    analyze()

    base = f"http://127.0.0.1:{args.port}"
    lists = {
        "commitments": "/api/v1/commitments/?page_size=100",
        "milestones": "/api/v1/milestones/?page_size=100",
        "indicators": "/api/v1/indicators/commitments/?page_size=100",
        "comments": "/api/v1/comments/?page_size=100",
        "history, first page": "/api/v1/progress-history/?page_size=100",
        f"history, cursor at {HISTORY_DEPTH:,}": (
            f"/api/v1/progress-history/?page_size=100&cursor={history_cursor(HISTORY_DEPTH)}"
        ),
    }
    if args.only:
        lists = {name: url for name, url in lists.items() if name.split(",")[0] in args.only}
    trivial_url = f"{base}/bench/trivial/"
    load = (args.duration, args.connections, args.threads)
    gunicorn = start_gunicorn(env, args.workers, args.port)
    rounds = []  # each round: {name: (rate, wrk output, non-2xx, CPU a request)}
    try:
        wait_until_up(trivial_url)
        wrk(trivial_url, 2, args.connections, args.threads)  # warm up
        share = CpuShare(gunicorn)
        for _ in range(args.rounds):
            # The trivial view first: slow list requests still queued would slow it down.
            found = {TRIVIAL: measured(share, trivial_url, *load)}
            for name, url in lists.items():
                wrk(base + url, 2, args.connections, args.threads)  # warm caches, connections
                found[name] = measured(share, base + url, *load)
            rounds.append(found)
    finally:
        stop(gunicorn)

    print(
        f"gunicorn workers: {args.workers}, wrk: {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s each, {args.rounds} round(s)"
    )
    for number, found in enumerate(rounds, 1):
        if args.rounds > 1:
            print(f"\nround {number}:")
        report_round(found)
    if args.rounds > 1:
        print("\nmedian ratio to the trivial view of the same round:")
        for name in lists:
            ratios = [found[name][0] / found[TRIVIAL][0] for found in rounds]
            spread = " ".join(f"{ratio:.3f}" for ratio in ratios)
            print(f"{name:34} {statistics.median(ratios):.3f}  ({spread})")
    rates = rounds[0]
    del rates[TRIVIAL]
    first = next(iter(rates.values()))[1]
    print("\nfirst list's latency:\n" + first.split("Latency Distribution")[-1].split("\n\n")[0])

    if args.csv:
        print("\nmilestones CSV export (one worker each, fresh):")
        for size, rows, wall, before, peak in measure_csv(env, args.port):
            print(
                f"{size:>8,} milestones: {rows:,} rows in {wall:6.1f} s, worker peak RSS "
                f"{peak / 1024:6.1f} MB (at start {before / 1024:.1f} MB)"
            )


if __name__ == "__main__":
    main()
