"""Entity page: what the graph says about one IRI (?iri=...), its evidence and its neighbourhood."""
import streamlit as st

from explorer import graphview, views
from explorer.ui import PAGES, data, lang, t

iri = st.query_params.get("iri", "")
d = data()
if not iri:
    st.info(t("entity.none"))
elif not d.exists(iri):
    st.error(t("entity.unknown", iri=iri))
else:
    st.header(d.label(iri, lang()))
    views.render(iri, d.kind(iri))
    st.subheader(t("graph.title"))
    target = graphview.show(d.store, iri, lang=lang(), key="graph")
    if target and target != iri:
        st.switch_page(f"{PAGES}/entity.py", query_params={"iri": target})
