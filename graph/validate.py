"""SHACL validation of the store against ontology/shapes.ttl (pyshacl over rdflib), in chunks.

The data validated is what the extraction produced: every plan graph and every shared
entity description (graph.shared), each checked with what it points at — the descriptions
of the shared entities it links to, the vocabularies graph (canonical services and
populations, concept schemes) and the gazetteer entries of the regions it names (with their
parent regions) — so that class constraints such as "pskg:jurisdiction points at a
pskg:Region" can be checked. The ontology (class hierarchy for targets) is mixed in.

A store is validated a chunk at a time (``PLANS_PER_CHUNK`` plan graphs with the context
they point at), so memory stays flat in the number of plans; the report lists the results
of the chunks with findings. Every shared entity is checked in a chunk of a plan that
names it: its description comes as context, its evidence links with the plan. The graph of
counterparts and expected owners (graph.counterparts) is a chunk of its own, with the
evidence links of the text agencies it names.
"""
from __future__ import annotations

from typing import Iterable, Iterator

import pyoxigraph as ox
import rdflib

from .counterparts import COUNTERPARTS_GRAPH
from .ontology import VOCAB_GRAPH, ontology_files, shapes_file
from .shared import shared_graphs
from .store import GraphStore
from .terms import GRAPH_BASE

PLANS_PER_CHUNK = 10
GAZETTEER = GRAPH_BASE + "gazetteer"
PSKG_DERIVED = "https://w3id.org/pskg/ontology#DerivedBody"
PSKG_BODY_TYPE = "https://w3id.org/pskg/ontology#bodyType"
# the links of the counterparts graph to agencies (text agencies among them get their evidence)
AGENCY_LINKS = {"https://w3id.org/pskg/ontology#counterpart", "https://w3id.org/pskg/ontology#expectedOwner"}


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _add(g: rdflib.Graph, triples) -> None:
    nt = "".join(f"{t} .\n" for t in triples)
    if nt:
        g.parse(data=nt, format="nt")


def _context(store: GraphStore, nodes: set[str]) -> list:
    """Descriptions of the shared entities and regions (with their parents) that ``nodes`` holds,
    and those of the regions that replaced the abolished ones among them."""
    out = []
    shared = _values(g.value for g in shared_graphs())
    for chunk in range(0, len(nodes), 500):
        values = _values(sorted(nodes)[chunk:chunk + 500])
        out += list(store.query(f"""CONSTRUCT {{ ?n ?p ?o }} WHERE {{ VALUES ?n {{ {values} }}
            VALUES ?g {{ {shared} }} GRAPH ?g {{ ?n ?p ?o }} }}"""))
        out += list(store.query(f"""CONSTRUCT {{ ?r ?p ?o }} WHERE {{
            {{ SELECT DISTINCT ?r WHERE {{ VALUES ?n {{ {values} }}
                GRAPH <{GAZETTEER}> {{ ?n a pskg:Region ; pskg:partOf* ?r }} }} }}
            GRAPH <{GAZETTEER}> {{ ?r ?p ?o }} }}"""))
        out += list(store.query(f"""CONSTRUCT {{ ?x ?p ?o }} WHERE {{
            {{ SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {values} }}
                GRAPH <{GAZETTEER}> {{ ?n pskg:partOf* ?r . ?r dct:isReplacedBy+ ?s . ?s pskg:partOf* ?x }} }} }}
            GRAPH <{GAZETTEER}> {{ ?x ?p ?o }} }}"""))
    return out


def _objects(triples) -> set[str]:
    return {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}


def chunks(store: GraphStore) -> Iterator[tuple[str, list]]:
    """(what, triples) of each chunk to validate (before the context is added)."""
    plans = [r["plan"] for r in store.select("SELECT ?plan WHERE { ?plan pskg:sourceFile ?f } ORDER BY ?plan")]
    for i in range(0, len(plans), PLANS_PER_CHUNK):
        part = plans[i:i + PLANS_PER_CHUNK]
        triples = []
        for p in part:
            g = ox.NamedNode(p)
            triples += [ox.Triple(q.subject, q.predicate, q.object)
                        for q in store.store.quads_for_pattern(None, None, None, g)]
        yield f"plans {i + 1}-{i + len(part)}", triples
    g = ox.NamedNode(COUNTERPARTS_GRAPH)
    derived = [ox.Triple(q.subject, q.predicate, q.object) for q in store.store.quads_for_pattern(None, None, None, g)]
    if derived:
        yield "counterparts", derived + _evidence_links(store, derived)


def _evidence_links(store: GraphStore, triples) -> list:
    """One pskg:evidence (from the plan graphs, with its source plan) and the jurisdiction of
    each text agency ``triples`` links to or types, so that a chunk without their plans still sees that
    they have evidence (and their regions come with the context)."""
    derived = {t.subject.value for t in triples if t.object.value == PSKG_DERIVED}
    agencies = sorted(({t.object.value for t in triples if t.predicate.value in AGENCY_LINKS}
                       | {t.subject.value for t in triples if t.predicate.value == PSKG_BODY_TYPE}) - derived)
    out = []
    for chunk in range(0, len(agencies), 500):
        values = _values(agencies[chunk:chunk + 500])
        out += list(store.query(f"""CONSTRUCT {{ ?a pskg:evidence ?ev ; pskg:jurisdiction ?r . ?ev ?p ?o .
                ?plan a pskg:Plan ; pskg:sourceFile ?f ; rdfs:label ?l }} WHERE {{ VALUES ?a {{ {values} }}
            OPTIONAL {{ ?a pskg:jurisdiction ?r }}
            {{ SELECT ?a (MIN(?e) AS ?ev) WHERE {{ ?a pskg:evidence ?e }} GROUP BY ?a }}
            ?ev ?p ?o ; pskg:sourceDocument ?plan . ?plan pskg:sourceFile ?f ; rdfs:label ?l }}"""))
    return out


def validate(store: GraphStore) -> tuple[bool, str]:
    """(conforms, report text)."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    ontology = rdflib.Graph()
    for f in ontology_files():  # class hierarchy and concept schemes, for targets and sh:node
        ontology.parse(f, format="turtle")
    vocab = list(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}"))
    conforms, n, reports, parts = True, 0, [], 0
    for what, triples in chunks(store):
        data = rdflib.Graph()
        _add(data, triples)
        _add(data, _context(store, _objects(triples) | {t.subject.value for t in triples
                                                          if isinstance(t.subject, ox.NamedNode)}))
        _add(data, vocab)
        n += len(triples)
        parts += 1
        ok, _graph, text = shacl(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                 advanced=True, allow_warnings=True)
        if not ok:
            conforms = False
        if not ok or "Results (" in text:
            reports.append(f"== {what}\n{text}")
    head = (f"validated {n:,} triples in {parts} chunks (plan graphs, with the shared descriptions, "
            f"vocabularies and regions they use)\nConforms: {conforms}\n")
    return conforms, head + "\n".join(reports)
