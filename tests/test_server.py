"""`pskg serve` as a real server process: SPARQLWrapper for the result formats, raw HTTP for
the protocol's edge cases, dereferencing, VoID, the limits, and the scorer over HTTP."""
from __future__ import annotations

import csv
import io
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from conftest import ROOT, run_cli, start_server, stop_server
from endpoint_support import scorer_runs

PSKG = "https://w3id.org/pskg/ontology#"
PLAN = "https://w3id.org/pskg/id/plan/001_a6579b1a56d4ceb4"
TIME_LIMIT = 1.5
CAP = 2_000_000
PLANS = ("SELECT ?plan ?title WHERE { ?plan a pskg:Plan ; pskg:sourceFile ?f OPTIONAL { ?plan dct:title ?title } } "
         "ORDER BY ?plan")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(built_store):
    store, _ = built_store
    proc, base = start_server(store.path, "--timeout", str(TIME_LIMIT), "--max-result-bytes", str(CAP))
    yield base
    stop_server(proc)


@pytest.fixture(scope="module")
def default_server(built_store):
    """The endpoint with the default time limit and a 1 GB result cap: the scorer's
    target-population query returns ~260,000 rows (labels × quotes × service labels)."""
    store, _ = built_store
    proc, base = start_server(store.path, "--max-result-bytes", "1000000000")
    yield base
    stop_server(proc)


@pytest.fixture(scope="module")
def writable_server(built_store, tmp_path_factory):
    store, _ = built_store
    copy = tmp_path_factory.mktemp("rw") / "store"
    shutil.copytree(store.path, copy)
    proc, base = start_server(copy, "--allow-update")
    yield base
    stop_server(proc)


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one request; redirects are not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def sparql(base: str, query: str, accept: str = "application/sparql-results+json", **params):
    url = base + "sparql?" + urllib.parse.urlencode({"query": query, **params})
    return http(url, headers={"Accept": accept})


def wrapper(base: str, query: str, fmt: str) -> SPARQLWrapper:
    w = SPARQLWrapper(base + "sparql")
    w.setQuery("PREFIX pskg: <https://w3id.org/pskg/ontology#> PREFIX dct: <http://purl.org/dc/terms/>\n" + query)
    w.setReturnFormat(fmt)
    return w


# ----------------------------------------------------------------- SPARQLWrapper, every format
def expected_plans(built_store) -> list[tuple[str, str]]:
    store, _ = built_store
    return [(r["plan"], r.get("title", "")) for r in store.select(PLANS)]


def test_select_json_and_xml_with_sparqlwrapper(server, built_store):
    want = expected_plans(built_store)
    assert len(want) == 5
    res = wrapper(server, PLANS, JSON).query().convert()
    assert [(b["plan"]["value"], b.get("title", {}).get("value", "")) for b in res["results"]["bindings"]] == want
    doc = wrapper(server, PLANS, XML).query().convert()  # an xml.dom document
    ns = "http://www.w3.org/2005/sparql-results#"
    got = []
    for result in doc.getElementsByTagNameNS(ns, "result"):
        vals = {b.getAttribute("name"): b.firstChild.firstChild.data if b.firstChild.firstChild else ""
                for b in result.getElementsByTagNameNS(ns, "binding")}
        got.append((vals["plan"], vals.get("title", "")))
    assert got == want


@pytest.mark.parametrize("fmt,delim", [(CSV, ","), (TSV, "\t")])
def test_select_csv_and_tsv_with_sparqlwrapper(server, built_store, fmt, delim):
    want = expected_plans(built_store)
    raw = wrapper(server, PLANS, fmt).query().convert()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=delim))
    if fmt == CSV:
        assert rows[0] == ["plan", "title"] and [tuple(r) for r in rows[1:]] == want
    else:  # TSV cells are RDF terms in Turtle syntax; titles may hold escaped line breaks
        assert rows[0] == ["?plan", "?title"] and [r[0] for r in rows[1:]] == [f"<{p}>" for p, _ in want]


def test_ask_with_sparqlwrapper(server):
    assert wrapper(server, f"ASK {{ <{PLAN}> a pskg:Plan }}", JSON).query().convert()["boolean"] is True
    assert wrapper(server, "ASK { <http://example.org/none> ?p ?o }", JSON).query().convert()["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_with_sparqlwrapper(server, built_store, fmt):
    store, _ = built_store
    q = f"CONSTRUCT {{ <{PLAN}> ?p ?o }} WHERE {{ <{PLAN}> ?p ?o }}"
    want = len(store.select(f"SELECT DISTINCT ?p ?o WHERE {{ <{PLAN}> ?p ?o }}"))
    res = wrapper(server, q, fmt).query().convert()
    g = res if isinstance(res, rdflib.Graph) else rdflib.Graph().parse(data=res, format="turtle")
    assert len(g) == want > 10
    assert (rdflib.URIRef(PLAN), rdflib.RDF.type, rdflib.URIRef(PSKG + "Plan")) in g


@pytest.mark.parametrize("accept,fmt", [("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/trig", ox.RdfFormat.TRIG),
                                        ("application/n-quads", ox.RdfFormat.N_QUADS)])
def test_construct_other_rdf_formats(server, accept, fmt):
    status, headers, body = sparql(server, f"DESCRIBE <{PLAN}>", accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert any(q.subject == ox.NamedNode(PLAN) for q in ox.parse(body, format=fmt))


# ----------------------------------------------------------------- protocol edge cases
def test_post_form_and_direct_bodies(server):
    form = urllib.parse.urlencode({"query": PLANS}).encode()
    s1, _, b1 = http(server + "sparql", form, {"Content-Type": "application/x-www-form-urlencoded",
                                               "Accept": "application/sparql-results+json"})
    s2, _, b2 = http(server + "sparql", PLANS.encode(), {"Content-Type": "application/sparql-query",
                                                         "Accept": "application/sparql-results+json"})
    s3, _, b3 = sparql(server, PLANS)
    assert s1 == s2 == s3 == 200 and b1 == b2 == b3
    assert len(json.loads(b1)["results"]["bindings"]) == 5
    status, _, body = http(server + "sparql", b"x", {"Content-Type": "text/plain"})
    assert status == 415


def test_format_parameter_overrides_accept(server):
    status, headers, body = sparql(server, PLANS, accept="application/sparql-results+xml", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.startswith(b"plan,title")


def test_malformed_query_is_400_with_parser_message(server):
    status, _, body = sparql(server, "SELECT ?x WHERE { ?x ")
    assert status == 400
    assert b"malformed query" in body and b"error at 1:" in body


def test_unknown_accept_is_406(server):
    status, _, _ = sparql(server, PLANS, accept="image/png")
    assert status == 406
    status, _, _ = sparql(server, f"CONSTRUCT WHERE {{ <{PLAN}> a ?t }}", accept="text/csv")
    assert status == 406


def test_cors(server):
    status, headers, _ = http(server + "sparql", method="OPTIONS",
                              headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    _, headers, _ = sparql(server, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_service_description(server):
    status, headers, body = http(server + "sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    svc = rdflib.URIRef(server + "sparql")
    assert (svc, rdflib.RDF.type, sd.Service) in g
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (svc, sd.supportedLanguage, sd.SPARQL11Update) not in g
    assert (svc, sd.feature, sd.UnionDefaultGraph) in g


# ----------------------------------------------------------------- security and limits
def test_updates_are_refused(server, built_store):
    upd = "INSERT DATA { <http://example.org/x> <http://example.org/p> 1 }"
    s1, _, b1 = http(server + "sparql", upd.encode(), {"Content-Type": "application/sparql-update"})
    s2, _, _ = http(server + "sparql", urllib.parse.urlencode({"update": upd}).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"})
    assert s1 == s2 == 403 and b"read-only" in b1
    _, _, body = sparql(server, "ASK { <http://example.org/x> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_slow_query_is_cut_and_the_server_keeps_answering(server):
    t = time.perf_counter()
    status, _, body = sparql(server, SLOW)
    took = time.perf_counter() - t
    assert status == 503 and b"time limit" in body
    assert TIME_LIMIT <= took < TIME_LIMIT + 2
    t = time.perf_counter()
    status, _, _ = sparql(server, PLANS)
    assert status == 200 and time.perf_counter() - t < 1.0


def test_huge_result_is_capped(server):
    status, _, body = sparql(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 500 and b"cap" in body
    status, _, body = http(server + "rdf-graphs?default", headers={"Accept": "application/ld+json"})
    assert status == 500 and b"cap" in body
    status, _, body = sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1000


@pytest.mark.parametrize("path", ["/id/../etc/passwd", "/id/plan/../../x", "/id/plan/%2e%2e/x", "/id/plan%2F..%2Fx",
                                  "/id/plan/a%00b", "/id/plan/a%0Ab", "/id//plan", "/id/", "/id/plan/x%3Cscript%3E",
                                  "/doc/plan/..", "/doc/plan\\..\\x", "/id/plan/%E5%8C%97"])
def test_path_traversal_and_odd_iris_are_refused(server, path):
    status, _, _ = http(server + path.lstrip("/"))
    assert status in (400, 404)


def test_unknown_resource_is_404(server):
    assert http(server + "doc/plan/no-such-plan")[0] == 404


def test_html_escapes_literals(writable_server):
    iri = "https://w3id.org/pskg/id/test/xss"
    upd = (f'INSERT DATA {{ GRAPH <https://w3id.org/pskg/graph/test> {{ <{iri}> rdfs:label '
           f'"<script>alert(1)</script>"@zh-Hans ; rdfs:comment "a & b \\"q\\"" }} }}')
    status, _, body = http(writable_server + "sparql", upd.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 204, body
    status, headers, body = http(writable_server + "doc/test/xss", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "a &amp; b &quot;q&quot;" in html


def test_updates_with_allow_update_are_visible_to_queries(writable_server):
    status, headers, _ = http(writable_server + "sparql", headers={"Accept": "text/turtle"})
    assert b"SPARQL11Update" in _
    upd = "INSERT DATA { GRAPH <https://w3id.org/pskg/graph/test> { <http://example.org/a> a pskg:Plan } }"
    assert http(writable_server + "sparql", upd.encode(), {"Content-Type": "application/sparql-update"})[0] == 204
    _, _, body = sparql(writable_server, "ASK { <http://example.org/a> a pskg:Plan }")
    assert json.loads(body)["boolean"] is True
    status, _, body = http(writable_server + "sparql", b"INSERT DATA { <x", {"Content-Type": "application/sparql-update"})
    assert status == 400 and b"malformed update" in body


# ----------------------------------------------------------------- linked data
def test_data_iri_redirects_to_its_document(server):
    status, headers, _ = http(server + "id/plan/001_a6579b1a56d4ceb4", headers={"Accept": "text/turtle"})
    assert status == 303 and headers["Location"] == server + "doc/plan/001_a6579b1a56d4ceb4"


def test_document_in_rdf_formats(server, built_store):
    store, _ = built_store
    status, headers, body = http(server + "doc/plan/001_a6579b1a56d4ceb4", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert headers["Content-Location"].endswith("?format=turtle")
    triples = {q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    out = {ox.Triple(q.subject, q.predicate, q.object)
           for q in store.store.quads_for_pattern(ox.NamedNode(PLAN), None, None)}
    assert out <= triples  # every outgoing statement
    assert any(t.object == ox.NamedNode(PLAN) for t in triples)  # and incoming ones
    status, headers, body = http(server + "doc/plan/001_a6579b1a56d4ceb4?format=jsonld")
    doc = json.loads(body)
    assert doc["@context"]["Plan"] == "pskg:Plan"
    assert {q.triple for q in ox.parse(body, format=ox.RdfFormat.JSON_LD)} == triples


def test_document_as_html_page(server):
    evidence_holder = "/doc/agency/620400-education-3d5fadef"
    status, headers, body = http(server + evidence_holder.lstrip("/"), headers={"Accept": "text/html,*/*;q=0.8"})
    html = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>白银市教育局</h1>" in html
    assert 'href="/ontology#Agency"' in html  # its type, linked
    assert 'href="/id/region/620400"' in html  # a neighbour, linked by its local path
    assert "<h2>Evidence</h2>" in html and "<blockquote>市教育局</blockquote>" in html


def test_ontology_is_served(server):
    status, _, body = http(server + "ontology", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(PSKG + "Plan"), rdflib.RDF.type, rdflib.OWL.Class) in g
    assert (rdflib.URIRef(PSKG + "domain-education"), None, None) in g  # the concept schemes too
    status, _, body = http(server + "ontology", headers={"Accept": "text/html"})
    assert status == 200 and 'id="Plan"' in body.decode("utf-8")
    status, headers, body = http(server + "ontology/context.jsonld")
    assert status == 200 and "@context" in json.loads(body)


def test_graph_store_protocol_read(server, built_store):
    store, _ = built_store
    buf = io.BytesIO()
    store.export("ntriples", buf, graph=PLAN)
    want = set(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_TRIPLES))
    url = server + "rdf-graphs?" + urllib.parse.urlencode({"graph": PLAN})
    status, headers, body = http(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) == want
    missing = server + "rdf-graphs?" + urllib.parse.urlencode({"graph": "https://w3id.org/pskg/id/plan/none"})
    assert http(missing)[0] == 404
    assert http(server + "rdf-graphs?graph=not%20an%20iri%3E")[0] == 400
    assert http(server + "rdf-graphs")[0] == 400


def test_void_description(server, built_store):
    store, _ = built_store
    status, _, body = http(server + ".well-known/void", headers={"Accept": "text/turtle"})
    assert status == 200
    g = rdflib.Graph().parse(data=body, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef("https://w3id.org/pskg/id/dataset")
    assert int(g.value(ds, void.triples)) == len(store)
    assert (ds, void.sparqlEndpoint, rdflib.URIRef(server + "sparql")) in g
    assert (ds, rdflib.DCTERMS.license, None) in g
    per_class = {str(g.value(p, void["class"])): int(g.value(p, void.entities)) for p in g.objects(ds, void.classPartition)}
    counts = {r["c"]: int(r["n"]) for r in store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}
    assert per_class == counts and per_class[PSKG + "Plan"] == 10
    graphs = {str(g.value(s, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name")))
              for s in g.objects(ds, void.subset)}
    assert graphs == set(store.named_graphs())
    assert len(set(g.objects(ds, rdflib.DCTERMS.source))) == 5
    status, headers, _ = http(server + "id/dataset")
    assert status == 303 and headers["Location"].endswith("/.well-known/void")


# ----------------------------------------------------------------- the scorer over HTTP
SHARED = ROOT.parent / "shared"


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="shared/eval not beside the repository")
def test_scorer_over_the_endpoint_matches_the_file_run(default_server, built_store, tmp_path):
    by_file, by_http = scorer_runs(built_store[0], tmp_path, default_server + "sparql", SHARED, timeout=300)
    assert by_file.returncode == by_http.returncode == 0, by_http.stderr
    assert "documents:" in by_file.stdout
    assert by_http.stdout == by_file.stdout


# ----------------------------------------------------------------- export
def test_cli_export_includes_void_and_jsonld_uses_the_context(built_store, tmp_path):
    store, _ = built_store
    out = tmp_path / "g.jsonld"
    r = run_cli("export", "--store", str(store.path), "--format", "jsonld", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == context
    graphs = {n["@id"] for n in doc["@graph"]}
    assert "https://w3id.org/pskg/graph/void" in graphs
    quads = list(ox.parse(out.read_bytes(), format=ox.RdfFormat.JSON_LD))
    assert len(quads) == len(store)  # the store holds its VoID description (graph .../graph/void)
    r = run_cli("export", "--store", str(store.path), "--format", "nquads", "--no-void")
    assert r.returncode == 0 and "graph/void" not in r.stdout


# ----------------------------------------------------------------- content negotiation, in-process
@pytest.mark.parametrize("accept,fmt,kind,html,want", [
    ("text/csv;q=0.5, application/sparql-results+xml", None, "results", False, "xml"),
    ("application/sparql-results+json;q=0, text/csv", None, "results", False, "csv"),
    ("text/*", None, "results", False, "csv"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", None, "rdf", True, "html"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", None, "rdf", False, "turtle"),
    (None, None, "results", False, "json"),
    ("application/sparql-results+json", "json-ld", "rdf", False, "jsonld"),  # SPARQLWrapper's format names
    ("application/rdf+xml", "json", "rdf", False, "rdfxml"),  # a parameter of the other kind is ignored
    ("image/png", None, "results", False, None),
    ("application/sparql-results+json", None, "rdf", False, None),
])
def test_negotiation(accept, fmt, kind, html, want):
    from graph.conneg import negotiate

    assert negotiate(accept, fmt, kind, html=html) == want
