"""Shared fixtures: one build of the bundled corpus per test session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store built from the bundled corpus (through the library, not the CLI)."""
    from graph.build import build
    from graph.store import GraphStore

    path = tmp_path_factory.mktemp("store") / "store"
    store = GraphStore(path)
    report = build([CORPUS], store)
    assert not report.failures, report.failures
    return store, report


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the pskg console script in a child process."""
    return subprocess.run([sys.executable, "-m", "pskg.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=600)


def start_server(store: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`pskg serve` on a free port in a child process; (process, base URL) once it listens."""
    proc = subprocess.Popen([sys.executable, "-m", "pskg.cli", "serve", "--store", str(store), "--port", "0",
                             "--quiet", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()  # "pskg serve: HOST:PORT  endpoint URL ..." once the workers are up
    if not line.startswith("pskg serve:"):
        proc.kill()
        raise RuntimeError(f"pskg serve did not start: {line}{proc.stderr.read()}")
    endpoint = line.split()[4]
    return proc, endpoint[: -len("sparql")]


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
