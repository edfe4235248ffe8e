"""The project's own copy of Mexico's OGP data: where it is and how to read it.

The loader that writes it into commitments, states and coordination is
``ogp_data.loaders.load_mexico_ogp``: it spans apps, so it lives above them.
"""

import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "mexico_ogp.json"


def read_bundled_data():
    """The project's own copy of the Mexico OGP data, as plain Python objects."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)
