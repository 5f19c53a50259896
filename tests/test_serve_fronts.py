"""`pskg serve --fronts N`: front processes accepting from one socket (graph/serve.py).
Any front answers; a stopped front leaves new connections to the others; a killed front is
started again; SIGTERM stops every process of the server; a writable server has one front."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, start_server, stop_server
from endpoint_support import children, copy_store, descendants, sparql, wait_for

COUNT = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a pskg:Plan }} # {n}"


@pytest.fixture(scope="module")
def store_copy(built_store, tmp_path_factory):
    store, _ = built_store
    return copy_store(store.path, tmp_path_factory.mktemp("fronts") / "store")


def plans(base: str, n: int) -> int:
    status, _, body = sparql(base, COUNT.format(n=n))
    assert status == 200, body
    return int(body.split(b'"value":"')[1].split(b'"')[0])


def test_fronts_share_the_socket_and_come_back_when_killed(store_copy):
    proc, base = start_server(store_copy, "--fronts", "2", "--workers", "2", "--fast-lane", "2")
    try:
        fronts = children(proc.pid)
        assert len(fronts) == 2
        expected = plans(base, 0)
        assert expected > 0 and all(plans(base, n) == expected for n in range(1, 20))
        os.kill(fronts[0], signal.SIGSTOP)  # it accepts nothing now: the other front takes every connection
        try:
            t = time.perf_counter()
            assert all(plans(base, n) == expected for n in range(20, 40))
            assert time.perf_counter() - t < 20
        finally:
            os.kill(fronts[0], signal.SIGCONT)
        os.kill(fronts[1], signal.SIGKILL)
        def replacement() -> int | None:
            kids = set(children(proc.pid)) - {fronts[0]}  # one look at the process table
            return next(iter(kids)) if len(kids) == 1 and fronts[1] not in kids else None

        new = wait_for(replacement, 30)
        assert new, "a killed front is started again"
        os.kill(fronts[0], signal.SIGSTOP)  # now only the new front can answer
        try:
            assert wait_for(lambda: _answers(base), 60), "the restarted front serves"
        finally:
            os.kill(fronts[0], signal.SIGCONT)
        assert new in children(proc.pid)
        everyone = descendants(proc.pid)
        assert len(everyone) > 4  # fronts, their forkservers and workers
    finally:
        stop_server(proc)
    assert proc.returncode == 0
    gone = wait_for(lambda: not [p for p in everyone if os.path.exists(f"/proc/{p}")
                                 and "zombie" not in _state(p)], 20)
    assert gone, "SIGTERM stops every process of the server"


def _answers(base: str) -> bool:
    try:
        return plans(base, 99) > 0
    except (AssertionError, OSError):
        return False


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((ln for ln in f if ln.startswith("State:")), "").lower()
    except OSError:
        return "zombie"


def test_a_writable_server_cannot_have_several_fronts(store_copy):
    r = subprocess.run([sys.executable, "-m", "pskg.cli", "serve", "--store", str(store_copy), "--port", "0",
                        "--fronts", "2", "--allow-update"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 1
    assert "--fronts above 1 needs a read-only server" in r.stderr
