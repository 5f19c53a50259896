"""Build the knowledge graph of a corpus into a store: parallel, incremental, bulk-written.

1. List the corpus (.txt files under the given folders, or single files), each keyed by its
   corpus-relative path; a single file inside a corpus folder built before keeps that key,
   so rebuilding it replaces its plan rather than adding a second copy.
2. Skip documents whose bytes (sha256) are unchanged since they were stored; remove the
   graphs of documents gone from a corpus folder that is built again. When the code or data
   that builds graphs changed (``fingerprint``), rebuild everything.
3. Map graph.shard.make_shard over the documents: in this process (``jobs=1``), over worker
   processes (default: all cores), or on a Dask cluster (``dask="tcp://scheduler:8786"``).
4. Merge the shards: new plan graphs go in through pyoxigraph's bulk loader, a changed
   document's graph is replaced in one transaction (DROP + INSERT), contributions to shared
   entities go to the manifest (graph.manifest) and the descriptions they touch are rebuilt
   (graph.shared), then the counterparts and expected owners across levels of government
   (graph.counterparts) and the VoID description with the store's figures (graph.void).
5. Reopen the store, which removes RocksDB's write-ahead log.

A document that cannot be read or processed is reported (file and reason) and skipped;
its previous graph, if any, stays.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from .manifest import DocRow, Manifest
from .shard import Shard, digest, make_shard
from .store import GraphStore
from .store_version import mark_built
from .terms import GRAPH_BASE, base

ROOT = Path(__file__).resolve().parents[1]
BULK_BYTES = 64_000_000  # N-Quads buffered before one bulk load


@dataclass
class DocResult:
    source_file: str
    ok: bool
    triples: int = 0
    error: str = ""
    seconds: float = 0.0
    title: str = ""
    notes: str = ""  # e.g. the mojibake repair counts
    status: str = ""  # stored | replaced | unchanged | removed | failed


@dataclass
class BuildReport:
    documents: list[DocResult] = field(default_factory=list)
    reference_triples: int = 0
    seconds: float = 0.0
    full: bool = False          # everything was rebuilt (new store, or new code)
    shared_updated: int = 0     # shared entity descriptions rewritten

    @property
    def failures(self) -> list[DocResult]:
        return [d for d in self.documents if not d.ok]

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)


# ---------------------------------------------------------------------- what to build
def fingerprint() -> str:
    """Hash of everything that decides a document's graph: the extraction code and data, the
    graph-building modules, the ontology files and the data base IRI."""
    h = hashlib.sha256(base().encode())
    files = sorted([*(ROOT / "extract").rglob("*"), *(ROOT / "ontology").glob("*"),
                    *(ROOT / "graph" / n for n in ("rdf.py", "shared.py", "shortcuts.py", "shard.py", "terms.py",
                                                   "vocab_rdf.py", "regions_rdf.py", "ontology.py", "void.py", "counterparts.py"))])
    for p in files:
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(ROOT).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def corpus_files(inputs: list[Path], roots: Iterable[str] = ()) -> list[tuple[Path, str, str]]:
    """(path, key, root) of every .txt under the inputs, sorted: a folder is a corpus root and
    its files are keyed by their path below it; a single file is keyed by its path below the
    innermost known corpus root holding it (``roots``, from earlier builds), else its name."""
    known = sorted((Path(r) for r in roots), key=lambda r: len(r.parts), reverse=True)
    out = []
    for inp in inputs:
        if inp.is_dir():
            root = inp.resolve()
            for p in sorted(inp.rglob("*.txt")):
                out.append((p, p.relative_to(inp).as_posix(), str(root)))
        elif inp.exists():
            full = inp.resolve()
            root = next((r for r in known if full.is_relative_to(r)), None)
            if root is None:
                out.append((inp, inp.name, str(full.parent)))
            else:
                out.append((inp, full.relative_to(root).as_posix(), str(root)))
        else:
            raise FileNotFoundError(f"{inp}: no such file or directory")
    return out


# ---------------------------------------------------------------------- the map
def _shard_of_path(item: tuple[str, str]) -> Shard:
    path, key = item
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        s = Shard(key, "")
        s.error = f"cannot read: {e}"
        return s
    return make_shard(data, key)


def _warm() -> None:
    from extract.nlp import build_nlp

    build_nlp()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_shards(items: list[tuple[str, str]], jobs: int | None = None, dask: str | None = None) -> Iterator[Shard]:
    """Shards of (path, key) items, in the items' order."""
    if not items:
        return
    if dask:
        yield from _dask_map(items, dask)
        return
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        for item in items:
            yield _shard_of_path(item)
        return
    import multiprocessing

    # forkserver: workers start from a clean process (not a fork of one holding the store open)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["graph.shard", "extract.nlp"])  # workers fork with these imported
    with ctx.Pool(jobs, initializer=_warm, maxtasksperchild=200) as pool:
        yield from pool.imap(_shard_of_path, items, chunksize=1)


def _dask_map(items: list[tuple[str, str]], scheduler: str) -> Iterator[Shard]:
    """The same map on a Dask cluster: the files' bytes go to the workers, shards come back."""
    from dask.distributed import Client

    with Client(scheduler) as client:
        window = 4 * max(1, sum(client.nthreads().values()))
        pending = []
        it = iter(items)

        def submit_one() -> bool:
            item = next(it, None)
            if item is None:
                return False
            path, key = item
            data = Path(path).read_bytes()
            pending.append(client.submit(make_shard, data, key, pure=False))
            return True

        while len(pending) < window and submit_one():
            pass
        while pending:
            fut = pending.pop(0)
            shard = fut.result()
            fut.release()
            submit_one()
            yield shard


# ---------------------------------------------------------------------- the merge
class BulkWriter:
    """Plan graphs of new documents, buffered and written through the bulk loader."""

    def __init__(self, store: GraphStore, manifest: Manifest):
        self.store, self.manifest = store, manifest
        self.parts: list[bytes] = []
        self.size = 0
        self.keys: list[str] = []

    def add(self, key: str, nquads: bytes) -> None:
        self.parts.append(nquads)
        self.size += len(nquads)
        self.keys.append(key)
        if self.size >= BULK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.store.bulk_nquads(b"".join(self.parts))
            self.manifest.stored(self.keys)
        self.parts, self.size, self.keys = [], 0, []


def load_reference(store: GraphStore) -> int:
    """Ontology, vocabularies and the region gazetteer, each in its own named graph, through
    the bulk loader (into a cleared store: reference data changes only with a full rebuild)."""
    from extract.gazetteer import Gazetteer

    from .ontology import ONTOLOGY_GRAPH, VOCAB_GRAPH, load_ontology_quads
    from .regions_rdf import region_quads
    from .vocab_rdf import vocabulary_quads

    vocab = ox.NamedNode(VOCAB_GRAPH)
    gaz_graph = ox.NamedNode(GRAPH_BASE + "gazetteer")
    n = 0
    for g, quads in ((ox.NamedNode(ONTOLOGY_GRAPH), load_ontology_quads(ONTOLOGY_GRAPH)),
                     (vocab, load_ontology_quads(VOCAB_GRAPH) + vocabulary_quads(vocab)),
                     (gaz_graph, region_quads(Gazetteer.load(), graph=gaz_graph))):
        store.store.bulk_extend(quads)
        n += len(quads)
    return n


def rebuild_descriptions(store: GraphStore, manifest: Manifest, full: bool) -> int:
    """Rewrite the shared descriptions of the manifest's dirty subjects from the documents'
    contributions (all of them, bulk-loaded, after a full rebuild); returns how many."""
    from .shared import shared_graph_of

    dirty = manifest.dirty()
    if full:  # into a cleared store
        buf, n = [], 0
        for subject, lines in manifest.descriptions():
            g = f" <{shared_graph_of(ox.NamedNode(subject)).value}> .\n"
            buf.extend(line[:-3] + g for line in sorted(lines))
            n += 1
            if len(buf) > 200_000:
                store.bulk_nquads("".join(buf).encode("utf-8"))
                buf = []
        if buf:
            store.bulk_nquads("".join(buf).encode("utf-8"))
        manifest.clean(dirty)
        return n
    deletes: list[str] = []
    inserts: list[str] = []
    for subject in dirty:
        node = ox.NamedNode(subject)
        g = shared_graph_of(node)
        want = manifest.description(subject)
        have = {f"{ox.Triple(q.subject, q.predicate, q.object)} .\n"
                for q in store.store.quads_for_pattern(node, None, None, g)}
        deletes += [f"GRAPH <{g.value}> {{ {line.strip()} }}" for line in sorted(have - want)]
        inserts += [f"GRAPH <{g.value}> {{ {line.strip()} }}" for line in sorted(want - have)]
    if deletes or inserts:
        parts = []
        if deletes:
            parts.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
        if inserts:
            parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        store.store.update(" ;\n".join(parts))  # one transaction
    manifest.clean(dirty)
    return len(dirty)


def build(inputs: list[Path], store: GraphStore,
          progress: Callable[[DocResult, int, int], None] | None = None,
          jobs: int | None = None, dask: str | None = None) -> BuildReport:
    report = BuildReport()
    t0 = time.perf_counter()
    manifest = Manifest(store.path)
    known = manifest.documents()
    fp = fingerprint()
    report.full = manifest.get("fingerprint") != fp
    roots = {d.root for d in known.values()}
    files = corpus_files(inputs, roots)
    if report.full:
        # everything again: the documents built before (if their files are still there) and the new ones
        given = {key for _, key, _ in files}
        files += [(Path(d.path), d.source_file, d.root) for d in known.values()
                  if d.source_file not in given and Path(d.path).is_file()]
        files.sort(key=lambda f: f[1])
        store.store.clear()
        store.clear_sources()
        manifest.clear()
        known = {}
        report.reference_triples = load_reference(store)

    # what changed
    todo: list[tuple[Path, str, str]] = []
    digests: dict[str, str] = {}
    seen: set[str] = set()
    for path, key, root in files:
        if key in seen:
            continue
        seen.add(key)
        try:
            d = digest(path.read_bytes())
        except OSError as e:
            report.documents.append(DocResult(key, False, error=f"cannot read: {e}", status="failed"))
            continue
        old = known.get(key)
        if old is not None and old.digest == d and not old.pending:
            report.documents.append(DocResult(key, True, old.n_triples, title=old.title, status="unchanged"))
            continue
        digests[key] = d
        todo.append((path, key, root))
    built_roots = {str(inp.resolve()) for inp in inputs if inp.is_dir()}
    gone = [d for d in known.values() if d.root in built_roots and d.source_file not in seen]

    n_total = len(todo)
    where = {key: (path, root) for path, key, root in todo}
    bulk = BulkWriter(store, manifest)
    for i, shard in enumerate(map_shards([(str(p), k) for p, k, _ in todo], jobs, dask), 1):
        key = shard.source_file
        if not shard.ok:
            res = DocResult(key, False, error=shard.error, seconds=shard.seconds, status="failed")
        else:
            path, root = where[key]
            row = DocRow(key, str(Path(path).resolve()), root, shard.digest, shard.plan, shard.n_triples,
                         shard.entities, shard.classes, shard.title, True)
            manifest.put_document(row, shard.contributions)
            if key in known:  # replace the previous graph in one transaction
                store.replace_graph_ntriples(ox.NamedNode(shard.plan), shard.triples)
                manifest.stored([key])
                status = "replaced"
            else:
                bulk.add(key, shard.nquads())
                status = "stored"
            store.put_source(key, shard.text)
            res = DocResult(key, True, shard.n_triples, title=shard.title, notes=shard.notes,
                            seconds=shard.seconds, status=status)
        report.documents.append(res)
        if progress:
            progress(res, i, n_total)
    bulk.flush()
    for d in gone:
        store.drop_graph(ox.NamedNode(d.plan))
        store.remove_source(d.source_file)
        manifest.remove_document(d.source_file)
        report.documents.append(DocResult(d.source_file, True, status="removed", title=d.title))
    report.shared_updated = rebuild_descriptions(store, manifest, report.full)

    from .counterparts import write_counterparts
    from .void import write_void

    write_counterparts(store)  # counterparts and expected owners, from everything stored now
    write_void(store, manifest)
    manifest.set("fingerprint", fp)
    manifest.close()
    store.reopen()  # flushes, and drops the write-ahead log
    if store.path is not None:  # a server serving this store moves over to the finished build
        mark_built(store.path)
    report.documents.sort(key=lambda d: d.source_file)
    report.seconds = time.perf_counter() - t0
    return report


def entity_counts(store: GraphStore) -> Counter:
    """Entities per pskg class (local name), from the store's VoID figures when it has them."""
    from .void import class_counts

    return Counter({c.rsplit("#", 1)[-1]: n for c, n in class_counts(store.select).items()
                    if c.startswith("https://w3id.org/pskg/ontology#")})
