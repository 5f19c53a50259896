"""Build the knowledge graph of a corpus into a store: parallel, incremental, bulk-written.

1. List the corpus (graph.corpus: .txt files, any letter case, under the given folders, or
   single files), each keyed by its corpus-relative path; a single file inside a corpus
   folder built before keeps that key, so rebuilding it replaces its plan rather than adding
   a second copy. Every entry not built (links out of the corpus, unreadable folders, other
   files, bad names) gets a one-line reason in the report. Two keys whose plan IRIs would be
   equal fail the later one: one plan, one graph.
2. Skip documents whose bytes (sha256) are unchanged since they were stored; remove the
   graphs of documents gone from a corpus folder that is built again. When the code or data
   that builds graphs changed (``fingerprint``), rebuild everything.
3. Map graph.shard.make_shard over the documents (graph.workers): in this process
   (``jobs=1``), over worker processes (default: all cores), or on a Dask cluster
   (``dask="tcp://scheduler:8786"``), each document within a time budget (``Budget``: a
   worker over it is killed and replaced, the document reported).
4. Merge the shards: new plan graphs go in through pyoxigraph's bulk loader, a changed
   document's graph is replaced in one transaction (DROP + INSERT), contributions to shared
   entities go to the manifest (graph.manifest) and the descriptions they touch are rebuilt
   (graph.shared), then the counterparts and expected owners across levels of government
   (graph.counterparts) and the VoID description with the store's figures (graph.void).
5. Reopen the store, which removes RocksDB's write-ahead log.

A document that cannot be read or processed is reported (file and reason) and skipped;
its previous graph, if any, stays. A document's source text is written before its graph, so
no stored graph lacks its text. A failure to write the store (a full disk) stops the build
with ``BuildError``: what was stored stays, unfinished documents are redone by the next build.
"""
from __future__ import annotations

import errno
import hashlib
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .corpus import MissingInput, list_corpus
from .manifest import DocRow, Manifest
from .shard import digest
from .store import BackgroundLoads, GraphStore
from .store_version import mark_built
from .terms import GRAPH_BASE, RDF, base, plan_iri
from .workers import Budget, map_shards

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
    status: str = ""  # stored | replaced | unchanged | removed | failed | skipped (error says why)


@dataclass
class BuildReport:
    documents: list[DocResult] = field(default_factory=list)
    reference_triples: int = 0
    seconds: float = 0.0
    full: bool = False          # everything was rebuilt (new store, or new code)
    shared_updated: int = 0     # shared entity descriptions rewritten
    compacted: bool = False     # the build ended with a compaction of the store (GraphStore.reopen)
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per step, in build order

    @property
    def failures(self) -> list[DocResult]:
        return [d for d in self.documents if not d.ok]

    @property
    def skipped(self) -> list[DocResult]:
        """Entries of a corpus folder that are not plan candidates (other files, folders)."""
        return [d for d in self.documents if d.status == "skipped"]

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


class BuildError(RuntimeError):
    """The build cannot go on (the store cannot be written: a full disk, a read-only folder)."""


def _write_error(e: BaseException) -> BuildError:
    full = (isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)) or \
        "No space left" in str(e) or "disk is full" in str(e)
    what = "the disk is full" if full else "cannot write the store"
    detail = f"{type(e).__name__}: {e}".replace("\n", " ")
    return BuildError(f"{what} ({detail}); the build stopped: documents stored before stay, "
                      "and the next build redoes the unfinished ones")


# ---------------------------------------------------------------------- the merge
class BulkWriter:
    """Plan graphs of new documents, buffered and written through the bulk loader on its own
    thread (BackgroundLoads); a document counts as stored in the manifest once its batch is."""

    def __init__(self, loads: BackgroundLoads, manifest: Manifest):
        self.loads, self.manifest = loads, manifest
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
            keys = self.keys
            self.loads.submit(b"".join(self.parts), lambda: self.manifest.stored(keys))
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
        store.bulk_add(quads)
        n += len(quads)
    return n


_TYPE_PREFIX = f"<{RDF}type> <"


def _count_description(figures: dict, graph: str, subject: str, lines: set[str], b: str) -> None:
    """Add one subject's description lines ("<s> <p> <o> .\n") to its graph's figures:
    every line a triple, a type statement with an IRI object an instance of its class, the
    subject counted when it is under the data base ``b``."""
    count, classes, subjects = figures.setdefault(graph, (0, {}, set()))
    for line in lines:
        rest = line[len(subject) + 3:]
        if rest.startswith(_TYPE_PREFIX):
            c = rest[len(_TYPE_PREFIX):rest.index(">", len(_TYPE_PREFIX))]
            classes[c] = classes.get(c, 0) + 1
    if subject.startswith(b):
        subjects.add(subject)
    figures[graph] = (count + len(lines), classes, subjects)


def rebuild_descriptions(store: GraphStore, manifest: Manifest, full: bool) -> tuple[int, dict]:
    """Rewrite the shared descriptions of the manifest's dirty subjects from the documents'
    contributions (all of them, bulk-loaded, after a full rebuild). Returns how many, and
    after a full rebuild the figures of each shared graph as graph.void counts them
    (triples, instances per class, subjects under the data base), counted from the lines
    written, so that the VoID step need not read those graphs back."""
    from .shared import in_graph, shared_graph_of

    dirty = manifest.dirty()
    if full:  # into a cleared store
        buf, size, n = [], 0, 0
        b = base()
        figures: dict[str, tuple[int, dict[str, int], set[str]]] = {}
        with BackgroundLoads(store) as loads:
            for subject, lines in manifest.descriptions():
                graph = shared_graph_of(ox.NamedNode(subject)).value
                buf.append(in_graph("".join(sorted(lines)), graph))
                _count_description(figures, graph, subject, lines, b)
                size += len(lines)
                n += 1
                if size > 200_000:
                    loads.submit("".join(buf).encode("utf-8"))
                    buf, size = [], 0
            if buf:
                loads.submit("".join(buf).encode("utf-8"))
        manifest.clean(dirty)
        return n, figures
    deletes: list[str] = []
    inserts: list[str] = []
    for subject in dirty:
        node = ox.NamedNode(subject)
        g = shared_graph_of(node)
        want = manifest.description(subject)
        have = {f"{q.triple} .\n"
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
    return len(dirty), {}


def build(inputs: list[Path], store: GraphStore,
          progress: Callable[[DocResult, int, int], None] | None = None,
          jobs: int | None = None, dask: str | None = None, budget: Budget = Budget()) -> BuildReport:
    """Build ``inputs`` into ``store``; raises BuildError when the store cannot be written."""
    try:
        return _build(inputs, store, progress, jobs, dask, budget)
    except MissingInput:
        raise
    except (OSError, sqlite3.OperationalError) as e:
        raise _write_error(e) from e


def _build(inputs: list[Path], store: GraphStore, progress, jobs, dask, budget: Budget) -> BuildReport:
    report = BuildReport()
    t0 = time.perf_counter()
    manifest = Manifest(store.path)
    known = manifest.documents()
    fp = fingerprint()
    report.full = manifest.get("fingerprint") != fp
    roots = {d.root for d in known.values()}
    listing = list_corpus(inputs, roots)
    files = listing.files
    for r in listing.refusals:
        report.documents.append(DocResult(r.key, not r.failed, error=r.reason,
                                          status="failed" if r.failed else "skipped"))
    if report.full:
        # everything again: the documents built before (if their files are still there) and the new ones
        given = {key for _, key, _ in files} | {r.key for r in listing.refusals}
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
    seen: set[str] = set()
    for path, key, root in files:
        if key in seen:
            continue
        seen.add(key)
        try:
            with open(path, "rb") as fh:
                d = digest(fh.read())
        except OSError as e:
            report.documents.append(DocResult(key, False, error=f"cannot read: {e.strerror or e}", status="failed"))
            continue
        old = known.get(key)
        if old is not None and old.digest == d and not old.pending:
            report.documents.append(DocResult(key, True, old.n_triples, title=old.title, status="unchanged"))
            continue
        todo.append((path, key, root))
    seen |= {r.key for r in listing.refusals}
    built_roots = {str(inp.resolve()) for inp in inputs if inp.is_dir()}
    gone = [d for d in known.values() if d.root in built_roots and d.source_file not in seen]
    for d in gone:  # first, so a new document may take a plan IRI a removed one held
        store.drop_graph(ox.NamedNode(d.plan))
        store.remove_source(d.source_file)
        manifest.remove_document(d.source_file)
        known.pop(d.source_file)
        report.documents.append(DocResult(d.source_file, True, status="removed", title=d.title))

    # one plan IRI, one document: a key whose IRI another key holds (names that differ only in
    # characters an IRI cannot carry) fails, and the plan stored under that IRI stays
    owner = {d.plan: k for k, d in known.items()}
    unique = []
    for path, key, root in todo:
        iri = plan_iri(key).value
        other = owner.setdefault(iri, key)
        if other != key:
            report.documents.append(DocResult(key, False, status="failed",
                                              error=f"its plan IRI <{iri}> is already that of {other}: rename one"))
            continue
        unique.append((path, key, root))
    todo = unique

    report.phases["listing"] = time.perf_counter() - t0
    t_phase = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal t_phase
        now = time.perf_counter()
        report.phases[name] = now - t_phase
        t_phase = now

    with BackgroundLoads(store) as loads:
        _merge_shards(todo, store, manifest, known, report, loads, progress, jobs, dask, budget)
    phase("documents")
    report.shared_updated, shared_figures = rebuild_descriptions(store, manifest, report.full)
    phase("shared descriptions")

    from .counterparts import COUNTERPARTS_GRAPH, write_counterparts
    from .source_urls import write_source_urls
    from .void import write_void

    counted = write_counterparts(store, manifest)  # counterparts and expected owners, from everything stored now
    phase("counterparts")
    write_source_urls(store, manifest)  # the plans' web addresses, from SOURCES.tsv
    write_void(store, manifest, {**shared_figures, COUNTERPARTS_GRAPH: counted})
    manifest.set("fingerprint", fp)
    manifest.close()
    phase("VoID")
    report.compacted = store.reopen(compact=report.full)  # flushes, compacts, drops the write-ahead log
    phase("compaction" if report.compacted else "flush")
    if store.path is not None:  # a server serving this store moves over to the finished build
        mark_built(store.path)
    report.documents.sort(key=lambda d: d.source_file)
    report.seconds = time.perf_counter() - t0
    return report


def _merge_shards(todo, store: GraphStore, manifest: Manifest, known: dict, report: BuildReport,
                  loads: BackgroundLoads, progress, jobs, dask, budget: Budget) -> None:
    """Map the extraction over ``todo`` and put each shard in the store and the manifest."""
    n_total = len(todo)
    where = {key: (path, root) for path, key, root in todo}
    bulk = BulkWriter(loads, manifest)
    for i, shard in enumerate(map_shards([(str(p), k) for p, k, _ in todo], jobs, dask, budget), 1):
        key = shard.source_file
        if not shard.ok:
            res = DocResult(key, False, error=shard.error, seconds=shard.seconds, status="failed")
        else:
            path, root = where[key]
            store.put_source(key, shard.text)  # the text first: no graph is stored without it
            row = DocRow(key, str(Path(path).resolve()), root, shard.digest, shard.plan, shard.n_triples,
                         shard.entities, shard.classes, shard.title, True)
            manifest.put_document(row, shard.contributions)
            if key in known:  # replace the previous graph in one transaction (no load running meanwhile)
                loads.wait()
                store.replace_graph_ntriples(ox.NamedNode(shard.plan), shard.ntriples())
                manifest.stored([key])
                status = "replaced"
            else:
                bulk.add(key, shard.nquads)
                status = "stored"
            res = DocResult(key, True, shard.n_triples, title=shard.title, notes=shard.notes,
                            seconds=shard.seconds, status=status)
        report.documents.append(res)
        if progress:
            progress(res, i, n_total)
    bulk.flush()


def entity_counts(store: GraphStore) -> Counter:
    """Entities per pskg class (local name), from the store's VoID figures when it has them."""
    from .void import class_counts

    return Counter({c.rsplit("#", 1)[-1]: n for c, n in class_counts(store.select).items()
                    if c.startswith("https://w3id.org/pskg/ontology#")})
