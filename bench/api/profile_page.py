"""Profile one computed API page (no response cache) with cProfile, in process.

Uses the database `run.py` seeded (run it once first). Prints the functions with the
most cumulative and own time over `--requests` requests of the page.

    python bench/api/profile_page.py [--url /api/v1/commitments/?page_size=100] [--requests 20]
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/api/v1/commitments/?page_size=100")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", help="also save the raw stats here (for pstats/snakeviz)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.api.run import computed_client

    client = computed_client(args.url)
    from django.db import connection

    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        client.get(args.url)

    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.url)
    profiler.disable()
    per_request = (time.perf_counter() - began) / args.requests * 1000
    print(f"{args.url}: {per_request:.1f} ms per request under cProfile, {len(queries)} queries")
    if args.out:
        profiler.dump_stats(args.out)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(out.getvalue().split("\n", 4)[-1])


if __name__ == "__main__":
    main()
