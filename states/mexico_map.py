"""The outline of Mexico's 32 states, read from the generated static SVG.

static/maps/mexico-states.svg is built by scripts/build_mexico_map.py from a packaged
TopoJSON; pages draw it inline (so each state can be a link with its own fill class and
title) by iterating over the paths read here once per process.
"""

import functools
import xml.etree.ElementTree as ET  # noqa: S405 (our own committed file, not user input)
from dataclasses import dataclass

from django.contrib.staticfiles import finders

MAP_FILE = "maps/mexico-states.svg"
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class StateOutline:
    inegi_code: str
    name: str
    d: str


@dataclass(frozen=True)
class MexicoMap:
    view_box: str
    outlines: dict  # INEGI code -> StateOutline


@functools.cache
def mexico_map():
    root = ET.parse(finders.find(MAP_FILE)).getroot()  # noqa: S314
    outlines = {
        path.get("data-inegi"): StateOutline(
            path.get("data-inegi"), path.get("data-name"), path.get("d")
        )
        for path in root.iter(f"{SVG}path")
    }
    return MexicoMap(view_box=root.get("viewBox"), outlines=outlines)
