"""Build the knowledge graph of a corpus into a store, one document at a time.

A document that cannot be read or processed is reported (file and reason) and skipped;
the others are stored. Each stored document replaces its own plan graph atomically.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from extract.normalize import DecodeError, decode_bytes

from .store import GraphStore
from .store_version import mark_built
from .terms import GRAPH_BASE, plan_iri

MAX_BYTES = 20_000_000  # larger files are not plan texts
MAX_CHARS = 2_000_000


class DocumentError(ValueError):
    """A document that cannot be turned into a plan graph; the message says why."""


@dataclass
class DocResult:
    source_file: str
    ok: bool
    triples: int = 0
    error: str = ""
    seconds: float = 0.0
    title: str = ""
    notes: str = ""  # e.g. the mojibake repair counts


@dataclass
class BuildReport:
    documents: list[DocResult] = field(default_factory=list)
    reference_triples: int = 0
    seconds: float = 0.0

    @property
    def failures(self) -> list[DocResult]:
        return [d for d in self.documents if not d.ok]


def corpus_files(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(path, corpus-relative name) of every .txt under the inputs, sorted."""
    out = []
    for inp in inputs:
        if inp.is_dir():
            for p in sorted(inp.rglob("*.txt")):
                out.append((p, p.relative_to(inp).as_posix()))
        elif inp.exists():
            out.append((inp, inp.name))
        else:
            raise FileNotFoundError(f"{inp}: no such file or directory")
    return out


def read_document(path: Path) -> str:
    """Decoded text of one corpus file, or DocumentError saying why it is unusable."""
    size = path.stat().st_size
    if size == 0:
        raise DocumentError("empty file")
    if size > MAX_BYTES:
        raise DocumentError(f"file too large ({size:,} bytes, limit {MAX_BYTES:,}): not a plan text")
    try:
        raw, _enc = decode_bytes(path.read_bytes())
    except DecodeError as e:
        raise DocumentError(str(e)) from None
    if len(raw) > MAX_CHARS:
        raise DocumentError(f"text too long ({len(raw):,} characters, limit {MAX_CHARS:,}): not a plan text")
    return raw


def process_document(raw: str, source_file: str):
    """(plan IRI, quads, title, notes) of one document's decoded text."""
    from extract.nlp import process
    from extract.normalize import mojibake_report

    from .rdf import plan_quads

    doc = process(raw)
    if not doc._.norm.text.strip():
        raise DocumentError("no text left after removing site chrome")
    quads = plan_quads(doc, source_file)
    meta = doc._.plan.meta
    notes = []
    if doc._.norm.encoding != "utf-8":
        notes.append(f"encoding {doc._.norm.encoding}")
    moji = mojibake_report(doc._.norm)
    if moji["runs_found"]:
        notes.append(f"mojibake: {moji['runs_found']} damaged runs, {moji['fully_repaired']} repaired, "
                     f"{moji['partially_repaired']} repaired but for a lost character, "
                     f"{moji['left_marked']} left marked")
    return plan_iri(source_file), quads, (meta.title.value if meta.title else ""), "; ".join(notes)


def load_reference(store: GraphStore) -> int:
    """Ontology, vocabularies and the region gazetteer, each in its own named graph."""
    import pyoxigraph as ox

    from extract.gazetteer import Gazetteer

    from .ontology import ONTOLOGY_GRAPH, VOCAB_GRAPH, load_ontology_quads
    from .regions_rdf import region_quads
    from .vocab_rdf import vocabulary_quads

    n = store.replace_graph(ox.NamedNode(ONTOLOGY_GRAPH), load_ontology_quads(ONTOLOGY_GRAPH))
    vocab = ox.NamedNode(VOCAB_GRAPH)
    n += store.replace_graph(vocab, load_ontology_quads(VOCAB_GRAPH) + vocabulary_quads(vocab))
    gaz_graph = ox.NamedNode(GRAPH_BASE + "gazetteer")
    n += store.replace_graph(gaz_graph, region_quads(Gazetteer.load(), graph=gaz_graph))
    return n


def build(inputs: list[Path], store: GraphStore,
          progress: Callable[[DocResult, int, int], None] | None = None) -> BuildReport:
    report = BuildReport()
    t0 = time.perf_counter()
    report.reference_triples = load_reference(store)
    files = corpus_files(inputs)
    for i, (path, rel) in enumerate(files, 1):
        t = time.perf_counter()
        try:
            raw = read_document(path)
            graph, quads, title, notes = process_document(raw, rel)
            n = store.replace_graph(graph, quads)
            store.put_source(rel, raw)
            res = DocResult(rel, True, n, title=title, notes=notes)
        except DocumentError as e:
            res = DocResult(rel, False, error=str(e))
        except Exception as e:  # an extractor bug must not stop the other documents
            res = DocResult(rel, False, error=f"internal error while processing: {type(e).__name__}: {e}")
        res.seconds = time.perf_counter() - t
        report.documents.append(res)
        if progress:
            progress(res, i, len(files))
    store.flush()
    if store.path is not None:  # a server serving this store moves over to the finished build
        mark_built(store.path)
    report.seconds = time.perf_counter() - t0
    return report


def entity_counts(store: GraphStore) -> Counter:
    rows = store.select("""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a ?c . FILTER(STRSTARTS(STR(?c), STR(pskg:))) } GROUP BY ?c""")
    return Counter({r["c"].rsplit("#", 1)[-1]: int(r["n"]) for r in rows})
