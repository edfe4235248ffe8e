"""CPU per cached API hit with REDIS_URL, in process: this process's and Redis's.

Requests the URL and the trivial view through the portal's WSGI handler (no test client),
`--requests` times, five rounds each, and prints the minimum and median CPU microseconds
per request of this process and the mean of the local redis-server's (/proc). With
`--no-round-trip`, the throttles' script answers from memory after its first call: what
a hit costs without its one round trip to Redis. Uses the database run.py seeded.

    REDIS_URL=redis://127.0.0.1:6379/13 python bench/api/hit_cpu.py [--url ...]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/api/v1/commitments/?page_size=100")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--no-round-trip", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL (a database of its own: the script writes counters)")

    sys.path.insert(0, str(ROOT))
    from bench.api import run

    run.in_process(computed=False)
    from django.test.client import RequestFactory

    from ogp_portal import cache
    from ogp_portal.handlers import PortalWSGIHandler

    if args.no_round_trip:
        run_script = cache.ReusedClientRedisCacheClient.run_script
        answers = {}

        def remembered(self, source, keys, arguments):
            if source not in answers:
                answers[source] = run_script(self, source, keys, arguments)
            return answers[source]

        cache.ReusedClientRedisCacheClient.run_script = remembered

    redis = subprocess.run(["pgrep", "-o", "redis-server"], capture_output=True, text=True)
    redis_pid = int(redis.stdout.split()[0]) if redis.stdout.strip() else None

    def redis_cpu():
        return 0.0 if redis_pid is None else run.cpu_seconds(redis_pid)

    handler = PortalWSGIHandler()  # as gunicorn runs it (ogp_portal.wsgi)

    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    for url in (args.url, "/bench/trivial/"):
        environ = RequestFactory().get(url, HTTP_HOST="127.0.0.1").environ

        def request(environ=environ):
            response = handler(dict(environ), start_response)
            b"".join(response)
            response.close()

        for _ in range(300):
            request()
        rounds, began = [], redis_cpu()
        for _ in range(5):
            own = time.process_time()
            for _ in range(args.requests):
                request()
            rounds.append((time.process_time() - own) / args.requests * 1e6)
        on_redis = (redis_cpu() - began) / (5 * args.requests) * 1e6
        print(
            f"{url}: min {min(rounds):.0f} µs, median {statistics.median(rounds):.0f} µs "
            f"of this process; Redis {on_redis:.0f} µs a request"
        )


if __name__ == "__main__":
    main()
