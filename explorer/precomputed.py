"""Whole-store results of the explorer, computed once per store version and kept in a file.

Some pages need figures about the whole store: the plan list, the class counts, who owns
what, every indicator, the search index of every written form, the map's boundaries. On a
500-plan store these take 2–12 s each, and every new explorer process (a new server, each
AppTest) would compute them again for its first visitor. ``ensure(store_dir)`` computes
them and writes ``explorer-cache.json`` (and the search index, ``explorer-search.json``) into
the store directory, each stamped with the store's
version (graph.store_version); ``pskg app`` calls it before it starts the explorer, so it
runs once after each build. ``load()`` returns the figures only when the stamp is the
store's current version: an older file, a damaged file or a store without a version marker
is ignored, and the explorer computes what it needs as before.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

FILE = "explorer-cache.json"
SEARCH_FILE = "explorer-search.json"  # the search index, apart: only the search page reads it
FORMAT = 1  # bumped when what is kept changes


def _version(store_dir: Path) -> str | None:
    from graph.store_version import MARKER, read_version

    if not (store_dir / MARKER).is_file():
        return None  # a store without a finished-build marker has no version to stamp
    v = read_version(store_dir)
    return v.id if v else None


def _key(k):
    """A memo key as JSON (tuples become lists) and back."""
    return list(map(_key, k)) if isinstance(k, tuple) else k


def _unkey(k):
    return tuple(map(_unkey, k)) if isinstance(k, list) else k


def compute(d) -> dict:
    """The figures, from an ExplorerData over the store (its memo is filled on the way)."""
    from . import coverage_map
    from .search import SearchIndex

    d.plans(), d.plan_cards(), d.class_counts(), d.triples(), d.ownership(), d.plan_regions(), d.all_indicators()
    memo = [[_key(k), v] for k, v in d._memo.items()
            if k in ("plans", "plan_cards", "class_counts", "triples", "ownership", "plan_regions") or
            (isinstance(k, tuple) and k[:1] == ("indicators",))]
    geometry = {}
    folder = coverage_map.boundaries_dir()
    if folder is not None:
        codes = coverage_map.provinces(folder) + coverage_map.coverage([p.get("region") for p in d.plans()])[1]
        geometry = {c: coverage_map.geometry(c) for c in codes}
    maps = {}
    known = [p["region"] for p in d.plans() if coverage_map.adcode(p.get("region"))]
    if folder is not None and known:
        from .map_view import spec_for

        maps = {lang: spec_for(d, known, folder, lang) for lang in ("zh", "en")}
    return {"memo": memo, "geometry": geometry, "map": maps}, {"search": SearchIndex.build(d).to_parts()}


def _read(store_dir: Path, name: str) -> dict | None:
    version = _version(store_dir)
    path = store_dir / name
    if version is None or not path.is_file():
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"warning: {path} is not readable ({e.__class__.__name__}); computing instead", file=sys.stderr)
        return None
    if not isinstance(data, dict) or data.get("version") != version or data.get("format") != FORMAT:
        return None
    return data


def load(store_dir: Path | str) -> dict | None:
    """The figures kept for the store's current version, else None."""
    data = _read(Path(store_dir), FILE)
    if data is not None:
        data["memo"] = {_unkey(k): v for k, v in data.get("memo", [])}
    return data


def load_search(store_dir: Path | str) -> dict | None:
    """The search index's parts kept for the store's current version, else None."""
    data = _read(Path(store_dir), SEARCH_FILE)
    return data.get("search") if data else None


def ensure(store_dir: Path | str) -> tuple[bool, float]:
    """Write the files unless they are there for the current version: (written, seconds)."""
    from graph.store import GraphStore

    from .data import ExplorerData

    store_dir = Path(store_dir)
    version = _version(store_dir)
    if version is None or (load(store_dir) is not None and _read(store_dir, SEARCH_FILE) is not None):
        return False, 0.0
    t0 = time.perf_counter()
    d = ExplorerData(GraphStore(store_dir, read_only=True), precomputed=False)
    stamp = {"format": FORMAT, "version": version}
    try:
        for name, body in zip((FILE, SEARCH_FILE), compute(d)):
            tmp = store_dir / (name + f".{os.getpid()}.tmp")
            try:
                with open(tmp, "w", encoding="utf-8") as f:
                    json.dump({**stamp, **body}, f, ensure_ascii=False, separators=(",", ":"))
                tmp.replace(store_dir / name)
            finally:
                tmp.unlink(missing_ok=True)
    except OSError as e:
        print(f"warning: could not write the explorer's figures into {store_dir} ({e}); "
              "the explorer computes them per process", file=sys.stderr)
        return False, time.perf_counter() - t0
    return True, time.perf_counter() - t0
