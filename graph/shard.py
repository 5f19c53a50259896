"""One document in, one shard out: the pure per-document step of a build.

``make_shard(data, source_file)`` decodes a corpus file's bytes, runs the extraction pipeline
and returns a Shard: the plan graph as N-Triples, the document's contributions to shared
entity descriptions (graph.shared), the counts the VoID description needs, and the decoded
text. It reads no store and keeps no state between documents, so builds can map it over
processes (graph.build) or a Dask cluster and merge the shards in any order.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field

from extract.normalize import DecodeError, decode_bytes

from .sniff import refusal
from .terms import TYPE, base, plan_iri

MAX_BYTES = 20_000_000  # larger files are not plan texts
MAX_CHARS = 2_000_000


class DocumentError(ValueError):
    """A document that cannot be turned into a plan graph; the message says why."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Shard:
    source_file: str           # corpus-relative path, the plan's key
    digest: str                # sha256 of the file's bytes
    ok: bool = False
    error: str = ""
    plan: str = ""             # the plan IRI, also its graph's name
    nquads: bytes = b""        # the plan graph in its graph: sorted N-Quads, UTF-8 (as the bulk loader takes it)
    contributions: dict[str, str] = field(default_factory=dict)  # shared entity -> its N-Triples
    n_triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)        # class IRI -> instances typed in the plan graph
    entities: int = 0          # subjects under the data base owned by the plan graph
    title: str = ""
    notes: str = ""            # e.g. the mojibake repair counts
    text: str = ""             # the decoded source text (evidence offsets count its characters)
    seconds: float = 0.0

    def ntriples(self) -> str:
        """The plan graph as N-Triples (for a SPARQL replace). Every line of ``nquads`` ends
        " <plan> .\n" and no term holds a raw line break, so the graph goes where that is."""
        return self.nquads.decode("utf-8").replace(f" <{self.plan}> .\n", " .\n")


def decode_document(data: bytes) -> str:
    """Decoded text of one corpus file, or DocumentError saying why it is unusable (graph.sniff:
    only what looks like a plan text)."""
    if not data:
        raise DocumentError("empty file")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"file too large ({len(data):,} bytes, limit {MAX_BYTES:,}): not a plan text")
    why = refusal(data)
    if why:
        raise DocumentError(why)
    try:
        raw, _enc = decode_bytes(data)
    except DecodeError as e:
        raise DocumentError(str(e)) from None
    if len(raw) > MAX_CHARS:
        raise DocumentError(f"text too long ({len(raw):,} characters, limit {MAX_CHARS:,}): not a plan text")
    why = refusal(data, raw)
    if why:
        raise DocumentError(why)
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


def make_shard(data: bytes, source_file: str) -> Shard:
    """The shard of one corpus file; a file that cannot be used gives a failed shard whose
    error says why (an extractor bug too: it must not stop the other documents)."""
    from .shared import in_graph, ntriples, shared_graph_of, split
    from .shortcuts import shortcut_triples

    t = time.perf_counter()
    shard = Shard(source_file, digest(data))
    try:
        raw = decode_document(data)
        plan, quads, title, notes = process_document(raw, source_file)
        triples, shared = split(quads)
        triples += shortcut_triples(plan, triples)
        # made here, on the extraction's core: the build's process only passes the bytes on
        shard.nquads = in_graph(ntriples(triples), plan.value).encode("utf-8")
        shard.contributions = {s: ntriples(ts) for s, ts in sorted(shared.items())}
        shard.n_triples = shard.nquads.count(b"\n")
        # the quads are a set and no shortcut is a type: each type statement is counted once
        classes = Counter(tr.object.value for tr in triples if tr.predicate == TYPE)
        b = base()
        shard.classes = dict(sorted(classes.items()))
        shard.entities = sum(1 for s in {tr.subject for tr in triples}
                             if s.value.startswith(b) and shared_graph_of(s) is None)
        shard.ok, shard.plan, shard.title, shard.notes, shard.text = True, plan.value, title, notes, raw
    except DocumentError as e:
        shard.error = str(e)
    except MemoryError:
        shard.error = "internal error while processing: MemoryError (over the memory budget per document?)"
    except Exception as e:  # noqa: BLE001
        shard.error = f"internal error while processing: {type(e).__name__}: {e}"
    shard.seconds = time.perf_counter() - t
    return shard
