"""Entity page: what the graph says about one IRI (?iri=...), its evidence and its neighbourhood."""
import streamlit as st

from explorer import graphview, views
from explorer.params import entity_iri
from explorer.ui import PAGES, class_name, data, index, lang, md, t, with_lang



def find(query: str) -> list[tuple[str, str]]:
    """Entities named ``query`` (the label search), as (IRI, "label · class")."""
    hits, _ = index().search(query, limit=20)
    labels = data().labels([h.iri for h in hits], lang())
    return [(h.iri, f"{labels.get(h.iri, h.label)} · {class_name(h.cls)}") for h in hits]


raw = st.query_params.get("iri", "")
iri = entity_iri(raw)
d = data()
if not raw:
    st.info(t("entity.none"))
elif iri is None:
    st.error(t("entity.bad_iri", iri=raw[:200]))
elif not d.exists(iri):
    st.error(t("entity.unknown", iri=iri))
else:
    st.header(md(d.label(iri, lang())))
    views.render(iri, d.kind(iri))
    st.subheader(t("graph.title"))
    target = graphview.show(d.store, iri, lang=lang(), key="graph", find=find)
    if target and target != iri and entity_iri(target):
        st.switch_page(f"{PAGES}/entity.py", query_params=with_lang({"iri": target}))
