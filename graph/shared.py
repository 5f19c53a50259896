"""Shared entities: described once, in graphs of their own, from every document's contributions.

Agencies, populations, standards, cited parent plans, regions and services are named by many
plans. A plan graph keeps what the plan says about them — its links to them (pskg:mentions,
pskg:leadAgency, pskg:targetPopulation ...) and the evidence of each mention (``entity
pskg:evidence ev``, the evidence node in the plan graph). Every other statement whose
subject is a shared entity (its type, labels, the written forms this plan used, level,
function, jurisdiction ...) is the plan's *contribution* to the entity's description. The
description, stored once in the entity's shared graph, is the union of the contributions of
all documents (graph.manifest keeps them, so removing or changing a document rebuilds the
descriptions it touched). The union default graph then holds each triple once.

Which IRIs are shared is decided by their kind segment (``id:agency/…``); add a kind here
and its statements move out of the plan graphs on the next build.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .terms import GRAPH_BASE, base, pskg

# IRI kind (the path segment after the data base, or a prefix of the rest) -> its shared graph
SHARED_KINDS = {
    "agency/": "agencies",
    "population/": "populations",
    "standard/": "standards",
    "plan/cited-": "cited-plans",
    "region/": "regions",
    "service/": "services",
}
EVIDENCE = pskg("evidence")


def shared_graphs() -> list[ox.NamedNode]:
    return [ox.NamedNode(GRAPH_BASE + g) for g in dict.fromkeys(SHARED_KINDS.values())]


# data base -> (every shared prefix, ((prefix, its graph), ...))
_PREFIXES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ox.NamedNode], ...]]] = {}


def shared_graph_of(subject) -> ox.NamedNode | None:
    """The shared graph describing ``subject``, or None when it belongs to a plan graph."""
    if not isinstance(subject, ox.NamedNode):
        return None
    b = base()
    known = _PREFIXES.get(b)
    if known is None:
        pairs = tuple((b + k, ox.NamedNode(GRAPH_BASE + g)) for k, g in SHARED_KINDS.items())
        known = _PREFIXES[b] = (tuple(p for p, _ in pairs), pairs)
    iri = subject.value
    if not iri.startswith(known[0]):  # most subjects: one test
        return None
    for prefix, graph in known[1]:
        if iri.startswith(prefix):
            return graph
    return None


def split(quads: Iterable[ox.Quad]) -> tuple[list[ox.Triple], dict[str, list[ox.Triple]]]:
    """(the plan graph's triples, {shared entity IRI: the triples it contributes to its
    description}) of one document's quads."""
    plan: list[ox.Triple] = []
    shared: dict[str, list[ox.Triple]] = {}
    for q in quads:
        t = q.triple
        if q.predicate != EVIDENCE and shared_graph_of(q.subject) is not None:
            shared.setdefault(q.subject.value, []).append(t)
        else:
            plan.append(t)
    return plan, shared


def ntriples(triples: Iterable[ox.Triple]) -> str:
    """Sorted, deduplicated N-Triples lines (the form shards and contributions are kept in)."""
    return "".join(sorted({f"{t} .\n" for t in triples}))


def in_graph(ntriples_text: str, graph: str) -> str:
    """N-Triples lines as N-Quads in ``graph`` (an IRI): every line ends " .\n" and no term
    holds a raw line break (N-Triples escapes it), so the graph goes where each final " ." is."""
    return ntriples_text.replace(" .\n", f" <{graph}> .\n")
