"""Helpers for the tests that run `pskg serve` as a real process: HTTP by urllib and by raw
socket, a copy of the session's store, and the memory of a process tree."""
from __future__ import annotations

import os
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
         timeout: float = 60):
    """(status, headers, body) of one request; redirects are not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def sparql(base: str, query: str, accept: str = "application/sparql-results+json", **params):
    url = base + "sparql?" + urllib.parse.urlencode({"query": query, **params})
    return http(url, headers={"Accept": accept})


def host_port(base: str) -> tuple[str, int]:
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port


def raw(base: str, data: bytes, timeout: float = 10.0, source: str | None = None) -> bytes:
    """Send bytes on a fresh connection; everything the server sends until it closes or
    stays silent for ``timeout`` seconds."""
    with socket.create_connection(host_port(base), timeout=timeout,
                                  source_address=(source, 0) if source else None) as s:
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
        return out


def responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split raw HTTP/1.1 output into (status, headers, body) by Content-Length."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", 0))
        out.append((status, headers, rest[:n]))
        data = rest[n:]
    return out


def copy_store(src: Path, dst: Path) -> Path:
    """A copy of a store directory (its RocksDB files and the marker) to serve or write."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("LOCK", "pskg-serve"))
    return dst


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, theirs, ...)."""
    out, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return out


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of a process and all its descendants."""
    total = 0
    for p in [pid] + descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def wait_for(pred, seconds: float, step: float = 0.2):
    end = time.time() + seconds
    while time.time() < end:
        got = pred()
        if got:
            return got
        time.sleep(step)
    return pred()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scorer_runs(store, tmp_path: Path, endpoint: str, shared: Path, timeout: float = 600):
    """The scorer's output on the store's N-Quads dump and through ``endpoint`` (the same
    gold and corpus): (file run, endpoint run) as completed processes."""
    import subprocess
    import sys
    dump = tmp_path / "graph.nq"
    with open(dump, "wb") as fh:
        store.export("nquads", fh)
    common = ["--gold", str(shared / "gold" / "dev"), "--corpus", str(shared / "corpus")]
    score = [sys.executable, str(shared / "eval" / "score.py")]
    by_file = subprocess.run(score + ["--graph", str(dump)] + common, capture_output=True, text=True, timeout=timeout)
    by_endpoint = subprocess.run(score + ["--endpoint", endpoint] + common, capture_output=True, text=True,
                                 timeout=timeout * 1.5)
    return by_file, by_endpoint
