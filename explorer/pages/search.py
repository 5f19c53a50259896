"""Search page: every entity by label or alias, Simplified or Traditional, with class filters."""
import streamlit as st

from explorer.search import SEARCH_CLASSES
from explorer.ui import class_name, data, entity_link, index, lang, t

st.header(t("search.title"))
query = st.text_input(t("search.label"), key="q", placeholder=t("search.placeholder"))
hits, counts = index().search(query, limit=100000) if query else ([], {})
if query:
    present = [c for c in SEARCH_CLASSES if counts.get(c)]
    chosen = st.pills(t("search.types"), present, selection_mode="multi", key="types",
                      format_func=lambda c: f"{class_name(c)} {counts[c]}")
    shown = [h for h in hits if not chosen or h.cls in chosen]
    st.caption(t("search.count", n=len(shown)))
    labels = data().labels([h.iri for h in shown[:100]], lang()) if lang() == "en" else {}
    for h in shown[:100]:
        label = labels.get(h.iri, h.label)
        alias = f"  ({h.matched})" if h.matched != h.label and h.matched != label else ""
        entity_link(h.iri, label + alias, h.cls)
    if len(shown) > 100:
        st.caption(t("more", n=len(shown) - 100))
else:
    counts = data().class_counts()
    st.caption(t("search.hint"))
    cols = st.columns(4)
    for i, c in enumerate(k for k in SEARCH_CLASSES if counts.get(k)):
        cols[i % 4].metric(class_name(c), f"{counts[c]:,}")
