"""pskg explorer (Streamlit).

    streamlit run app.py -- --store DIR      (or PSKG_STORE=DIR, else ./store)

Pages (explorer/pages/): search, entity pages for every class (agency, service, population,
region, plan, commitment, ...), who owns what, compare plans, indicators, SPARQL console,
and the source viewer every evidence quote links to. Interface in Chinese or English.
"""
from __future__ import annotations

import sys
import traceback

import streamlit as st

from explorer.params import choice
from explorer.ui import PAGES, data, store_path, t
from graph.store import StoreError

st.set_page_config(page_title="pskg explorer", page_icon="🏛", layout="wide")

MENU = ("search", "owners", "compare", "indicators", "sparql")  # shown in the sidebar, in this order
HIDDEN = ("entity", "source")                                   # reached by links only
LANGS = ("zh", "en")

if st.session_state.get("lang") not in LANGS:  # a new session takes the language from the URL
    st.session_state["lang"] = choice(st.query_params.get("lang"), LANGS, "zh")
with st.sidebar:
    st.segmented_control("语言 Language", list(LANGS), key="lang", required=True,
                         format_func=lambda x: {"zh": "中文", "en": "English"}[x])
    st.title(t("app.title"))
st.query_params["lang"] = st.session_state["lang"]  # kept in every URL, so a link opened anywhere keeps it

pages = [st.Page(f"{PAGES}/{name}.py", title=t(f"nav.{name}"), url_path=name, default=name == "search")
         for name in MENU + HIDDEN]
nav = st.navigation(pages, position="hidden")

path = store_path()
try:
    d = data()
except StoreError as e:
    st.error(str(e))
    st.stop()
plans = d.plans()
with st.sidebar:
    for name in MENU:
        st.page_link(f"{PAGES}/{name}.py", label=t(f"nav.{name}"))
    st.divider()
    st.caption(t("app.store", path=path, triples=d.triples(), plans=len(plans)))
if not plans:
    st.warning(t("app.empty"))
    st.stop()
try:
    nav.run()
except Exception as e:  # noqa: BLE001 - a page never shows a traceback; the log keeps it
    traceback.print_exc(file=sys.stderr)
    st.error(t("app.failed", error=f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"))
