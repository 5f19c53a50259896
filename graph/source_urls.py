"""The original web address of each plan, from a ``SOURCES.tsv`` next to the corpus files.

A corpus folder may hold ``SOURCES.tsv``: tab-separated, a header line with at least the
columns ``name`` (the file's stem, ``sichuan_chengdu_13th_bps_plan`` for
``sichuan_chengdu_13th_bps_plan.txt``) and ``url``; other columns are ignored. The build
records each listed plan's address as ``<plan> schema:url "…"^^xsd:anyURI`` in a graph of its
own (``SOURCES_GRAPH``), rewritten after every build from the ``SOURCES.tsv`` of each stored
document's folder (then of its corpus root), so editing the file takes effect without the plan
texts changing. An address is kept only if it is an absolute http(s) URL without spaces.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox

from .terms import GRAPH_BASE

SOURCES_GRAPH = GRAPH_BASE + "sources"
SOURCES_FILE = "SOURCES.tsv"
URL = ox.NamedNode("https://schema.org/url")
ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
_HTTP = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.IGNORECASE)


def read_sources(path: Path) -> dict[str, str]:
    """{name: url} of one SOURCES.tsv (empty when there is none or it has no name/url columns)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not rows.fieldnames or "name" not in rows.fieldnames or "url" not in rows.fieldnames:
        return {}
    out = {}
    for r in rows:
        name, url = (r.get("name") or "").strip(), (r.get("url") or "").strip()
        if name and _HTTP.fullmatch(url):
            out.setdefault(name, url)
    return out


def source_urls(documents) -> dict[str, str]:
    """{plan IRI: url} for manifest rows (graph.manifest.DocRow) listed in a SOURCES.tsv of
    their own folder or, failing that, of their corpus root."""
    tables: dict[Path, dict[str, str]] = {}

    def table(folder: Path) -> dict[str, str]:
        if folder not in tables:
            tables[folder] = read_sources(folder / SOURCES_FILE)
        return tables[folder]

    out = {}
    for d in documents:
        stem = Path(d.source_file).stem
        url = table(Path(d.path).parent).get(stem) or table(Path(d.root)).get(stem)
        if url:
            out[d.plan] = url
    return out


def write_source_urls(store, manifest) -> int:
    """Rewrite the sources graph from the SOURCES.tsv files; returns the number of addresses."""
    g = ox.NamedNode(SOURCES_GRAPH)
    urls = source_urls(manifest.documents().values())
    for q in list(store.store.quads_for_pattern(None, None, None, g)):
        store.store.remove(q)
    for plan, url in sorted(urls.items()):
        store.store.add(ox.Quad(ox.NamedNode(plan), URL, ox.Literal(url, datatype=ANY_URI), g))
    return len(urls)
