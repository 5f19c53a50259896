"""The networkx projection: agency centrality, services shared or missing between regions."""
from graph.analysis import agency_centrality, compare_regions, load_projection, nodes_of, services_by_region


def test_projection_has_the_four_kinds_and_their_links(built_store):
    g = load_projection(built_store[0])
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"agency", "service", "region", "plan"}
    assert len(nodes_of(g, "plan")) >= 5
    rels = {k for _, _, k in g.edges(keys=True)}
    assert {"governs", "in", "partOf", "guarantees", "leads", "leadsIn", "mentions"} <= rels
    label = {n: d["label"] for n, d in g.nodes(data=True)}
    led = {(label[u], label[v]) for u, v, k in g.edges(keys=True) if k == "leads"}
    assert ("白银市人力资源和社会保障局", "基本养老保险") in led
    # 白银市 lies in 甘肃省
    part = {(label[u], label[v]) for u, v, k in g.edges(keys=True) if k == "partOf"}
    assert ("白银市", "甘肃省") in part


def test_agency_centrality_ranks_the_most_connected_bodies_first(built_store):
    ranked = agency_centrality(load_projection(built_store[0]))
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    top = [name for name, _ in ranked[:5]]
    # 白银市人社局 leads a dozen services; it must outrank a body that leads nothing
    names = [n for n, _ in ranked]
    assert names.index("白银市人力资源和社会保障局") < names.index("白银市统计局")
    assert "白银市人力资源和社会保障局" in top


def test_services_shared_and_missing_between_regions(built_store):
    g = load_projection(built_store[0])
    by_region = services_by_region(g)
    assert "义务教育" in by_region["白银市"] and "义务教育" in by_region["上海市"]
    cmp = compare_regions(g, ["白银市", "上海市"])
    assert "义务教育" in cmp["shared"]
    assert set(cmp["shared"]) == by_region["白银市"] & by_region["上海市"]
    assert set(cmp["missing"]["白银市"]) == by_region["上海市"] - by_region["白银市"]
    assert cmp["missing"]["白银市"]  # Shanghai guarantees services Baiyin's plan does not name
