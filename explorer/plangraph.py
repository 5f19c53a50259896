"""A plan's graph grouped by its outline: the plan, its sections as a tree (dct:isPartOf, as
the build writes them: a section is part of its parent section or of the plan) and each
section's commitments attached to it, at most ``PER_SECTION`` of them (the section's label says
how many it has), instead of hundreds of commitments on the plan node. The plan's other
neighbours (its region, agencies, the plans it implements) are drawn as in any neighbourhood.

Queries are bounded by the plan's own named graph (GRAPH <plan>) or by VALUES of the IRIs
found; the neighbourhoods of nodes the user expanded come from graphview._collect.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .graphview import _IRIREF, Edge, Node, _collect, _Found, _rows, _values

__all__ = ["COMMITMENTS", "PER_SECTION", "plan_graph"]

PER_SECTION = 6
COMMITMENTS = {"Commitment", "ServiceGuarantee", "Task", "Project"}
_ALL = 2000  # the plan's own neighbours, read once to keep those that are not commitments

_SECTIONS_Q = """SELECT ?s ?parent ?marker ?order WHERE { GRAPH <%(plan)s> {
  ?s a pskg:Section ; dct:isPartOf ?parent .
  OPTIONAL { ?s pskg:marker ?marker } OPTIONAL { ?s pskg:order ?order } } }"""
# top-level commitments of the plan (not those inside another commitment): their section, or the plan
_ITEMS_Q = """SELECT ?c ?t ?s WHERE { GRAPH <%(plan)s> {
  ?c pskg:inPlan <%(plan)s> ; a ?t ; dct:isPartOf ?s . FILTER NOT EXISTS { ?s pskg:inPlan ?any } } }"""
_LABELS_Q = "SELECT DISTINCT ?y ?l WHERE { VALUES ?y { %s } ?y rdfs:label ?l }"


def _order(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def outline_tree(store, plan: str, lang: str = "zh", per_section: int = PER_SECTION):
    """(nodes, edges, {section IRI: commitments left out}) of the plan's outline; nodes in
    reading order, sections labelled with their marker and number of commitments."""
    if not _IRIREF.fullmatch(plan):
        return [], [], {}
    found = _Found(lang)
    sections = {}
    for s, parent, marker, order in _rows(store, _SECTIONS_Q % {"plan": plan}):
        sections[s.value] = (parent.value, marker.value if marker else "", _order(order.value if order else 0))
    items: dict[str, list[str]] = defaultdict(list)
    for c, t, s in _rows(store, _ITEMS_Q % {"plan": plan}):
        found.add_type(c.value, t)
        if (s.value in sections or s.value == plan) and c.value not in items[s.value]:
            items[s.value].append(c.value)
    items = {s: [c for c in cs if found.cls(c)] for s, cs in items.items()}
    need = list(sections) + [c for cs in items.values() for c in cs]
    for i in range(0, len(need), 500):
        for y, lab in _rows(store, _LABELS_Q % _values(need[i:i + 500])):
            found.add_label(y.value, lab)
    nodes, edges, omitted = [], [], {}
    shown = _with_commitments(sections, items)
    for s in [plan, *sorted(shown, key=lambda x: sections[x][2])]:
        mine = sorted(items.get(s, []), key=lambda c: (found.label(c), c))
        for c in mine[:per_section]:
            nodes.append(Node(c, found.label(c), found.cls(c)))
            edges.append(Edge(c, s, "isPartOf"))
        if len(mine) > per_section:
            omitted[s] = len(mine) - per_section
        if s == plan:
            continue
        parent, marker, _ = sections[s]
        count = sorted(items.get(s, []), key=lambda c: (found.label(c), c))
        count = f" ({len(mine)})" if mine else ""
        nodes.append(Node(s, f"{marker} {found.label(s)}".strip() + count, "Section"))
        edges.append(Edge(s, parent, "isPartOf"))
    return nodes, edges, omitted


def _with_commitments(sections: dict, items: dict) -> set[str]:
    """The sections that hold a commitment, themselves or in a section under them, whose
    chain of parents reaches the plan."""
    out = set()
    for s in sections:
        if not items.get(s):
            continue
        chain, x = [], s
        while x in sections and x not in chain:
            chain.append(x)
            x = sections[x][0]
        if x not in sections and x not in chain:  # reached the plan (or a node outside the outline)
            out.update(chain)
    return out


def plan_graph(store, plan: str, expanded: Sequence[str] = (), lang: str = "zh", limit: int = 60):
    """(nodes, edges, omitted) of a plan's graph view: the plan's neighbours that are not
    commitments, its outline tree (outline_tree) and the neighbourhoods of ``expanded``."""
    base, base_edges, _ = _collect(store, plan, (), lang, _ALL)
    if not base:
        return [], [], {}
    others = [n for n in base[1:] if n.cls not in COMMITMENTS]
    keep = {plan, *(n.iri for n in others[:limit])}
    nodes = {n.iri: n for n in base if n.iri in keep}
    edges = {e for e in base_edges if e.source in keep and e.target in keep}
    tree_nodes, tree_edges, omitted = outline_tree(store, plan, lang)
    if len(others) > limit:
        omitted[plan] = len(others) - limit
    for n in tree_nodes:
        nodes.setdefault(n.iri, n)
    edges.update(tree_edges)
    exp = [x for x in expanded if x != plan]
    if exp:
        more, more_edges, more_omitted = _collect(store, exp[0], exp[1:], lang, limit)
        for n in more:
            nodes.setdefault(n.iri, n)
        edges.update(more_edges)
        omitted.update(more_omitted)
    ordered = [nodes[plan], *(n for i, n in nodes.items() if i != plan)]
    return ordered, sorted(edges, key=lambda e: (e.source, e.target, e.label)), omitted
