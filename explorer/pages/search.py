"""Search page: every entity by label or alias, Simplified or Traditional, pinyin or English for
places, agencies and plans; one hit per entity with its class, region, level and plan; class
filters and pages of hits. The query, the classes and the page are kept in the URL."""
import streamlit as st

from explorer.params import integer
from explorer.search import SEARCH_CLASSES
from explorer import named_queries
from explorer.map_view import coverage_map_chart
from explorer.plan_cards import plan_cards
from explorer.ui import PAGES, class_name, data, entity_link, index, lang, md, t, with_lang

PAGE = 50  # hits per page


def turn(page: int) -> None:
    st.session_state["search-page"] = page

qp = st.query_params
if "q" not in st.session_state:  # a shared or reloaded URL restores the search
    st.session_state["q"] = qp.get("q", "")[:200]
    st.session_state["types"] = [c for c in qp.get("types", "").split(",") if c in SEARCH_CLASSES]
st.header(t("search.title"))
query = st.text_input(t("search.label"), key="q", placeholder=t("search.placeholder"))
if query:
    hits, counts = index().search(query, limit=100000)
    present = [c for c in SEARCH_CLASSES if counts.get(c)]
    if any(c not in present for c in st.session_state.get("types") or []):
        st.session_state["types"] = [c for c in st.session_state["types"] if c in present]
    chosen = st.pills(t("search.types"), present, selection_mode="multi", key="types",
                      format_func=lambda c: f"{class_name(c)} {counts[c]}")
    shown = [h for h in hits if not chosen or h.cls in chosen]
    pages = max(1, -(-len(shown) // PAGE))
    if "search-page" not in st.session_state:
        st.session_state["search-page"] = integer(qp.get("page"), 1, 1, 10**6)
    if st.session_state.get("search-key", (query, tuple(chosen))) != (query, tuple(chosen)):
        st.session_state["search-page"] = 1  # a new query or filter starts on its first page
    st.session_state["search-key"] = (query, tuple(chosen))
    page = min(max(1, st.session_state["search-page"]), pages)
    st.caption(t("search.count", n=len(shown)) + (" · " + t("search.page", p=page, n=pages) if pages > 1 else ""))
    part = shown[(page - 1) * PAGE: page * PAGE]
    d = data()
    labels = d.labels([h.iri for h in part], lang()) if lang() == "en" else {}
    ctx = d.context([h.iri for h in part])
    around = d.labels([v for c in ctx.values() for v in c.values()], lang())
    for h in part:
        label = labels.get(h.iri, h.label)
        forms = [f for f in (h.matched, *h.others) if f not in (h.label, label) and len(f) <= 30]
        entity_link(h.iri, label + (f"  ({'、'.join(forms[:3])})" if forms else ""), h.cls)
        c = ctx.get(h.iri, {})
        bits = [around[c[k]] for k in ("region", "level", "plan") if c.get(k)]
        if bits:
            st.caption(md(" · ".join(bits)))
    if pages > 1:
        nav = st.columns([1, 1, 6])
        nav[0].button(t("search.prev"), key="search-prev", disabled=page <= 1, on_click=turn, args=(page - 1,))
        nav[1].button(t("search.next"), key="search-next", disabled=page >= pages, on_click=turn, args=(page + 1,))
    qp["q"] = query
    qp["page"] = str(page)
    if chosen:
        qp["types"] = ",".join(chosen)
    elif "types" in qp:
        del qp["types"]
else:
    for k in ("q", "page", "types"):
        if k in qp:
            del qp[k]
    counts = data().class_counts()
    st.markdown(t("landing.about"))
    st.caption(t("search.hint"))
    cols = st.columns(4)
    for i, c in enumerate(k for k in SEARCH_CLASSES if counts.get(k)):
        cols[i % 4].metric(class_name(c), f"{counts[c]:,}")
    plan_cards()
    coverage_map_chart()
    st.subheader(t("search.examples"))  # each opens the console with the answer
    for nq in named_queries.load().values():
        question = nq.ask(lang()).strip('"“”')
        if question:  # in the interface language (the query's "问题:" line in Chinese)
            st.page_link(f"{PAGES}/sparql.py", label=md(question[:1].upper() + question[1:]),
                         query_params=with_lang(named_queries.example_link(nq)))
