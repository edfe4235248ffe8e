"""Benchmark the commitments list against a trivial JSON view.

Creates (or reuses) a PostgreSQL database, migrates it, fills it with demo
data at realistic scale, starts gunicorn on loopback and runs wrk against
both URLs. Prints requests/s for each and their ratio (goal: >= 0.5).

    python bench/api/run.py [--workers 2] [--duration 10] [--reseed]
"""

import argparse
import datetime
import os
import random
import re
import shutil
import signal
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


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def wrk(url, duration, connections, threads):
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, output, int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    env = env_for(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    ensure_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print("data:", seed(args.reseed))

    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ogp_portal.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    list_url = f"{base}/api/v1/commitments/?page_size=100"
    trivial_url = f"{base}/bench/trivial/"
    try:
        wait_until_up(trivial_url)
        for url in (list_url, trivial_url):  # warm up caches and connections
            wrk(url, 2, args.connections, args.threads)
        list_rate, list_out, list_errors = wrk(
            list_url, args.duration, args.connections, args.threads
        )
        trivial_rate, _, trivial_errors = wrk(
            trivial_url, args.duration, args.connections, args.threads
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    print(
        f"gunicorn workers: {args.workers}, wrk: {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s each"
    )
    print(f"commitments list (100/page): {list_rate:9.1f} req/s  (non-2xx: {list_errors})")
    print(f"trivial JsonResponse view:   {trivial_rate:9.1f} req/s  (non-2xx: {trivial_errors})")
    ratio = list_rate / trivial_rate
    print(
        f"ratio list/trivial: {ratio:.2f}  (goal >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print("\nlist latency:\n" + list_out.split("Latency Distribution")[-1].split("\n\n")[0])


if __name__ == "__main__":
    main()
