"""Every explorer page, run with Streamlit's AppTest against a store of the bundled corpus."""
from __future__ import annotations

import pytest
from conftest import ROOT

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


def open_page(at, page: str, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(f"explorer/pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
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
    counterparts = app.dataframe[0].value
    assert "甘肃省发展和改革委员会" in " ".join(counterparts["agency_url"])
    assert "上级" in set(counterparts["direction"])


def test_service_page_shows_plans_populations_and_leads_across_regions(app):
    open_page(app, "entity", iri=COMPULSORY)
    assert app.header[0].value == "义务教育"
    plans, leads = app.dataframe[0].value, app.dataframe[1].value
    assert len(plans) >= 3
    assert any("随迁子女" in p for p in plans["populations"])
    agencies = " ".join(leads["agency_url"])
    assert "白银市教育局" in agencies
    assert "市级" in " ".join(leads["level"]) or "地市级" in " ".join(leads["level"])


def test_population_page_lists_services_and_broader_groups(app):
    open_page(app, "entity", iri=MIGRANT_WORKERS)
    assert app.header[0].value == "农民工"
    services = app.dataframe[0].value
    assert len(services) > 0
    assert "劳动者" in links(app)  # its broader group


def test_region_page_has_plans_agencies_and_parent(app):
    open_page(app, "entity", iri=BAIYIN)
    assert app.header[0].value == "白银市"
    assert "甘肃省" in links(app)
    plans, agencies = app.dataframe[0].value, app.dataframe[1].value
    assert len(plans) == 1
    assert "白银市教育局" in " ".join(agencies["agency_url"])


def test_plan_page_shows_outline_commitments_and_indicators(app, built_store):
    store, _ = built_store
    open_page(app, "entity", iri=plan_iri(store, "001"))
    assert "实施方案" in app.header[0].value
    expanders = [e.label for e in app.expander]
    assert any("基本公共教育" in label for label in expanders)
    assert any("促进义务教育均衡发展" in label for label in links(app))
    assert "甘肃省“十三五”推进基本公共服务均等化规划" in links(app)  # the plan it implements
    indicators = app.dataframe[-1].value
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
    assert len(app.dataframe[0].value) == 5
    assert len(app.main.get("download_button")) >= 4  # CSV + three exports


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
