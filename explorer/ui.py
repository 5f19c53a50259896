"""Shared pieces of the explorer's pages: the store, the language, links, evidence."""
from __future__ import annotations

import argparse
import html
import sys
from collections import Counter
from pathlib import Path

import streamlit as st

from graph.store import GraphStore
from pskg.paths import default_store

from .data import Evidence, ExplorerData, local
from .i18n import text
from .search import SearchIndex

PAGES = "explorer/pages"  # page scripts, relative to app.py (st.navigation / st.page_link paths)
CONTEXT_CHARS = 120       # how far a quote's context reaches on either side, at most
MORE_QUOTES = 30          # quotes behind a page's "N more quotes" button, at most


# ---------------------------------------------------------------------------------- store
def store_path() -> Path:
    """--store after `--` on the streamlit command line, else $PSKG_STORE, else the default store."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--store", type=Path)
    known, _ = ap.parse_known_args(sys.argv[1:])
    return known.store or default_store()


@st.cache_resource(show_spinner=False)
def _data(path: str) -> ExplorerData:
    return ExplorerData(GraphStore(path, read_only=True))


@st.cache_resource(show_spinner="indexing labels…")
def _index(path: str) -> SearchIndex:
    return SearchIndex.build(_data(path))


def data() -> ExplorerData:
    return _data(str(store_path()))


def index() -> SearchIndex:
    return _index(str(store_path()))


# ---------------------------------------------------------------------------------- language
def lang() -> str:
    return "en" if st.session_state.get("lang") == "en" else "zh"


def t(key: str, **fmt) -> str:
    """Interface text in the chosen language (ui_strings.tsv); unknown keys are shown as is."""
    out = text(key, lang())
    return out.format(**fmt) if fmt else out


def with_lang(params: dict) -> dict:
    """A link's query parameters with the interface language (a link opened in a new tab keeps it)."""
    return {**params, "lang": lang()}


def from_url(key: str, param: str, options, multi: bool = False) -> None:
    """Before a widget is drawn: a new session takes its value from the URL parameter (an
    option's last IRI segment, or a comma-separated list of them); unknown values are dropped."""
    if key in st.session_state:
        return
    by_name = {local(o): o for o in options if o}
    raw = st.query_params.get(param, "")
    if multi:
        st.session_state[key] = [by_name[x] for x in raw.split(",") if x in by_name]
    elif raw in by_name:
        st.session_state[key] = by_name[raw]


def to_url(param: str, value) -> None:
    """After a widget: its value in the URL (removed when empty)."""
    text = ",".join(local(v) for v in value) if isinstance(value, list) else local(value) if value else ""
    if text:
        st.query_params[param] = text
    elif param in st.query_params:
        del st.query_params[param]


def class_name(cls: str) -> str:
    return t(f"class.{cls}") if cls else t("class.other")


# ---------------------------------------------------------------------------------- links
def entity_link(iri: str, label: str | None = None, kind: str | None = None) -> None:
    """A link to an entity's page (same tab); ``kind`` adds the class name."""
    text = md(label or data().label(iri, lang()))
    if kind:
        text = f"{text} · {class_name(kind)}"
    st.page_link(f"{PAGES}/entity.py", label=text, query_params=with_lang({"iri": iri}))


def entity_links(iris, limit: int = 60, kinds: bool = False) -> None:
    iris = list(dict.fromkeys(iris))
    if not iris:
        st.caption(t("none"))
        return
    labels = data().labels(iris[:limit], lang())
    kind_of = data().kinds(iris[:limit]) if kinds else {}
    for i in sorted(iris[:limit], key=lambda x: (labels[x], x)):
        entity_link(i, labels[i], kind_of.get(i))
    if len(iris) > limit:
        st.caption(t("more", n=len(iris) - limit))


def plan_names(plan_iris) -> dict[str, str]:
    """Short unique column names for plans: their region (or title), with the source file's
    name added where two would read the same (many plans share a title or a region)."""
    d = data()
    info = {p["plan"]: p for p in d.plans()}
    regions = d.labels([info[p]["region"] for p in plan_iris if p in info and info[p].get("region")], lang())
    titles = d.labels(plan_iris, lang())
    names = {p: regions.get(info.get(p, {}).get("region")) or titles[p] for p in plan_iris}
    return disambiguate(names, {p: Path(info.get(p, {}).get("file", local(p))).stem for p in plan_iris})


def disambiguate(names: dict[str, str], tags: dict[str, str]) -> dict[str, str]:
    """``names`` with " (tag)" added to every name that more than one key shares."""
    counts = Counter(names.values())
    return {k: f"{v} ({tags[k]})" if counts[v] > 1 else v for k, v in names.items()}


def entity_url(iri: str) -> str:
    """A relative URL of an entity's page with the interface language (for the link tables,
    explorer.linktable: opened in the same tab)."""
    from urllib.parse import quote

    return "entity?iri=" + quote(str(iri), safe="") + "&lang=" + lang()


# ---------------------------------------------------------------------------------- evidence
def context(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): back and forward to a sentence end or line break."""
    stops = "。！？；!?;\n"
    a = start
    while a > 0 and start - a < CONTEXT_CHARS and text[a - 1] not in stops:
        a -= 1
    b = end
    while b < len(text) and b - end < CONTEXT_CHARS and text[b] not in stops:
        b += 1
    if b < len(text) and text[b] in stops and text[b] != "\n":
        b += 1
    return a, b


# ASCII punctuation Markdown may read as syntax (links, images, emphasis, code, math, Streamlit's
# :color[...] directives, autolinked URLs and e-mail addresses); HTML's own five become entities
_MD_PUNCT = frozenset("!#$()*+-./:=@[\\]^_`{|}~,;?%")


def escape_text(text: str) -> str:
    """Plain text made safe for st.markdown with HTML allowed: HTML's special characters as
    entities and every Markdown punctuation mark backslash-escaped, so a plan text that holds
    ``![x](http://...)``, a link, a URL or ``<img>`` shows those characters and nothing else."""
    out = []
    for ch in text:
        if ch in "&<>\"'":
            out.append(html.escape(ch))
        elif ch in _MD_PUNCT:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md(text: str) -> str:
    """Text from the data made literal for elements that render Markdown (headers, captions,
    link and expander labels): every Markdown punctuation mark backslash-escaped."""
    return "".join("\\" + ch if ch in _MD_PUNCT or ch in "<>" else ch for ch in str(text))


def one_line(text: str) -> str:
    return escape_text(" ".join(text.split()))


def evidence_html(ev: Evidence, text: str | None) -> str:
    """The quote inside its sentence, the quoted span marked; escaped HTML."""
    if text is not None and text[ev.start:ev.end] == ev.quote:
        a, b = context(text, ev.start, ev.end)
        before, after = text[a:ev.start], text[ev.end:b]
    else:
        before = after = ""
    return (f'<span class="pskg-evidence">{one_line(before)}<mark>{one_line(ev.quote)}</mark>'
            f"{one_line(after)}</span>")


def unique_evidence(evs: list[Evidence]) -> list[Evidence]:
    """One evidence per quoted span (several triples may cite the same characters), the first kept."""
    seen, out = set(), []
    for ev in evs:
        if (ev.source_file, ev.start, ev.end) not in seen:
            seen.add((ev.source_file, ev.start, ev.end))
            out.append(ev)
    return out


def show_evidence(evs: list[Evidence], limit: int = 5, key: str = "") -> None:
    """Each evidence: its sentence with the span highlighted, what it supports (the property
    it was recorded for), and a link that opens the full source text scrolled to it."""
    evs = unique_evidence(evs)
    for ev in evs[:limit]:
        quote(ev)
    if len(evs) > limit:  # the others behind a button, not a caption (a popover may sit in an expander)
        with st.popover(t("evidence.more", n=len(evs) - limit)):
            for ev in evs[limit:limit + MORE_QUOTES]:
                quote(ev)
            if len(evs) > limit + MORE_QUOTES:
                st.caption(t("more", n=len(evs) - limit - MORE_QUOTES))


def quote(ev: Evidence) -> None:
    text = data().source_text(ev.source_file)
    cols = st.columns([6, 1])
    cols[0].markdown(f"> {evidence_html(ev, text)}", unsafe_allow_html=True)
    if ev.prop and f"prop.{ev.prop}" != t(f"prop.{ev.prop}"):
        cols[0].caption(t("evidence.supports", what=t(f"prop.{ev.prop}")))
    cols[1].page_link(f"{PAGES}/source.py", label=t("evidence.open"),
                      query_params=with_lang({"file": ev.source_file, "start": str(ev.start), "end": str(ev.end)}),
                      help=f"{ev.source_file} [{ev.start}:{ev.end}]")
