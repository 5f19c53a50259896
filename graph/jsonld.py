"""JSON-LD written against the project's context (ontology/context.jsonld).

The context is embedded in every document, so a reader needs nothing from the network.
Properties defined as terms in the context are written with the term's name (with the
value in the term's coerced form when it fits); other IRIs are written as compact IRIs
with the context's prefixes, or in full. Output is deterministic (sorted nodes, keys and values).
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

from pskg.paths import ONTOLOGY_DIR

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def load_context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


class Compactor:
    def __init__(self, context: dict):
        self.context = context
        self.prefixes = {k: v for k, v in context.items()
                         if isinstance(v, str) and v.endswith(("#", "/")) and "://" in v}
        self.terms: dict[str, tuple[str, str | None]] = {}  # property IRI -> (term, coerced type IRI or @id)
        self.class_terms: dict[str, str] = {}  # IRI -> term, for @type values
        for term, spec in sorted(context.items()):
            if term in self.prefixes or term.startswith("@"):
                continue
            iri, typ = (spec, None) if isinstance(spec, str) else (spec.get("@id"), spec.get("@type"))
            if not iri:
                continue
            iri = self.expand(iri)
            typ = typ if typ in (None, "@id") else self.expand(typ)
            self.terms.setdefault(iri, (term, typ))
            if typ is None:
                self.class_terms.setdefault(iri, term)

    def expand(self, name: str) -> str:
        prefix, sep, local = name.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return name

    def curie(self, iri: str) -> str:
        best = None
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                best = p
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def node_ref(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.curie(term.value)

    def value(self, obj) -> dict | str:
        if isinstance(obj, ox.Literal):
            if obj.language:
                return {"@value": obj.value, "@language": obj.language}
            if obj.datatype.value == XSD_STRING:
                return obj.value
            return {"@value": obj.value, "@type": self.curie(obj.datatype.value)}
        return {"@id": self.node_ref(obj)}

    def entry(self, pred: str, obj) -> tuple[str, object]:
        """(key, value) for one triple's predicate and object."""
        if pred == RDF_TYPE and not isinstance(obj, ox.Literal):
            return "@type", self.class_terms.get(obj.value) or self.node_ref(obj)
        term = self.terms.get(pred)
        if term:
            name, typ = term
            if typ == "@id" and not isinstance(obj, ox.Literal):
                return name, self.node_ref(obj)
            if isinstance(obj, ox.Literal) and not obj.language:
                if typ is not None and typ != "@id" and obj.datatype.value == typ:
                    return name, obj.value
                if typ is None:
                    return name, self.value(obj)
            elif isinstance(obj, ox.Literal) and typ is None:
                return name, self.value(obj)
        return self.curie(pred), self.value(obj)

    def nodes(self, triples: Iterable) -> list[dict]:
        by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            key, val = self.entry(t.predicate.value, t.object)
            by_subject[self.node_ref(t.subject)][key].append(val)
        out = []
        for s in sorted(by_subject):
            node = {"@id": s}
            for key in sorted(by_subject[s]):
                vals = sorted(by_subject[s][key], key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
                node[key] = vals[0] if len(vals) == 1 else vals
            out.append(node)
        return out


def dumps(statements: Iterable, context: dict | None = None) -> bytes:
    """A JSON-LD document of triples or quads (quads in named graphs go into named-graph nodes)."""
    context = context or load_context()
    c = Compactor(context)
    default, named = [], defaultdict(list)
    for st in statements:
        g = getattr(st, "graph_name", None)
        if g is None or isinstance(g, ox.DefaultGraph):
            default.append(st)
        else:
            named[c.node_ref(g)].append(st)
    graph = c.nodes(default) + [{"@id": g, "@graph": c.nodes(named[g])} for g in sorted(named)]
    doc = {"@context": context, "@graph": graph}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8") + b"\n"


def write_graphs(out, graphs: Iterable[tuple[str, list]], context: dict | None = None) -> None:
    """Stream a JSON-LD document of named graphs, one (graph IRI, statements) at a time, in the
    order given: the same bytes ``dumps`` gives for their quads, without holding them all."""
    context = context or load_context()
    c = Compactor(context)
    ctx = json.dumps(context, ensure_ascii=False, indent=1).replace("\n", "\n ")
    out.write(f'{{\n "@context": {ctx},\n "@graph": ['.encode("utf-8"))
    first = True
    for g, statements in graphs:
        node = {"@id": c.node_ref(ox.NamedNode(g)), "@graph": c.nodes(statements)}
        text = json.dumps(node, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        out.write(((",\n  " if not first else "\n  ") + text).encode("utf-8"))
        first = False
    out.write(("\n ]\n}\n" if not first else "]\n}\n").encode("utf-8"))
