"""The explorer's interactive neighbourhood graph of one entity.

``neighbourhood()`` reads the focus node's neighbours (both directions) and those of every
expanded node from the store; ``show()`` draws them with streamlit-agraph (vis-network,
whose JavaScript ships inside the package, so the graph draws with no internet) with a
legend of the classes present, expands a node when it is clicked, and offers "reset" and
"open" buttons.

How a click works: the agraph frontend sends the id (the IRI) of a selected node as the
component's value. ``show()`` gives the component a key and an ``on_change`` callback,
so the callback runs at the start of the rerun the click triggers, before the page is
drawn: it records the node as the last clicked one and appends it to
``st.session_state[f"{key}-expanded:{focus}"]``, and the run then draws the bigger graph.
Each expansion and "reset" (which clears both) bumps a generation number that is part of
the component's key: a fresh component lays the graph out and fits it to the frame anew,
and starts with no value, so a later click on the same node counts as a change again.
Double-clicking a node is the package's own "open the title as a link": the title is
the node's IRI.

Queries stay bounded on a large store: every pattern has the subject or the object bound
to the focus or to an expanded IRI (a VALUES block); labels and types are looked up for
the IRIs found, never by scanning a class.
"""
from __future__ import annotations

import functools
import re
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from graph.shortcuts import SHORTCUT_LIST
from graph.terms import GRAPH_BASE, PSKG, SKOS

from .data import label_rank
from .i18n import text

__all__ = ["CLASSES", "Edge", "Node", "graph_of", "hide", "neighbourhood", "show"]


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    cls: str  # a key of CLASSES


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str  # the property's local name, e.g. "leadAgency"


# class key -> colour; the order is the order neighbours are kept in (then by label)
CLASSES: dict[str, str] = {
    "Plan": "#4e79a7",
    "Commitment": "#f28e2b",
    "ServiceGuarantee": "#e15759",
    "Task": "#ff9da7",
    "Project": "#b07aa1",
    "Agency": "#59a14f",
    "PublicService": "#76b7b2",
    "TargetPopulation": "#edc948",
    "Region": "#9c755f",
    "Indicator": "#bab0ac",
    "Standard": "#86bcb6",
    "Concept": "#d4a6c8",
    "Section": "#a0cbe8",
}
# class names for the legend: the explorer's own (ui_strings.tsv), zh and en
CLASS_NAMES: dict[str, tuple[str, str]] = {c: (text(f"class.{c}", "zh"), text(f"class.{c}", "en")) for c in CLASSES}
# rdf:type -> class key, most specific first (a ServiceGuarantee is also a Commitment,
# a TargetPopulation also a skos:Concept)
_TYPES: dict[str, str] = {
    **{PSKG + c: c for c in ("ServiceGuarantee", "Task", "Project", "Commitment", "Plan", "Agency",
                             "PublicService", "TargetPopulation", "Region", "Indicator", "Standard",
                             "Section")},
    SKOS + "Concept": "Concept",
}
_SPECIFIC = list(_TYPES.values())
_RANK = {c: i for i, c in enumerate(CLASSES)}

LIMIT = 60  # neighbours drawn per expanded node in show()



class _Text:
    """graph.* interface strings of ui_strings.tsv in one language: t["reset"] etc."""

    def __init__(self, lang: str):
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(f"graph.{key}", self.lang)


_TEXT = {"zh": _Text("zh"), "en": _Text("en")}

# an IRI that may be written between <> in a query (SPARQL's IRIREF)
_IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')
_SKIP_NS = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#")

# types of the focus and the expanded IRIs
_TYPES_Q = "SELECT DISTINCT ?y ?t WHERE { VALUES ?y { %s } ?y a ?t }"
# their neighbours with the neighbours' types (labels come in a query of their own: joined
# here, the engine may pick a hash join that reads every label in the store)
_NEIGHBOURS_Q = """SELECT DISTINCT ?y ?t ?x ?p ?dir WHERE {
  VALUES ?x { %s }
  { ?x ?p ?y . BIND("out" AS ?dir) } UNION { ?y ?p ?x . BIND("in" AS ?dir) }
  FILTER(isIRI(?y) && ?y != ?x && ?p NOT IN (pskg:evidence, pskg:sourceDocument, SHORTCUTS) && SKIP)
  ?y a ?t .
  FILTER(?t IN (TYPES))
}""".replace("SHORTCUTS", SHORTCUT_LIST).replace("SKIP", " && ".join(f'!STRSTARTS(STR(?p), "{ns}")' for ns in _SKIP_NS)).replace(
    "TYPES", ", ".join(f"<{t}>" for t in _TYPES))
_LABELS_Q = "SELECT DISTINCT ?y ?l WHERE { VALUES ?y { %s } ?y rdfs:label ?l }"


def _values(iris) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _rows(store, sparql: str) -> list[tuple]:
    """Result rows as tuples of pyoxigraph terms (None where unbound). Raw terms rather than
    store.select()'s dicts: a hub node (a service domain on a large store) has thousands
    of neighbours, and the literal's language tag is needed anyway."""
    return [tuple(sol) for sol in store.query(sparql)]


def _local(iri: str) -> str:
    """The IRI's last segment (after the last # or /)."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


class _Found:
    """Types and labels seen per IRI; class and preferred label from them."""

    def __init__(self, lang: str):
        self.lang = lang
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, set[tuple[int, str, str]]] = defaultdict(set)

    def add_type(self, iri: str, rdf_type) -> None:
        if rdf_type.value in _TYPES:
            self.types[iri].add(_TYPES[rdf_type.value])

    def add_label(self, iri: str, label) -> None:
        if hasattr(label, "language"):  # a literal
            tag = (label.language or "").lower()
            self.labels[iri].add((label_rank(tag, self.lang), tag, label.value))

    def cls(self, iri: str) -> str | None:
        """The most specific class key among the IRI's types, None if it has none."""
        return next((c for c in _SPECIFIC if c in self.types.get(iri, ())), None)

    def label(self, iri: str) -> str:
        """By label_rank (@en when lang is "en", then @zh-Hans, other Chinese, anything), the
        smallest by tag and text among equals (for determinism), else the IRI's last segment."""
        return min(self.labels[iri])[2] if self.labels.get(iri) else _local(iri)


def _collect(store, focus: str, expanded: Sequence[str], lang: str, limit: int):
    """(nodes, edges, {expanded IRI: number of neighbours left out}) of neighbourhood()."""
    limit = max(limit, 0)
    centres = [i for i in dict.fromkeys([focus, *expanded]) if _IRIREF.fullmatch(i)]
    if focus not in centres:
        return [], [], {}
    found = _Found(lang)
    for y, t in _rows(store, _TYPES_Q % _values(centres)):
        found.add_type(y.value, t)
    if found.cls(focus) is None:
        return [], [], {}
    centres = [c for c in centres if found.cls(c)]
    links: dict[str, set[tuple[str, str, str]]] = defaultdict(set)  # centre -> {(y, p, dir)}
    for y, t, x, p, d in _rows(store, _NEIGHBOURS_Q % _values(centres)):
        if not y.value.startswith(GRAPH_BASE):
            found.add_type(y.value, t)
            links[x.value].add((y.value, p.value, d.value))
    cls = {i: found.cls(i) for i in found.types}
    rank = {i: _RANK[c] for i, c in cls.items()}
    # labels only where they decide: the classes up to the one the limit cuts through
    # (a service domain on a large store has thousands of neighbours of later classes)
    neighbours = {c: sorted({y for y, _, _ in links[c]}, key=rank.__getitem__) for c in centres}
    need = set(centres)
    for ys in neighbours.values():
        if ys and limit:
            last = rank[ys[min(limit, len(ys)) - 1]]
            need.update(y for y in ys if rank[y] <= last)
    for y, lab in _rows(store, _LABELS_Q % _values(sorted(need))):
        found.add_label(y.value, lab)
    label = {i: found.label(i) for i in need}

    def order(iri: str):
        return (rank[iri], label[iri], iri)

    shown, omitted = set(centres), {}
    for c, ys in neighbours.items():
        shown.update(sorted((y for y in ys if y in need), key=order)[:limit])
        if len(ys) > limit:
            omitted[c] = len(ys) - limit
    # every link of an expanded node to a drawn node, also to one its own limit cut
    edges = sorted({Edge(c, y, _local(p)) if d == "out" else Edge(y, c, _local(p))
                    for c in centres for y, p, d in links[c] if y in shown},
                   key=lambda e: (e.source, e.target, e.label))
    nodes = [Node(i, label[i], cls[i]) for i in [focus, *sorted(shown - {focus}, key=order)]]
    return nodes, edges, omitted


def neighbourhood(store, focus: str, expanded: Sequence[str] = (), lang: str = "zh",
                  limit: int = 60) -> tuple[list[Node], list[Edge]]:
    """The focus node, its neighbours (both directions) and the neighbours of every IRI in
    ``expanded``; at most ``limit`` neighbours per expanded node (kept in CLASSES order,
    then by label, then IRI), no Evidence nodes, no literals, no rdf/rdfs/owl edges, no
    named-graph IRIs. Only nodes with a class in CLASSES are drawn (an untyped focus gives
    nothing). Labels: @en when lang == "en" and one exists, else @zh-Hans, else any label,
    else the IRI's last segment. The focus comes first, the rest in the same order."""
    nodes, edges, _ = _collect(store, focus, expanded, lang, limit)
    return nodes, edges


# ---------------------------------------------------------------------------- Streamlit
def _keys(key: str, focus: str) -> tuple[str, str, str]:
    """Session-state keys: expanded IRIs, last clicked IRI, component generation."""
    return f"{key}-expanded:{focus}", f"{key}-selected:{focus}", f"{key}-generation:{focus}"


def _apply_click(state, key: str, focus: str, clicked, shown: frozenset[str]) -> None:
    """Record a click on node ``clicked`` (ignored unless it is a drawn node): it becomes
    the selected node and, unless already expanded (or the focus), an expanded one."""
    if not isinstance(clicked, str) or clicked not in shown:
        return
    exp_key, sel_key, gen_key = _keys(key, focus)
    state[sel_key] = clicked
    expanded = list(state.get(exp_key, []))
    if clicked != focus and clicked not in expanded:
        state[exp_key] = [*expanded, clicked]
        state[gen_key] = state.get(gen_key, 0) + 1


def _on_click(component_key: str, key: str, focus: str, shown: frozenset[str]) -> None:
    import streamlit as st

    _apply_click(st.session_state, key, focus, st.session_state.get(component_key), shown)


def _reset(key: str, focus: str) -> None:
    import streamlit as st

    exp_key, sel_key, gen_key = _keys(key, focus)
    st.session_state[exp_key] = []
    st.session_state.pop(sel_key, None)
    st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _md(text: str) -> str:
    """Text safe to put in Markdown (no formatting, links or HTML from the data)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~])", r"\\\1", text)


def legend_html(classes: Sequence[str], lang: str = "zh") -> str:
    """A one-line legend: a coloured dot and the translated name of each class."""
    t = _TEXT["en" if lang == "en" else "zh"]
    items = [f'<span style="white-space:nowrap;margin-right:1em"><span style="display:inline-block;'
             f'width:.75em;height:.75em;border-radius:50%;background:{CLASSES[c]};margin-right:.3em">'
             f"</span>{CLASS_NAMES[c][lang == 'en']}</span>" for c in CLASSES if c in set(classes)]
    return f"**{t['legend']}** " + " ".join(items)


_DRAWN: OrderedDict = OrderedDict()  # graph_of results on read-only stores, least recent first
DRAWN_KEPT = 64


def graph_of(store, focus: str, expanded: Sequence[str], lang: str, limit: int = LIMIT):
    """(nodes, edges, omitted) drawn for ``focus``: its neighbourhood, or for a plan its
    outline (plangraph.plan_graph: commitments grouped by section). On a store opened
    read-only the last DRAWN_KEPT results are kept (a page's rerun draws without reading)."""
    if not getattr(store, "read_only", False):
        return _graph_of(store, focus, expanded, lang, limit)
    key = (id(store), str(store.path), focus, tuple(expanded), lang, limit)
    if key not in _DRAWN:
        _DRAWN[key] = _graph_of(store, focus, expanded, lang, limit)
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    _DRAWN.move_to_end(key)
    nodes, edges, omitted = _DRAWN[key]
    return list(nodes), list(edges), dict(omitted)


def _graph_of(store, focus: str, expanded: Sequence[str], lang: str, limit: int):
    nodes, edges, omitted = _collect(store, focus, expanded, lang, limit)
    if nodes and nodes[0].cls == "Plan":
        from .plangraph import plan_graph

        return plan_graph(store, focus, expanded, lang, limit)
    return nodes, edges, omitted


def hide(nodes: list[Node], edges: list[Edge], hidden, keep=()) -> tuple[list[Node], list[Edge]]:
    """Without the nodes of the ``hidden`` classes (but the first node, the focus, and those in
    ``keep``) and every edge that touches one of them."""
    hidden = set(hidden)
    kept = [n for i, n in enumerate(nodes) if i == 0 or n.cls not in hidden or n.iri in keep]
    iris = {n.iri for n in kept}
    return kept, [e for e in edges if e.source in iris and e.target in iris]


def _class_filter(state, key: str, focus: str, classes: list[str], lang: str) -> set[str]:
    """A multiselect of the classes drawn; the classes unticked (kept in the session and in the
    URL's ``ghide``, by class key) are returned."""
    import streamlit as st

    t = _TEXT[lang]
    hide_key = f"{key}-hidden:{focus}"
    if hide_key not in state:
        state[hide_key] = sorted(c for c in st.query_params.get("ghide", "").split(",") if c in CLASSES)
    hidden = set(state[hide_key])
    shown = st.multiselect(t["classes"], classes, default=[c for c in classes if c not in hidden],
                           format_func=lambda c: CLASS_NAMES[c][lang == "en"],
                           key=f"{key}-classes:{focus}:{','.join(classes)}")
    hidden = (hidden - set(classes)) | (set(classes) - set(shown))
    state[hide_key] = sorted(hidden)
    if hidden:
        st.query_params["ghide"] = ",".join(sorted(hidden))
    elif "ghide" in st.query_params:
        del st.query_params["ghide"]
    return hidden


def show(store, focus: str, lang: str = "zh", key: str = "graph", height: int = 520, find=None) -> str | None:
    """Draw the neighbourhood graph of ``focus`` inside ``st.container(key=key)``: a legend
    of the classes present, a filter by class, the graph (clicking a node expands it, see the
    module doc; a plan's commitments grouped by section), a note per node whose neighbours were
    cut ("+N more"), a "reset" button and, once a node was clicked, its label with an "open"
    (打开) button. With ``find`` (text -> [(IRI, label)], e.g. a label search), a field to name a
    second entity: the shortest path to it is drawn in the graph and written out
    (explorer.graphpath). Returns the IRI of the node to open when "open" was pressed, else None."""
    import streamlit as st
    import streamlit_agraph
    from streamlit_agraph import Config
    from streamlit_agraph import Edge as AgEdge
    from streamlit_agraph import Node as AgNode

    lang = "en" if lang == "en" else "zh"
    t = _TEXT[lang]
    exp_key, sel_key, gen_key = _keys(key, focus)
    state = st.session_state
    with st.container(key=key):
        nodes, edges, omitted = graph_of(store, focus, state.get(exp_key, []), lang)
        if not nodes:
            st.info(t["empty"])
            return None
        path = _path_controls(store, focus, lang, key, find) if find else None
        on_path: set[str] = set()
        path_edges: set[tuple[str, str]] = set()
        if path is not None and path.found:
            on_path = {n.iri for n in path.nodes}
            have = {n.iri for n in nodes}
            nodes = nodes + [n for n in path.nodes if n.iri not in have]
            path_edges = {(s, o) for s, _, o in path.triples}
            edges = sorted(set(edges) | {Edge(s, o, _local(p)) for s, p, o in path.triples},
                           key=lambda e: (e.source, e.target, e.label))
        classes = [c for c in CLASSES if c in {n.cls for n in nodes[1:]}]
        hidden = _class_filter(state, key, focus, classes, lang) if classes else set()
        nodes, edges = hide(nodes, edges, hidden, keep=on_path)
        st.markdown(legend_html([n.cls for n in nodes], lang), unsafe_allow_html=True)
        expanded = {focus, *state.get(exp_key, [])}
        ag_nodes = [AgNode(id=n.iri, label=_short(n.label), title=n.iri, color=CLASSES[n.cls],
                           size=30 if n.iri == focus else 20 if n.iri in expanded or n.iri in on_path else 14,
                           borderWidth=3 if n.iri in expanded else 1, font={"size": 12})
                    for n in nodes]
        # edge labels only while they stay readable; the tooltip always names the property
        ag_edges = [AgEdge(source=e.source, target=e.target, title=e.label,
                           color=PATH_COLOUR if (e.source, e.target) in path_edges else "#a0a0a0",
                           width=3 if (e.source, e.target) in path_edges else 1,
                           font={"size": 9, "color": "#606060"},
                           **({"label": e.label} if len(edges) <= 30 or (e.source, e.target) in path_edges else {}))
                    for e in edges]
        config = Config(height=height, directed=True, physics=True, hierarchical=False,
                        interaction={"hover": True})
        config.width = "100%"
        config.physics = {"enabled": True, "solver": "forceAtlas2Based",
                          "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 110},
                          "stabilization": {"enabled": True, "iterations": 400, "fit": True}}
        del config.groups  # None, which vis-network rejects
        # the package's component function, called with a key and a callback (its public
        # agraph() wrapper accepts neither)
        component_key = f"{key}-agraph:{state.get(gen_key, 0)}:{focus}"
        streamlit_agraph._agraph(
            data=_json({"nodes": [n.to_dict() for n in ag_nodes], "edges": [e.to_dict() for e in ag_edges]}),
            config=_json(config.__dict__), key=component_key, default=None,
            on_change=functools.partial(_on_click, component_key, key, focus,
                                        frozenset(n.iri for n in nodes)))
        st.caption(t["hint"])
        labels = {n.iri: n.label for n in nodes}
        for iri, n in omitted.items():
            if iri in labels:
                st.caption(t["more"].format(label=_md(labels[iri]), n=n))
        selected = state.get(sel_key)
        left, right = st.columns([1, 4], vertical_alignment="center")
        left.button(t["reset"], key=f"{key}-reset:{focus}", on_click=_reset, args=(key, focus))
        if selected in labels:
            node = next(n for n in nodes if n.iri == selected)
            right.caption(t["selected"].format(label=_md(node.label), cls=CLASS_NAMES[node.cls][lang == "en"]))
            if right.button(t["open"], key=f"{key}-open:{focus}"):
                return selected
    return None


PATH_COLOUR = "#d62728"


def path_markdown(path) -> str:
    """The path written out: 白银市教育局 —jurisdiction→ 白银市 (labels escaped)."""
    out = [f"**{_md(path.nodes[0].label)}**"]
    for node, (s, p, o) in zip(path.nodes[1:], path.triples):
        arrow = f" —{_local(p)}→ " if s != node.iri else f" ←{_local(p)}— "
        out.append(_md(arrow) + f"**{_md(node.label)}**")
    return "".join(out)


def _path_controls(store, focus: str, lang: str, key: str, find):
    """The "shortest path to" field and, once an entity is chosen, the path (or a plain
    statement that there is none within the limits). Returns graphpath.Path or None."""
    import streamlit as st

    from . import graphpath

    t = _TEXT[lang]
    query = st.text_input(t["path_to"], key=f"{key}-path:{focus}", placeholder=t["path_placeholder"])
    query = (query or "").strip()
    if not query:
        return None
    if _IRIREF.fullmatch(query) and query.startswith(("http://", "https://")):
        candidates = [(query, query)]
    else:
        candidates = [(i, lab) for i, lab in find(query) if i != focus][:20]
    if not candidates:
        st.caption(t["path_unknown"].format(q=_md(query)))
        return None
    options = {i: lab for i, lab in candidates}
    target = options and st.selectbox(t["path_pick"], list(options), format_func=options.__getitem__,
                                      key=f"{key}-pathpick:{focus}:{query}")
    path = graphpath.shortest_path(store, focus, target, lang)
    if path.found:
        st.markdown(t["path_found"].format(n=path.hops) + " " + path_markdown(path))
    else:
        st.warning(t["path_none"].format(hops=graphpath.MAX_HOPS, hub=graphpath.HUB, nodes=graphpath.MAX_NODES,
                                             target=_md(options[target])))
    return path


def _json(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False)
