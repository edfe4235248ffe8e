"""Where a computed API page's Python CPU goes, by phase, in process (no profiler).

Wraps a few methods of the list's path (filter, paginate, Projection.rows/nested/values,
finalize, the cursor's execute) with a CPU-time counter, requests the URL `--requests`
times with the Django test client and the response cache off, and prints the total and
each phase's milliseconds per request (phases nest: rows includes nested). Uses the
database run.py seeded.

    python bench/api/phases.py [--url /api/v1/commitments/?page_size=100] [--requests 300]
"""

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/api/v1/commitments/?page_size=100")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.api.run import computed_client

    client = computed_client(args.url)
    from django.db.backends import utils
    from rest_framework import generics
    from rest_framework.views import APIView

    from api.v1.resources import base

    spent = collections.Counter()

    def counted(owner, name, label):
        method = getattr(owner, name)

        def wrapper(*args, **kwargs):
            began = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - began

        setattr(owner, name, wrapper)

    counted(APIView, "dispatch", "DRF dispatch")
    counted(base.ListResource, "filter_queryset", "filter")
    counted(generics.GenericAPIView, "paginate_queryset", "paginate (count, page query)")
    counted(base.Projection, "values", "Projection.values")
    counted(base.Projection, "rows", "Projection.rows")
    counted(base.Projection, "nested", "Projection.nested (nested lists' queries)")
    counted(base.ListResource, "finalize_response", "finalize (render, ETag)")
    counted(utils.CursorWrapper, "execute", "cursor.execute (all queries)")

    for _ in range(20):
        assert client.get(args.url).status_code == 200
    spent.clear()
    began = time.process_time()
    for _ in range(args.requests):
        client.get(args.url)
    per = 1000 / args.requests
    print(f"{args.url}: {(time.process_time() - began) * per:.2f} ms of Python CPU a request")
    for label, seconds in spent.most_common():
        print(f"  {label:45} {seconds * per:.2f} ms")


if __name__ == "__main__":
    main()
