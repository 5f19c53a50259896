"""Media types of SPARQL results and RDF, and content negotiation over them.

Two families: result formats for SELECT/ASK, RDF formats for CONSTRUCT/DESCRIBE (and for
resource descriptions, graphs, the VoID and the service description). A request picks
one by its Accept header or by a ``format`` parameter (a key below or a media type),
the parameter winning.
"""
from __future__ import annotations

import functools

import pyoxigraph as ox

from .store import FORMATS as RDF_OX_FORMATS

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RESULT_OX_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
# further names clients use for the same formats (SPARQLWrapper sends several of these)
ALIASES = {
    "application/json": "json", "text/javascript": "json", "application/javascript": "json",
    "application/xml": "xml", "text/xml": "xml",
    "application/turtle": "turtle", "application/x-turtle": "turtle",
    "text/plain": "ntriples", "application/x-json+ld": "jsonld", "text/n-quads": "nquads",
    "application/x-trig": "trig",
}
# short names of the ``format`` parameter, per kind (SPARQLWrapper sends format=json-ld, rdf+xml, n3 ...)
FORMAT_NAMES = {
    "results": {"srj": "json", "srx": "xml"},
    "rdf": {"json-ld": "jsonld", "rdf+xml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "n3": "turtle",
            "ttl": "turtle", "nt": "ntriples", "nq": "nquads", "n-triples": "ntriples", "n-quads": "nquads"},
}
# a generic name that means a different format per kind: JSON results, or JSON-LD for graphs
KIND_ALIASES = {"application/json": {"results": "json", "rdf": "jsonld"}}
HTML = "text/html"
RESULTS, RDF = "results", "rdf"
DEFAULT = {RESULTS: "json", RDF: "turtle"}


def _key_of(name: str) -> str | None:
    name = name.strip().lower()
    if name in RESULT_TYPES or name in RDF_TYPES:
        return name
    for table in (RESULT_TYPES, RDF_TYPES):
        for key, mt in table.items():
            if mt == name:
                return key
    return ALIASES.get(name)


def family(key: str) -> str:
    return RESULTS if key in RESULT_TYPES else RDF


def media_type(key: str) -> str:
    mt = RESULT_TYPES.get(key) or RDF_TYPES[key]
    return mt + "; charset=utf-8" if mt.startswith("text/") or key in ("json", "jsonld") else mt


def parse_accept(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q=0 dropped, ties keep their order)."""
    if not accept or not accept.strip():
        return ["*/*"]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranges.append((-q, i, fields[0].lower()))
    return [r for _, _, r in sorted(ranges)]


def _format_param(fmt: str, kind: str, html: bool) -> str | None:
    name = fmt.strip().lower()
    if html and name in ("html", HTML):
        return "html"
    key = FORMAT_NAMES[kind].get(name) or (KIND_ALIASES[name][kind] if name in KIND_ALIASES else _key_of(name))
    return key if key and family(key) == kind else None


@functools.lru_cache(maxsize=1024)  # a pure function of a few header values, asked for on every request
def negotiate(accept: str | None, fmt: str | None, kind: str, html: bool = False) -> str | None:
    """The format key for a response of ``kind`` (RESULTS or RDF), "html" when ``html`` is
    offered and preferred, or None when nothing acceptable is available (406). A ``format``
    parameter naming a format of this kind wins over Accept; one naming another kind's
    format is ignored (clients send one format parameter for every query form)."""
    key = _format_param(fmt, kind, html) if fmt else None
    if key:
        return key
    for rng in parse_accept(accept):
        if rng == HTML and html:
            return "html"
        key = KIND_ALIASES[rng][kind] if rng in KIND_ALIASES else _key_of(rng)
        if key and family(key) == kind:
            return key
        if rng.endswith("/*"):
            key = _wildcard(rng, kind, html)
            if key:
                return key
    return None


def _wildcard(rng: str, kind: str, html: bool) -> str | None:
    """The first format of ``kind`` (its default first) whose media type falls in ``rng``."""
    table = RESULT_TYPES if kind == RESULTS else RDF_TYPES
    candidates = [(DEFAULT[kind], table[DEFAULT[kind]])] + list(table.items())
    if html:
        candidates.append(("html", HTML))
    major = rng.split("/")[0]
    return next((k for k, mt in candidates if major == "*" or mt.startswith(major + "/")), None)


def acceptable_at_all(accept: str | None, fmt: str | None) -> bool:
    """Whether a query's response could be acceptable whatever its kind (checked before running it)."""
    return any(negotiate(accept, fmt, kind) for kind in (RESULTS, RDF))


def rdf_format(key: str) -> ox.RdfFormat:
    return RDF_OX_FORMATS[key]
