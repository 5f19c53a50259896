"""Whole-graph exports for the console's download buttons, written to a file once per store
version and format (a download then reads a finished file: no deferred generation that a
rerun can lose, and the store is serialized once however often it is downloaded)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from graph import store_version as sv

FORMATS = {"turtle": ("ttl", "text/turtle"), "jsonld": ("jsonld", "application/ld+json"),
           "nquads": ("nq", "application/n-quads")}


def export_dir() -> Path:
    d = Path(tempfile.gettempdir()) / "pskg-explorer-exports"
    d.mkdir(exist_ok=True)
    return d


def export_file(store, fmt: str) -> Path:
    """The path of the store's export in ``fmt``, written now if this version has none yet."""
    ext, _ = FORMATS[fmt]
    version = sv.read_version(store.path) if store.path else None
    tag = "".join(c for c in (version.id if version else "memory") if c.isalnum() or c in "-_")
    key = "".join(c if c.isalnum() else "_" for c in str(store.path or "memory"))[-60:]
    path = export_dir() / f"{key}-{tag}.{ext}"
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        with open(tmp, "wb") as f:
            store.export(fmt, f)
        tmp.replace(path)
    return path
