"""The SPARQL console's query runner: each query in a process of its own, with limits.

A console query is arbitrary text, so it runs as the endpoint runs one (graph/sparql_worker.py,
graph/sandbox.py): in a child process that denies itself network sockets (no SERVICE) and
caps its address space, whose result is serialized there and refused past a size cap, and
which is killed when the time limit passes. The explorer's own process never evaluates it.

The query text is passed as written, with the standard prefixes given to the parser (not
prepended as lines), so the line:column of a syntax error is the one the user sees.
Every query form is read back: SELECT as rows, ASK as a boolean, CONSTRUCT and DESCRIBE as
triples (rows of subject, predicate, object, and the N-Triples text for download).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

TIMEOUT = 20.0           # seconds a console query may run
MAX_BYTES = 20_000_000   # largest serialized result
MEMORY_MB = 1024         # address space a query may add to its process
ACCEPT = "application/sparql-results+json, application/n-triples"


@dataclass
class Outcome:
    form: str                                   # "select", "ask", "graph" or "error"
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    body: bytes = b""                           # the serialized result (JSON results or N-Triples)
    error: str = ""
    position: tuple[int, int] | None = None     # (line, column) of a syntax error, 1-based


def _child() -> None:
    """The child's side: a job as JSON on stdin, the reply (status, media type, body) pickled
    to stdout."""
    import pickle
    import sys

    from graph.sandbox import deny_network, limit_memory
    from graph.sparql_worker import Job, error, execute

    job = json.loads(sys.stdin.buffer.read())
    deny_network()
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(job["store"])
    except OSError as e:
        reply = (500, "", f"cannot open the store: {e}".encode())
    else:
        if job["memory_bytes"]:
            limit_memory(job["memory_bytes"])
        try:
            r = execute(store, Job(job["text"], accept=ACCEPT), job["max_bytes"])
        except MemoryError:
            os._exit(3)
        except Exception as e:  # noqa: BLE001 - an evaluation error is the query's answer
            r = error(500, f"query failed: {type(e).__name__}: {e}")
        reply = (r.status, r.content_type, r.body)
    sys.stdout.buffer.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


def run(store_path, text: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
        memory_mb: int = MEMORY_MB) -> Outcome:
    """Run one query in a fresh interpreter (``python -m explorer.console``): a plain child
    process, not multiprocessing, which would re-run the parent's main module (Streamlit's)."""
    import pickle
    import subprocess
    import sys

    job = json.dumps({"store": str(store_path), "text": text, "max_bytes": max_bytes,
                      "memory_bytes": memory_mb * 2**20}).encode("utf-8")
    from pskg.paths import ROOT

    # few malloc arenas (the address-space cap is for the query); the project importable wherever Streamlit runs
    env = dict(os.environ, MALLOC_ARENA_MAX="2",
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    proc = subprocess.Popen([sys.executable, "-m", "explorer.console"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(job, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return Outcome("error", error=f"time limit: the query ran longer than {timeout:g} s and was stopped; "
                                      "narrow it or add a LIMIT")
    if proc.returncode != 0 or not out:
        if proc.returncode in (3, -6):  # MemoryError, or the Rust side aborting past the address-space cap
            return Outcome("error", error=f"memory limit: the query needed more than {memory_mb} MB and was "
                                          "stopped; narrow it or add a LIMIT")
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        return Outcome("error", error=f"the query process failed: {last}")
    status, ctype, body = pickle.loads(out)
    if status != 200:
        return failure(body.decode("utf-8", "replace").strip())
    return read(ctype, body)


def failure(message: str) -> Outcome:
    m = re.search(r"error at (\d+):(\d+)", message)
    return Outcome("error", error=message, position=(int(m.group(1)), int(m.group(2))) if m else None)


def read(ctype: str, body: bytes) -> Outcome:
    if ctype.startswith("application/sparql-results+json"):
        doc = json.loads(body)
        if "boolean" in doc:
            return Outcome("ask", boolean=bool(doc["boolean"]), body=body)
        cols = doc["head"].get("vars", [])
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
        return Outcome("select", columns=cols, rows=rows, body=body)
    import pyoxigraph as ox

    triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    rows = [{"subject": t.subject.value, "predicate": t.predicate.value, "object": t.object.value} for t in triples]
    return Outcome("graph", columns=["subject", "predicate", "object"], rows=rows, body=body)


if __name__ == "__main__":
    _child()
