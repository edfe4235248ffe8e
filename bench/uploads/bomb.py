"""Run by hand: what a 1 GB zip bomb costs the process that checks it.

    DJANGO_SETTINGS_MODULE=ogp_portal.settings.test .venv/bin/python bench/uploads/bomb.py

Builds the `mimetype` member that inflates to 1 GiB (tests/commitments/test_upload_bombs.py),
then checks it with commitments.evidence_files in this fresh process and prints the time,
the peak of Python allocations (tracemalloc) and the growth of the process's peak RSS
(VmHWM in /proc/self/status), honest and lying about its size.
"""

import sys
import time
import tracemalloc
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from commitments.evidence_files import detect_evidence_type  # noqa: E402
from tests.commitments.test_upload_bombs import deflate_bomb, honest_bomb, lying_bomb  # noqa: E402


def peak_rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main():
    head, block, blocks, tail = deflate_bomb()
    stream = head + block * blocks + tail
    for name, build in (("declared 1 GiB", honest_bomb), ("lying about its size", lying_bomb)):
        data = build(stream)
        upload = SimpleUploadedFile("informe.odt", data)
        before = peak_rss_kb()
        tracemalloc.start()
        started = time.perf_counter()
        kind = detect_evidence_type(upload)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{name}: file {len(data) / 1e6:.2f} MB, refused={kind is None}, "
            f"{elapsed * 1000:.1f} ms, peak allocations {peak / 1024:.0f} KiB, "
            f"peak RSS growth {peak_rss_kb() - before} KiB"
        )


if __name__ == "__main__":
    main()
