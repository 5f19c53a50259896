"""The explorer's neighbourhood graph (explorer/graphview.py): what neighbourhood() reads
from a built store, the click bookkeeping, the page it renders (AppTest) and that the
graph component's JavaScript is bundled (no CDN)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from explorer.graphview import (
    CLASSES,
    LIMIT,
    Edge,
    Node,
    _apply_click,
    _collect,
    _keys,
    neighbourhood,
)

COMMITMENTS = {"Commitment", "ServiceGuarantee", "Task", "Project"}


def one(store, sparql: str) -> str:
    rows = store.select(sparql)
    assert len(rows) == 1, rows
    return next(iter(rows[0].values()))


@pytest.fixture(scope="module")
def baiyin(built_store):
    """(store, IRI of 白银市教育局, IRI of 白银市, IRI of 甘肃省)."""
    store, _ = built_store
    agency = one(store, 'SELECT ?a WHERE { ?a a pskg:Agency ; rdfs:label "白银市教育局"@zh-Hans }')
    city = one(store, 'SELECT DISTINCT ?r WHERE { ?r a pskg:Region ; rdfs:label "白银市"@zh-Hans }')
    province = one(store, 'SELECT DISTINCT ?r WHERE { ?r a pskg:Region ; rdfs:label "甘肃省"@zh-Hans }')
    return store, agency, city, province


def by_iri(nodes: list[Node]) -> dict[str, Node]:
    return {n.iri: n for n in nodes}


def test_agency_neighbourhood_has_its_commitments_and_region(baiyin):
    store, agency, city, province = baiyin
    nodes, edges = neighbourhood(store, agency)
    got = by_iri(nodes)
    assert nodes[0] == Node(agency, "白银市教育局", "Agency")
    led = {r["c"] for r in store.select(f"SELECT DISTINCT ?c WHERE {{ ?c pskg:leadAgency <{agency}> }}")}
    assert led, "the Baiyin education bureau leads commitments in the bundled corpus"
    assert led <= set(got)
    assert all(got[c].cls in COMMITMENTS for c in led)
    assert {Edge(c, agency, "leadAgency") for c in led} <= set(edges)
    assert got[city] == Node(city, "白银市", "Region")
    assert Edge(agency, city, "jurisdiction") in edges
    assert province not in got  # two hops away until the city is expanded
    # every edge joins two drawn nodes, and touches the focus (nothing is expanded)
    assert all(e.source in got and e.target in got and agency in (e.source, e.target) for e in edges)


def test_expanding_the_region_adds_its_parent(baiyin):
    store, agency, city, province = baiyin
    nodes, edges = neighbourhood(store, agency, expanded=[city])
    got = by_iri(nodes)
    assert got[province] == Node(province, "甘肃省", "Region")
    assert Edge(city, province, "partOf") in edges
    assert {"白银区", "靖远县"} <= {n.label for n in nodes}  # the city's counties
    # what was drawn before stays drawn
    before, _ = neighbourhood(store, agency)
    assert set(before) <= set(nodes)


def test_no_evidence_literals_schema_or_graph_nodes(baiyin):
    store, agency, city, province = baiyin
    nodes, edges = neighbourhood(store, agency, expanded=[city, province])
    iris = [n.iri for n in nodes]
    assert len(iris) == len(set(iris))
    assert all(n.cls in CLASSES for n in nodes)
    values = " ".join(f"<{i}>" for i in iris)
    assert not store.select(f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} ?x a pskg:Evidence }}")
    assert not any("/evidence/" in i for i in iris)
    graphs = {g for g in store.named_graphs() if "/graph/" in g}  # ontology, vocabularies, gazetteer
    assert graphs and not graphs & set(iris)
    assert {e.label for e in edges}.isdisjoint({"type", "evidence", "sourceDocument", "label", "subClassOf",
                                                "domain_", "inScheme", "topConceptOf"})
    assert all(re.fullmatch(r"[A-Za-z]+", e.label) for e in edges)


def test_limit_is_honoured_in_class_then_label_order(baiyin):
    store, agency, city, province = baiyin
    full, _ = neighbourhood(store, province, limit=10_000)
    assert len(full) > 12  # the province's cities, its plan, the national level ...
    rank = list(CLASSES)
    key = [(rank.index(n.cls), n.label, n.iri) for n in full[1:]]
    assert key == sorted(key)
    for limit in (0, 1, 5, 12):
        nodes, edges = neighbourhood(store, province, limit=limit)
        assert nodes == full[: 1 + limit]
        assert all(e.source in by_iri(nodes) and e.target in by_iri(nodes) for e in edges)
        _, _, omitted = _collect(store, province, (), "zh", limit)
        assert omitted == {province: len(full) - 1 - limit}
    # per expanded node: the focus and each expanded IRI add at most `limit` neighbours
    nodes, _ = neighbourhood(store, agency, expanded=[city, province], limit=3)
    assert len(nodes) <= 3 + 3 * 3


def test_english_labels_where_they_exist(baiyin):
    store, agency, city, _ = baiyin
    concept = store.select(f"""SELECT ?f ?en ?zh WHERE {{ <{agency}> pskg:function ?f .
        ?f rdfs:label ?en , ?zh FILTER(LANG(?en) = "en" && LANGMATCHES(LANG(?zh), "zh-Hans")) }}""")[0]
    en = by_iri(neighbourhood(store, agency, lang="en")[0])
    zh = by_iri(neighbourhood(store, agency, lang="zh")[0])
    assert en[concept["f"]] == Node(concept["f"], concept["en"], "Concept")
    assert zh[concept["f"]].label == concept["zh"]
    assert en[city].label == "白银市"  # no @en label: the zh-Hans one
    assert en[agency].label == "白银市教育局"


def test_deterministic(baiyin):
    store, agency, city, province = baiyin
    assert neighbourhood(store, agency, [city, province]) == neighbourhood(store, agency, [city, province])
    assert neighbourhood(store, agency) == neighbourhood(store, agency)


def test_focus_without_a_class_or_not_an_iri_gives_nothing(baiyin):
    store, agency, _, _ = baiyin
    evidence = store.select(f"SELECT ?e WHERE {{ <{agency}> pskg:evidence ?e }} LIMIT 1")[0]["e"]
    assert neighbourhood(store, evidence) == ([], [])
    assert neighbourhood(store, "https://w3id.org/pskg/id/nothing-here") == ([], [])
    assert neighbourhood(store, 'x> } } DROP ALL #') == ([], [])
    # a malformed expanded IRI is ignored, the rest still drawn
    assert neighbourhood(store, agency, ["<bad>"]) == neighbourhood(store, agency)


def test_a_click_selects_and_expands_a_drawn_node():
    state: dict = {}
    exp, sel, gen = _keys("g", "F")
    shown = frozenset({"F", "A", "B"})
    _apply_click(state, "g", "F", "A", shown)
    assert state == {sel: "A", exp: ["A"], gen: 1}  # a new generation: a fresh component
    _apply_click(state, "g", "F", "A", shown)  # again: nothing new
    _apply_click(state, "g", "F", "F", shown)  # the focus: selected, never "expanded"
    assert state == {sel: "F", exp: ["A"], gen: 1}
    _apply_click(state, "g", "F", "B", shown)
    _apply_click(state, "g", "F", "Z", shown)  # not drawn: ignored
    _apply_click(state, "g", "F", None, shown)
    assert state == {sel: "B", exp: ["A", "B"], gen: 2}


def drawn(at) -> dict[str, str]:
    """{node id: label} of the one graph component on the page."""
    import json

    (graph,) = at.get("component_instance")
    assert graph.proto.component_name == "streamlit_agraph.agraph"
    data = json.loads(json.loads(graph.proto.json_args)["data"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    return {n["id"]: n["label"] for n in data["nodes"]}


def _page(store, focus, lang):
    import streamlit as st

    from explorer.graphview import show

    opened = show(store, focus, lang=lang, key="nb")
    st.write(f"opened: {opened}")


def test_show_renders_legend_graph_and_buttons(baiyin):
    from streamlit.testing.v1 import AppTest

    store, agency, city, province = baiyin
    at = AppTest.from_function(_page, args=(store, agency, "zh"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    legend = next(m.value for m in at.markdown if "图例" in m.value)
    assert "机构" in legend and "行政区" in legend and "#59a14f" in legend
    assert "Evidence" not in legend and "文本证据" not in legend
    assert [b.label for b in at.button] == ["重置"]  # "open" only once a node was clicked
    assert drawn(at)[agency] == "白银市教育局" and province not in drawn(at)

    # a click (as the callback records it) expands the city and offers to open it
    exp_key, sel_key, _ = _keys("nb", agency)
    at.session_state[exp_key] = [city]
    at.session_state[sel_key] = city
    at.run()
    assert not at.exception, at.exception
    assert drawn(at)[province] == "甘肃省"
    assert any("已选中：白银市" in c.value for c in at.caption)
    assert [b.label for b in at.button] == ["重置", "打开"]
    at.button[1].click().run()
    assert f"opened: {city}" in [m.value for m in at.markdown]
    at.button[0].click().run()  # reset
    assert at.session_state[exp_key] == []
    assert province not in drawn(at)


def test_show_in_english_and_for_an_unknown_node(baiyin):
    from streamlit.testing.v1 import AppTest

    store, _, _, province = baiyin
    at = AppTest.from_function(_page, args=(store, province, "en"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("Legend" in m.value and "Region" in m.value for m in at.markdown)
    # a hub (the prefectural level: hundreds of cities) is cut at LIMIT, with a note
    hub = "https://w3id.org/pskg/ontology#Prefectural"
    _, _, omitted = _collect(store, hub, (), "zh", LIMIT)
    assert omitted[hub] > 100
    at = AppTest.from_function(_page, args=(store, hub, "zh"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(drawn(at)) == 1 + LIMIT
    assert f"地市级：另有 {omitted[hub]} 个相邻节点未显示" in [c.value for c in at.caption]
    at = AppTest.from_function(_page, args=(store, "https://w3id.org/pskg/id/none", "zh"), default_timeout=60)
    at.run()
    assert not at.exception and at.info and "opened: None" in [m.value for m in at.markdown]


def test_graph_component_javascript_is_bundled():
    """streamlit-agraph's frontend build loads nothing from the internet (no CDN)."""
    import streamlit_agraph

    build = Path(streamlit_agraph.__file__).parent / "frontend" / "build"
    index = (build / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=[\"']?(https?:)?//", index, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", index, re.IGNORECASE)
    assert not re.search(r"(https?:)?//[^\s\"'<>]*cdn", index, re.IGNORECASE)
    scripts = re.findall(r"<script[^>]*\ssrc=[\"']?([^\"'\s>]+)", index)
    styles = re.findall(r"<link[^>]*\shref=[\"']?([^\"'\s>]+)", index)
    assert scripts and styles
    for ref in scripts + styles:  # every referenced file ships with the package ...
        path = build / ref.lstrip("./")
        assert path.is_file(), ref
        text = path.read_text(encoding="utf-8")
        # ... and fetches nothing remote itself: no CSS url()/@import of http(s), no CDN
        assert not re.search(r"(url\(|@import)\s*[\"']?(https?:)?//", text, re.IGNORECASE), ref
        assert not re.search(r"https?://[^\s\"'()]*cdn", text, re.IGNORECASE), ref
        # the service worker (which would fetch workbox from a CDN) is never registered
        assert "serviceWorker.register" not in text, ref


# ---------------------------------------------------------------------------------- class filter, paths, plans
def drawn_graph(at) -> tuple[dict[str, dict], list[dict]]:
    """({node id: node}, edges) of the one graph component on the page."""
    import json

    (graph,) = at.get("component_instance")
    data = json.loads(json.loads(graph.proto.json_args)["data"])
    return {n["id"]: n for n in data["nodes"]}, data["edges"]


def test_unticked_classes_are_hidden_with_their_edges(baiyin):
    from streamlit.testing.v1 import AppTest

    store, agency, city, _ = baiyin
    at = AppTest.from_function(_page, args=(store, agency, "zh"), default_timeout=60)
    at.run()
    (choice,) = at.multiselect
    assert "Region" in choice.options or "行政区" in choice.options
    assert city in drawn(at)
    choice.unselect("Region").run()
    assert not at.exception, at.exception
    nodes, edges = drawn_graph(at)
    assert agency in nodes and city not in nodes
    assert not any(city in (e["from"], e["to"]) for e in edges)
    assert any(n["color"] == CLASSES["Task"] or n["color"] == CLASSES["ServiceGuarantee"] for n in nodes.values())
    assert at.query_params["ghide"] in ("Region", ["Region"])  # the filter is in the URL
    at.multiselect[0].select("Region").run()
    assert city in drawn(at) and "ghide" not in at.query_params


def _exists(store, s: str, p: str, o: str) -> bool:
    return bool(store.select(f"SELECT ?x WHERE {{ BIND(1 AS ?x) <{s}> <{p}> <{o}> }}"))


def test_shortest_path_from_a_plan_to_its_lead_agency_and_an_agency_to_its_city(baiyin):
    from explorer.graphpath import shortest_path

    store, agency, city, province = baiyin
    path = shortest_path(store, agency, city)
    assert path.found and [n.iri for n in path.nodes] == [agency, city] and path.hops == 1
    assert _exists(store, *path.triples[0])
    plan = one(store, 'SELECT ?p WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f FILTER(STRSTARTS(?f, "002_")) }')
    leads = {r["a"] for r in store.select(f"SELECT DISTINCT ?a WHERE {{ ?c pskg:inPlan <{plan}> ; pskg:leadAgency ?a }}")}
    lead = sorted(leads)[-1]
    path = shortest_path(store, plan, lead)
    assert path.found and path.nodes[0].iri == plan and path.nodes[-1].iri == lead
    assert 1 <= path.hops <= 2
    for (s, p, o), (u, v) in zip(path.triples, zip(path.nodes, path.nodes[1:])):
        assert {s, o} == {u.iri, v.iri}  # each step joins two consecutive nodes ...
        assert _exists(store, s, p, o)  # ... by a triple of the store
    # a longer one: from the agency across a commitment and its service to another plan
    far = shortest_path(store, agency, plan)
    assert far.found and far.hops >= 3
    assert all(_exists(store, *t) for t in far.triples)
    assert not any(n.iri.startswith("https://w3id.org/pskg/ontology#") for n in far.nodes[1:-1])  # no vocabulary hub


def test_no_path_within_the_hop_limit_is_said_plainly(baiyin):
    from explorer.graphpath import shortest_path

    store, agency, city, province = baiyin
    assert shortest_path(store, agency, province).found  # agency -> city -> province
    assert not shortest_path(store, agency, province, max_hops=1).found
    assert not shortest_path(store, agency, province, hub=0).found  # the city is a hub then: not crossed
    assert not shortest_path(store, agency, "https://w3id.org/pskg/id/none").found


def _path_page(store, focus, lang):
    import streamlit as st

    from explorer.graphview import show

    def find(query):
        rows = store.select(f'SELECT DISTINCT ?x WHERE {{ ?x rdfs:label "{query}"@zh-Hans }} ORDER BY ?x')
        return [(r["x"], query) for r in rows]

    opened = show(store, focus, lang=lang, key="nb", find=find)
    st.write(f"opened: {opened}")


def test_show_draws_the_path_to_a_named_entity(baiyin):
    from streamlit.testing.v1 import AppTest

    store, agency, city, province = baiyin
    at = AppTest.from_function(_path_page, args=(store, agency, "zh"), default_timeout=60)
    at.run()
    assert province not in drawn(at)
    at.text_input(key=f"nb-path:{agency}").input("甘肃省").run()
    assert not at.exception, at.exception
    said = [m.value for m in at.markdown if m.value.startswith("最短路径（2 步")]
    assert said and "白银市教育局" in said[0] and "甘肃省" in said[0] and "jurisdiction" in said[0]
    nodes, edges = drawn_graph(at)
    assert province in nodes  # the path is drawn, in red
    red = {(e["from"], e["to"]) for e in edges if e["color"] == "#d62728"}
    assert (agency, city) in red and len(red) == 2
    at.text_input(key=f"nb-path:{agency}").input("没有这个实体").run()
    assert any("没有找到名为" in c.value for c in at.caption)


def test_a_plan_graph_groups_its_commitments_by_section(baiyin):
    from explorer.plangraph import PER_SECTION, plan_graph

    store = baiyin[0]
    plan = one(store, 'SELECT ?p WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f FILTER(STRSTARTS(?f, "002_")) }')
    nodes, edges, omitted = plan_graph(store, plan)
    got = by_iri(nodes)
    assert nodes[0].iri == plan
    sections = {i for i, n in got.items() if n.cls == "Section"}
    assert len(sections) >= 5
    commitments = {i for i, n in got.items() if n.cls in COMMITMENTS}
    assert commitments
    # no commitment hangs on the plan by inPlan: each is attached to its section
    assert not any(e.label == "inPlan" for e in edges)
    attached = defaultdict(list)
    for e in edges:
        if e.source in commitments and e.label == "isPartOf":
            attached[e.target].append(e.source)
    assert set(attached) <= sections | {plan}
    assert commitments == {c for cs in attached.values() for c in cs}
    assert all(len(cs) <= PER_SECTION for cs in attached.values())
    assert any(n > 0 for n in omitted.values())  # a big section says how many were left out
    for e in edges:
        if e.label == "isPartOf":
            assert _exists(store, e.source, "http://purl.org/dc/terms/isPartOf", e.target)
    # every section drawn reaches the plan through its parents
    parent = {e.source: e.target for e in edges if e.source in sections and e.label == "isPartOf"}
    for s in sections:
        x, seen = s, set()
        while x in parent and x not in seen:
            seen.add(x)
            x = parent[x]
        assert x == plan
    # the region and agencies of the plan stay
    assert any(n.cls == "Region" for n in nodes) and any(n.cls == "Agency" for n in nodes)
