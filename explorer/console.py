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


def _child(conn, store_path: str, text: str, max_bytes: int, memory_bytes: int) -> None:
    from graph.sandbox import deny_network, limit_memory
    from graph.sparql_worker import Job, error, execute

    deny_network()
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send((500, "", f"cannot open the store: {e}".encode()))
        return
    if memory_bytes:
        limit_memory(memory_bytes)
    try:
        reply = execute(store, Job(text, accept=ACCEPT), max_bytes)
    except MemoryError:
        os._exit(3)
    except Exception as e:  # noqa: BLE001 - an evaluation error is the query's answer
        reply = error(500, f"query failed: {type(e).__name__}: {e}")
    conn.send((reply.status, reply.content_type, reply.body))


def _context():
    from graph.sparql_pool import _context as pool_context

    return pool_context()  # a forkserver that has imported pyoxigraph: never fork a threaded server


def run(store_path, text: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
        memory_mb: int = MEMORY_MB) -> Outcome:
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, str(store_path), text, max_bytes, memory_mb * 2**20),
                       daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(timeout):
            return Outcome("error", error=f"time limit: the query ran longer than {timeout:g} s and was stopped; "
                                          "narrow it or add a LIMIT")
        try:
            status, ctype, body = recv.recv()
        except EOFError:
            return Outcome("error", error=f"memory limit: the query needed more than {memory_mb} MB and was "
                                          "stopped; narrow it or add a LIMIT")
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join(10)
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
