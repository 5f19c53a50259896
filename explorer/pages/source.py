"""Source page: the full text of a plan, scrolled to one evidence span (?file=&start=&end=), with
the plan, its region and its web address; raw (the stored decoded text, on which evidence
offsets are defined) or cleaned (what extraction read, the span placed through the offset map)."""
import html

import streamlit as st

from explorer.params import choice, integer
from explorer.source_info import web_address
from explorer.ui import PAGES, data, entity_link, md, one_line, t, with_lang

VIEWS = ("raw", "clean")

qp = st.query_params
d = data()
name = qp.get("file", "")
plan = next((p for p in d.plans() if p["file"] == name), None)  # only the store's own source files
start, end = integer(qp.get("start"), 0), integer(qp.get("end"), 0)
text = d.source_text(name) if plan else None


def text_box(body_text: str, a: int, b: int) -> None:
    body = (html.escape(body_text[:a]) + '<mark id="pskg-hit">' + html.escape(body_text[a:b]) + "</mark>"
            + html.escape(body_text[b:]))
    st.html(f'<div id="pskg-source" style="height:70vh;overflow:auto;white-space:pre-wrap;'
            f'font-family:serif;line-height:1.7;border:1px solid #ddd;padding:1em">{body}</div>'
            # scroll the text box only (scrollIntoView would scroll the whole page too)
            "<script>const m=document.getElementById('pskg-hit'),b=document.getElementById('pskg-source');"
            "if(m&&b){b.scrollTop=m.offsetTop-b.offsetTop-b.clientHeight/2;}</script>",
            unsafe_allow_javascript=True)


if text is None:
    st.error(t("source.missing", file=md(name[:200]) or "–"))
else:
    st.header(md(name))
    cols = st.columns(3)
    with cols[0]:
        st.caption(t("source.plan"))
        entity_link(plan["plan"], kind="Plan")
    with cols[1]:
        st.caption(t("field.region"))
        if plan.get("region"):
            entity_link(plan["region"], kind="Region")
        else:
            st.markdown(t("source.no_region"))
    with cols[2]:
        st.caption(t("source.url"))
        address = web_address(d.plan_url(plan["plan"]), text)
        if address is None:
            st.markdown(t("source.no_url"))
        else:  # an external link (a new tab), the address written as its characters
            st.markdown(f'<a href="{html.escape(address.url, quote=True)}" target="_blank" '
                        f'rel="noopener noreferrer">{one_line(address.url)}</a>', unsafe_allow_html=True)
            if address.origin == "sources":
                st.caption(t("source.url_sources"))
            else:
                st.page_link(f"{PAGES}/source.py", label=t("source.url_text", start=address.start, end=address.end),
                             query_params=with_lang({"file": name, "start": str(address.start),
                                                     "end": str(address.end)}))
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    start = min(start, end)
    if "source-view" not in st.session_state:
        st.session_state["source-view"] = choice(qp.get("view"), VIEWS, "raw")
    view = st.segmented_control(t("source.view"), VIEWS, key="source-view",
                                format_func=lambda v: t(f"source.view_{v}")) or "raw"
    if view == "raw":
        if "view" in qp:
            del qp["view"]
        st.caption(t("source.where", start=start, end=end, n=len(text)))
        if end > start:
            st.markdown(f"> {one_line(text[start:end])}", unsafe_allow_html=True)
        text_box(text, start, end)
    else:
        qp["view"] = "clean"
        norm = d.cleaned_text(name, d.plan_encoding(plan["plan"]))
        a, b = norm.clean_span(start, end) if end > start else (0, 0)
        st.caption(t("source.where_clean", start=a, end=b, n=len(norm.text), raw_start=start, raw_end=end))
        if b > a:
            st.markdown(f"> {one_line(norm.text[a:b])}", unsafe_allow_html=True)
        text_box(norm.text, a, b)
