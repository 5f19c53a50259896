"""Store versions: what a finished build leaves behind, and how a server reads one version.

``pskg build`` ends by writing ``pskg-version`` into the store directory (``mark_built``):
one line with a fresh version id. A store changes only while a writer holds RocksDB's
``LOCK`` file, and is a version again once the writer is gone; ``writer_active`` tells
(fcntl F_GETLK, without taking the lock).

A version is ready to serve (``ready``) when no writer holds the lock, or when the
marker is newer than every write-ahead log file (a process that finished a build and keeps
its handle open without writing). A server never reads the live directory: it serves a
snapshot (``snapshot``, in ``pskg-serve/`` inside the store: hard links to the table files
and closed logs, copies of the small descriptor files), and every worker of one generation
opens the same snapshot, so all answers come from one version however many workers there
are and whenever they were started. When the marker changes and the new version is ready,
the server takes a new snapshot and moves over to it.
"""
from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import struct
import time
from dataclasses import dataclass
from pathlib import Path

MARKER = "pskg-version"
SNAPSHOTS = "pskg-serve"


@dataclass(frozen=True)
class Version:
    id: str
    finished: float  # seconds since the epoch (the marker's mtime)


def mark_built(store_dir: Path | str) -> str:
    """Record that the store holds a finished build; returns the new version id."""
    path = Path(store_dir) / MARKER
    vid = f"{time.time_ns():x}-{secrets.token_hex(4)}"
    tmp = path.with_name(MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(vid + "\n")
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    return vid


def read_version(store_dir: Path | str) -> Version | None:
    """The store's finished version, or None for a store that has no marker (built before
    markers existed): then its CURRENT file stands in for one."""
    store_dir = Path(store_dir)
    for name, is_marker in ((MARKER, True), ("CURRENT", False)):
        p = store_dir / name
        try:
            st = p.stat()
            text = p.read_text(encoding="utf-8").strip() if is_marker else f"r{st.st_mtime_ns:x}"
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return Version(text, st.st_mtime)
    return None


def writer_active(store_dir: Path | str) -> bool:
    """Whether a process holds the store's RocksDB lock (a build or a writable server)."""
    try:
        fd = os.open(Path(store_dir) / "LOCK", os.O_RDONLY)
    except OSError:
        return False
    try:
        # struct flock: l_type, l_whence (short), l_start, l_len (off_t), l_pid (pid_t), padding
        probe = struct.pack("hhqqii", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0, 0)
        l_type = struct.unpack("hhqqii", fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0]
        return l_type != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


def ready(store_dir: Path | str) -> bool:
    """Whether the store's content is a finished version (see the module's docstring)."""
    store_dir = Path(store_dir)
    if not writer_active(store_dir):
        return True
    try:
        marked = (store_dir / MARKER).stat().st_mtime_ns
        return all(p.stat().st_mtime_ns <= marked for p in store_dir.glob("*.log"))
    except OSError:
        return False


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not permitted
        shutil.copy2(src, dst)


def snapshot(store_dir: Path | str, name: str) -> Path:
    """A copy of the store's RocksDB files in ``<store>/pskg-serve/<name>`` (replacing one of
    that name): table files and, with no writer, logs hard-linked (they are never rewritten
    in place), the rest copied. Checked by opening it; retried when the store changed meanwhile."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    target = store_dir / SNAPSHOTS / name
    target.parent.mkdir(exist_ok=True)
    last: Exception | None = None
    for _ in range(5):
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        writer = writer_active(store_dir)
        try:
            for src in sorted(store_dir.iterdir()):
                if not src.is_file() or src.name == "LOCK" or src.name.startswith("LOG") or src.name == MARKER:
                    continue
                if src.suffix == ".sst" or (src.suffix == ".log" and not writer):
                    _link_or_copy(src, target / src.name)
                else:
                    shutil.copy2(src, target / src.name)
            ox.Store.read_only(str(target))
            return target
        except OSError as e:  # a file vanished (a compaction) or the copy is not a database yet
            last = e
            time.sleep(0.3)
    shutil.rmtree(target, ignore_errors=True)
    raise OSError(f"cannot snapshot the store {store_dir}: {last}")


def remove_stale_snapshots(store_dir: Path | str) -> None:
    """Delete snapshots left by servers that are no longer running (named ``<pid>-<n>``)."""
    root = Path(store_dir) / SNAPSHOTS
    if not root.is_dir():
        return
    for d in root.iterdir():
        pid = d.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
