"""One build at a time per store: an exclusive lock file beside the RDF store.

``build_lock(store_dir)`` takes ``STORE/pskg-build.lock`` (flock, not blocking) for the
duration of a build; a second build on the same store gets ``BuildLocked`` naming the
process that holds it. The kernel drops the lock when that process ends, even by kill -9,
so a crashed build never leaves the store locked.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK_FILE = "pskg-build.lock"


class BuildLocked(RuntimeError):
    pass


@contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(store_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BuildLocked(f"another build (process {holder}) is writing the store {store_dir}: "
                              "wait for it to finish, or use another --store") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
