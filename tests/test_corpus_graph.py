"""The graph of the bundled corpus: evidence, plan metadata, agencies, regions, determinism."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from conftest import CORPUS, run_cli


def test_every_evidence_quote_is_the_exact_source_span(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?file ?s ?e ?q WHERE { ?ev a pskg:Evidence ; pskg:sourceDocument ?p ;
        pskg:charStart ?s ; pskg:charEnd ?e ; pskg:quote ?q . ?p pskg:sourceFile ?file }""")
    assert len(rows) > 300
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for r in rows:
        s, e = int(r["s"]), int(r["e"])
        assert e > s
        assert texts[r["file"]][s:e] == r["q"]


def test_every_plan_graph_fact_has_evidence(built_store):
    store, _ = built_store
    missing = store.select("""SELECT ?x WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f .
        GRAPH ?p { ?x a ?c . FILTER(?c IN (pskg:Agency, pskg:Section)) FILTER NOT EXISTS { ?x pskg:evidence ?ev } } }""")
    assert missing == []
    for prop in ("dct:title", "pskg:jurisdiction", "pskg:implements"):
        rows = store.select(f"""SELECT ?p WHERE {{ ?p pskg:sourceFile ?f ; {prop} ?v .
            FILTER NOT EXISTS {{ ?p pskg:evidence ?ev . ?ev pskg:property {prop} }} }}""")
        assert rows == [], prop


def _plan(store, stem):
    rows = store.select(f"""SELECT ?title ?code ?level ?num ?issued ?issuer WHERE {{
        ?p pskg:sourceFile "{stem}.txt" .
        OPTIONAL {{ ?p dct:title ?title }} OPTIONAL {{ ?p pskg:documentNumber ?num }}
        OPTIONAL {{ ?p dct:issued ?issued }} OPTIONAL {{ ?p pskg:issuedBy/rdfs:label ?issuer }}
        OPTIONAL {{ ?p pskg:jurisdiction ?r . ?r pskg:divisionCode ?code ; pskg:level/skos:notation ?level }} }}""")
    assert len(rows) == 1, rows
    return rows[0]


def test_provincial_plan_with_title_only(built_store):
    p = _plan(built_store[0], "000_d6c6a4d0aa48d11c")
    assert p["title"] == "山西省“十三五”基本公共服務均等化規劃"  # as written, pinyin dropped
    assert (p["code"], p["level"]) == ("140000", "provincial")
    assert "num" not in p and "issuer" not in p


def test_jurisdiction_inferred_from_content_when_there_is_no_header(built_store):
    p = _plan(built_store[0], "004_a935d46978e3f922")
    assert (p["code"], p["level"]) == ("330000", "provincial")
    assert "title" not in p


def test_municipal_plan_metadata_from_its_notice(built_store):
    p = _plan(built_store[0], "003_a32ecd13fd3eabd8")
    assert p["num"].endswith("〔2016〕104號")
    assert p["issued"] == "2016-12-21" and p["issuer"] == "上海市人民政府"
    assert (p["code"], p["level"]) == ("310000", "provincial")


def test_agencies_have_one_level_function_and_region(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?a (COUNT(DISTINCT ?l) AS ?nl) (COUNT(DISTINCT ?f) AS ?nf) (COUNT(DISTINCT ?r) AS ?nr)
        WHERE { ?a a pskg:Agency . OPTIONAL { ?a pskg:level ?l } OPTIONAL { ?a pskg:function ?f }
                OPTIONAL { ?a pskg:jurisdiction ?r } } GROUP BY ?a""")
    assert len(rows) >= 30
    for r in rows:
        assert (r["nl"], r["nf"], r["nr"]) == ("1", "1", "1"), r


def test_agency_counterparts_across_levels(built_store):
    """白银市发展和改革委员会 sits under 甘肃省发展和改革委员会 through the region hierarchy."""
    store, _ = built_store
    rows = store.select("""SELECT ?lower ?upper WHERE {
        ?a pskg:function pskg:function-development-reform ; rdfs:label ?lower ; pskg:jurisdiction ?ra .
        ?b pskg:function pskg:function-development-reform ; rdfs:label ?upper ; pskg:jurisdiction ?rb .
        ?ra pskg:partOf+ ?rb }""")
    assert {"lower": "白银市发展和改革委员会", "upper": "甘肃省发展和改革委员会"} in rows


def test_named_regions_link_into_the_gazetteer(built_store):
    store, _ = built_store
    rows = store.select("""SELECT DISTINCT ?code ?parent WHERE { ?p pskg:sourceFile "002_aab9be7ad895d433.txt" ;
        pskg:mentions ?r . ?r a pskg:Region ; pskg:divisionCode ?code ; pskg:partOf/pskg:divisionCode ?parent }""")
    pairs = {(r["code"], r["parent"]) for r in rows}
    assert ("420800", "420000") in pairs  # 荆门市 in 湖北省


def test_two_builds_export_identical_nquads(tmp_path):
    outs = []
    for i in (1, 2):
        store = tmp_path / f"s{i}"
        assert run_cli("build", "--store", str(store)).returncode == 0
        out = tmp_path / f"g{i}.nq"
        r = run_cli("export", "--store", str(store), "--format", "nquads", "-o", str(out))
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 1_000_000
    # graph by graph, each graph's statements sorted
    by_graph: dict[str, list[str]] = {}
    for line in outs[0].decode("utf-8").splitlines():
        by_graph.setdefault(line.rsplit(" ", 2)[-2], []).append(line)
    assert list(by_graph) == sorted(by_graph)
    assert all(lines == sorted(lines) for lines in by_graph.values())


@pytest.mark.parametrize("fmt,parse", [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
                                       ("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                                       ("jsonld", ox.RdfFormat.JSON_LD), ("rdfxml", ox.RdfFormat.RDF_XML)])
def test_export_formats_parse_back(built_store, fmt, parse):
    store, _ = built_store
    buf = io.BytesIO()
    store.export(fmt, buf)
    quads = list(ox.parse(buf.getvalue(), format=parse))
    if fmt in ("nquads", "trig", "jsonld"):
        assert len(quads) == len(store)
    else:
        assert 0 < len(quads) <= len(store)


def test_export_one_plan(built_store, tmp_path):
    store, _ = built_store
    from graph.terms import plan_iri

    buf = io.BytesIO()
    store.export("nquads", buf, graph=plan_iri("002_aab9be7ad895d433.txt").value)
    graphs = {q.graph_name.value for q in ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS)}
    assert graphs == {plan_iri("002_aab9be7ad895d433.txt").value}


def test_every_pskg_term_used_is_declared_in_the_ontology(built_store):
    store, _ = built_store
    undeclared = store.select("""SELECT DISTINCT ?t WHERE {
        { ?s ?t ?o } UNION { ?s a ?t }
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/pskg/ontology#"))
        FILTER NOT EXISTS { GRAPH <https://w3id.org/pskg/graph/ontology> { ?t a ?kind } } }""")
    assert undeclared == []
