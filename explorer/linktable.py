"""Tables whose cells link to the explorer's own pages, opened in the same tab.

Streamlit's st.dataframe link columns always open a new browser tab; these tables are HTML
instead (st.html): a link is a relative URL (``entity?iri=…&lang=en``, explorer.ui.entity_url)
with ``target="_self"``, every text and address HTML-escaped (labels come from the plans'
text; st.html renders no Markdown), headers that sort the rows when clicked (numbers as
numbers, once more to reverse), and the table scrolls inside a box of ``HEIGHT`` pixels.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

HEIGHT = 420          # pixels; a longer table scrolls inside its box
MAX_ROWS = 2000       # rows written into the page (the console says when it cut a result)

# a cell: plain text, or (text, href) with href None for a row that has nothing to link
Cell = object

_SORT_JS = """<script>(function(){const t=document.getElementById(%s);if(!t)return;
t.querySelectorAll('th').forEach((th,i)=>{th.style.cursor='pointer';th.addEventListener('click',()=>{
const b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.dir!=='asc';
t.querySelectorAll('th').forEach(h=>{delete h.dataset.dir;h.querySelector('span.pskg-arrow').textContent='';});
th.dataset.dir=asc?'asc':'desc';th.querySelector('span.pskg-arrow').textContent=asc?' ▲':' ▼';
const key=r=>{const c=r.cells[i];return c.dataset.sort!==undefined?c.dataset.sort:c.textContent;};
const num=rows.every(r=>key(r)===''||!isNaN(parseFloat(key(r))));
rows.sort((x,y)=>{let a=key(x),c=key(y);if(num){a=parseFloat(a)||0;c=parseFloat(c)||0;return asc?a-c:c-a;}
return asc?a.localeCompare(c,'zh'):c.localeCompare(a,'zh');});rows.forEach(r=>b.appendChild(r));});});})();</script>"""

_STYLE = ("<style>.pskg-table{border-collapse:collapse;width:100%;font-size:0.9rem}"
          ".pskg-table th,.pskg-table td{border-bottom:1px solid #e6e6e6;padding:.3em .6em;text-align:left;"
          "vertical-align:top}.pskg-table th{position:sticky;top:0;background:#f7f7f9;user-select:none}"
          ".pskg-table a{text-decoration:none}.pskg-table a:hover{text-decoration:underline}</style>")


def _cell(value: Cell) -> str:
    if isinstance(value, tuple):
        text, href = value
        text = "" if text is None else str(text)
        if href:
            return f'<td><a href="{html.escape(href, quote=True)}" target="_self">{html.escape(text)}</a></td>'
        return f"<td>{html.escape(text)}</td>"
    if isinstance(value, bool) or value is None:
        return f"<td>{'' if value is None else html.escape(str(value))}</td>"
    if isinstance(value, (int, float)):
        return f'<td data-sort="{value}" style="text-align:right">{html.escape(str(value))}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def table_html(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Cell]], table_id: str,
               height: int = HEIGHT) -> str:
    """The HTML of a table: ``columns`` are (key, title) (the key is written as data-col),
    ``rows`` lists of cells in that order."""
    tid = "pskg-t-" + re.sub(r"[^A-Za-z0-9_-]", "-", table_id)
    head = "".join(f'<th data-col="{html.escape(k, quote=True)}">{html.escape(title)}'
                   f'<span class="pskg-arrow"></span></th>' for k, title in columns)
    body = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in rows[:MAX_ROWS])
    return (f'{_STYLE}<div style="max-height:{height}px;overflow:auto;border:1px solid #e6e6e6;border-radius:.4em">'
            f'<table class="pskg-table" id="{tid}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
            + _SORT_JS % f"'{tid}'")


def show(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Cell]], key: str,
         height: int = HEIGHT) -> None:
    import streamlit as st

    st.html(table_html(columns, rows, key, height), unsafe_allow_javascript=True)
