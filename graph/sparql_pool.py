"""SPARQL execution in worker processes, with a time limit and a result-size cap.

pyoxigraph cannot cancel a running query, and its results must be iterated on the thread
that ran the query. So each query runs in a worker process that owns its own handle on the
on-disk store, iterates and serializes the results there, and sends back finished bytes.
A worker that exceeds the time limit is killed and replaced; the other workers keep
serving meanwhile.

Read-only pools open the store with ``Store.read_only`` in every worker. A writable pool
(``pskg serve --allow-update``) has exactly one worker, which opens the store for writing
and runs queries and updates one at a time: RocksDB admits a single writing process, and
read-only handles next to a writer would see stale or undefined data.
"""
from __future__ import annotations

import json
import multiprocessing
import queue
import sys
import threading
from dataclasses import dataclass, field

from .terms import PREFIXES

SPAWN = multiprocessing.get_context("spawn")  # never fork a threaded server


@dataclass
class Reply:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def error(status: int, message: str) -> Reply:
    return Reply(status, body=(message.rstrip() + "\n").encode("utf-8"))


@dataclass
class Job:
    text: str
    update: bool = False
    accept: str | None = None
    format: str | None = None  # a format key or media type; overrides accept
    default_graphs: list[str] = field(default_factory=list)  # protocol's default-graph-uri
    named_graphs: list[str] = field(default_factory=list)  # protocol's named-graph-uri


class ResultTooLarge(Exception):
    pass


class CappedBuffer:
    """A bytes sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.size = limit, [], 0

    def write(self, b) -> int:
        self.size += len(b)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(b))
        return len(b)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _capped(triples, limit: int):
    """Pass triples through, raising once their N-Triples size passes ``limit``."""
    size = 0
    for t in triples:
        size += len(str(t)) + 3
        if size > limit:
            raise ResultTooLarge
        yield t


def execute(store, job: Job, max_bytes: int) -> Reply:
    """Run one job on a pyoxigraph store and serialize its result (in the calling thread)."""
    import pyoxigraph as ox

    from . import conneg
    from .jsonld import dumps as jsonld_dumps

    if job.update:
        try:
            store.update(job.text, prefixes=PREFIXES)
        except SyntaxError as e:
            return error(400, f"malformed update: {e}")
        return Reply(204)
    kwargs = {"prefixes": PREFIXES}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        res = store.query(job.text, **kwargs)
    except SyntaxError as e:
        return error(400, f"malformed query: {e}")
    kind = conneg.RDF if isinstance(res, ox.QueryTriples) else conneg.RESULTS
    key = conneg.negotiate(job.accept, job.format, kind)
    if key is None:
        wanted = job.format or job.accept
        offered = ", ".join((conneg.RESULT_TYPES if kind == conneg.RESULTS else conneg.RDF_TYPES).values())
        return error(406, f"cannot serve {wanted!r} for this query; available: {offered}")
    buf = CappedBuffer(max_bytes)
    try:
        if kind == conneg.RESULTS:
            res.serialize(buf, conneg.RESULT_OX_FORMATS[key])
        elif key == "jsonld":
            buf.write(jsonld_dumps(_capped(res, max_bytes)))
        else:
            ox.serialize(res, buf, conneg.rdf_format(key), prefixes=PREFIXES)
    except ResultTooLarge:
        return error(500, f"result refused: larger than the server's cap of {max_bytes:,} bytes; "
                          "narrow the query or add a LIMIT")
    return Reply(200, conneg.media_type(key), buf.getvalue())


def _worker(conn, store_path: str, writable: bool, max_bytes: int) -> None:
    import pyoxigraph as ox

    try:
        store = ox.Store(store_path) if writable else ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("failed", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, job, max_bytes)
        except Exception as e:  # an evaluation error (e.g. an unsupported SERVICE call)
            reply = error(500, f"query failed: {type(e).__name__}: {e}")
        conn.send(reply)


class PoolError(RuntimeError):
    pass


class _Worker:
    def __init__(self, store_path: str, writable: bool, max_bytes: int):
        self.conn, child = SPAWN.Pipe()
        self.proc = SPAWN.Process(target=_worker, args=(child, store_path, writable, max_bytes), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise PoolError("a query worker did not start within 120 s")
        state, msg = self.conn.recv()
        if state != "ready":
            self.kill()
            raise PoolError(f"cannot open the store {store_path}: {msg}")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


class WorkerPool:
    def __init__(self, store_path, workers: int = 4, timeout: float = 30.0,
                 max_bytes: int = 100_000_000, writable: bool = False):
        self.store_path, self.timeout, self.max_bytes, self.writable = str(store_path), timeout, max_bytes, writable
        self.size = 1 if writable else max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._add(self._new())

    def _new(self) -> _Worker:
        return _Worker(self.store_path, self.writable, self.max_bytes)

    def _add(self, w: _Worker) -> None:
        with self._lock:
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` now; start its successor in the background (the store lock of a writer
        is released before the successor opens it)."""
        with self._lock:
            self._all.discard(w)

        def renew():
            w.kill()
            try:
                self._add(self._new())
            except PoolError as e:
                print(f"pskg serve: could not replace a query worker: {e}", file=sys.stderr)

        threading.Thread(target=renew, daemon=True).start()

    def run(self, job: Job, timeout: float | None = None) -> Reply:
        limit = self.timeout if timeout is None else timeout
        try:
            w = self._idle.get(timeout=limit)
        except queue.Empty:
            return error(503, f"all {self.size} query workers stayed busy for {limit:g} s; try again later")
        try:
            w.conn.send(job)
            if w.conn.poll(limit):
                reply = w.conn.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError) as e:
            self._replace(w)
            return error(500, f"the query worker failed: {type(e).__name__}")
        self._replace(w)
        return error(503, f"query cancelled: it exceeded the time limit of {limit:g} s")

    def bindings(self, sparql: str) -> list[dict[str, dict]]:
        """SELECT rows as SPARQL-JSON bindings ({var: {"type", "value", ...}})."""
        reply = self.run(Job(sparql, format="json"))
        if reply.status != 200:
            raise PoolError(reply.body.decode("utf-8", "replace").strip())
        return json.loads(reply.body)["results"]["bindings"]

    def select(self, sparql: str) -> list[dict[str, str]]:
        """SELECT rows as {variable: lexical value}, like GraphStore.select."""
        return [{k: v["value"] for k, v in row.items()} for row in self.bindings(sparql)]

    def ask(self, sparql: str) -> bool:
        reply = self.run(Job(sparql, format="json"))
        if reply.status != 200:
            raise PoolError(reply.body.decode("utf-8", "replace").strip())
        return bool(json.loads(reply.body)["boolean"])

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()
