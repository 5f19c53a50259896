"""Whole-graph exports for the console's download buttons, written to a file once per store
version and format (a download then reads a finished file: no deferred generation that a
rerun can lose, and the store is serialized once however often it is downloaded). The file
is gzip-compressed (deterministically: no time stamp in the header), so a 500-plan graph's
download is tens of megabytes in the server's memory, not a gigabyte; progress is reported
one named graph at a time."""
from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from graph import store_version as sv

FORMATS = {"turtle": ("ttl", "text/turtle"), "jsonld": ("jsonld", "application/ld+json"),
           "nquads": ("nq", "application/n-quads")}


def export_dir() -> Path:
    d = Path(tempfile.gettempdir()) / "pskg-explorer-exports"
    d.mkdir(exist_ok=True)
    return d


def export_file(store, fmt: str, progress=None) -> Path:
    """The path of the store's gzip-compressed export in ``fmt``, written now if this version
    has none yet (``progress(done, total)`` is called per named graph while it is written)."""
    ext, _ = FORMATS[fmt]
    version = sv.read_version(store.path) if store.path else None
    tag = "".join(c for c in (version.id if version else "memory") if c.isalnum() or c in "-_")
    key = "".join(c if c.isalnum() else "_" for c in str(store.path or "memory"))[-60:]
    path = export_dir() / f"{key}-{tag}.{ext}.gz"
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        try:
            with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
                store.export(fmt, f, progress=progress)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return path
