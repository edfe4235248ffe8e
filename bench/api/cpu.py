"""CPU per computed API page, in process: this Python process's and its PostgreSQL backend's.

Steadier than wall time on a shared machine: the Django test client requests one URL
`--requests` times (after a warm-up), three rounds, with the response cache off, and
prints the CPU milliseconds per request of this process (time.process_time) and of the
connection's PostgreSQL backend (/proc/<pid>/stat of pg_backend_pid(), so PostgreSQL must
run on this machine). Uses the database run.py seeded.

    python bench/api/cpu.py [--url /api/v1/commitments/?page_size=100] [--requests 200]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/api/v1/commitments/?page_size=100")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.api import run

    client = run.computed_client(args.url)
    backend_cpu = run.backend_cpu()
    for _ in range(20):
        client.get(args.url)
    for _ in range(3):
        own, database, wall = time.process_time(), backend_cpu(), time.perf_counter()
        for _ in range(args.requests):
            client.get(args.url)
        per = 1000 / args.requests
        print(
            f"{args.url}: Python {(time.process_time() - own) * per:.2f} ms, "
            f"PostgreSQL {(backend_cpu() - database) * per:.2f} ms, "
            f"wall {(time.perf_counter() - wall) * per:.2f} ms a request"
        )


if __name__ == "__main__":
    main()
