"""Twenty editors save progress for 60 s while Redis is down, then Redis returns.

Runs the outage test of the suite (tests/outage/test_redis_outage.py) with the editors
saving for OUTAGE_EDITOR_SECONDS (default 60) instead of 3, on the PostgreSQL of
DATABASE_URL (pytest creates and drops test_<name>), and prints its figures: saves,
requests, the slowest answer. The test itself asserts every save answered 302 and
stored, and 0 stale indicators after the sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_bench_outage \\
        .venv/bin/python bench/outage/run.py [--seconds 60]
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST = (
    "tests/outage/test_redis_outage.py::"
    "test_twenty_editors_save_through_an_outage_and_the_sweep_heals_every_indicator"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "OUTAGE_EDITOR_SECONDS": str(args.seconds),
        # First the same load with Redis up, for comparison.
        "OUTAGE_BASELINE": "1",
    }
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench_outage")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-s", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    for label in ("BASELINE", "OUTAGE"):
        figures = re.search(label + r"-FIGURES (.*)", result.stdout)
        print(label.lower(), figures.group(1) if figures else "no figures")
    print(result.stdout.strip().splitlines()[-1])
    errors = [line for line in result.stdout.splitlines() if line.startswith("E ")]
    if result.returncode:
        print("\n".join(errors[:40]), result.stderr[-2000:])
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
