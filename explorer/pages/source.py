"""Source page: the full decoded text of a plan, scrolled to one evidence span (?file=&start=&end=)."""
import html

import streamlit as st

from explorer.ui import data, t

qp = st.query_params
name = qp.get("file", "")
try:
    start, end = int(qp.get("start", "0")), int(qp.get("end", "0"))
except ValueError:
    start = end = 0
text = data().source_text(name) if name else None
if text is None:
    st.error(t("source.missing", file=name or "–"))
else:
    st.header(name)
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    st.caption(t("source.where", start=start, end=end, n=len(text)))
    if end > start:
        st.markdown(f"> {html.escape(' '.join(text[start:end].split()))}", unsafe_allow_html=True)
    body = (html.escape(text[:start]) + '<mark id="pskg-hit">' + html.escape(text[start:end]) + "</mark>"
            + html.escape(text[end:]))
    st.html(f'<div id="pskg-source" style="height:70vh;overflow:auto;white-space:pre-wrap;'
            f'font-family:serif;line-height:1.7;border:1px solid #ddd;padding:1em">{body}</div>'
            # scroll the text box only (scrollIntoView would scroll the whole page too)
            "<script>const m=document.getElementById('pskg-hit'),b=document.getElementById('pskg-source');"
            "if(m&&b){b.scrollTop=m.offsetTop-b.offsetTop-b.clientHeight/2;}</script>",
            unsafe_allow_javascript=True)
