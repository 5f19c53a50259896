"""A VoID + DCAT description of the dataset, with the store's figures.

The build writes it into the store, in the graph <https://w3id.org/pskg/graph/void>
(``write_void``): triples per named graph and in all, entities, entities per class, and per
plan graph its triples, entities and entities per class, so readers (the endpoint's
/.well-known/void, the explorer's counts, `pskg build`'s summary) read figures instead of
counting the store. The description counts itself: its own graph is one of the subsets,
and the totals include it. Plan figures come from the build manifest, the other graphs are
counted when written.

``void_triples(select, endpoint)`` returns the stored description (plus the endpoint and its
distribution), or, for a store without one, the same description counted by SPARQL.
``select`` is any function that runs a SELECT and returns rows of lexical values:
GraphStore.select in-process, or the server's worker pool.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
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
A = ox.NamedNode(RDF + "type")


def dataset_iri() -> ox.NamedNode:
    return ox.NamedNode(base() + "dataset")


def _n(local_ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(local_ns + local)


def _int(n) -> ox.Literal:
    return ox.Literal(str(int(n)), datatype=ox.NamedNode(XSD + "integer"))


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Figures:
    graphs: dict[str, int] = field(default_factory=dict)       # graph IRI -> triples
    classes: dict[str, int] = field(default_factory=dict)      # class IRI -> entities
    entities: int = 0
    sources: list[str] = field(default_factory=list)           # the plans read from a source text
    licenses: list[str] = field(default_factory=list)
    plans: dict[str, tuple[int, dict[str, int]]] = field(default_factory=dict)  # plan graph -> (entities, classes)


def describe(fig: Figures) -> list[ox.Triple]:
    """The description of a dataset with these figures (IRIs for every node, no blank nodes)."""
    ds = dataset_iri()
    out: list[ox.Triple] = []

    def add(s, p, o):
        out.append(ox.Triple(s, p, o))

    def partitions(owner: ox.NamedNode, classes: dict[str, int]):
        for c, n in sorted(classes.items()):
            part = ox.NamedNode(f"{owner.value}/class/{_h(c)}")
            add(owner, _n(VOID, "classPartition"), part)
            add(part, _n(VOID, "class"), ox.NamedNode(c))
            add(part, _n(VOID, "entities"), _int(n))

    add(ds, A, _n(VOID, "Dataset"))
    add(ds, A, _n(DCAT, "Dataset"))
    add(ds, _n(DCT, "title"), ox.Literal(TITLE, language="en"))
    add(ds, _n(DCT, "description"), ox.Literal(DESCRIPTION, language="en"))
    add(ds, _n(VOID, "uriSpace"), ox.Literal(base()))
    add(ds, _n(VOID, "vocabulary"), ox.NamedNode(PSKG))
    add(ds, _n(DCT, "conformsTo"), ox.NamedNode(ONTOLOGY_IRI))
    for lic in fig.licenses:
        add(ds, _n(DCT, "license"), ox.NamedNode(lic))
    for g, n in sorted(fig.graphs.items()):
        sub = ox.NamedNode(f"{ds.value}/graph/{_h(g)}")
        add(ds, _n(VOID, "subset"), sub)
        add(sub, A, _n(VOID, "Dataset"))
        add(sub, _n(SD, "name"), ox.NamedNode(g))
        add(sub, _n(VOID, "triples"), _int(n))
        if g in fig.plans:
            entities, classes = fig.plans[g]
            add(sub, _n(VOID, "entities"), _int(entities))
            partitions(sub, classes)
    add(ds, _n(VOID, "triples"), _int(sum(fig.graphs.values())))
    add(ds, _n(VOID, "entities"), _int(fig.entities))
    for c, n in sorted(fig.classes.items()):
        part = ox.NamedNode(f"{ds.value}/class/{_h(c)}")
        add(ds, _n(VOID, "classPartition"), part)
        add(part, _n(VOID, "class"), ox.NamedNode(c))
        add(part, _n(VOID, "entities"), _int(n))
    for plan in sorted(fig.sources):
        add(ds, _n(DCT, "source"), ox.NamedNode(plan))
    return out


def self_described(data: Figures) -> list[ox.Triple]:
    """The description of ``data`` (figures of every graph but the VoID graph) plus the VoID
    graph itself: its triples, classes and entities are part of the figures it states (the
    number of its triples does not depend on the numbers in them)."""
    fig = Figures(dict(data.graphs), dict(data.classes), data.entities, list(data.sources),
                  list(data.licenses), dict(data.plans))
    fig.graphs[VOID_GRAPH] = 0
    own_types: dict[str, int] = {}
    for t in describe(fig):  # the types it states do not depend on the figures
        if t.predicate == A:
            own_types[t.object.value] = own_types.get(t.object.value, 0) + 1
    for c, n in own_types.items():
        fig.classes[c] = fig.classes.get(c, 0) + n
    own = describe(fig)  # with the final classes: its subjects and its size are final too
    fig.entities += len({t.subject.value for t in own if t.subject.value.startswith(base())})
    fig.graphs[VOID_GRAPH] = len(own)
    return describe(fig)


# ---------------------------------------------------------------------- figures
def _graph_figures(store, graph: str) -> tuple[int, dict[str, int], set[str]]:
    """(triples, instances per class, subjects under the data base) of one graph."""
    g = ox.NamedNode(graph)
    n, classes, subjects = 0, {}, set()
    b = base()
    for q in store.store.quads_for_pattern(None, None, None, g):
        n += 1
        if q.predicate == A and isinstance(q.object, ox.NamedNode):
            classes[q.object.value] = classes.get(q.object.value, 0) + 1
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(b):
            subjects.add(q.subject.value)
    return n, classes, subjects


def _cached_figures(store, manifest, graph: str, known: dict | None = None) -> tuple[int, dict[str, int], set[str]]:
    """_graph_figures, from ``known`` (figures the build has just computed for a graph it
    wrote, e.g. the counterparts graph), else kept in the manifest for the reference graphs
    (they change only when everything is rebuilt, which clears the manifest); the shared
    descriptions and the sources graph change with any build, so they are counted afresh."""
    import json

    from .counterparts import COUNTERPARTS_GRAPH
    from .shared import shared_graphs
    from .source_urls import SOURCES_GRAPH

    if known and graph in known:
        return known[graph]
    if graph in (COUNTERPARTS_GRAPH, SOURCES_GRAPH) or graph in {g.value for g in shared_graphs()}:
        return _graph_figures(store, graph)
    key = "figures:" + graph
    cached = manifest.get(key)
    if cached is None:
        n, classes, subjects = _graph_figures(store, graph)
        manifest.set(key, json.dumps([n, classes, sorted(subjects)]))
        return n, classes, subjects
    n, classes, subjects = json.loads(cached)
    return n, classes, set(subjects)


def store_figures(store, manifest, known: dict | None = None) -> Figures:
    """Figures of every graph but the VoID graph: plan graphs from the manifest, the others
    (shared entities, reference data) counted here. Each triple sits in one graph only, so
    class counts add up across graphs; subjects of shared kinds in plan graphs carry only
    evidence links and are counted where they are described."""
    fig = Figures()
    docs = manifest.documents()
    plans = {d.plan for d in docs.values()}
    shared_subjects: set[str] = set()
    for g in store.store.named_graphs():
        if g.value == VOID_GRAPH or g.value in plans:
            continue
        n, classes, subjects = _cached_figures(store, manifest, g.value, known)
        fig.graphs[g.value] = n
        for c, k in classes.items():
            fig.classes[c] = fig.classes.get(c, 0) + k
        shared_subjects |= subjects
    fig.entities = len(shared_subjects)
    for d in docs.values():
        fig.graphs[d.plan] = d.n_triples
        fig.plans[d.plan] = (d.entities, d.classes)
        fig.entities += d.entities
        for c, k in d.classes.items():
            fig.classes[c] = fig.classes.get(c, 0) + k
        fig.sources.append(d.plan)
    fig.licenses = [r["l"] for r in store.select(
        f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ <{ONTOLOGY_IRI}> dct:license ?l }} }} ORDER BY ?l")]
    return fig


def write_void(store, manifest, known: dict | None = None) -> None:
    """Bring the stored description to the store's current figures, in one transaction that
    deletes and inserts only the statements that changed (after a one-document rebuild, a
    few counts; the description has some thirty statements per plan). ``known``: graph IRI ->
    (triples, instances per class, subjects under the data base) the build has just counted."""
    g = ox.NamedNode(VOID_GRAPH)
    want = {f"{t} .\n" for t in self_described(store_figures(store, manifest, known))}
    have = {f"{q.triple} .\n" for q in store.store.quads_for_pattern(None, None, None, g)}
    parts = []
    if have - want:
        parts.append(f"DELETE DATA {{ GRAPH {g} {{\n{''.join(sorted(have - want))}}} }}")
    if want - have:
        parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{''.join(sorted(want - have))}}} }}")
    if parts:
        store.store.update(" ;\n".join(parts))


def counted_figures(select: Select) -> Figures:
    """Figures counted by SPARQL (a store without a stored description)."""
    fig = Figures()
    for row in select(f"SELECT DISTINCT ?l WHERE {{ <{ONTOLOGY_IRI}> dct:license ?l }} ORDER BY ?l"):
        fig.licenses.append(row["l"])
    for row in select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        fig.graphs[row["g"]] = int(row["n"])
    rows = select(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o .
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base()}")) }}""")
    fig.entities = int(rows[0]["n"]) if rows else 0
    for row in select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . FILTER(isIRI(?c)) } GROUP BY ?c"):
        fig.classes[row["c"]] = int(row["n"])
    fig.sources = [r["plan"] for r in select("SELECT DISTINCT ?plan WHERE { ?plan pskg:sourceFile ?f }")]
    return fig


def stored_triples(select: Select) -> list[ox.Triple]:
    rows = select(f"""SELECT ?s ?p ?o (isIRI(?o) AS ?iri) (DATATYPE(?o) AS ?dt) (LANG(?o) AS ?lang)
        WHERE {{ GRAPH <{VOID_GRAPH}> {{ ?s ?p ?o }} }}""")
    out = []
    for r in rows:
        if r.get("iri") == "true":
            o = ox.NamedNode(r["o"])
        elif r.get("lang"):
            o = ox.Literal(r["o"], language=r["lang"])
        else:
            o = ox.Literal(r["o"], datatype=ox.NamedNode(r["dt"])) if r.get("dt") else ox.Literal(r["o"])
        out.append(ox.Triple(ox.NamedNode(r["s"]), ox.NamedNode(r["p"]), o))
    return out


def void_triples(select: Select, endpoint: str | None = None) -> list[ox.Triple]:
    out = stored_triples(select) or describe(counted_figures(select))
    if endpoint:
        ds = dataset_iri()
        out.append(ox.Triple(ds, _n(VOID, "sparqlEndpoint"), ox.NamedNode(endpoint)))
        dist = ox.BlankNode()
        out.append(ox.Triple(ds, _n(DCAT, "distribution"), dist))
        out.append(ox.Triple(dist, A, _n(DCAT, "Distribution")))
        out.append(ox.Triple(dist, _n(DCAT, "accessURL"), ox.NamedNode(endpoint)))
        out.append(ox.Triple(dist, _n(DCAT, "mediaType"), ox.Literal("application/sparql-results+json")))
    return out


def void_quads(select: Select, endpoint: str | None = None) -> list[ox.Quad]:
    """The description in its own named graph (for dataset exports)."""
    g = ox.NamedNode(VOID_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in void_triples(select, endpoint)]


def class_counts(select: Select) -> dict[str, int]:
    """Entities per class: the stored figures, else counted."""
    rows = select(f"""SELECT ?c ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{
        <{dataset_iri().value}> <{VOID}classPartition> ?p . ?p <{VOID}class> ?c ; <{VOID}entities> ?n }} }}""")
    if rows:
        return {r["c"]: int(r["n"]) for r in rows}
    return counted_figures(select).classes


def plan_class_counts(select: Select) -> dict[str, dict[str, int]]:
    """Entities per class of each plan graph, as the stored figures say ({} when none are)."""
    rows = select(f"""SELECT ?g ?c ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{
        <{dataset_iri().value}> <{VOID}subset> ?sub . ?sub <{SD}name> ?g ; <{VOID}classPartition> ?p .
        ?p <{VOID}class> ?c ; <{VOID}entities> ?n }} }}""")
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["g"], {})[r["c"]] = int(r["n"])
    return out


def total_triples(select: Select) -> int | None:
    rows = select(f"SELECT ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{ <{dataset_iri().value}> <{VOID}triples> ?n }} }}")
    return int(rows[0]["n"]) if rows else None


def source_count(select: Select) -> int:
    """Plans read from a source text: the stored figures, else counted."""
    rows = select(f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{VOID_GRAPH}> {{
        <{dataset_iri().value}> <{DCT}source> ?p }} }}""")
    n = int(rows[0]["n"]) if rows else 0
    if n:
        return n
    return int(select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pskg:sourceFile ?f }")[0]["n"])
