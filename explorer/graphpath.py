"""The shortest path between two entities of the graph, for the explorer's graph view.

A breadth-first search from both ends at once: each round expands one frontier by one
hop with bounded lookups (every query has the subject or the object bound to frontier IRIs in
a VALUES block, as graphview.neighbourhood() does), and stops when the two searches meet;
networkx then finds the shortest path in the part of the graph read. Edges are those the graph
view draws (no evidence, no rdf/rdfs/owl or shortcut properties, only nodes of a drawn class).

Each round expands the side whose frontier has fewer neighbours to read (so an end with
thousands of neighbours waits for the other side to reach it). Hubs are never crossed (they
are allowed as the two ends): vocabulary terms of the ontology
(classes, levels, domains, concept schemes: IRIs of the pskg namespace), named-graph IRIs and
any node with more than ``hub`` neighbours (a service guaranteed in hundreds of plans, a plan's
hundreds of commitments on a large store). ``max_hops`` bounds the length of the path and
``max_nodes`` how many nodes the two searches may visit, so a search on a large store stays
quick; past either, the answer is "no path within the limit".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graph.shortcuts import SHORTCUT_LIST
from graph.terms import GRAPH_BASE, PSKG

from .graphview import _IRIREF, _NEIGHBOURS_Q, _SKIP_NS, _TYPES_Q, _Found, _local, _rows, _values, Node

__all__ = ["Path", "shortest_path"]

MAX_HOPS = 6
HUB = 150          # neighbours of a node past which it is not crossed
MAX_NODES = 4000   # nodes the two searches may visit together

_DEGREE_Q = """SELECT ?x (COUNT(DISTINCT ?y) AS ?n) WHERE {
  VALUES ?x { %s }
  { ?x ?p ?y } UNION { ?y ?p ?x }
  FILTER(isIRI(?y) && ?y != ?x && ?p NOT IN (pskg:evidence, pskg:sourceDocument, SHORTCUTS) && SKIP)
} GROUP BY ?x""".replace("SHORTCUTS", SHORTCUT_LIST).replace("SKIP", " && ".join(f'!STRSTARTS(STR(?p), "{ns}")' for ns in _SKIP_NS))
_LABELS_Q = "SELECT DISTINCT ?y ?l WHERE { VALUES ?y { %s } ?y rdfs:label ?l }"


@dataclass
class Path:
    nodes: list[Node] = field(default_factory=list)          # from the first end to the second
    triples: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, property IRI, object) as stored
    visited: int = 0                                          # nodes the searches read
    found: bool = False

    @property
    def hops(self) -> int:
        return len(self.triples)


def _vocabulary(iri: str) -> bool:
    return iri.startswith(PSKG) or iri.startswith(GRAPH_BASE)


def _degrees(store, iris: list[str]) -> dict[str, int]:
    out = {}
    for i in range(0, len(iris), 500):
        for x, n in _rows(store, _DEGREE_Q % _values(iris[i:i + 500])):
            out[x.value] = int(n.value)
    return out


def _expand(store, iris: list[str]):
    """(x, property IRI, y, "out"|"in", y's rdf:type) for each neighbour y of the IRIs."""
    for i in range(0, len(iris), 500):
        for y, t, x, p, d in _rows(store, _NEIGHBOURS_Q % _values(iris[i:i + 500])):
            yield x.value, p.value, y.value, d.value, t


def shortest_path(store, a: str, b: str, lang: str = "zh", max_hops: int = MAX_HOPS, hub: int = HUB,
                  max_nodes: int = MAX_NODES) -> Path:
    """The shortest path from ``a`` to ``b`` of at most ``max_hops`` edges that crosses no hub
    (see the module doc); ``found`` is False when there is none within the limits."""
    if not (_IRIREF.fullmatch(a) and _IRIREF.fullmatch(b)):
        return Path()
    found = _Found(lang)
    for y, t in _rows(store, _TYPES_Q % _values([a, b])):
        found.add_type(y.value, t)
    if found.cls(a) is None or found.cls(b) is None:
        return Path()
    if a == b:
        return _finish(store, found, [a], [], 1)
    g = nx.Graph()
    g.add_nodes_from([a, b])
    seen = {a: {a}, b: {b}}
    frontier = {a: [a], b: [b]}
    depth = {a: 0, b: 0}
    hubs: set[str] = set()
    expanded: set[str] = set()
    deg: dict[str, int] = {}

    def cost(side: str) -> int:
        """Rows the side's next expansion reads: its frontier's neighbours, hubs left out."""
        unknown = [x for x in frontier[side] if x not in deg]
        deg.update(_degrees(store, unknown))
        for x in frontier[side]:
            if x not in (a, b) and deg.get(x, 0) > hub and x not in hubs:
                hubs.add(x)
                g.remove_node(x)
        return sum(deg.get(x, 0) for x in frontier[side] if x not in hubs)

    while depth[a] + depth[b] < max_hops and frontier[a] and frontier[b]:
        # the cheaper side first (a hub at one end waits until the other side costs as much)
        ca, cb = cost(a), cost(b)
        side = a if ca <= cb else b
        if min(ca, cb) + len(seen[a]) + len(seen[b]) > max_nodes:
            break  # the next round alone would read past the limit
        todo = [x for x in frontier[side] if x not in hubs]
        expanded.update(todo)
        new = []
        for x, p, y, d, t in _expand(store, todo):
            if y not in (a, b) and (_vocabulary(y) or y in hubs):
                continue
            found.add_type(y, t)
            g.add_edge(x, y)
            g.edges[x, y].setdefault("triples", set()).add((x, p, y) if d == "out" else (y, p, x))
            if y not in seen[side]:
                seen[side].add(y)
                new.append(y)
        frontier[side] = new
        depth[side] += 1
        if len(seen[a]) + len(seen[b]) > max_nodes:
            break
        if seen[a] & seen[b]:
            nodes = _path_without_hubs(store, g, a, b, expanded, hubs, hub)
            if nodes and len(nodes) - 1 <= max_hops:
                triples = [min(g.edges[u, v]["triples"]) for u, v in zip(nodes, nodes[1:])]
                return _finish(store, found, nodes, triples, len(seen[a] | seen[b]))
    return Path(visited=len(seen[a] | seen[b]))


def _path_without_hubs(store, g, a, b, expanded, hubs, hub) -> list[str] | None:
    """The shortest a-b path of ``g`` whose nodes between the ends are not hubs (the degree of
    a node met but never expanded is looked up here, and a hub found is taken out)."""
    while True:
        try:
            nodes = nx.shortest_path(g, a, b)
        except nx.NetworkXNoPath:
            return None
        unknown = [x for x in nodes[1:-1] if x not in expanded]
        big = [x for x, n in _degrees(store, unknown).items() if n > hub]
        if not big:
            return nodes
        hubs.update(big)
        g.remove_nodes_from(big)


def _finish(store, found: _Found, nodes: list[str], triples, visited: int) -> Path:
    for y, lab in _rows(store, _LABELS_Q % _values(nodes)):
        found.add_label(y.value, lab)
    return Path([Node(i, found.label(i), found.cls(i) or "Concept") for i in nodes], triples, visited, True)


def step_label(triple: tuple[str, str, str]) -> str:
    return _local(triple[1])
