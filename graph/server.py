"""The application of `pskg serve`: SPARQL 1.1 Protocol, Graph Store Protocol (read),
dereferenceable IRIs, the ontology, VoID and a service description.

Routes (under the path of ``--base-url``, e.g. /pskg/, when the server sits behind a
path-prefix proxy; requests may come with or without that prefix)
  /sparql, /sparql/       query (GET, POST form or application/sparql-query); update (POST,
                          only with --allow-update); GET without a query: service description
  /rdf-graphs?graph=IRI   one named graph (?default: the union of all graphs)
  /id/PATH                303 See Other to /doc/PATH (the thing vs the document about it)
  /doc/PATH               the description of <BASE PATH>: HTML page or RDF, by Accept or ?format=
  /ontology, /vocabularies  the ontology and concept schemes (hash IRIs), HTML or RDF
  /ontology/context.jsonld  the JSON-LD context
  /.well-known/void       the VoID + DCAT description of the dataset

Every response carries CORS headers and ``X-Content-Type-Options: nosniff``. Successful
reads carry a strong ETag made of the store version and the request, Last-Modified (when
the version was built) and Cache-Control; a matching If-None-Match (or If-Modified-Since)
gets 304 without running anything, bodies of 1 KB or more are gzipped for clients that
accept it, and recent responses are kept in memory per store version (graph/http_cache.py).
All store access goes through the worker pool (graph/sparql_pool.py), so its limits hold
for every route. graph/serve.py starts it all as a process.
"""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox

from . import conneg, pages
from .form import parse_params
from .http_cache import HttpCaching, accepts_gzip, gzip_body
from .http_front import Limits, Request, Response
from .jsonld import CONTEXT_FILE, dumps as jsonld_dumps
from .ontology import ONTOLOGY_GRAPH, ONTOLOGY_IRI, VOCAB_GRAPH, VOCAB_IRI
from .sparql_pool import Job, PoolError, Reply, WorkerPool, error
from .sparql_text import has_own_dataset, remote_targets
from .terms import PREFIXES, RDF, RDFS, base
from .void import dataset_iri, void_triples

SEGMENT = r"[A-Za-z0-9_~!$&'()*+,;=:@.-]+"
DATA_PATH = re.compile(rf"^/(id|doc)/((?:{SEGMENT}/)*{SEGMENT})$")
VOCAB_DOCS = {"/ontology": (ONTOLOGY_IRI, [ONTOLOGY_GRAPH, VOCAB_GRAPH]), "/vocabularies": (VOCAB_IRI, [VOCAB_GRAPH])}
SD = "http://www.w3.org/ns/sparql-service-description#"
PREFLIGHT_HEADERS = ["Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
                     "Content-Type", "If-Modified-Since", "If-None-Match", "X-Requested-With"]
CORS = [("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers", "Content-Type, Content-Location, Location, ETag, Last-Modified, Retry-After")]
PREFLIGHT = [("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"), ("Access-Control-Max-Age", "86400")]
SPARQL_METHODS, READ_METHODS = "GET, HEAD, POST, OPTIONS", "GET, HEAD, OPTIONS"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Config:
    base_url: str
    allow_update: bool = False
    allow_service: list[str] = field(default_factory=list)
    max_age: int = 60  # seconds clients and proxies may reuse a read (no-cache with --allow-update)
    cache_bytes: int = 64 * 2**20  # responses kept per store version (0: none)
    cache_item_bytes: int = 1 * 2**20

    @property
    def root(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


class Unavailable(Exception):
    pass


def rdf_reply(triples: list[ox.Triple], key: str) -> Reply:
    """Serialize triples held in memory (never a live query result: those stay in the workers)."""
    if key == "jsonld":
        body = jsonld_dumps(triples)
    else:
        body = ox.serialize(triples, format=conneg.rdf_format(key), prefixes=PREFIXES)
    return Reply(200, conneg.media_type(key), body)


def not_acceptable(accept: str | None) -> Reply:
    return error(406, f"cannot serve {accept!r}; available: " + ", ".join(conneg.RDF_TYPES.values()))


def decode_params(qs: str) -> dict[str, list[str]]:
    """Query-string or form parameters; percent-escapes must decode to UTF-8 (400 otherwise)."""
    try:
        return parse_params(qs)
    except UnicodeDecodeError:
        raise BadRequest("parameters must be percent-encoded UTF-8") from None


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, **headers):
        super().__init__(message)
        self.status, self.headers = status, headers


def media_type_and_charset(ctype: str | None) -> tuple[str, str | None]:
    if not ctype:
        return "", None
    fields = [f.strip() for f in ctype.split(";")]
    charset = None
    for f in fields[1:]:
        k, _, v = f.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip('"').lower()
    return fields[0].lower(), charset


class App:
    """The routes, over the worker pool. Called once per request by the HTTP front."""

    def __init__(self, pool: WorkerPool, config: Config, limits: Limits):
        self.pool, self.config, self.limits = pool, config, limits
        self.root = config.root
        self.http = HttpCaching(config.cache_bytes, config.cache_item_bytes, config.max_age, config.allow_update)
        self._void: dict[str, list[ox.Triple]] = {}
        self._threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pskg-page")
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def endpoint(self) -> str:
        return self.config.base_url + "sparql"

    # ------------------------------------------------------------ entry
    def split(self, req: Request) -> tuple[str, str]:
        """(route path without the public URL's path prefix, query string) of a request."""
        target = req.target
        if target.startswith(("http://", "https://")):  # absolute-form
            parts = urlsplit(target)
            target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        path, _, qs = target.partition("?")
        if self.root != "/" and (path + "/").startswith(self.root):
            path = "/" + path[len(self.root):]
        return path, qs

    @staticmethod
    def request_key(req: Request) -> tuple:
        """What a read's response depends on, as sent (so a repeated request is found before
        anything is decoded)."""
        post = req.method == "POST"
        return (req.target, req.header("content-type") if post else None, req.header("accept"),
                req.body if post else b"", post)

    def fast(self, req: Request) -> Response | None:
        """A response from the cache, without waiting, or None (then ``__call__`` answers)."""
        if req.method not in ("GET", "HEAD", "POST"):
            return None
        version = self.pool.version
        if version is None:
            return None
        if not self.http.knows(version):
            return None  # the first request of a version takes the slow path, which remembers it
        key = (version.id,) + self.request_key(req)
        entry = self.http.cache.get(key)
        if entry is None:
            return self.quick_read(req, key[1:])
        if self.http.not_modified(req, key, version):
            return self.build(req, Reply(304), key, None)
        gz = self.http.wants_gzip(req, entry[0])
        if gz and entry[1] is None and len(entry[0].body) > 256 * 1024:
            return None  # compress it off the event loop
        return self.build(req, entry[0], key, self.http.gzipped(entry) if gz else None)

    async def __call__(self, req: Request) -> Response:
        self.loop = self.loop or asyncio.get_running_loop()
        path, qs = self.split(req)
        try:
            reply, cacheable = await self.route(req, path, qs)
        except BadRequest as e:
            reply, cacheable = error(e.status, str(e), **e.headers), None
        except Unavailable as e:
            reply, cacheable = error(503, str(e), **{"Retry-After": "10"}), None
        except PoolError as e:
            reply, cacheable = error(500, str(e)), None
        return await self.respond(req, reply, cacheable)

    def allow(self, path: str) -> str:
        return SPARQL_METHODS if path in ("/sparql", "/sparql/") else READ_METHODS

    async def route(self, req: Request, path: str, qs: str) -> tuple[Reply, tuple | None]:
        """(reply, key) where key identifies a cacheable read (None: not cacheable)."""
        method = req.method
        if method == "OPTIONS":
            return self.preflight(req, path), None
        if method in ("PUT", "DELETE", "PATCH"):
            return error(405, f"{method} is not supported here; allowed: {self.allow(path)}",
                         Allow=self.allow(path)), None
        if method not in ("GET", "HEAD", "POST"):
            return error(501, f"method {method} is not implemented; allowed: {self.allow(path)}",
                         Allow=self.allow(path)), None
        params = decode_params(qs)
        if method == "POST":
            if path not in ("/sparql", "/sparql/"):
                return error(405, f"POST is accepted at {self.root}sparql only", Allow=self.allow(path)), None
            params = self.post_params(req, params)
        elif path in ("/sparql", "/sparql/") and "update" in params:
            return error(405, "an update must be POSTed", Allow=SPARQL_METHODS), None
        if "update" in params:
            return await self.update(req, params), None
        return await self.cached_read(req, path, params, self.request_key(req))

    def post_params(self, req: Request, params: dict) -> dict:
        mtype, charset = media_type_and_charset(req.header("content-type"))
        if mtype not in ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"):
            raise BadRequest("POST needs application/x-www-form-urlencoded, application/sparql-query "
                             "or application/sparql-update", 415)
        if charset not in (None, "utf-8", "utf8", "us-ascii"):
            raise BadRequest(f"the body must be UTF-8 (charset={charset} declared)")
        try:
            body = req.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the body is not valid UTF-8") from None
        if mtype == "application/x-www-form-urlencoded":
            merged = {k: list(v) for k, v in params.items()}
            for k, v in decode_params(body).items():
                merged.setdefault(k, []).extend(v)
            return merged
        field_name = "query" if mtype == "application/sparql-query" else "update"
        if field_name in params:
            raise BadRequest(f"give the {field_name} in the body or in the URL, not both")
        return {**params, field_name: [body]}

    async def cached_read(self, req: Request, path: str, params: dict, key: tuple) -> tuple[Reply, tuple | None]:
        version = self.pool.version
        if version is None:
            raise Unavailable("the store is being built; this server serves it as soon as the build has finished")
        self.http.modified(version)
        full_key = (version.id,) + key
        if self.http.not_modified(req, full_key, version):
            return Reply(304), full_key
        hit = self.http.cache.get(full_key)
        if hit is not None:
            return hit[0], full_key
        with self.pool.pinned() as gen:
            if gen is None:
                raise Unavailable("the store is being built; this server serves it as soon as the build has finished")
            reply = await self.read(req, path, params, gen)
            self.http.modified(gen.version)
            full_key = (gen.version.id,) + key
        return reply, full_key

    async def read(self, req: Request, path: str, params: dict, gen) -> Reply:
        if path in ("/sparql", "/sparql/"):
            if "query" not in params:
                return self.describe_service(req, params)
            return await self.query(req, params, gen)
        if path == "/rdf-graphs":
            return await self.graph_store(req, params, gen)
        if path == "/.well-known/void":
            key = conneg.negotiate(req.header("accept"), self.one(params, "format"), conneg.RDF)
            if not key:
                return not_acceptable(req.header("accept"))
            return rdf_reply(await self.void(req, gen), key)
        if path == "/ontology/context.jsonld":
            return Reply(200, "application/ld+json", CONTEXT_FILE.read_bytes())
        if path in VOCAB_DOCS:
            return await self.vocabulary(req, path, params, gen)
        if path == "/":
            alternates = {"text/turtle": self.root + ".well-known/void"}
            return Reply(200, HTML_TYPE, pages.page("pskg", self.home(), self.root, alternates).encode("utf-8"))
        if path.startswith(("/id/", "/doc/")):
            return await self.data_resource(req, path, params, gen)
        return error(404, f"nothing at {path}")

    # ------------------------------------------------------------ responses
    def build(self, req: Request, reply: Reply, key: tuple | None, gz_body: bytes | None) -> Response:
        """The HTTP response for a reply: CORS, nosniff, caching headers, the body (gzipped when given)."""
        headers = list(CORS)
        headers.append(("X-Content-Type-Options", "nosniff"))
        headers.append(("Vary", "Accept, Accept-Encoding"))
        if reply.content_type and reply.status not in (204, 304):
            headers.append(("Content-Type", reply.content_type))
        headers += list(reply.headers.items())
        if reply.status == 304:
            return Response(304, headers + self.http.headers(key, accepts_gzip(req.header("accept-encoding"))))
        if reply.status == 200 and key is not None:
            if gz_body is not None:
                headers.append(("Content-Encoding", "gzip"))
            headers += self.http.headers(key, gz_body is not None)
        elif reply.status >= 400:
            headers.append(("Cache-Control", "no-store"))
        return Response(reply.status, headers, reply.body if gz_body is None else gz_body)

    async def respond(self, req: Request, reply: Reply, key: tuple | None) -> Response:
        entry = None
        if reply.status == 200 and key is not None and len(reply.body) > 256 * 1024 and self.http.wants_gzip(req, reply):
            entry = self.http.cache.get(key) or self.http.cache.put(key, reply)
            if entry[1] is None:  # compress it off the event loop
                packed = await asyncio.get_running_loop().run_in_executor(self._threads, gzip_body, reply.body)
                self.http.cache.add_gzip(entry, packed)
        return self.respond_now(req, reply, key, entry)

    def respond_now(self, req: Request, reply: Reply, key: tuple | None, entry: list | None = None) -> Response:
        """The response to a reply, cached when it can be; a large body's gzipped form comes
        in ``entry`` (made off the event loop by ``respond``)."""
        if reply.status != 200 or key is None:
            return self.build(req, reply, key, None)
        cache = self.http.cache
        entry = entry or cache.get(key) or cache.put(key, reply)
        gz = self.http.gzipped(entry) if self.http.wants_gzip(req, reply) else None
        return self.build(req, entry[0], key, gz)

    def preflight(self, req: Request, path: str) -> Reply:
        asked = [h.strip() for h in (req.header("access-control-request-headers") or "").split(",") if h.strip()]
        names = list(PREFLIGHT_HEADERS)
        names += [h for h in asked if re.fullmatch(r"[A-Za-z0-9-]+", h) and h.lower() not in {n.lower() for n in names}]
        return Reply(204, headers={**dict(PREFLIGHT), "Access-Control-Allow-Headers": ", ".join(names),
                                   "Allow": self.allow(path)})

    # ------------------------------------------------------------ SPARQL protocol
    @staticmethod
    def one(params: dict, name: str) -> str | None:
        vals = params.get(name)
        return vals[0] if vals else None

    def check_remote(self, text: str) -> None:
        for target in remote_targets(text, PREFIXES):
            if target is None or target not in self.config.allow_service:
                named = "a variable or relative IRI" if target is None else f"<{target}>"
                allowed = (", ".join(self.config.allow_service) if self.config.allow_service
                           else "none (start the server with --allow-service URL)")
                raise BadRequest(f"SERVICE and LOAD calls are refused: {named} is not an allowed endpoint; "
                                 f"allowed: {allowed}", 403)

    @staticmethod
    def graph_list(params: dict, name: str) -> list[str]:
        try:
            return [ox.NamedNode(g).value for g in params.get(name, [])]
        except ValueError as e:
            raise BadRequest(f"bad graph IRI in {name}: {e}") from None

    def query_job(self, req: Request, params: dict) -> Job | Reply:
        """The job of a query request, or the error reply to a bad one (BadRequest for a refused SERVICE)."""
        queries = params.get("query", [])
        if len(queries) != 1:
            return error(400, "give exactly one query or one update")
        accept, fmt = req.header("accept"), self.one(params, "format")
        if not conneg.acceptable_at_all(accept, fmt):
            return error(406, f"cannot serve {fmt or accept!r}; results: "
                         + ", ".join(conneg.RESULT_TYPES.values()) + "; graphs: " + ", ".join(conneg.RDF_TYPES.values()))
        self.check_remote(queries[0])
        return Job(queries[0], accept=accept, format=fmt, base_iri=self.endpoint,
                   default_graphs=self.graph_list(params, "default-graph-uri"),
                   named_graphs=self.graph_list(params, "named-graph-uri"))

    async def query(self, req: Request, params: dict, gen) -> Reply:
        job = self.query_job(req, params)
        return job if isinstance(job, Reply) else await self.pool.run(job, req.client, gen)

    def quick_read(self, req: Request, key: tuple) -> Response | None:
        """The response to a query of a shape the pool runs in this process (WorkerPool.inline),
        answered without waiting, or None (then ``__call__`` answers, as for any request)."""
        gen = self.pool.current
        if gen is None or gen.inline_store is None or not gen.quick:
            return None
        path, qs = self.split(req)
        if path not in ("/sparql", "/sparql/"):
            return None
        try:
            params = decode_params(qs)
            if req.method == "POST":
                params = self.post_params(req, params)
            if "update" in params or "query" not in params:
                return None
            job = self.query_job(req, params)
        except Exception:  # BadRequest and anything else: the ordinary path answers (and reports) it
            return None
        if isinstance(job, Reply):
            return None
        full_key = (gen.version.id,) + key
        if self.http.not_modified(req, full_key, gen.version):
            return self.build(req, Reply(304), full_key, None)
        reply = self.pool.inline(gen, job)
        if reply is None:
            return None
        return self.respond_now(req, reply, full_key)

    async def update(self, req: Request, params: dict) -> Reply:
        updates, queries = params.get("update", []), params.get("query", [])
        if len(updates) + len(queries) != 1:
            return error(400, "give exactly one query or one update")
        if not self.config.allow_update:
            return error(403, "updates are refused: this endpoint is read-only "
                              "(start `pskg serve --allow-update` to accept them)")
        text = updates[0]
        using = self.graph_list(params, "using-graph-uri")
        using_named = self.graph_list(params, "using-named-graph-uri")
        if (using or using_named) and has_own_dataset(text):
            return error(400, "using-graph-uri / using-named-graph-uri cannot be combined with an update "
                              "that has its own USING or WITH clause")
        self.check_remote(text)
        job = Job(text, update=True, using_graphs=using, using_named_graphs=using_named, base_iri=self.endpoint)
        return await self.pool.run(job, req.client)

    def describe_service(self, req: Request, params: dict) -> Reply:
        """The service description as RDF, or for a browser a page with its limits and a query form."""
        key = conneg.negotiate(req.header("accept"), self.one(params, "format"), conneg.RDF, html=True)
        if key == "html":
            return Reply(200, HTML_TYPE, pages.endpoint_page(self.endpoint, self.limits_text(), self.root,
                                                             self.alternates("sparql")).encode("utf-8"))
        return rdf_reply(self.service_description(), key) if key else not_acceptable(req.header("accept"))

    def limits_text(self) -> str:
        p, lim = self.pool, self.limits
        return (f"Limits: query time {p.timeout:g} s (503 past it, also for time spent waiting for a worker); "
                f"memory {p.memory_mb:,} MB per query worker above its open store (503 past it); "
                f"result {p.max_bytes:,} bytes serialized (500 past it); POST body {lim.max_body:,} bytes (413); "
                f"request line (URL) {lim.max_line:,} bytes (414); header section {lim.max_head:,} bytes (431); "
                f"{p.workers} main workers and {p.fast} fast-lane workers (queries cut at {p.fast_limit:g} s there "
                f"start over in the main lane); at most {p.queue_max} waiting queries (503 beyond); "
                f"{lim.max_connections:,} open connections; request head within {lim.header_timeout:g} s, "
                f"body within {lim.body_timeout:g} s (408). SERVICE and LOAD: "
                + (", ".join(self.config.allow_service) if self.config.allow_service else "refused") + ".")

    def service_description(self) -> list[ox.Triple]:
        svc = ox.NamedNode(self.endpoint)
        a = ox.NamedNode(RDF + "type")

        def sd(local):
            return ox.NamedNode(SD + local)

        out = [ox.Triple(svc, a, sd("Service")), ox.Triple(svc, sd("endpoint"), svc),
               ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
               ox.Triple(svc, ox.NamedNode(RDFS + "comment"), ox.Literal(self.limits_text(), language="en"))]
        if self.config.allow_service:
            out.append(ox.Triple(svc, sd("feature"), sd("BasicFederatedQuery")))
        if self.config.allow_update:
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

    # ------------------------------------------------------------ other reads
    def sync_view(self, req: Request, gen):
        """Blocking helpers for page code running in a thread: queries go to ``gen``'s workers."""
        loop, pool, client = self.loop, self.pool, req.client

        def run(q: str) -> Reply:
            return asyncio.run_coroutine_threadsafe(pool.run(Job(q, format="json"), client, gen), loop).result()

        def bindings(q: str) -> list[dict]:
            reply = run(q)
            if reply.status != 200:
                raise PoolError(reply.body.decode("utf-8", "replace").strip())
            import json
            return json.loads(reply.body)["results"]["bindings"]

        def select(q: str) -> list[dict[str, str]]:
            return [{k: v["value"] for k, v in row.items()} for row in bindings(q)]

        return bindings, select

    async def in_thread(self, fn):
        return await asyncio.get_running_loop().run_in_executor(self._threads, fn)

    async def ask(self, req: Request, gen, sparql: str) -> bool:
        import json

        reply = await self.pool.run(Job(sparql, format="json"), req.client, gen)
        if reply.status != 200:
            raise PoolError(reply.body.decode("utf-8", "replace").strip())
        return bool(json.loads(reply.body)["boolean"])

    async def void(self, req: Request, gen) -> list[ox.Triple]:
        vid = gen.version.id
        if vid not in self._void:
            _, select = self.sync_view(req, gen)
            self._void = {vid: await self.in_thread(lambda: void_triples(select, endpoint=self.endpoint))}
        return self._void[vid]

    def home(self) -> str:
        r = self.root
        return ("<h1>pskg</h1><p>Knowledge graph of Chinese public-service plans.</p><ul>"
                f'<li><a href="{r}sparql">SPARQL endpoint</a> (<code>{r}sparql</code>)</li>'
                f'<li><a href="{r}.well-known/void">dataset description (VoID, DCAT)</a></li>'
                f'<li><a href="{r}ontology">ontology</a> · <a href="{r}vocabularies">concept schemes</a></li></ul>')

    def alternates(self, path: str) -> dict[str, str]:
        return {conneg.RDF_TYPES[k]: f"{self.root}{path.lstrip('/')}?format={k}" for k in conneg.RDF_TYPES}

    async def graph_store(self, req: Request, params: dict, gen) -> Reply:
        accept, fmt = req.header("accept"), self.one(params, "format")
        graphs = params.get("graph", [])
        if "default" in params and not graphs:
            where = "?s ?p ?o"
        elif len(graphs) == 1 and "default" not in params:
            try:
                g = ox.NamedNode(graphs[0])
            except ValueError as e:
                return error(400, f"bad graph IRI: {e}")
            if not await self.ask(req, gen, f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}"):
                return error(404, f"no graph {g.value}")
            where = f"GRAPH {g} {{ ?s ?p ?o }}"
        else:
            return error(400, "give ?graph=IRI (one) or ?default")
        if not conneg.negotiate(accept, fmt, conneg.RDF):
            return not_acceptable(accept)
        return await self.pool.run(Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", accept=accept, format=fmt),
                                   req.client, gen)

    async def data_resource(self, req: Request, path: str, params: dict, gen) -> Reply:
        m = DATA_PATH.match(path)
        if not m or any(seg in (".", "..") for seg in m.group(2).split("/")):
            return error(400, "not a data IRI path: only /id/ or /doc/ followed by plain path segments")
        kind, rest = m.groups()
        if kind == "id":
            target = ".well-known/void" if base() + rest == dataset_iri().value else f"doc/{rest}"
            return Reply(303, headers={"Location": self.config.base_url + target}, body=f"See {target}\n".encode())
        iri = ox.NamedNode(base() + rest)
        if not await self.ask(req, gen, f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}"):
            return error(404, f"no resource {iri.value} in the graph")
        accept, fmt = req.header("accept"), self.one(params, "format")
        key = conneg.negotiate(accept, fmt, conneg.RDF, html=True)
        if key is None:
            return not_acceptable(accept)
        doc = f"{self.root}doc/{rest}"
        if key == "html":
            links = {k: f"{doc}?format={k}" for k in conneg.RDF_TYPES}
            bindings, _ = self.sync_view(req, gen)
            html = await self.in_thread(lambda: pages.resource_page(
                iri.value, bindings, links, self.root, self.alternates(f"doc/{rest}")))
            return Reply(200, HTML_TYPE, html.encode("utf-8"), headers={"Content-Location": f"{doc}?format=html"})
        q = (f"CONSTRUCT {{ {iri} ?p ?o . ?s ?q {iri} . ?ev ?ep ?eo }} WHERE {{ {{ {iri} ?p ?o }} "
             f"UNION {{ ?s ?q {iri} }} UNION {{ {iri} pskg:evidence ?ev . ?ev ?ep ?eo }} }}")
        reply = await self.pool.run(Job(q, format=key), req.client, gen)
        if reply.status == 200:
            reply.headers["Content-Location"] = f"{doc}?format={key}"
        return reply

    async def vocabulary(self, req: Request, path: str, params: dict, gen) -> Reply:
        doc_iri, graphs = VOCAB_DOCS[path]
        accept, fmt = req.header("accept"), self.one(params, "format")
        key = conneg.negotiate(accept, fmt, conneg.RDF, html=True)
        if key is None:
            return not_acceptable(accept)
        if key == "html":
            bindings, _ = self.sync_view(req, gen)
            html = await self.in_thread(lambda: pages.vocabulary_page(
                doc_iri, graphs, bindings, self.root, self.alternates(path)))
            return Reply(200, HTML_TYPE, html.encode("utf-8"))
        values = " ".join(f"<{g}>" for g in graphs)
        return await self.pool.run(Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} "
                                       "GRAPH ?g { ?s ?p ?o } }", format=key), req.client, gen)
