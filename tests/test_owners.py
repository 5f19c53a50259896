"""Owners of each guarantee at every level of government: the government body table (built
by scripts/make_bodies.py from cited sources), extract.bodies, the counterparts graph
(graph.counterparts), the owners-by-level and agency-counterparts queries, and the ladder in
the explorer — on the bundled corpus."""
from __future__ import annotations

import importlib.util
import sys

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT

from extract.bodies import GovernmentBodies
from extract.gazetteer import Gazetteer
from extract.periods import plan_period
from pskg.paths import EXTRACT_DATA, QUERIES_DIR
from pskg.query_text import bind_values

BAIYIN_SERVICES = ["义务教育", "基本养老保险", "残疾人两项补贴", "公共租赁住房", "职业技能培训"]
# the lead Baiyin's plan states (市X局牵头) and the bodies of the same type above it
BAIYIN_LADDER = {
    "义务教育": ("白银市教育局", "甘肃省教育厅", "教育部", "会宁县教育局"),
    "基本养老保险": ("白银市人力资源和社会保障局", "甘肃省人力资源和社会保障厅", "人力资源和社会保障部",
                 "白银区人力资源和社会保障局"),
    "残疾人两项补贴": ("白银市残疾人联合会", "甘肃省民政厅", "民政部", "会宁县残疾人联合会"),
    "公共租赁住房": ("白银市住房和城乡建设局", "甘肃省住房和城乡建设厅", "住房和城乡建设部", "景泰县住房和城乡建设局"),
    "职业技能培训": ("白银市人力资源和社会保障局", "甘肃省人力资源和社会保障厅", "人力资源和社会保障部",
                 "靖远县人力资源和社会保障局"),
}


def _script():
    spec = importlib.util.spec_from_file_location("make_bodies", ROOT / "scripts" / "make_bodies.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_bodies", mod)
    spec.loader.exec_module(mod)
    return mod


def run(store, name, **bindings):
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    return store.select(bind_values(text, [f"{k}={v}" for k, v in bindings.items()]))


# ------------------------------------------------------------------ reference table
def test_table_rebuilt_by_its_script_is_byte_identical(tmp_path):
    mod = _script()
    out = tmp_path / "government_bodies.tsv"
    assert mod.main(["--out", str(out)]) == 0
    assert out.read_bytes() == (EXTRACT_DATA / "government_bodies.tsv").read_bytes()
    assert mod.main(["--check"]) == 0


def test_script_rejects_bad_reference_data(tmp_path):
    mod = _script()
    ref = tmp_path / "reference"
    ref.mkdir()
    src = (ROOT / "scripts" / "reference")
    (ref / "sources.tsv").write_text((src / "sources.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    good = (src / "bodies.tsv").read_text(encoding="utf-8")
    # a gap between two names of one body (卫生部 ends in 2013, the next one starts in 2014)
    (ref / "bodies.tsv").write_text(good.replace("国家卫生和计划生育委员会\t2013\t2018", "国家卫生和计划生育委员会\t2014\t2018"),
                                    encoding="utf-8")
    assert mod.main(["--reference", str(ref), "--out", str(tmp_path / "x.tsv")]) == 2
    # a function key that is not in the agency-function scheme
    (ref / "bodies.tsv").write_text(good.replace("\tdisabled_persons\t中国残疾人联合会", "\tdisability\t中国残疾人联合会"),
                                    encoding="utf-8")
    assert mod.main(["--reference", str(ref), "--out", str(tmp_path / "x.tsv")]) == 2
    (ref / "bodies.tsv").write_text(good, encoding="utf-8")
    assert mod.main(["--reference", str(ref), "--out", str(tmp_path / "x.tsv")]) == 0


def test_every_row_cites_a_published_source():
    bodies = GovernmentBodies.load()
    assert all(r.source_url.startswith("http") and r.source_title for r in bodies.rows)


@pytest.mark.parametrize("key,year,name", [
    ("health", 2010, "卫生部"), ("health", 2016, "国家卫生和计划生育委员会"), ("health", 2019, "国家卫生健康委员会"),
    ("human_resources_social_security", 2005, "劳动和社会保障部"),
    ("human_resources_social_security", 2009, "人力资源和社会保障部"),
    ("culture_tourism", 2017, "文化部"), ("culture_tourism", 2018, "文化和旅游部"),
    ("veterans", 2019, "退役军人事务部"), ("veterans", 2016, "民政部"),  # held by civil affairs before 2018
    ("medical_security", 2019, "国家医疗保障局"), ("emergency", 2018, "应急管理部"),
    ("financial_regulation", 2023, "国家金融监督管理总局"), ("data", 2023, "国家数据局"),
    ("government", 2016, "国务院"), ("government_office", 2016, "国务院办公厅"),
])
def test_national_names_through_the_reforms(key, year, name):
    assert GovernmentBodies.load().name(key, Gazetteer.load().get("100000"), year) == name


def test_names_by_level_municipality_and_special_regions():
    b, g = GovernmentBodies.load(), Gazetteer.load()
    gansu, baiyin, huining = g.resolve("甘肃省"), g.resolve("白银市"), g.resolve("会宁县")
    assert [b.name("education", r, 2016) for r in (gansu, baiyin, huining)] == ["甘肃省教育厅", "白银市教育局", "会宁县教育局"]
    assert [b.name("health", r, 2019) for r in (gansu, baiyin, huining)] == [
        "甘肃省卫生健康委员会", "白银市卫生健康委员会", "会宁县卫生健康局"]
    shanghai = g.resolve("上海市")
    assert g.level_concept_key(shanghai) == "provincial"
    assert b.name("education", shanghai, 2016) == "上海市教育委员会"
    pudong = g.resolve("浦东新区")
    assert g.level_concept_key(pudong) == "county" and b.name("education", pudong, 2016) == "浦东新区教育局"
    hk = g.get("810000")
    assert b.name("government", hk, 2016) == "香港特别行政区政府" and b.name("education", hk, 2016) is None


def test_body_types_keep_governments_apart_from_their_offices():
    b, g = GovernmentBodies.load(), Gazetteer.load()
    baiyin = g.resolve("白银市")
    assert b.body_type("白银市人民政府", baiyin) == "government"
    assert b.body_type("白银市人民政府办公室", baiyin) == "government_office"
    assert b.body_type("白银市人民政府督查室", baiyin) == "inspection_office"
    assert b.body_type("白银市人力资源和社会保障局", baiyin) == "human_resources_social_security"
    assert b.body_type("白银市医疗保障局", baiyin) == "medical_security"
    assert b.body_type("国务院", g.get("100000")) == "government"
    assert b.body_type("白银市某某中心", baiyin) is None


def test_plan_period_from_the_title():
    assert plan_period("山西省“十三五”基本公共服务均等化规划")[:2] == (2016, 2020)
    assert plan_period("“十四五”公共服务规划")[:2] == (2021, 2025)
    s, e = plan_period("某市公共服务规划（2021—2025年）")[2:]
    assert "某市公共服务规划（2021—2025年）"[s:e] == "2021—2025"
    assert plan_period("关于做好就业工作的通知") is None


# ------------------------------------------------------------------ the graph
COUNTERPARTS = "https://w3id.org/pskg/graph/counterparts"


def test_plan_period_has_evidence(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?start ?end ?q WHERE { ?p pskg:sourceFile "001_a6579b1a56d4ceb4.txt" ;
        pskg:periodStart ?start ; pskg:periodEnd ?end ; pskg:evidence ?ev .
        ?ev pskg:property pskg:periodStart ; pskg:quote ?q }""")
    assert rows == [{"start": "2016", "end": "2020", "q": "十三五"}]


def test_derived_bodies_only_in_the_counterparts_graph_and_without_evidence(built_store):
    store, _ = built_store
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?b a pskg:DerivedBody } }")
    assert [r["g"] for r in rows] == [COUNTERPARTS]
    assert not store.select("SELECT ?b WHERE { ?b a pskg:DerivedBody ; pskg:evidence ?e } LIMIT 1")
    assert not store.select("SELECT ?b WHERE { ?b a pskg:DerivedBody . FILTER NOT EXISTS { "
                            "?b prov:wasDerivedFrom ?r . ?r a pskg:CounterpartRule } } LIMIT 1")
    # the agencies the evaluation reads (pskg:Agency in a plan graph) are the texts' only
    rows = store.select("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?plan a pskg:Plan .
        GRAPH ?plan { ?a ?p ?o } ?a a pskg:DerivedBody }""")
    assert rows[0]["n"] == "0"


def test_counterparts_of_baiyin_bodies(built_store):
    rows = run(built_store[0], "agency-counterparts", function="education")
    up = {(r["upper"], r["upperKind"]) for r in rows if r["lower"] == "白银市教育局"}
    assert {("甘肃省教育厅", "derived"), ("教育部", "derived")} <= up
    down = {r["lower"] for r in rows if r["upper"] == "白银市教育局"}
    assert {"白银区教育局", "平川区教育局", "靖远县教育局", "会宁县教育局", "景泰县教育局"} == down
    gov = run(built_store[0], "agency-counterparts", function="government_general")
    above = {r["upper"] for r in gov if r["lower"] == "白银市人民政府"}
    assert "甘肃省人民政府" in above and not any("办公" in x or "督查" in x for x in above)
    assert all(r["upperRegion"] != r["lowerRegion"] for r in gov)


def test_counterpart_above_goes_from_the_lower_body_to_the_upper(built_store):
    store, _ = built_store
    # every counterpart pair has exactly one direction, and it is the gazetteer's
    pairs = store.select(f"""SELECT ?a ?b ?up ?down WHERE {{ GRAPH <{COUNTERPARTS}> {{ ?a pskg:counterpart ?b }}
        FILTER(STR(?a) < STR(?b))
        BIND(EXISTS {{ ?a pskg:counterpartAbove ?b }} AS ?up) BIND(EXISTS {{ ?b pskg:counterpartAbove ?a }} AS ?down) }}""")
    assert len(pairs) > 100
    assert all((p["up"] == "true") != (p["down"] == "true") for p in pairs)
    wrong = store.select("""SELECT ?a ?b WHERE { ?a pskg:counterpartAbove ?b ; pskg:jurisdiction ?ra .
        ?b pskg:jurisdiction ?rb . FILTER NOT EXISTS { ?ra pskg:partOf+ ?rb } } LIMIT 5""")
    assert wrong == []
    assert not store.select("SELECT ?a WHERE { ?a pskg:counterpartAbove ?b FILTER NOT EXISTS { ?a pskg:counterpart ?b } } LIMIT 1")
    up = {r["b"] for r in store.select("""SELECT ?b WHERE { ?a pskg:counterpartAbove ?b ; rdfs:label "白银市教育局"@zh-Hans }""")}
    labels = {r["l"] for b in up for r in store.select(f"SELECT ?l WHERE {{ <{b}> rdfs:label ?l }}")}
    assert {"甘肃省教育厅", "教育部"} <= labels

def test_derived_iris_are_deterministic(built_store, tmp_path):
    from graph.counterparts import counterpart_groups

    def counterpart_lines(select):
        classes: dict[str, int] = {}
        return dict(counterpart_groups(select, classes)), classes

    store, _ = built_store
    first = counterpart_lines(store.select)
    assert first == counterpart_lines(store.select)
    stored = {str(ox.Triple(q.subject, q.predicate, q.object))
              for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(COUNTERPARTS))}
    assert stored == {line for lines in first[0].values() for line in lines}


def test_a_body_a_text_names_is_linked_not_derived(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?b WHERE { ?a rdfs:label "白银市人民政府办公室"@zh-Hans ; pskg:counterpart ?b .
        ?b rdfs:label "甘肃省人民政府办公厅"@zh-Hans }""")
    assert rows and "/agency/" in rows[0]["b"]  # the agency the plan names, with its evidence
    assert store.select(f"SELECT ?e WHERE {{ <{rows[0]['b']}> pskg:evidence ?e }} LIMIT 1")
    assert not store.select(f"SELECT ?t WHERE {{ <{rows[0]['b']}> a pskg:DerivedBody }}")


@pytest.mark.parametrize("service", BAIYIN_SERVICES)
def test_owners_by_level_in_baiyin(built_store, service):
    stated, province, nation, county = BAIYIN_LADDER[service]
    rows = run(built_store[0], "owners-by-level", service=service, region="白银市")
    assert [r["level"] for r in rows] == ["county", "prefectural", "provincial", "national"]
    by = {r["level"]: r for r in rows}
    pref = by["prefectural"]
    assert pref["kind"] == "stated" and stated in pref["owner"].split("、")
    assert "牵头" in pref["quote"] and not pref.get("note")
    assert by["provincial"]["kind"] == "expected" and province in by["provincial"]["owner"].split("、")
    assert by["provincial"]["note"] == "no plan of this level in the corpus"
    assert "甘肃省“十三五”推进基本公共服务均等化规划" in by["provincial"]["citedPlans"]
    assert by["national"]["kind"] == "expected" and nation in by["national"]["owner"].split("、")
    assert by["county"]["kind"] == "expected" and county in by["county"]["owner"].split("、")
    assert set(by["county"]["regions"].split("、")) == {"白银区", "平川区", "靖远县", "会宁县", "景泰县"}


def test_a_level_of_several_regions_lists_what_each_of_them_has(built_store):
    """The nation's provincial level holds provinces with a plan in the corpus and provinces
    without: the row lists the plans of the first and the cited plans of the others (an
    aggregate over rows where some lack a value must still list the values of the rest)."""
    rows = run(built_store[0], "owners-by-level", service="义务教育", region="中华人民共和国")
    prov = {r["level"]: r for r in rows}["provincial"]
    plans, cited = set(prov["plan"].split("、")), set(prov["citedPlans"].split("、"))
    assert {"山西省“十三五”基本公共服务均等化规划", "上海市基本公共服务体系“十三五”规划"} <= plans
    assert "甘肃省“十三五”推进基本公共服务均等化规划" in cited and "" not in plans | cited
    assert {"山西省教育厅", "甘肃省教育厅", "湖北省教育厅"} <= set(prov["owner"].split("、"))
    # a stated owner of one province at that level replaces the expected ones
    basic = {r["level"]: r for r in run(built_store[0], "owners-by-level", service="基本公共服务",
                                        region="中华人民共和国")}["provincial"]
    assert basic["kind"] == "stated" and "山西省人民政府" in basic["owner"].split("、") and basic["quote"]


def test_regions_with_expected_owners_carry_their_count(built_store):
    """pskg:expectedOwnerships on a region (the counterparts graph) is how many expected
    ownerships hold in it; owners-by-level pages through these regions."""
    store = built_store[0]
    rows = store.select("""SELECT ?r ?n (COUNT(?e) AS ?m) WHERE { ?r pskg:expectedOwnerships ?n .
        ?e a pskg:ExpectedOwnership ; pskg:inRegion ?r } GROUP BY ?r ?n""")
    assert len(rows) > 20 and all(r["n"] == r["m"] for r in rows)
    with_eo = store.select("SELECT (COUNT(DISTINCT ?r) AS ?k) WHERE { ?e pskg:inRegion ?r }")[0]["k"]
    assert int(with_eo) == len(rows)


def test_function_leads_a_service_exactly_where_its_agencies_lead_commitments_about_it(built_store):
    """pskg:functionLeads (the counterparts graph) holds the (function, service) pairs of the
    commitments' owners, each once."""
    store = built_store[0]
    stated = {(r["fn"], r["s"]) for r in store.select(
        "SELECT DISTINCT ?fn ?s WHERE { ?c pskg:owner ?a ; pskg:aboutService ?s . ?a pskg:function ?fn }")}
    from graph.counterparts import COUNTERPARTS_GRAPH

    links = store.select(f"SELECT ?fn ?s WHERE {{ GRAPH <{COUNTERPARTS_GRAPH}> {{ ?fn pskg:functionLeads ?s }} }}")
    assert len(links) == len({(r["fn"], r["s"]) for r in links})
    assert {(r["fn"], r["s"]) for r in links} == stated and len(stated) > 20
    edu = store.select("""SELECT ?l WHERE { ?f skos:notation "education" ; pskg:functionLeads ?s .
                                           ?s skos:prefLabel ?l }""")
    assert "义务教育" in {r["l"] for r in edu}


@pytest.mark.parametrize("region,service,own,below", [
    ("山西省", "义务教育", "山西省教育厅", "太原市教育局"),
    ("山西省", "基本养老保险", "山西省人力资源和社会保障厅", "大同市人力资源和社会保障局"),
    ("上海市", "义务教育", "上海市教育委员会", "浦东新区教育局"),
    ("上海市", "公共租赁住房", "上海市住房和城乡建设管理委员会", "徐汇区住房和城乡建设局"),
])
def test_owners_by_level_in_shanxi_and_shanghai(built_store, region, service, own, below):
    rows = run(built_store[0], "owners-by-level", service=service, region=region)
    by = {r["level"]: r for r in rows}
    assert by["provincial"]["regions"] == region and own in by["provincial"]["owner"].split("、")
    assert not by["provincial"].get("note")  # the corpus has this province's plan
    assert by["national"]["note"] == "no plan of this level in the corpus"
    lower = by["prefectural" if region == "山西省" else "county"]
    assert lower["kind"] == "expected" and below in lower["owner"].split("、")


def test_leads_reach_the_guarantees_inside_a_task(built_store):
    store, _ = built_store
    rows = run(store, "who-leads", region="白银市")
    living = [r for r in rows if r.get("service") == "困难残疾人生活补贴"]
    assert living and {r["agency"] for r in living} == {"白银市残疾人联合会"}
    assert all("市残联牵头" in r["quote"] for r in living)
    cross = run(store, "cross-level", service="困难残疾人生活补贴")
    assert any(r["agency"] == "白银市残疾人联合会" and r.get("leads") for r in cross)
    compare = run(store, "region-comparison", region="白银市")
    assert any(r["service"] == "困难残疾人生活补贴" and "白银市残疾人联合会" in r["leads"] for r in compare)


def test_shapes_reject_a_derived_body_with_evidence_and_a_text_agency_without():
    from pyshacl import validate

    from graph.ontology import ontology_files, shapes_file

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    ont = rdflib.Graph()
    for f in ontology_files():
        ont.parse(f, format="turtle")
    base = """@prefix pskg: <https://w3id.org/pskg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix id: <https://w3id.org/pskg/id/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        id:rule-counterpart a pskg:CounterpartRule . id:reference-government-bodies a pskg:GovernmentBodyTable .
        id:region-620000 a pskg:Region ; <http://www.w3.org/2000/01/rdf-schema#label> "甘肃省"@zh-Hans ;
            pskg:divisionCode "620000" ; pskg:level pskg:Provincial .
        id:body-x a pskg:DerivedBody ; <http://www.w3.org/2000/01/rdf-schema#label> "甘肃省教育厅"@zh-Hans ;
            pskg:level pskg:Provincial ; pskg:function pskg:function-education ; pskg:bodyType pskg:body-education ;
            pskg:jurisdiction id:region-620000 ; prov:wasDerivedFrom id:rule-counterpart, id:reference-government-bodies .
    """

    def conforms(extra: str) -> bool:
        g = rdflib.Graph().parse(data=base + extra, format="turtle")
        g += ont
        return validate(g, shacl_graph=shapes, ont_graph=ont, inference="none", advanced=True,
                        allow_warnings=True)[0]

    assert conforms("")
    assert not conforms("id:body-x pskg:evidence id:evidence-e1 . id:evidence-e1 a pskg:Evidence .")
    assert not conforms("""id:agency-y a pskg:Agency ; <http://www.w3.org/2000/01/rdf-schema#label> "白银市教育局"@zh-Hans ;
        pskg:level pskg:Prefectural ; pskg:function pskg:function-education .""")


def test_store_validates(built_store):
    from graph.validate import validate

    ok, report = validate(built_store[0])
    assert ok, report[:3000]
    assert "counterparts" not in report  # the counterparts chunk has no findings


# ------------------------------------------------------------------ explorer
def test_ladder_data(built_store):
    from explorer.data import ExplorerData
    from explorer.ladder import expected_cells, ladder_choices, ladder_rows

    store, _ = built_store
    d = ExplorerData(store)
    edu = store.select('SELECT ?a WHERE { ?a rdfs:label "白银市教育局"@zh-Hans }')[0]["a"]
    pairs = ladder_choices(d, agency=edu)
    svc = "https://w3id.org/pskg/id/service/compulsory-education"
    baiyin = "https://w3id.org/pskg/id/region/620400"
    assert (svc, baiyin) in pairs
    rows = ladder_rows(d, svc, baiyin)
    assert [(r["level"], r["kind"]) for r in rows] == [
        ("county", "expected"), ("prefectural", "stated"), ("provincial", "expected"), ("national", "expected")]
    shanxi_plan = store.select('SELECT ?p WHERE { ?p pskg:sourceFile "000_d6c6a4d0aa48d11c.txt" }')[0]["p"]
    cells = expected_cells(d, [svc], [shanxi_plan])
    owners = {store.select(f"SELECT ?l WHERE {{ <{a}> rdfs:label ?l }}")[0]["l"] for a in cells[(svc, shanxi_plan)]}
    assert owners == {"山西省教育厅"}


def test_agency_page_shows_derived_counterparts_and_the_ladder(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store, _ = built_store
    monkeypatch.setenv("PSKG_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    edu = store.select('SELECT ?a WHERE { ?a rdfs:label "白银市教育局"@zh-Hans }')[0]["a"]
    at.query_params["iri"] = edu
    at.switch_page("explorer/pages/entity.py")
    at.run()
    assert not at.exception, at.exception
    from apptables import tables

    counterparts = tables(at)[0]  # the page's first link table
    names = " ".join(counterparts["agency"])
    assert all(u and "lang=" in u for u in counterparts["agency_url"])
    assert "甘肃省教育厅" in names and "教育部" in names and "会宁县教育局" in names
    assert "推定（无文本出处）" in set(counterparts["basis"])
    assert any(s.value == "各级政府的责任单位" for s in at.subheader)
    ladder = at.dataframe[-1].value
    assert "✔ 写明" in set(ladder["依据"]) and "◇ 推定" in set(ladder["依据"])
    assert "语料中没有这一级的规划" in set(ladder["说明"])


def test_owners_matrix_marks_expected_owners_and_a_derived_body_page_opens(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store, _ = built_store
    monkeypatch.setenv("PSKG_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("explorer/pages/owners.py")
    at.run()
    assert not at.exception, at.exception
    matrix = at.dataframe[0].value
    cells = [str(v) for col in matrix.columns for v in matrix[col] if v]
    assert any(c.endswith("（推定）") for c in cells)           # expected: marked
    assert any("白银市教育局" in c and "推定" not in c for c in cells)  # stated: as the plan names it
    derived = store.select('SELECT ?b WHERE { ?b a pskg:DerivedBody ; rdfs:label "甘肃省教育厅"@zh-Hans }')[0]["b"]
    at.query_params["iri"] = derived
    at.switch_page("explorer/pages/entity.py")
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == "甘肃省教育厅"


def test_search_finds_derived_bodies_after_named_ones(built_store):
    from explorer.data import ExplorerData
    from explorer.search import SearchIndex

    hits, _ = SearchIndex.build(ExplorerData(built_store[0])).search("教育厅")
    by_label = {h.label: h.cls for h in hits}
    assert by_label.get("甘肃省教育厅") == "DerivedBody"
    hits, _ = SearchIndex.build(ExplorerData(built_store[0])).search("教育局")
    classes = [h.cls for h in hits if h.cls in ("Agency", "DerivedBody")]
    assert classes and classes[0] == "Agency"


def test_ladder_rows_equal_the_named_query(built_store):
    """The explorer's ladder (small bound queries, fast on large stores) gives the rows of
    owners-by-level for every service and region a ladder can be shown for."""
    from explorer.data import ExplorerData
    from explorer.ladder import ladder_rows
    from pskg.query_text import bind_values

    store, _ = built_store
    d = ExplorerData(store)
    text = (ROOT / "queries" / "owners-by-level.rq").read_text(encoding="utf-8")

    def norm(rows):
        return [{k: "、".join(sorted(set(str(r.get(k, "")).split("、")))) for k in
                 ("region", "service", "level", "kind", "regions", "owner", "quote", "plan", "citedPlans", "note")}
                for r in rows]

    pairs = [("义务教育", "白银市"), ("基本养老保险", "白银市"), ("公共租赁住房", "白银市"), ("职业技能培训", "白银市"),
             ("义务教育", "山西省"), ("义务教育", "上海市")]
    for service, region in pairs:
        want = store.select(bind_values(text, [f"service={service}", f"region={region}"]))
        s = store.select(f'SELECT ?s WHERE {{ ?s skos:prefLabel ?l FILTER(STR(?l) = "{service}") }}')[0]["s"]
        r = store.select(f'SELECT ?r WHERE {{ ?r rdfs:label "{region}"@zh-Hans ; pskg:divisionCode ?c }}')[0]["r"]
        got = ladder_rows(d, s, r)
        assert want and norm(got) == norm(want), (service, region)
