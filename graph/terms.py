"""Namespaces and IRI minting. IRIs derive from canonical keys only (region code, canonical
agency name, source file name, character offsets), never from counters or run order."""
from __future__ import annotations

import hashlib
from functools import lru_cache
import os
import re

import pyoxigraph as ox

PSKG = "https://w3id.org/pskg/ontology#"
DEFAULT_BASE = "https://w3id.org/pskg/id/"
GRAPH_BASE = "https://w3id.org/pskg/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"

PREFIXES = {
    "pskg": PSKG, "id": DEFAULT_BASE, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "dct": DCT,
    "xsd": XSD, "prov": PROV, "org": "http://www.w3.org/ns/org#",
    "cpsv": "http://purl.org/vocab/cpsv#", "cv": "http://data.europa.eu/m8g/",
    "schema": "https://schema.org/", "owl": "http://www.w3.org/2002/07/owl#",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_BASE: list[str] = []  # base(), read once per process


def base() -> str:
    """Base of data IRIs: $PSKG_BASE or https://w3id.org/pskg/id/, as the process found it
    (read once: a build asks for it a million times, and os.environ costs 5 µs a read)."""
    if not _BASE:
        b = os.environ.get("PSKG_BASE", DEFAULT_BASE)
        _BASE.append(b if b.endswith("/") else b + "/")
    return _BASE[0]


@lru_cache(maxsize=4096)  # the ontology's terms, asked for a hundred thousand times a build
def pskg(local: str) -> ox.NamedNode:
    return ox.NamedNode(PSKG + local)


@lru_cache(maxsize=4096)
def ns(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
ALT = ox.NamedNode(SKOS + "altLabel")


def slug(text: str) -> str:
    """A path segment for a key: ASCII kept as is, anything else replaced and hashed."""
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
    if s == text and s:
        return s
    return f"{s[:40]}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}".lstrip("-")


def data_iri(kind: str, *parts: str) -> ox.NamedNode:
    return ox.NamedNode(base() + kind + "/" + "/".join(parts))


def region_iri(code: str) -> ox.NamedNode:
    return data_iri("region", code)


def plan_iri(source_file: str) -> ox.NamedNode:
    stem = re.sub(r"\.txt$", "", source_file)
    return data_iri("plan", slug(stem))


def cited_plan_iri(title_simplified: str) -> ox.NamedNode:
    h = hashlib.sha1(title_simplified.encode("utf-8")).hexdigest()[:12]
    return data_iri("plan", f"cited-{h}")


def level_concept(key: str) -> ox.NamedNode:
    return pskg(key.capitalize())


def function_concept(key: str) -> ox.NamedNode:
    return pskg("function-" + key.replace("_", "-"))


def domain_concept(key: str) -> ox.NamedNode:
    return pskg("domain-" + key.replace("_", "-"))


def lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def typed(value, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
