"""Readable HTML pages for resources and vocabularies, rendered from SPARQL-JSON bindings.

Every piece of data goes through html.escape; IRIs under the data base link to the local
id/ paths, ontology terms to ontology#term, other http(s) IRIs to themselves. Local links
start with ``root``, the path of the server's public URL ("/" or e.g. "/pskg/" behind a
path-prefix proxy). Each page names its RDF variants in ``<link rel="alternate">``.
"""
from __future__ import annotations

from html import escape
from typing import Callable

from .jsonld import Compactor, load_context
from .shortcuts import SHORTCUT_LIST
from .terms import PSKG, base

Bindings = Callable[[str], list[dict[str, dict]]]
LIMIT = 500  # neighbours listed per direction
LABEL_PREF = ("zh-hans", "zh", "", "zh-hant", "en")
STYLE = """body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;line-height:1.4}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em;text-align:left;vertical-align:top}
code{font-size:90%;color:#555}blockquote{margin:.3em 0;padding:.3em .8em;border-left:3px solid #aaa;background:#f6f6f6}"""


def iri_ref(iri: str) -> str:
    return f"<{iri}>"


def local_href(iri: str, root: str = "/") -> str | None:
    if iri.startswith(base()):
        return root + "id/" + iri[len(base()):]
    if iri.startswith(PSKG):
        return root + "ontology#" + iri[len(PSKG):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


curie = Compactor(load_context()).curie  # prefix:local with the JSON-LD context's prefixes


def best_labels(bindings: Bindings, iris: list[str]) -> dict[str, str]:
    """One label per IRI, Simplified Chinese preferred."""
    iris = sorted({i for i in iris})[: 2 * LIMIT + 50]
    if not iris:
        return {}
    values = " ".join(iri_ref(i) for i in iris)
    rows = bindings(f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} "
                    f"{{ ?n rdfs:label ?l }} UNION {{ ?n skos:prefLabel ?l }} }}")
    ranked: dict[str, tuple[int, str]] = {}
    for r in rows:
        lang = r["l"].get("xml:lang", "").lower()
        rank = LABEL_PREF.index(lang) if lang in LABEL_PREF else len(LABEL_PREF)
        cur = ranked.get(r["n"]["value"])
        if cur is None or (rank, r["l"]["value"]) < cur:
            ranked[r["n"]["value"]] = (rank, r["l"]["value"])
    return {k: v for k, (_, v) in ranked.items()}


def term_html(term: dict, labels: dict[str, str], root: str = "/") -> str:
    """One RDF term (a SPARQL-JSON binding) as HTML."""
    value = term["value"]
    if term["type"] == "uri":
        text = labels.get(value) or curie(value)
        href = local_href(value, root)
        link = f'<a href="{escape(href, quote=True)}">{escape(text)}</a>' if href else escape(text)
        return link + (f' <code>{escape(curie(value))}</code>' if value in labels else "")
    if term["type"] == "bnode":
        return f"<code>_:{escape(value)}</code>"
    lang = term.get("xml:lang")
    suffix = f' <code>@{escape(lang)}</code>' if lang else ""
    dt = term.get("datatype")
    if dt and not dt.endswith("#string"):
        suffix = f" <code>^^{escape(curie(dt))}</code>"
    return escape(value) + suffix


def page(title: str, body: str, root: str = "/", alternates: dict[str, str] | None = None) -> str:
    """A whole HTML document; ``alternates`` maps media types to the URLs of the same content as RDF."""
    links = "".join(f'<link rel="alternate" type="{escape(mt, quote=True)}" href="{escape(href, quote=True)}">'
                    for mt, href in (alternates or {}).items())
    root = escape(root, quote=True)
    return (f'<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"{links}<style>{STYLE}</style></head><body>\n{body}\n"
            f'<p><small><a href="{root}sparql">SPARQL endpoint</a> · <a href="{root}.well-known/void">dataset (VoID)</a> · '
            f'<a href="{root}ontology">ontology</a></small></p></body></html>\n')


def _rows_table(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{a}</th><td>{b}</td></tr>" for a, b in rows) + "</table>"


def resource_page(iri: str, bindings: Bindings, doc_links: dict[str, str], root: str = "/",
                  alternates: dict[str, str] | None = None) -> str:
    """Outgoing and incoming statements of ``iri`` with neighbours' labels, and its evidence."""
    ref = iri_ref(iri)
    out = bindings(f"SELECT ?p ?o WHERE {{ {ref} ?p ?o }} ORDER BY ?p ?o LIMIT {LIMIT + 1}")
    # links derived for queries (graph.shortcuts) are left out: they repeat what the plans state
    inc = bindings(f"SELECT ?s ?p WHERE {{ ?s ?p {ref} FILTER(?p NOT IN ({SHORTCUT_LIST})) }} "
                   f"ORDER BY ?p ?s LIMIT {LIMIT + 1}")
    ev = bindings(f"""SELECT ?ev ?quote ?start ?end ?doc ?prop WHERE {{ {ref} pskg:evidence ?ev .
        OPTIONAL {{ ?ev pskg:quote ?quote }} OPTIONAL {{ ?ev pskg:charStart ?start }}
        OPTIONAL {{ ?ev pskg:charEnd ?end }} OPTIONAL {{ ?ev pskg:sourceDocument ?doc }}
        OPTIONAL {{ ?ev pskg:property ?prop }} }} ORDER BY ?doc ?start ?ev""")
    iris = [iri] + [r[k]["value"] for rows in (out, inc, ev) for r in rows for k in r if r[k]["type"] == "uri"]
    labels = best_labels(bindings, iris)
    title = labels.get(iri) or curie(iri)
    types = [term_html(r["o"], labels, root) for r in out if r["p"]["value"].endswith("#type")]
    parts = [f"<h1>{escape(title)}</h1>", f"<p><code>{escape(iri)}</code></p>"]
    if types:
        parts.append("<p>a " + ", ".join(types) + "</p>")
    links = " · ".join(f'<a href="{escape(h, quote=True)}">{escape(n)}</a>' for n, h in doc_links.items())
    parts.append(f"<p><small>as data: {links}</small></p>")
    parts.append("<h2>Statements</h2>" + _rows_table(
        [(term_html(r["p"], labels, root), term_html(r["o"], labels, root)) for r in out[:LIMIT]]))
    if len(out) > LIMIT:
        parts.append(f"<p>(first {LIMIT} shown)</p>")
    if ev:
        items = []
        for r in ev:
            where = ""
            if "start" in r and "end" in r:
                where = f"characters {escape(r['start']['value'])}–{escape(r['end']['value'])}"
            src = term_html(r["doc"], labels, root) if "doc" in r else ""
            prop = f" for {term_html(r['prop'], labels, root)}" if "prop" in r else ""
            quote = escape(r["quote"]["value"]) if "quote" in r else ""
            items.append(f"<li><blockquote>{quote}</blockquote>{src} {where}{prop}</li>")
        parts.append("<h2>Evidence</h2><ul>" + "".join(items) + "</ul>")
    if inc:
        parts.append("<h2>Referenced by</h2>" + _rows_table(
            [(term_html(r["s"], labels, root), term_html(r["p"], labels, root)) for r in inc[:LIMIT]]))
        if len(inc) > LIMIT:
            parts.append(f"<p>(first {LIMIT} shown)</p>")
    return page(title, "\n".join(parts), root, alternates)


def vocabulary_page(doc_iri: str, graphs: list[str], bindings: Bindings, root: str = "/",
                    alternates: dict[str, str] | None = None) -> str:
    """Every term described in ``graphs``, one section per term. A term in the ontology's hash
    namespace is anchored by its local name (the target of ontology#term links); each anchor
    is given once and never empty."""
    values = " ".join(iri_ref(g) for g in graphs)
    rows = bindings(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                    "FILTER(isIRI(?s)) } ORDER BY ?s ?p ?o")
    labels = best_labels(bindings, [r["s"]["value"] for r in rows])
    by_subject: dict[str, list[dict]] = {}
    for r in rows:
        by_subject.setdefault(r["s"]["value"], []).append(r)
    parts = [f"<h1>{escape(labels.get(doc_iri) or doc_iri)}</h1>", f"<p><code>{escape(doc_iri)}</code></p>"]
    anchors: set[str] = set()
    for s, rs in by_subject.items():
        anchor = s[len(PSKG):] if s.startswith(PSKG) else ""
        id_attr = ""
        if anchor and anchor not in anchors and not any(c.isspace() for c in anchor):
            anchors.add(anchor)
            id_attr = f' id="{escape(anchor, quote=True)}"'
        parts.append(f"<h3{id_attr}>{escape(labels.get(s) or curie(s))} "
                     f"<code>{escape(curie(s))}</code></h3>")
        parts.append(_rows_table([(term_html(r["p"], labels, root), term_html(r["o"], labels, root)) for r in rs]))
    return page(labels.get(doc_iri) or doc_iri, "\n".join(parts), root, alternates)


def endpoint_page(endpoint: str, limits: str, root: str = "/", alternates: dict[str, str] | None = None) -> str:
    """What a browser gets at the endpoint without a query: its URL, its limits and a query form."""
    body = (f"<h1>SPARQL endpoint</h1><p><code>{escape(endpoint)}</code></p><p>{escape(limits)}</p>"
            f'<form action="{escape(root, quote=True)}sparql" method="get"><p><label for="query">query</label></p>'
            '<p><textarea id="query" name="query" rows="8" cols="80">'
            "SELECT ?plan ?title WHERE { ?plan a pskg:Plan ; dct:title ?title } LIMIT 10</textarea></p>"
            '<p><button type="submit">run</button></p></form>')
    return page("SPARQL endpoint", body, root, alternates)
