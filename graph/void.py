"""A VoID + DCAT description of the dataset, computed by SPARQL over the store.

Everything countable is counted by query (triples per named graph, entities per class),
so new classes and graphs show up without changes here. ``select`` is any function that
runs a SELECT and returns rows of lexical values: GraphStore.select in-process, or the
server's worker pool.
"""
from __future__ import annotations

from typing import Callable

import pyoxigraph as ox

from .ontology import ONTOLOGY_IRI
from .terms import DCT, GRAPH_BASE, PSKG, RDF, XSD, base

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID_GRAPH = GRAPH_BASE + "void"
TITLE = "pskg: knowledge graph of Chinese public-service equalization plans"
DESCRIPTION = ("Plans, commitments, services, indicators, agencies and regions extracted from policy "
               "texts, each statement with evidence (quote and character offsets in its source).")

Select = Callable[[str], list[dict[str, str]]]


def dataset_iri() -> ox.NamedNode:
    return ox.NamedNode(base() + "dataset")


def _n(local_ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(local_ns + local)


def _int(n) -> ox.Literal:
    return ox.Literal(str(int(n)), datatype=ox.NamedNode(XSD + "integer"))


def void_triples(select: Select, endpoint: str | None = None) -> list[ox.Triple]:
    ds = dataset_iri()
    out: list[ox.Triple] = []

    def add(s, p, o):
        out.append(ox.Triple(s, p, o))

    a = ox.NamedNode(RDF + "type")
    add(ds, a, _n(VOID, "Dataset"))
    add(ds, a, _n(DCAT, "Dataset"))
    add(ds, _n(DCT, "title"), ox.Literal(TITLE, language="en"))
    add(ds, _n(DCT, "description"), ox.Literal(DESCRIPTION, language="en"))
    add(ds, _n(VOID, "uriSpace"), ox.Literal(base()))
    add(ds, _n(VOID, "vocabulary"), ox.NamedNode(PSKG))
    add(ds, _n(DCT, "conformsTo"), ox.NamedNode(ONTOLOGY_IRI))
    for row in select(f"SELECT DISTINCT ?l WHERE {{ <{ONTOLOGY_IRI}> dct:license ?l }}"):
        add(ds, _n(DCT, "license"), ox.NamedNode(row["l"]))

    total = 0
    for row in select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"):
        sub = ox.BlankNode()
        add(ds, _n(VOID, "subset"), sub)
        add(sub, a, _n(VOID, "Dataset"))
        add(sub, _n(SD, "name"), ox.NamedNode(row["g"]))
        add(sub, _n(VOID, "triples"), _int(row["n"]))
        total += int(row["n"])
    add(ds, _n(VOID, "triples"), _int(total))

    rows = select(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o .
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base()}")) }}""")
    add(ds, _n(VOID, "entities"), _int(rows[0]["n"] if rows else 0))
    for row in select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . FILTER(isIRI(?c)) } "
                      "GROUP BY ?c ORDER BY ?c"):
        part = ox.BlankNode()
        add(ds, _n(VOID, "classPartition"), part)
        add(part, _n(VOID, "class"), ox.NamedNode(row["c"]))
        add(part, _n(VOID, "entities"), _int(row["n"]))

    for row in select("SELECT DISTINCT ?plan WHERE { ?plan pskg:sourceFile ?f } ORDER BY ?plan"):
        add(ds, _n(DCT, "source"), ox.NamedNode(row["plan"]))

    if endpoint:
        add(ds, _n(VOID, "sparqlEndpoint"), ox.NamedNode(endpoint))
        dist = ox.BlankNode()
        add(ds, _n(DCAT, "distribution"), dist)
        add(dist, a, _n(DCAT, "Distribution"))
        add(dist, _n(DCAT, "accessURL"), ox.NamedNode(endpoint))
        add(dist, _n(DCAT, "mediaType"), ox.Literal("application/sparql-results+json"))
    return out


def void_quads(select: Select, endpoint: str | None = None) -> list[ox.Quad]:
    """The description in its own named graph (for dataset exports)."""
    g = ox.NamedNode(VOID_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in void_triples(select, endpoint)]
