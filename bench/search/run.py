"""Benchmark the portal search on PostgreSQL against a bare tsquery SELECT on the same index.

Creates (or reuses) a PostgreSQL database, migrates it, fills it with
`generate_demo_data --scale 5` (10,000 local commitments, about 100,000
milestones), then times, in this process (what the
server spends: Python and SQL), for single words and three-word phrases:

- `search.selectors.search(q)`: counts per kind + the ranked page of 20 with snippets;
- the bare `SELECT id FROM search_searchentry WHERE document_es @@ q
  ORDER BY ts_rank_cd(document_es, q) DESC LIMIT 20` over the same index;
- the commitments list's `q` (count and a page of 20, best match first), for reference.

Prints p50/p95 in milliseconds for each and the ratio (goals: search p95 <= 50 ms,
<= 2x the bare SELECT).

    python bench/search/run.py [--database-url postgres://...] [--scale 5] [--repeat 40]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ogp_h18"

SINGLE_WORDS = [
    "participación",
    "transparencia",
    "presupuestos",
    "corrupcion",
    "juventudes",
    "parlamento",
    "Jalisco",
    "capacitación",
]
PHRASES = [
    '"transparencia en salud"',
    "presupuesto participativo Jalisco",
    "datos abiertos obra",
    "seguridad pública Puebla",
    "capacitación servidores públicos",
    '"mesa de cocreación"',
]


def ensure_database(database_url):
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function, repeat):
    function()  # warm: plans, caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--scale", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from commitments.models import Commitment, Milestone
    from search import selectors
    from search.models import SearchEntry

    call_command("migrate", verbosity=0)
    if not Commitment.objects.filter(code__startswith="DEMO-").exists():
        started = time.perf_counter()
        call_command("generate_demo_data", scale=args.scale, allow_real_database=True)
        print(f"generate_demo_data --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    print(
        f"{Commitment.objects.count():,} commitments, {Milestone.objects.count():,} milestones,"
        f" {SearchEntry.objects.count():,} search entries"
    )

    def bare(query, hint=""):
        with connection.cursor() as cursor:
            cursor.execute(
                hint + "SELECT id FROM search_searchentry,"
                " websearch_to_tsquery('es_unaccent', %s) q WHERE document_es @@ q"
                " ORDER BY ts_rank_cd(document_es, q) DESC LIMIT 20",
                [query],
            )
            return cursor.fetchall()

    print(
        f"\n{'query':34} {'matches':>8} {'search p50':>10} {'p95':>6}"
        f" {'bare p50':>9} {'p95':>6} {'bare GIN p50':>12} {'p95':>6}"
    )
    summary = {}
    for label, queries in (("single words", SINGLE_WORDS), ("three-word queries", PHRASES)):
        runs = {"search": [], "bare": [], "gin": []}
        for query in queries:
            total = selectors.search(query).total
            samples = {
                "search": timed(lambda q=query: selectors.search(q), args.repeat),
                # The planner's own choice, then the same hint the search gives it.
                "bare": timed(lambda q=query: bare(q), args.repeat),
                "gin": timed(lambda q=query: bare(q, selectors.PREFER_INDEX), args.repeat),
            }
            line = f"{query:34} {total:>8,}"
            for name, width in (("search", 10), ("bare", 9), ("gin", 12)):
                runs[name] += samples[name]
                line += f" {statistics.median(samples[name]):>{width}.1f}"
                line += f" {percentile(samples[name], 0.95):>6.1f}"
            print(line)
        summary[label] = {name: percentile(values, 0.95) for name, values in runs.items()}
    # The commitments list's `q` (and the API's `search`): the page of 20 ranked best first
    # with its count, typo fallback included ("Jaliso"; "capacitación" matches no commitment).
    from commitments.selectors import search_commitments

    def list_page(query):
        found = search_commitments(q=query)
        return found.count(), list(found[:20])

    print(f"\n{'commitments list q':34} {'matches':>8} {'p50':>10} {'p95':>6}")
    for query in [*SINGLE_WORDS, "Jaliso", "datos abiertos obra"]:
        samples = timed(lambda q=query: list_page(q), args.repeat)
        print(
            f"{query:34} {list_page(query)[0]:>8,} {statistics.median(samples):>10.1f}"
            f" {percentile(samples, 0.95):>6.1f}"
        )
    print()
    for label, p95 in summary.items():
        print(
            f"{label}: search p95 {p95['search']:.1f} ms; bare SELECT p95 {p95['bare']:.1f} ms"
            f" (planner's plan), {p95['gin']:.1f} ms (GIN bitmap); ratio"
            f" {p95['search'] / p95['bare']:.2f} / {p95['search'] / p95['gin']:.2f}"
            " (goals: <= 50 ms, <= 2.0)"
        )


if __name__ == "__main__":
    main()
