"""The on-disk pyoxigraph store: one named graph per plan, reference data in their own graphs.

Replacing a plan's graph is one SPARQL update (DROP + INSERT DATA), which pyoxigraph applies
in a single transaction: a failure leaves the previous graph untouched. Queries run with
the union of all graphs as the default graph.
"""
from __future__ import annotations

import hashlib

import io
from pathlib import Path
from typing import Iterable

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


class GraphStore:
    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self._sources: dict[str, str] = {}
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

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self.store.update(f"DROP SILENT GRAPH {graph}")

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
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(p)

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

    def export(self, fmt: str, out: io.BufferedIOBase, graph: str | None = None,
               extra: Iterable[ox.Quad] = ()) -> None:
        """Serialize the store (or one named graph), plus ``extra`` quads (e.g. the VoID
        description). Line-based formats come out sorted, so two builds of the same corpus
        give byte-identical files; JSON-LD is written against ontology/context.jsonld."""
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        rdf_format = FORMATS[fmt]
        if graph is not None:
            g = ox.NamedNode(graph)
            if not self.store.contains_named_graph(g):
                raise StoreError(f"no graph {graph} in the store")
            quads = [ox.Quad(q.subject, q.predicate, q.object, g)
                     for q in self.store.quads_for_pattern(None, None, None, g)]
        else:
            quads = list(self.store.quads_for_pattern(None, None, None, None))
        quads = canonical(quads + list(extra))
        if fmt not in DATASET_FORMATS:
            # a triple format: the union of the graphs, each triple once
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
            data = sorted(triples, key=str)
        else:
            data = sorted(quads, key=str)
        if fmt in ("nquads", "ntriples"):
            body = "".join(f"{t} .\n" for t in data)
            out.write(body.encode("utf-8"))
            return
        if fmt == "jsonld":
            from .jsonld import dumps
            out.write(dumps(data))
            return
        kwargs = {}
        if fmt in ("turtle", "trig"):
            from .terms import PREFIXES
            kwargs["prefixes"] = PREFIXES
        out.write(ox.serialize(data, format=rdf_format, **kwargs))
