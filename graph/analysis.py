"""A networkx projection of the graph for analysis: who is central, what regions share.

The projection keeps four kinds of node (agencies, public services, regions, plans),
keyed by IRI with ``kind`` and ``label`` attributes, and these edges:

    plan    -[governs]->     region   (pskg:jurisdiction)
    agency  -[in]->          region   (pskg:jurisdiction)
    region  -[partOf]->      region   (pskg:partOf)
    plan    -[guarantees]->  service  (a commitment of the plan is about the service)
    agency  -[leads]->       service  (it leads a commitment about the service)
    agency  -[leadsIn]->     plan     (it leads a commitment of the plan, or the plan)
    plan    -[mentions]->    agency

Use :func:`load_projection` on a GraphStore, then the helpers below (or any networkx
algorithm) on the result.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .store import GraphStore

EDGE_QUERIES = {
    "governs": """SELECT ?s ?o WHERE { ?s a pskg:Plan ; pskg:jurisdiction ?o }""",
    "in": """SELECT ?s ?o WHERE { ?s a pskg:Agency ; pskg:jurisdiction ?o }""",
    "guarantees": """SELECT DISTINCT ?s ?o WHERE { ?c pskg:inPlan ?s ; pskg:aboutService ?o }""",
    "leads": """SELECT DISTINCT ?s ?o WHERE { ?c pskg:leadAgency ?s ; pskg:aboutService ?o }""",
    "leadsIn": """SELECT DISTINCT ?s ?o WHERE { { ?c pskg:leadAgency ?s ; pskg:inPlan ?o }
                  UNION { ?o a pskg:Plan ; pskg:leadAgency ?s } }""",
    "mentions": """SELECT DISTINCT ?s ?o WHERE { ?s a pskg:Plan ; pskg:mentions ?o . ?o a pskg:Agency }""",
}
# the regions the plans and named agencies sit in (not the derived bodies of the counterparts
# graph), with their parents up to the country
REGION_EDGES = """SELECT DISTINCT ?s ?o WHERE {
    VALUES ?class { pskg:Plan pskg:Agency } ?x a ?class ; pskg:jurisdiction ?r .
    ?r pskg:partOf* ?s . ?s pskg:partOf ?o }"""
NODE_QUERY = """SELECT ?n ?kind ?label WHERE {
    VALUES (?class ?kind) { (pskg:Agency "agency") (pskg:PublicService "service")
                            (pskg:Region "region") (pskg:Plan "plan") }
    ?n a ?class . OPTIONAL { ?n rdfs:label ?label FILTER(langMatches(LANG(?label), "zh-Hans")) } }"""


def load_projection(store: GraphStore) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    edges = {rel: store.select(q) for rel, q in EDGE_QUERIES.items()}
    edges["partOf"] = store.select(REGION_EDGES)
    used = {r[k] for rows in edges.values() for r in rows for k in ("s", "o")}
    for row in store.select(NODE_QUERY):
        if row["n"] in used or row["kind"] != "region":
            if row["n"] not in g or "label" not in g.nodes[row["n"]]:
                g.add_node(row["n"], kind=row["kind"], label=row.get("label", row["n"]))
    for rel in sorted(edges):
        for r in edges[rel]:
            if r["s"] in g and r["o"] in g:
                g.add_edge(r["s"], r["o"], key=rel, rel=rel)
    return g


def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d.get("kind") == kind)


def agency_centrality(g: nx.MultiDiGraph, top: int | None = None) -> list[tuple[str, float]]:
    """Agencies ranked by betweenness centrality in the undirected projection (ties by label):
    the bodies that connect plans, services and regions."""
    und = nx.Graph(g.to_undirected())
    scores = nx.betweenness_centrality(und, normalized=True)
    ranked = sorted(((g.nodes[n]["label"], scores[n]) for n in nodes_of(g, "agency")),
                    key=lambda x: (-x[1], x[0]))
    return ranked[:top] if top else ranked


def services_by_region(g: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Region label -> labels of the services its plans guarantee."""
    out: dict[str, set[str]] = defaultdict(set)
    for plan in nodes_of(g, "plan"):
        regions = [g.nodes[v]["label"] for _, v, k in g.out_edges(plan, keys=True) if k == "governs"]
        services = {g.nodes[v]["label"] for _, v, k in g.out_edges(plan, keys=True) if k == "guarantees"}
        for r in regions:
            out[r] |= services
    return dict(out)


def compare_regions(g: nx.MultiDiGraph, regions: list[str]) -> dict[str, object]:
    """Services shared by all the given regions' plans, and for each region the services that
    some other given region guarantees and it does not."""
    by_region = services_by_region(g)
    sets = {r: by_region.get(r, set()) for r in regions}
    union = set().union(*sets.values()) if sets else set()
    shared = set.intersection(*sets.values()) if sets else set()
    return {"shared": sorted(shared), "missing": {r: sorted(union - s) for r, s in sets.items()}}
