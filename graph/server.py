"""The HTTP side of `pskg serve`: SPARQL 1.1 Protocol, Graph Store Protocol (read),
dereferenceable IRIs, the ontology, VoID and a service description.

Routes
  /sparql                 query (GET, POST form or application/sparql-query); update (POST,
                          only with --allow-update); GET without a query: service description
  /rdf-graphs?graph=IRI   one named graph (?default: the union of all graphs)
  /id/PATH                303 See Other to /doc/PATH (the thing vs the document about it)
  /doc/PATH               the description of <BASE PATH>: HTML page or RDF, by Accept or ?format=
  /ontology, /vocabularies  the ontology and concept schemes (hash IRIs), HTML or RDF
  /ontology/context.jsonld  the JSON-LD context
  /.well-known/void       the VoID + DCAT description of the dataset
Every response carries CORS headers. All store access goes through the worker pool, so the
time limit and the size cap hold for every route.
"""
from __future__ import annotations

import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from . import conneg, pages
from .jsonld import CONTEXT_FILE, dumps as jsonld_dumps
from .ontology import ONTOLOGY_GRAPH, ONTOLOGY_IRI, VOCAB_GRAPH, VOCAB_IRI
from .sparql_pool import Job, PoolError, Reply, WorkerPool, error
from .terms import PREFIXES, RDF, base
from .void import dataset_iri, void_triples

MAX_BODY = 1_000_000  # bytes of a POSTed query or update
SEGMENT = r"[A-Za-z0-9_~!$&'()*+,;=:@.-]+"
DATA_PATH = re.compile(rf"^/(id|doc)/((?:{SEGMENT}/)*{SEGMENT})$")
VOCAB_DOCS = {"/ontology": (ONTOLOGY_IRI, [ONTOLOGY_GRAPH, VOCAB_GRAPH]), "/vocabularies": (VOCAB_IRI, [VOCAB_GRAPH])}
SD = "http://www.w3.org/ns/sparql-service-description#"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "Content-Type, Content-Location, Location",
    "Access-Control-Max-Age": "86400",
}


class App:
    """What the request handlers share: the pool, the settings, the cached VoID."""

    def __init__(self, pool: WorkerPool, base_url: str, allow_update: bool):
        self.pool, self.allow_update = pool, allow_update
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._void: list[ox.Triple] | None = None
        self._void_lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return self.base_url + "sparql"

    def void(self) -> list[ox.Triple]:
        with self._void_lock:
            if self._void is None:
                self._void = void_triples(self.pool.select, endpoint=self.endpoint)
            return self._void

    def updated(self) -> None:
        with self._void_lock:
            self._void = None

    def service_description(self) -> list[ox.Triple]:
        svc = ox.NamedNode(self.endpoint)
        a = ox.NamedNode(RDF + "type")

        def sd(local):
            return ox.NamedNode(SD + local)

        out = [ox.Triple(svc, a, sd("Service")), ox.Triple(svc, sd("endpoint"), svc),
               ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
               ox.Triple(svc, sd("feature"), sd("BasicFederatedQuery"))]
        if self.allow_update:
            out.append(ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Update")))
        formats = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                   "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
                   "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads"}
        for name in formats.values():
            out.append(ox.Triple(svc, sd("resultFormat"), ox.NamedNode("http://www.w3.org/ns/formats/" + name)))
        ds = ox.BlankNode()
        out += [ox.Triple(svc, sd("defaultDataset"), ds), ox.Triple(ds, a, sd("Dataset")),
                ox.Triple(ds, ox.NamedNode("http://rdfs.org/ns/void#inDataset"), dataset_iri())]
        return out


def rdf_reply(triples: list[ox.Triple], key: str) -> Reply:
    """Serialize triples held in memory (never a live query result: those stay in the workers)."""
    if key == "jsonld":
        body = jsonld_dumps(triples)
    else:
        body = ox.serialize(triples, format=conneg.rdf_format(key), prefixes=PREFIXES)
    return Reply(200, conneg.media_type(key), body)


def not_acceptable(accept: str | None) -> Reply:
    return error(406, f"cannot serve {accept!r}; available: " + ", ".join(conneg.RDF_TYPES.values()))


class Handler(BaseHTTPRequestHandler):
    server_version = "pskg"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    app: App  # set on the subclass made by make_server

    # ------------------------------------------------------------ plumbing
    def log_message(self, fmt, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(fmt, *args)

    def send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        headers = {**CORS, "Vary": "Accept", **reply.headers}
        if reply.content_type and reply.status != 204:
            headers["Content-Type"] = reply.content_type
        for k, v in headers.items():
            self.send_header(k, v)
        body = b"" if reply.status == 204 else reply.body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def one(self, params: dict, name: str) -> str | None:
        vals = params.get(name)
        return vals[0] if vals else None

    # ------------------------------------------------------------ methods
    def do_OPTIONS(self):
        self.send(Reply(204))

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.send(self.route_get(urlsplit(self.path).path, self.params()))

    def do_POST(self):
        path = urlsplit(self.path).path
        if path != "/sparql":
            return self.send(error(405, "POST is accepted at /sparql only"))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return self.send(error(400, "bad Content-Length"))
        if length > MAX_BODY:
            self.close_connection = True
            return self.send(error(413, f"request body over {MAX_BODY:,} bytes"))
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self.params()
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            return self.send(self.protocol_request(params))
        if ctype == "application/sparql-query":
            return self.send(self.protocol_request({**params, "query": [body]}))
        if ctype == "application/sparql-update":
            return self.send(self.protocol_request({**params, "update": [body]}))
        return self.send(error(415, "POST needs application/x-www-form-urlencoded, "
                                    "application/sparql-query or application/sparql-update"))

    # ------------------------------------------------------------ routes
    def route_get(self, path: str, params: dict) -> Reply:
        try:
            if path == "/sparql":
                if "update" in params:
                    return error(405, "an update must be POSTed")
                if "query" not in params:
                    return self.describe_service(params)
                return self.protocol_request(params)
            if path == "/rdf-graphs":
                return self.graph_store(params)
            if path == "/.well-known/void":
                key = conneg.negotiate(self.headers.get("Accept"), self.one(params, "format"), conneg.RDF)
                return rdf_reply(self.app.void(), key) if key else not_acceptable(self.headers.get("Accept"))
            if path == "/ontology/context.jsonld":
                return Reply(200, "application/ld+json", CONTEXT_FILE.read_bytes())
            if path in VOCAB_DOCS:
                return self.vocabulary(path, params)
            if path == "/":
                return Reply(200, "text/html; charset=utf-8", pages.page("pskg", self.home()).encode("utf-8"))
            if path.startswith(("/id/", "/doc/")):
                return self.data_resource(path, params)
            return error(404, f"nothing at {path}")
        except PoolError as e:
            return error(500, str(e))

    def home(self) -> str:
        return ("<h1>pskg</h1><p>Knowledge graph of Chinese public-service plans.</p><ul>"
                '<li><a href="/sparql">SPARQL endpoint</a> (<code>/sparql</code>)</li>'
                '<li><a href="/.well-known/void">dataset description (VoID, DCAT)</a></li>'
                '<li><a href="/ontology">ontology</a> · <a href="/vocabularies">concept schemes</a></li></ul>')

    def protocol_request(self, params: dict) -> Reply:
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) != 1:
            return error(400, "give exactly one query or one update")
        if updates:
            if not self.app.allow_update:
                return error(403, "updates are refused: this endpoint is read-only "
                                  "(start `pskg serve --allow-update` to accept them)")
            reply = self.app.pool.run(Job(updates[0], update=True))
            if reply.status == 204:
                self.app.updated()
            return reply
        accept, fmt = self.headers.get("Accept"), self.one(params, "format")
        if not conneg.acceptable_at_all(accept, fmt):
            return error(406, f"cannot serve {fmt or accept!r}; results: "
                         + ", ".join(conneg.RESULT_TYPES.values()) + "; graphs: " + ", ".join(conneg.RDF_TYPES.values()))
        try:
            job = Job(queries[0], accept=accept, format=fmt,
                      default_graphs=[ox.NamedNode(g).value for g in params.get("default-graph-uri", [])],
                      named_graphs=[ox.NamedNode(g).value for g in params.get("named-graph-uri", [])])
        except ValueError as e:
            return error(400, f"bad graph IRI: {e}")
        return self.app.pool.run(job)

    def describe_service(self, params: dict) -> Reply:
        key = conneg.negotiate(self.headers.get("Accept"), self.one(params, "format"), conneg.RDF)
        return rdf_reply(self.app.service_description(), key) if key else not_acceptable(self.headers.get("Accept"))

    def graph_store(self, params: dict) -> Reply:
        accept, fmt = self.headers.get("Accept"), self.one(params, "format")
        graphs = params.get("graph", [])
        if "default" in params and not graphs:
            where = "?s ?p ?o"
        elif len(graphs) == 1 and "default" not in params:
            try:
                g = ox.NamedNode(graphs[0])
            except ValueError as e:
                return error(400, f"bad graph IRI: {e}")
            if not self.app.pool.ask(f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}"):
                return error(404, f"no graph {g.value}")
            where = f"GRAPH {g} {{ ?s ?p ?o }}"
        else:
            return error(400, "give ?graph=IRI (one) or ?default")
        if not conneg.negotiate(accept, fmt, conneg.RDF):
            return not_acceptable(accept)
        return self.app.pool.run(Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", accept=accept, format=fmt))

    def data_resource(self, path: str, params: dict) -> Reply:
        m = DATA_PATH.match(path)
        if not m or any(seg in (".", "..") for seg in m.group(2).split("/")):
            return error(400, "not a data IRI path: only /id/ or /doc/ followed by plain path segments")
        kind, rest = m.groups()
        if kind == "id":
            target = "/.well-known/void" if base() + rest == dataset_iri().value else f"/doc/{rest}"
            return Reply(303, headers={"Location": self.app.base_url.rstrip("/") + target},
                         body=f"See {target}\n".encode())
        iri = ox.NamedNode(base() + rest)
        if not self.app.pool.ask(f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}"):
            return error(404, f"no resource {iri.value} in the graph")
        accept, fmt = self.headers.get("Accept"), self.one(params, "format")
        key = conneg.negotiate(accept, fmt, conneg.RDF, html=True)
        if key is None:
            return not_acceptable(accept)
        if key == "html":
            links = {k: f"/doc/{rest}?format={k}" for k in conneg.RDF_TYPES}
            html = pages.resource_page(iri.value, self.app.pool.bindings, links)
            return Reply(200, "text/html; charset=utf-8", html.encode("utf-8"),
                         headers={"Content-Location": f"/doc/{rest}?format=html"})
        q = (f"CONSTRUCT {{ {iri} ?p ?o . ?s ?q {iri} . ?ev ?ep ?eo }} WHERE {{ {{ {iri} ?p ?o }} "
             f"UNION {{ ?s ?q {iri} }} UNION {{ {iri} pskg:evidence ?ev . ?ev ?ep ?eo }} }}")
        reply = self.app.pool.run(Job(q, format=key))
        reply.headers["Content-Location"] = f"/doc/{rest}?format={key}"
        return reply

    def vocabulary(self, path: str, params: dict) -> Reply:
        doc_iri, graphs = VOCAB_DOCS[path]
        accept, fmt = self.headers.get("Accept"), self.one(params, "format")
        key = conneg.negotiate(accept, fmt, conneg.RDF, html=True)
        if key is None:
            return not_acceptable(accept)
        if key == "html":
            return Reply(200, "text/html; charset=utf-8",
                         pages.vocabulary_page(doc_iri, graphs, self.app.pool.bindings).encode("utf-8"))
        values = " ".join(f"<{g}>" for g in graphs)
        return self.app.pool.run(Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} "
                                     "GRAPH ?g { ?s ?p ?o } }", format=key))


def make_server(pool: WorkerPool, host: str, port: int, base_url: str | None = None,
                allow_update: bool = False, quiet: bool = False) -> ThreadingHTTPServer:
    app = App(pool, base_url or f"http://{host}:{port}/", allow_update)
    handler = type("PskgHandler", (Handler,), {"app": app})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    httpd.quiet = quiet
    if base_url is None and port == 0:
        app.base_url = f"http://{host}:{httpd.server_address[1]}/"
    return httpd


def _stop(signum, frame):
    raise KeyboardInterrupt


def serve(store, host: str, port: int, base_url: str | None, workers: int, timeout: float,
          max_bytes: int, allow_update: bool, quiet: bool = False) -> int:
    pool = WorkerPool(store, workers=workers, timeout=timeout, max_bytes=max_bytes, writable=allow_update)
    httpd = make_server(pool, host, port, base_url, allow_update, quiet)
    signal.signal(signal.SIGTERM, _stop)
    mode = "read-write (single writer)" if allow_update else "read-only"
    print(f"pskg serve: {httpd.server_address[0]}:{httpd.server_address[1]}  endpoint {httpd.RequestHandlerClass.app.endpoint}"
          f"  store {store} ({mode}), {pool.size} workers, time limit {timeout:g} s, "
          f"result cap {max_bytes:,} bytes", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        pool.close()
    print("pskg serve: stopped", file=sys.stderr)
    return 0
