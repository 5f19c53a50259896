"""The on-disk pyoxigraph store: one named graph per plan, shared entities and reference data
in graphs of their own (graph.shared), and beside it the decoded source texts and the build
manifest (graph.manifest).

New graphs go in through the bulk loader; replacing a plan's graph is one SPARQL update
(DROP + INSERT DATA), which pyoxigraph applies in a single transaction: a failure leaves
the previous graph untouched. Queries run with the union of all graphs as the default graph.
"""
from __future__ import annotations

import hashlib
import io
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .terms import SPARQL_PREFIXES

FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# formats that carry named graphs; the others get the union of all graphs
DATASET_FORMATS = {"nquads", "trig", "jsonld"}


# a build that bulk-loaded this many quads (about 50 plans) ends with a compaction
COMPACT_AFTER_QUADS = 250_000


class StoreError(RuntimeError):
    pass


def canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Quads with blank nodes relabelled by RDFC-1.0 (the ontology's OWL lists get fresh ids
    at every load; canonical labels make two builds of one corpus export identically)."""
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        return quads
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return list(ds)


def _term(t) -> str:
    return str(t)


class BackgroundLoads:
    """Bulk loads on a thread of their own, one at a time, while the caller makes the next
    batch. pyoxigraph's loader releases the GIL, so a build's main thread goes on feeding
    the extraction workers (which sat idle while it loaded) or making counterparts.

    ``submit(data, done)`` first waits for the load before it (re-raising its error, e.g. a
    full disk) and calls that load's ``done`` in the calling thread, then starts loading
    ``data``; ``wait()`` finishes the pending load the same way; use it before anything else
    writes the store. At most two batches are held: one loading, one being filled. Used as
    a context manager, leaving waits for the last load (even after an error)."""

    def __init__(self, store: "GraphStore"):
        self.store = store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="pskg-bulk-load")
        self._pending: tuple[Future, Callable[[], None] | None] | None = None

    def submit(self, data: bytes, done: Callable[[], None] | None = None) -> None:
        self.wait()
        self._pending = (self._pool.submit(self.store.bulk_nquads, data), done)

    def wait(self) -> None:
        if self._pending is None:
            return
        future, done = self._pending
        self._pending = None
        try:
            future.result()
        finally:  # a failed load's error holds the loader's frame, hence the store (and its
            future = None  # lock): no cycle through this frame, or the store outlives the build
        if done is not None:
            done()

    def __enter__(self) -> "BackgroundLoads":
        return self

    def __exit__(self, exc_type, *_) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._pending is not None:  # let the running load end; its error is not the one to report
                self._pending[0].exception()
        finally:
            self._pool.shutdown(wait=True)


class GraphStore:
    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = bool(read_only and path is not None)
        self._sources: dict[str, str] = {}
        self.bulk_quads = 0  # quads bulk-loaded since the last reopen
        if self.path is None:
            self.store = ox.Store()
        elif read_only:
            if not self.path.exists():
                raise StoreError(f"no store at {self.path}: run `pskg build` first")
            self.store = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(str(self.path))

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        """Atomically replace the content of ``graph`` with ``quads`` (their graph is ignored)."""
        lines = [f"{_term(q.subject)} {_term(q.predicate)} {_term(q.object)} ." for q in quads]
        update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(lines) + "\n} }"
        self.store.update(update)
        return len(lines)

    def replace_graph_ntriples(self, graph: ox.NamedNode, ntriples: str) -> None:
        """Atomically replace the content of ``graph`` with N-Triples lines."""
        self.store.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{ntriples}}} }}")

    def bulk_nquads(self, data: bytes) -> None:
        """Add N-Quads through the bulk loader (no transaction, no write-ahead log)."""
        self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        self.bulk_quads += data.count(b"\n")

    def bulk_add(self, quads: list[ox.Quad]) -> None:
        """Add quads through the bulk loader."""
        self.store.bulk_extend(quads)
        self.bulk_quads += len(quads)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self.store.update(f"DROP SILENT GRAPH {graph}")

    def reopen(self, compact: bool = False) -> bool:
        """Flush, compact when much was bulk-loaded, and reopen the store, as a build ends.
        RocksDB removes its write-ahead log only when a read-write handle is closed. Each
        bulk load adds sorted files that overlap the others, and a query reads every one of
        them: the compaction (pyoxigraph's ``optimize``) merges them, which makes queries
        3-6x faster at 500 plans. It costs about 7 s there, so a build that bulk-loaded
        less than ``COMPACT_AFTER_QUADS`` (a one-document change) leaves it to RocksDB's
        own background compaction. ``compact``: compact whatever was loaded. Whether it
        compacted."""
        if self.path is None:
            return False
        self.store.flush()
        compacted = compact or self.bulk_quads >= COMPACT_AFTER_QUADS
        if compacted:
            self.store.optimize()
        self.bulk_quads = 0
        import gc

        self.store = None
        gc.collect()
        self.store = ox.Store(str(self.path))
        return compacted

    # ------------------------------------------------------------------ source texts
    # The decoded text of every stored plan sits beside the RDF (evidence offsets count its
    # characters), so the explorer and the linked-data pages can show a quote in its context.
    SOURCES = "pskg-sources"

    def _source_path(self, source_file: str) -> Path:
        return self.path / self.SOURCES / (hashlib.sha1(source_file.encode("utf-8")).hexdigest() + ".txt")

    def put_source(self, source_file: str, text: str) -> None:
        if self.path is None:
            self._sources[source_file] = text
            return
        p = self._source_path(source_file)
        p.parent.mkdir(exist_ok=True)
        tmp = p.with_suffix(".tmp")
        try:
            tmp.write_text(text, encoding="utf-8", newline="")
            tmp.replace(p)
        except BaseException:
            tmp.unlink(missing_ok=True)  # no half-written text left behind (a full disk)
            raise

    def remove_source(self, source_file: str) -> None:
        if self.path is None:
            self._sources.pop(source_file, None)
        else:
            self._source_path(source_file).unlink(missing_ok=True)

    def clear_sources(self) -> None:
        if self.path is None:
            self._sources.clear()
        elif (self.path / self.SOURCES).is_dir():
            for p in (self.path / self.SOURCES).iterdir():
                p.unlink()

    def source_text(self, source_file: str) -> str | None:
        """The decoded text of a stored plan's source file (its pskg:sourceFile), or None."""
        if self.path is None:
            return self._sources.get(source_file)
        p = self._source_path(source_file)
        if not p.exists():
            return None
        with open(p, encoding="utf-8", newline="") as f:
            return f.read()

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    # ------------------------------------------------------------------ reading
    def query(self, sparql: str, prefixes: bool = True):
        q = SPARQL_PREFIXES + sparql if prefixes else sparql
        return self.store.query(q, use_default_graph_as_union=True)

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT query as {variable: lexical value} (unbound variables left out)."""
        res = self.query(sparql)
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            rows.append({n: sol[n].value for n in names if sol[n] is not None})
        return rows

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def __len__(self) -> int:
        return len(self.store)

    def graphs_for_export(self, graph: str | None = None, exclude: Iterable[str] = (), progress=None):
        """(graph IRI, its quads) one graph at a time, by IRI, each sorted; blank nodes (the
        ontology's OWL lists) relabelled by RDFC-1.0 within their graph and prefixed with a
        hash of its IRI, so two builds of one corpus export identically."""
        if graph is not None:
            g = ox.NamedNode(graph)
            if not self.store.contains_named_graph(g):
                raise StoreError(f"no graph {graph} in the store")
            names = [graph]
        else:
            skip = set(exclude)
            names = [n for n in self.named_graphs() if n not in skip]
        for done, name in enumerate(names):
            if progress is not None:
                progress(done, len(names))  # graphs written so far, of all
            g = ox.NamedNode(name)
            quads = list(self.store.quads_for_pattern(None, None, None, g))
            if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
                tag = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]

                def relabel(t):
                    return ox.BlankNode(f"g{tag}{t.value}") if isinstance(t, ox.BlankNode) else t
                quads = [ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), g) for q in canonical(quads)]
            yield name, sorted(quads, key=str)
        if progress is not None:
            progress(len(names), len(names))

    def export(self, fmt: str, out: io.BufferedIOBase, graph: str | None = None,
               exclude: Iterable[str] = (), progress=None) -> None:
        """Serialize the store (or one named graph, or all but ``exclude``), one graph at a time
        (memory stays at the size of the largest graph). Output is deterministic: graphs by
        IRI, each graph's statements sorted; JSON-LD is written against ontology/context.jsonld.
        Triple formats get the union of the graphs (each triple is stored in one graph only)."""
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        graphs = self.graphs_for_export(graph, exclude, progress)  # progress(done, total) per graph
        if fmt == "nquads":
            for _, quads in graphs:
                out.write("".join(f"{q} .\n" for q in quads).encode("utf-8"))
        elif fmt == "ntriples":
            for _, quads in graphs:
                out.write("".join(f"{q.triple} .\n" for q in quads).encode("utf-8"))
        elif fmt == "jsonld":
            from .jsonld import write_graphs

            write_graphs(out, graphs)
        else:
            from .terms import PREFIXES

            kwargs = {"prefixes": PREFIXES} if fmt in ("turtle", "trig") else {}

            def statements():
                for _, quads in graphs:
                    if fmt == "trig":
                        yield from quads
                    else:
                        yield from (q.triple for q in quads)
            ox.serialize(statements(), out, format=FORMATS[fmt], **kwargs)
