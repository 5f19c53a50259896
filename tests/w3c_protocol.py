"""A runner for the W3C SPARQL 1.1 Protocol tests (the manifest in ../shared/w3c/protocol,
read as data) against a live endpoint.

Each test is a list of HTTP requests (method, path under /sparql/, headers, a body in a
given character encoding) with the expected status class (2xx/3xx/4xx) and, for some, the
result's format ("boolean", "tabular", "RDF") and the expected ASK answer. The query tests
need the graphs the manifest names (ut:graphData) in the store, each in a named graph
called by its label (``load_graph_data``); the update tests start by clearing the store.

    python tests/w3c_protocol.py --endpoint http://127.0.0.1:7878/ [--updates] [--path /sparql]
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.collection import Collection

MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "protocol" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json", "text/n3",
             "application/n-quads", "application/trig"}


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: set[str]  # "2", "3", "4", "5"
    fmt: str | None = None
    boolean: bool | None = None


@dataclass
class ProtocolTest:
    name: str  # the local name, e.g. query_post_form
    title: str
    requests: list[HttpRequest]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph name)

    @property
    def is_query(self) -> bool:
        return self.name.startswith(("query_", "bad_query")) or self.name == "bad_multiple_queries"


def load_manifest(path: Path = MANIFEST) -> list[ProtocolTest]:
    g = rdflib.Graph().parse(path, format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    tests = []
    for node in Collection(g, g.value(manifest, MF.entries)):
        name = str(node).rsplit("#", 1)[-1]
        action = g.value(node, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = [(str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue)))
                       for h in (Collection(g, g.value(req, HT.headers)) if g.value(req, HT.headers) else [])]
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {str(s)[len(HTS):][0] for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(HttpRequest(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                                        headers, body, statuses, str(fmt) if fmt is not None else None,
                                        boolean.toPython() if boolean is not None else None))
        data = [(path.parent / str(g.value(d, UT.graph)).rsplit("/", 1)[-1], str(g.value(d, rdflib.RDFS.label)))
                for d in g.objects(node, UT.graphData)]
        tests.append(ProtocolTest(name, str(g.value(node, MF.name)), requests, sorted(data)))
    return tests


def load_graph_data(store_dir: Path, tests: list[ProtocolTest]) -> None:
    """A pyoxigraph store with every graph the tests name, each in its named graph."""
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    for f, name in sorted({d for t in tests for d in t.graph_data}):
        store.load(path=str(f), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    del store


def _boolean(ctype: str, body: bytes) -> bool | None:
    if ctype == "application/sparql-results+json":
        return json.loads(body).get("boolean")
    if ctype == "application/sparql-results+xml":
        el = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if el is None else el.text.strip() == "true"
    return None


def run_test(endpoint: str, test: ProtocolTest, path: str = "/sparql/") -> tuple[bool, str]:
    """(passed, what went wrong) of one test against the endpoint's server (its base URL),
    with the manifest's /sparql/ replaced by ``path``."""
    u = urllib.parse.urlsplit(endpoint)
    for i, r in enumerate(test.requests, 1):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        target = path + r.path[len("/sparql/"):]
        try:
            conn.putrequest(r.method, target, skip_accept_encoding=True)
            for k, v in r.headers:
                conn.putheader(k, v)
            if r.body is not None:
                conn.putheader("Content-Length", str(len(r.body)))
            conn.endheaders(r.body)
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        where = f"request {i} ({r.method} {target[:60]})"
        if str(resp.status)[0] not in r.statuses:
            return False, f"{where}: status {resp.status}, expected {'/'.join(s + 'xx' for s in sorted(r.statuses))}: {body[:200]!r}"
        ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if r.fmt == "boolean" or r.boolean is not None:
            got = _boolean(ctype, body)
            if got is None:
                return False, f"{where}: no boolean result in {ctype!r}"
            if r.boolean is not None and got != r.boolean:
                return False, f"{where}: answer {got}, expected {r.boolean}"
        elif r.fmt == "tabular" and ctype not in RESULT_TYPES:
            return False, f"{where}: {ctype!r} is not a results format"
        elif r.fmt == "RDF" and ctype not in RDF_TYPES:
            return False, f"{where}: {ctype!r} is not an RDF format"
    return True, ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", required=True, help="the server's base URL (requests go to its /sparql/)")
    ap.add_argument("--updates", action="store_true", help="run the update tests (they clear the store)")
    ap.add_argument("--path", default="/sparql/", help="the endpoint's path, in place of the manifest's /sparql/")
    a = ap.parse_args()
    tests = [t for t in load_manifest() if t.is_query != a.updates]
    passed = 0
    for t in tests:
        ok, why = run_test(a.endpoint, t, a.path)
        passed += ok
        print(f"{'PASS' if ok else 'FAIL'} {t.name}{'' if ok else ': ' + why}")
    print(f"{passed} passed, {len(tests) - passed} failed")
    return 0 if passed == len(tests) else 1


if __name__ == "__main__":
    sys.exit(main())
