"""One query worker process: opens the store, runs jobs one at a time, sends back bytes.

pyoxigraph cannot cancel a running query, and its results must be iterated on the thread
that ran the query, so every query runs in a process of its own that the server can kill
(graph/sparql_pool.py). The worker iterates and serializes results itself and returns
finished bytes, refusing results past the size cap. Before it opens the store it denies
itself network sockets (unless the server allows SERVICE endpoints) and afterwards caps its
address space (graph/sandbox.py).

Messages over the pool's Unix socket are frames: an 8-byte big-endian length, then a pickle
(a Job one way, a Reply or a ("ready"/"failed", info) tuple the other).
"""
from __future__ import annotations

import os
import pickle
import signal
import socket
import struct
import time
from dataclasses import dataclass, field

from .sparql_text import without_comments
from .terms import PREFIXES

HEADER = struct.Struct("!Q")


@dataclass
class Reply:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0  # how long the worker took to answer (evaluation and serialization)


def error(status: int, message: str, **headers) -> Reply:
    return Reply(status, body=(message.rstrip() + "\n").encode("utf-8"), headers=headers)


@dataclass
class Job:
    text: str
    update: bool = False
    accept: str | None = None
    format: str | None = None  # a format key or media type; overrides accept
    default_graphs: list[str] = field(default_factory=list)  # protocol's default-graph-uri
    named_graphs: list[str] = field(default_factory=list)  # protocol's named-graph-uri
    using_graphs: list[str] = field(default_factory=list)  # protocol's using-graph-uri (updates)
    using_named_graphs: list[str] = field(default_factory=list)  # using-named-graph-uri
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL)

    def fingerprint(self) -> int:
        return hash((self.text, self.update, tuple(self.default_graphs), tuple(self.named_graphs)))

    def shape(self) -> tuple:
        """What the job's cost depends on: its text without comments, and its dataset."""
        return (without_comments(self.text), self.update, tuple(self.default_graphs), tuple(self.named_graphs))


@dataclass
class Settings:
    store_path: str
    writable: bool = False
    max_bytes: int = 100_000_000  # largest serialized result
    memory_bytes: int = 0  # address space a worker may add after opening the store (0: no limit)
    network: bool = False  # False: no inet sockets (no SERVICE, no LOAD)


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


def update_text(store, job: Job) -> str:
    """The update with its dataset: the protocol's using-graph-uri / using-named-graph-uri, or
    else the union of the named graphs (those in the store and those the update names), like
    the default graph queries see."""
    from .sparql_text import graph_iris, has_own_dataset, with_using

    if job.using_graphs or job.using_named_graphs:
        return with_using(job.text, job.using_graphs, job.using_named_graphs)
    if has_own_dataset(job.text):
        return job.text
    graphs = sorted({g.value for g in store.named_graphs()} | graph_iris(job.text, PREFIXES))
    return with_using(job.text, graphs, graphs)


def execute(store, job: Job, max_bytes: int) -> Reply:
    """Run one job on a pyoxigraph store and serialize its result (in the calling thread)."""
    import pyoxigraph as ox

    from . import conneg
    from .jsonld import dumps as jsonld_dumps

    if job.update:
        try:
            store.update(update_text(store, job), prefixes=PREFIXES, base_iri=job.base_iri)
        except SyntaxError as e:
            return error(400, f"malformed update: {e}")
        return Reply(204)
    kwargs = {"prefixes": PREFIXES, "base_iri": job.base_iri}
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


def send_frame(sock: socket.socket, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(HEADER.pack(len(data)) + data if len(data) < 65536 else HEADER.pack(len(data)))
    if len(data) >= 65536:
        sock.sendall(data)


def recv_frame(sock: socket.socket):
    head = _recv_exact(sock, HEADER.size)
    return pickle.loads(_recv_exact(sock, HEADER.unpack(head)[0]))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError
        got += k
    return bytes(buf)


def main(sock: socket.socket, settings: Settings) -> None:
    """The worker's loop (the target of the pool's worker processes)."""
    from .sandbox import deny_network, limit_memory

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    sock.setblocking(True)
    if not settings.network:
        deny_network()
    import pyoxigraph as ox

    try:
        store = ox.Store(settings.store_path) if settings.writable else ox.Store.read_only(settings.store_path)
    except OSError as e:
        send_frame(sock, ("failed", str(e)))
        return
    cap = limit_memory(settings.memory_bytes) if settings.memory_bytes else 0
    send_frame(sock, ("ready", {"pid": os.getpid(), "address_space_cap": cap}))
    while True:
        try:
            job = recv_frame(sock)
        except (EOFError, OSError):
            return
        started = time.perf_counter()
        try:
            reply = execute(store, job, settings.max_bytes)
        except MemoryError:
            os.abort()  # past the address-space limit: the pool reports it as such
        except Exception as e:  # an evaluation error (e.g. SERVICE without network)
            reply = error(500, f"query failed: {type(e).__name__}: {e}")
        reply.seconds = time.perf_counter() - started
        send_frame(sock, reply)
