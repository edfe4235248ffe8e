"""CPU of one computed API page with prepared statements off and on, in one process.

Blocks of requests alternate DATABASE_PREPARED_STATEMENTS off/on (so a shared machine's
load falls on both alike); prints the median Python and PostgreSQL backend CPU ms per
request of each. Uses the database `run.py` seeded, read only; PostgreSQL on this host.

    python bench/api/prepared_ab.py [--url /api/v1/commitments/?page_size=100] [--blocks 12]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/api/v1/commitments/?page_size=100")
    parser.add_argument("--requests", type=int, default=50, help="a block's requests")
    parser.add_argument("--blocks", type=int, default=12)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.api import run

    client = run.computed_client(args.url)
    from django.conf import settings

    backend_cpu = run.backend_cpu()
    for on in (False, True):  # warm both: statements prepared, plans settled
        settings.DATABASE_PREPARED_STATEMENTS = on
        for _ in range(20):
            client.get(args.url)
    figures = {False: [], True: []}
    for block in range(args.blocks):
        on = block % 2 == 1
        settings.DATABASE_PREPARED_STATEMENTS = on
        python, postgres = time.process_time(), backend_cpu()
        for _ in range(args.requests):
            client.get(args.url)
        figures[on].append(
            (
                (time.process_time() - python) / args.requests * 1000,
                (backend_cpu() - postgres) / args.requests * 1000,
            )
        )
    for on, blocks in figures.items():
        python = statistics.median(each[0] for each in blocks)
        postgres = statistics.median(each[1] for each in blocks)
        print(
            f"{args.url} prepared {'on ' if on else 'off'}: Python {python:.2f} ms, "
            f"PostgreSQL {postgres:.2f} ms (median of {len(blocks)} blocks)"
        )


if __name__ == "__main__":
    main()
