"""Build the web UI's offline basemap from the staged OCHA boundaries (run by hand).

The map in ``rasid serve`` draws Syria from GeoJSON shipped in the package
instead of fetching tiles, so it works with no network. The source polygons
(``syr_adm1.geojson``, ``syr_adm2.geojson``; OCHA/UNCS COD-AB, CC BY 3.0 IGO,
see ``../shared/data/geo/README.md``) are far more detailed than a news map
needs, so each ring is simplified with Douglas-Peucker and the coordinates are
rounded, which keeps the shipped files small (well under 400 KB together).
Each feature keeps its pcode and its English and Arabic names (the one district without an
English name takes its seat's, from ``syr_adm3.geojson``), and gets a
``label`` point (the centroid of its largest ring) for the name on the map.

    python tools/build_basemap.py [--geo ../shared/data/geo] [--out src/rasid/web/static/basemap]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

Point = tuple[float, float]

# Tolerance in degrees (about 400 m and 300 m) and the rounding of the output.
LEVELS = {"adm1": 0.004, "adm2": 0.003}
DIGITS = 3


def _perp_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b (planar, in degrees: enough at this scale)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    px, py = x1 + t * dx, y1 + t * dy
    return float(((x - px) ** 2 + (y - py) ** 2) ** 0.5)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the points that move the line by more than ``tolerance`` (iterative, no recursion limit)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perp_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """A closed ring simplified and rounded; None when it collapses below a triangle."""
    pts = [(float(x), float(y)) for x, y in ring]
    # split the closed ring at its far point so that DP keeps both halves' shape
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    half1 = douglas_peucker(pts[: far + 1], tolerance)
    half2 = douglas_peucker(pts[far:], tolerance)
    out: list[list[float]] = []
    for x, y in half1 + half2[1:]:
        q = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != q:
            out.append(q)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, Point]:
    """Signed-area centroid of a ring (shoelace); the absolute area and the point."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        return 0.0, (ring[0][0], ring[0][1])
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def simplify_feature(feature: dict, level: str, tolerance: float) -> dict | None:
    """One output feature: simplified (Multi)Polygon, pcode, names and a label point."""
    geom = feature["geometry"]
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out_polys = []
    for poly in polygons:
        rings = [simplify_ring(r, tolerance) for r in poly]
        if rings[0] is None:
            continue
        out_polys.append([r for r in rings if r is not None])
    if not out_polys:
        return None
    largest = max((_ring_area_centroid(p[0]) for p in out_polys), key=lambda t: t[0])[1]
    props = feature["properties"]
    keep = {
        "pcode": props[f"{level}_pcode"],
        "name_en": props["name_en"],
        "name_ar": props["name_ar"],
        "label": [round(largest[0], DIGITS), round(largest[1], DIGITS)],
    }
    if level == "adm2":
        keep["adm1_pcode"] = props["adm1_pcode"]
    geometry = (
        {"type": "Polygon", "coordinates": out_polys[0]}
        if len(out_polys) == 1
        else {"type": "MultiPolygon", "coordinates": out_polys}
    )
    return {"type": "Feature", "properties": keep, "geometry": geometry}


def fill_english_names(src: dict, geo: Path) -> None:
    """A district the source leaves without an English name (SY1006, Qadmous) takes the English name
    of its seat: the sub-district in syr_adm3.geojson with the district's own Arabic name."""
    missing = [f["properties"] for f in src["features"] if not f["properties"].get("name_en")]
    if not missing:
        return
    adm3 = json.loads((geo / "syr_adm3.geojson").read_text(encoding="utf-8"))
    seats = {
        (p["adm2_pcode"], p["name_ar"]): p["name_en"] for p in (f["properties"] for f in adm3["features"])
    }
    for props in missing:
        props["name_en"] = seats.get((props["adm2_pcode"], props["name_ar"])) or props["name_ar"]


def build(geo: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for level, tolerance in LEVELS.items():
        src = json.loads((geo / f"syr_{level}.geojson").read_text(encoding="utf-8"))
        if level == "adm2":
            fill_english_names(src, geo)
        feats = [f for f in (simplify_feature(f, level, tolerance) for f in src["features"]) if f]
        data = {
            "type": "FeatureCollection",
            "attribution": "UNCS / UN OCHA Syria (COD-AB), CC BY 3.0 IGO",
            "features": feats,
        }
        path = out / f"{level}.geojson"
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{path}: {len(feats)} features, {path.stat().st_size / 1024:.0f} KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geo", type=Path, default=Path("../shared/data/geo"))
    ap.add_argument("--out", type=Path, default=Path("src/rasid/web/static/basemap"))
    args = ap.parse_args()
    build(args.geo, args.out)


if __name__ == "__main__":
    main()
