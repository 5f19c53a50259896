"""Source page: the full decoded text of a plan, scrolled to one evidence span (?file=&start=&end=)."""
import html

import streamlit as st

from explorer.params import integer
from explorer.ui import data, entity_link, md, one_line, t

qp = st.query_params
d = data()
name = qp.get("file", "")
plan = next((p for p in d.plans() if p["file"] == name), None)  # only the store's own source files
start, end = integer(qp.get("start"), 0), integer(qp.get("end"), 0)
text = d.source_text(name) if plan else None
if text is None:
    st.error(t("source.missing", file=md(name[:200]) or "–"))
else:
    st.header(md(name))
    entity_link(plan["plan"])
    if plan.get("region"):
        entity_link(plan["region"], kind="Region")
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    start = min(start, end)
    st.caption(t("source.where", start=start, end=end, n=len(text)))
    if end > start:
        st.markdown(f"> {one_line(text[start:end])}", unsafe_allow_html=True)
    body = (html.escape(text[:start]) + '<mark id="pskg-hit">' + html.escape(text[start:end]) + "</mark>"
            + html.escape(text[end:]))
    st.html(f'<div id="pskg-source" style="height:70vh;overflow:auto;white-space:pre-wrap;'
            f'font-family:serif;line-height:1.7;border:1px solid #ddd;padding:1em">{body}</div>'
            # scroll the text box only (scrollIntoView would scroll the whole page too)
            "<script>const m=document.getElementById('pskg-hit'),b=document.getElementById('pskg-source');"
            "if(m&&b){b.scrollTop=m.offsetTop-b.offsetTop-b.clientHeight/2;}</script>",
            unsafe_allow_javascript=True)
