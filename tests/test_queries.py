"""The named queries of queries/, run on the bundled corpus, with asserted results."""
from __future__ import annotations

import pytest

from pskg.portable import ascii_separators, declared_rewrites, order_outside, portable, without_lateral
from pskg.query_text import QueryTextError, bind_values, paging
from pskg.paths import QUERIES_DIR

NAMED = ["who-leads", "cross-level", "populations-by-service", "services-by-population",
         "region-comparison", "indicators", "agency-portfolio", "owners-by-level", "agency-counterparts"]


def run(store, name, **bindings):
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    return store.select(bind_values(text, [f"{k}={v}" for k, v in bindings.items()]))


@pytest.mark.parametrize("name", NAMED)
def test_named_query_documents_its_question_and_parameters(name):
    head = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8").splitlines()[:12]
    assert head[0].startswith(f"# {name}:")
    assert any(line.startswith("# Question:") for line in head)
    assert any(line.startswith("# Parameters") for line in head)


def test_who_leads_in_baiyin(built_store):
    rows = run(built_store[0], "who-leads", region="白银市")
    assert len(rows) >= 50
    assert {r["region"] for r in rows} == {"白银市"}
    pension = [r for r in rows if r["commitment"] == "基本养老保险"]
    assert pension and pension[0]["agency"] == "白银市人力资源和社会保障局"
    assert pension[0]["level"] == "prefectural" and pension[0]["domain"] == "social_insurance"
    assert pension[0]["service"] == "基本养老保险"
    assert "市人社局牵头" in pension[0]["quote"]
    monitoring = next(r for r in rows if r["commitment"] == "加强监测评估")
    assert monitoring["supporting"] == "白银市统计局"
    # filters combine: education tasks only; a guarantee inside a task has that task's leads
    edu = run(built_store[0], "who-leads", region="白银市", domain="education")
    tasks = [r for r in edu if r["kind"] == "Task"]
    assert tasks and all(r["agency"] == "白银市教育局" for r in tasks)
    inner = [r for r in edu if r["kind"] == "ServiceGuarantee"]
    assert inner and all(r["quote"] and "牵头" in r["quote"] for r in inner)


def test_who_leads_lists_plan_level_duties(built_store):
    rows = run(built_store[0], "who-leads", region="山西省")
    plan_rows = [r for r in rows if r["kind"] == "Plan"]
    assert [r["agency"] for r in plan_rows] == ["山西省发展和改革委员会"]
    assert "終期評估" in plan_rows[0]["quote"]  # the quote is the source as written


def test_cross_level_by_function_orders_levels(built_store):
    rows = run(built_store[0], "cross-level", function="development_reform", service="*")
    levels = [int(r["levelRank"]) for r in rows]
    assert levels == sorted(levels)
    by_level = {(r["level"], r["agency"]) for r in rows}
    assert ("provincial", "上海市发展和改革委员会") in by_level
    assert ("prefectural", "白银市发展和改革委员会") in by_level
    baiyin = next(r for r in rows if r["agency"] == "白银市发展和改革委员会")
    assert "缩小城乡区域服务差距" in baiyin["leads"]


def test_cross_level_by_service(built_store):
    rows = run(built_store[0], "cross-level", service="义务教育")
    assert rows and {r["function"] for r in rows} == {"education"}
    assert any(r["agency"] == "白银市教育局" and "促进义务教育均衡发展" in r.get("leads", "") for r in rows)


def test_populations_by_service(built_store):
    rows = run(built_store[0], "populations-by-service", service="职业技能培训")
    pops = {(r["region"], r["population"]) for r in rows}
    # 白银: 开展贫困家庭子女、…农民工、失业人员…残疾人免费接受职业培训行动
    assert {("白银市", "农民工"), ("白银市", "失业人员"), ("白银市", "残疾人")} <= pops
    free = [r for r in rows if r["region"] == "白银市" and r["population"] == "残疾人"]
    assert free[0]["standard"] == "免费" and "免费接受职业培训" in free[0]["quote"]
    assert len(rows) == len({(r["g"], r["population"]) for r in rows})  # no duplicate rows


def test_services_by_population_includes_narrower_groups(built_store):
    rows = run(built_store[0], "services-by-population", population="残疾人")
    groups = {r["group"] for r in rows}
    assert "残疾人" in groups and groups & {"重度残疾人", "困难残疾人"}
    assert {"重度残疾人护理补贴", "困难残疾人生活补贴"} <= {r.get("service") for r in rows}


def test_region_comparison_side_by_side(built_store):
    rows = run(built_store[0], "region-comparison", service="义务教育")
    regions = {r["region"] for r in rows}
    assert {"白银市", "上海市", "山西省", "荆门市"} <= regions
    baiyin = next(r for r in rows if r["region"] == "白银市")
    assert baiyin["leads"] == "白银市教育局" and baiyin["domain"] == "education"
    assert all(int(r["commitments"]) >= 1 for r in rows)


def test_indicators_by_domain_target_and_baseline(built_store):
    rows = run(built_store[0], "indicators", region="荆门市", domain="education")
    assert rows and all(r["domain"] == "education" for r in rows)
    kinds = {r["kind"] for r in rows}
    assert "target" in kinds
    # 荆门: "实现全市“班班通”覆盖率95%以上" under 教育信息化建设
    bbt = next(r for r in rows if "班班通" in r["indicator"])
    assert (bbt["target"], bbt["unit"], bbt["comparator"], bbt["targetYear"]) == ("95", "%", ">=", "2020")
    assert bbt["commitment"] == "教育信息化建设"
    baseline = run(built_store[0], "indicators", region="荆门市", kind="baseline")
    assert baseline and all(r.get("baselineYear") for r in baseline)


def test_agency_portfolio(built_store):
    rows = run(built_store[0], "agency-portfolio", agency="白银市教育局")
    led = {r["commitment"] for r in rows if r["role"] == "lead"}
    assert {"促进义务教育均衡发展", "普及高中阶段教育", "发展普惠性学前教育", "加强人才培养培训"} <= led
    stats = run(built_store[0], "agency-portfolio", agency="白银市统计局")
    assert [(r["role"], r["commitment"]) for r in stats] == [("support", "加强监测评估")]


def test_bind_values_starts_declared_parameters_and_appends_the_others():
    q = bind_values("# Bind: region=?rl@zh-Hans { ?r rdfs:label ?rl . ?c pskg:planRegion ?r }\n"
                    "SELECT * WHERE { #bind\n  ?c ?p ?o }", ["region=白银市", "domain=education"])
    lines = q.splitlines()
    assert lines[2].strip() == 'VALUES (?rl) { ("白银市"@zh-Hans) } ?r rdfs:label ?rl . ?c pskg:planRegion ?r .'
    assert q.rstrip().endswith('VALUES (?domain) { ("education") }')
    # without a #bind marker, declared bindings open the WHERE clause
    q = bind_values("# Bind: agency=?al@zh-Hans\nSELECT * WHERE { ?a rdfs:label ?al }", ["agency=白银市教育局"])
    assert 'WHERE {\n  VALUES (?al) { ("白银市教育局"@zh-Hans) } ?a rdfs:label ?al' in q
    assert q.count("VALUES") == 1


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
def test_declared_bindings_give_the_rows_a_trailing_filter_gives(built_store, name):
    """A parameter bound where the query starts selects exactly the rows that binding it
    at the end (filtering the whole result) selects."""
    import re

    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    store = built_store[0]
    rows = store.select(text)
    for param, var in re.findall(r"^# Bind: (\w+)=\?(\w+)", text, flags=re.MULTILINE):
        column = param if rows and param in rows[0] else None
        if column is None:
            continue
        value = sorted({r[column] for r in rows})[0]
        bound = run(store, name, **{param: value})
        assert bound and len(bound) == sum(1 for r in rows if r[column] == value), (name, param, value)


def _rows_as_set(rows):
    """Rows compared as a multiset, each GROUP_CONCAT list read as a set (its order follows
    evaluation order, which paging changes)."""
    return sorted(tuple(sorted((k, "、".join(sorted(v.split("、")))) for k, v in r.items())) for r in rows)


PAGED = sorted(p.stem for p in QUERIES_DIR.glob("*.rq") if paging(p.read_text(encoding="utf-8")))


def test_the_large_named_queries_declare_pages():
    assert {"indicators", "who-leads", "services-by-population", "agency-counterparts", "owners-by-level"} <= set(PAGED)


@pytest.mark.parametrize("name", PAGED)
def test_pages_together_give_the_rows_of_the_whole_query(built_store, name):
    """Small pages of a paged named query, run one after another, give exactly the rows of the
    whole query; each page holds the rows of its own values only, so no row comes twice."""
    store = built_store[0]
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    pg = paging(text)
    total = int(store.select(pg.count_query())[0]["n"])
    size = max(1, total // 3)  # three or four pages
    pages = [store.select(pg.page(text, k, size)) for k in range(1, -(-total // size) + 2)]
    assert pages[-1] == []  # past the last page: nothing
    assert sum(bool(p) for p in pages) >= 2, name
    assert _rows_as_set([r for p in pages for r in p]) == _rows_as_set(store.select(text))


def test_paging_line_is_read_and_pages_start_at_one():
    text = ("# Page: ?plan 20 { ?plan a pskg:Plan ; rdfs:label ?t } ORDER BY ?t ?plan\n"
            "SELECT * WHERE { #bind\n  ?i pskg:ofPlan ?plan }")
    pg = paging(text)
    assert (pg.var, pg.size, pg.order) == ("plan", 20, "ORDER BY ?t ?plan")
    page3 = pg.page(text, 3)
    assert "LIMIT 20 OFFSET 40" in page3 and page3.index("SELECT DISTINCT ?plan") < page3.index("?i pskg:ofPlan")
    assert "LIMIT 5 OFFSET 0" in pg.page(text, 1, size=5)
    with pytest.raises(QueryTextError, match="numbered from 1"):
        pg.page(text, 0)
    assert paging("SELECT * WHERE { ?s ?p ?o }") is None


def test_a_page_line_for_bound_parameters_pages_within_their_values():
    """``# Page if NAMES:`` pages the query when exactly those parameters are bound; the
    page's values are selected with the bound parameters' VALUES and start patterns."""
    text = ("# Page: ?r 2 { ?r a pskg:Region }\n"
            "# Page if service: ?r 3 { ?e pskg:ofService ?s ; pskg:inRegion ?r }\n"
            "# Bind: service=?sl@zh-Hans { ?s skos:prefLabel ?sl }\n"
            "# Bind: region=?rl@zh-Hans { ?r rdfs:label ?rl }\n"
            "SELECT * WHERE { #bind\n  ?e pskg:inRegion ?r }")
    assert paging(text).size == 2
    pg = paging(text, ["service=义务教育"])
    assert (pg.var, pg.size) == ("r", 3)
    sub = pg.page(text, 2)
    assert ('SELECT DISTINCT ?r WHERE { VALUES (?sl) { ("义务教育"@zh-Hans) } ?s skos:prefLabel ?sl . '
            '?e pskg:ofService ?s ; pskg:inRegion ?r }') in sub and "LIMIT 3 OFFSET 3" in sub
    assert pg.count_query().startswith('SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { VALUES (?sl)')
    assert paging(text, ["region=白银市"]) is None  # no page line for region: every row at once
    assert paging(text, ["service=义务教育", "region=白银市"]) is None


def test_a_parameter_may_be_bound_in_several_language_forms_and_places():
    text = ("# Bind: service=?sl@zh-Hans| { ?s skos:prefLabel|skos:altLabel ?sl }\n"
            "SELECT * WHERE { { SELECT ?s WHERE { #bind\n ?s a ?t } } { SELECT ?s WHERE { #bind\n ?s ?p ?o } } }")
    q = bind_values(text, ["service=义务教育"])
    assert q.count('VALUES (?sl) { ("义务教育"@zh-Hans) ("义务教育") } ?s skos:prefLabel|skos:altLabel ?sl .') == 2


def test_owners_by_level_for_one_service_pages_through_its_regions(built_store):
    """owners-by-level with only a service bound runs a page of regions at a time; the pages
    together give the rows of the whole bound query."""
    store = built_store[0]
    text = (QUERIES_DIR / "owners-by-level.rq").read_text(encoding="utf-8")
    binding = ["service=义务教育"]
    pg = paging(text, binding)
    total = int(store.select(pg.count_query())[0]["n"])
    whole = store.select(bind_values(text, binding))
    assert total == len({r["region"] for r in whole}) > 2
    size = max(1, total // 3)
    pages = [store.select(bind_values(pg.page(text, k, size), binding)) for k in range(1, -(-total // size) + 2)]
    assert pages[-1] == [] and all(pages[:-1])
    assert _rows_as_set([r for p in pages for r in p]) == _rows_as_set(whole)
    assert {r["service"] for r in whole} == {"义务教育"}


def test_without_lateral_unwraps_nested_blocks():
    q = "SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL { ?o ?q ?r LATERAL { OPTIONAL { ?r ?x ?y } } } } }"
    assert without_lateral(q) == "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r OPTIONAL { ?r ?x ?y } } }"
    with pytest.raises(QueryTextError, match="not closed"):
        without_lateral("SELECT * WHERE { LATERAL { OPTIONAL { ?s ?p ?o }")


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
def test_the_portable_text_gives_the_same_rows(built_store, name):
    """Each named query in its portable form (LATERAL blocks as plain groups, GROUP_CONCAT
    separators and the ordering rewritten, for engines other than Oxigraph) gives the rows of
    the query as written; tests/test_virtuoso.py runs the same texts through Virtuoso."""
    store = built_store[0]
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    text_portable = portable(text)
    code = "\n".join(line for line in text_portable.splitlines() if not line.lstrip().startswith("#"))
    assert "LATERAL" not in code and text_portable.count("OPTIONAL") == text.count("OPTIONAL")
    assert _rows_as_set(store.select(text_portable)) == _rows_as_set(store.select(text))


def test_portable_separators_are_ascii_and_restored_afterwards():
    q = ('SELECT ?a (REPLACE(GROUP_CONCAT(DISTINCT STR(?l); separator="、"), "^、+|、+$", "") AS ?x)\n'
         '       (GROUP_CONCAT(?m; separator=" / ") AS ?y) (COUNT(?l) AS ?n) WHERE { ?a ?p ?l } GROUP BY ?a')
    out = ascii_separators(q)
    assert ('(REPLACE(REPLACE(GROUP_CONCAT(DISTINCT STR(?l); separator="\\u001F"), "^\\u001F+|\\u001F+$", ""), '
            '"\\u001F", "、") AS ?x)') in out
    assert '(GROUP_CONCAT(?m; separator=" / ") AS ?y) (COUNT(?l) AS ?n)' in out  # ASCII separators stay


def test_a_query_declares_its_own_portable_rewrites():
    q = ("# Portable: AS ?s) => AS ?sBound)\n# a comment that says AS ?s) stays\n"
         "SELECT * WHERE { { SELECT (?x AS ?s) WHERE { ?x ?p ?o } } }")
    out = declared_rewrites(q)
    assert out.splitlines()[1:] == ["# a comment that says AS ?s) stays", "SELECT * WHERE { { SELECT (?x AS ?sBound) WHERE { ?x ?p ?o } } }"]
    with pytest.raises(QueryTextError, match="finds nothing"):
        declared_rewrites("# Portable: ?nothing => ?else\nSELECT * WHERE { ?s ?p ?o }")


def test_portable_ordering_goes_outside_by_the_projected_keys():
    q = ("# a comment with a brace { and ORDER BY ?no\n"
         'SELECT DISTINCT ?a ?b (STR(?c) AS ?d) WHERE { ?a ?p ?b . ?b ?q ?c FILTER(?c != "}") }\n'
         "ORDER BY ?a DESC(?d) ?hidden\nLIMIT 5")
    out = order_outside(q)
    assert out.startswith("# a comment with a brace { and ORDER BY ?no\nSELECT ?a ?b ?d WHERE { {\nSELECT DISTINCT ?a ?b")
    assert out.rstrip().endswith("} }\nORDER BY ?a DESC(?d)\nLIMIT 5")
    assert order_outside("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 1 } }") == \
        "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 1 } }"  # no top-level ORDER BY
