"""pskg explorer (Streamlit).

    streamlit run app.py -- --store DIR      (or PSKG_STORE=DIR, else ./store)

Shows the plans in the store, the agencies each names (with level, function and the
source sentences), and runs the named SPARQL queries.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import streamlit as st

from graph.store import GraphStore, StoreError
from pskg.paths import QUERIES_DIR, default_store


def store_path() -> Path:
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--store", type=Path)
    known, _ = ap.parse_known_args(sys.argv[1:])
    return known.store or Path(os.environ.get("PSKG_STORE") or default_store())


@st.cache_resource
def open_store(path: str) -> GraphStore:
    return GraphStore(path, read_only=True)


PLANS = """SELECT ?plan ?title ?file ?region ?issued ?num WHERE {
  ?plan a pskg:Plan ; pskg:sourceFile ?file .
  OPTIONAL { ?plan dct:title ?title } OPTIONAL { ?plan dct:issued ?issued }
  OPTIONAL { ?plan pskg:documentNumber ?num }
  OPTIONAL { ?plan pskg:jurisdiction/rdfs:label ?region } } ORDER BY ?file"""

AGENCIES = """SELECT ?agency ?label ?level ?function (GROUP_CONCAT(DISTINCT ?alt; separator=" / ") AS ?written)
WHERE { GRAPH <%s> { ?agency a pskg:Agency ; rdfs:label ?label ; pskg:level ?lv ; pskg:function ?fn .
        OPTIONAL { ?agency skos:altLabel ?alt } }
        ?lv skos:notation ?level . ?fn skos:notation ?function }
GROUP BY ?agency ?label ?level ?function ORDER BY ?level ?label"""

EVIDENCE = """SELECT ?quote ?s ?e WHERE { GRAPH <%s> { <%s> pskg:evidence ?ev .
  ?ev pskg:quote ?quote ; pskg:charStart ?s ; pskg:charEnd ?e } } ORDER BY xsd:integer(?s)"""


def main() -> None:
    st.set_page_config(page_title="pskg explorer", layout="wide")
    st.title("pskg · 基本公共服务规划知识图谱")
    path = store_path()
    try:
        store = open_store(str(path))
    except StoreError as e:
        st.error(str(e))
        return
    plans = store.select(PLANS)
    st.caption(f"store {path} · {len(store):,} triples · {len(plans)} plans")
    if not plans:
        st.warning("The store holds no plans: run `pskg build`.")
        return
    tab_plans, tab_query = st.tabs(["Plans 规划", "SPARQL"])
    with tab_plans:
        st.dataframe([{k: r.get(k, "") for k in ("title", "region", "issued", "num", "file")} for r in plans],
                     use_container_width=True)
        choice = st.selectbox("Plan", plans, format_func=lambda r: r.get("title") or r["file"])
        agencies = store.select(AGENCIES % choice["plan"])
        st.subheader(f"Agencies named 机构 ({len(agencies)})")
        st.dataframe([{k: r.get(k, "") for k in ("label", "level", "function", "written")} for r in agencies],
                     use_container_width=True)
        if agencies:
            ag = st.selectbox("Agency", agencies, format_func=lambda r: r["label"])
            for ev in store.select(EVIDENCE % (choice["plan"], ag["agency"]))[:20]:
                st.markdown(f"> {ev['quote']}  `[{ev['s']}:{ev['e']}]`")
    with tab_query:
        named = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))}
        pick = st.selectbox("Named query", list(named)) if named else None
        text = st.text_area("SPARQL", named.get(pick, PLANS) if pick else PLANS, height=220)
        if st.button("Run"):
            try:
                rows = store.select(text)
                st.dataframe(rows, use_container_width=True)
            except (SyntaxError, OSError, ValueError) as e:
                st.error(f"query failed: {e}")


main()
