"""Tables whose cells link to the explorer's own pages, opened in the same tab.

Streamlit's st.dataframe link columns always open a new browser tab; these tables are HTML
instead (st.html): a link is a relative URL (``entity?iri=…&lang=en``, explorer.ui.entity_url)
with ``target="_self"``, every text and address HTML-escaped (labels come from the plans'
text; st.html renders no Markdown), headers that sort the rows when clicked (numbers as
numbers, once more to reverse), and the table scrolls inside a box of ``HEIGHT`` pixels. A
table of more than ``PAGE_ROWS`` rows is shown a page at a time, with previous/next buttons
and "first–last / total" under it; sorting orders every row and goes back to the first page.
Every row is in the page's HTML (rows past the first page are ``hidden``), so a sort or a page
turn needs no rerun of the script.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

HEIGHT = 420          # pixels; a longer table scrolls inside its box
MAX_ROWS = 2000       # rows written into the page (the console says when it cut a result)
PAGE_ROWS = 50        # rows shown at a time; a longer table gets previous/next buttons

# a cell: plain text, or (text, href) with href None for a row that has nothing to link
Cell = object

_SORT_JS = """<script>(function(){const t=document.getElementById(%s);if(!t)return;
const P=%d,nav=document.getElementById(t.id+'-nav');let page=0;
const show=()=>{const rows=Array.from(t.tBodies[0].rows),n=rows.length,last=Math.max(0,Math.ceil(n/P)-1);
page=Math.min(Math.max(page,0),last);rows.forEach((r,i)=>{r.hidden=!(i>=page*P&&i<(page+1)*P);});
if(!nav)return;nav.querySelector('.pskg-range').textContent=(n?page*P+1:0)+'–'+Math.min(n,(page+1)*P)+' / '+n;
nav.querySelector('.pskg-prev').disabled=page<=0;nav.querySelector('.pskg-next').disabled=page>=last;};
if(nav){nav.querySelector('.pskg-prev').addEventListener('click',()=>{page-=1;show();});
nav.querySelector('.pskg-next').addEventListener('click',()=>{page+=1;show();});}
t.querySelectorAll('th').forEach((th,i)=>{th.style.cursor='pointer';th.addEventListener('click',()=>{
const b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.dir!=='asc';
t.querySelectorAll('th').forEach(h=>{delete h.dataset.dir;h.querySelector('span.pskg-arrow').textContent='';});
th.dataset.dir=asc?'asc':'desc';th.querySelector('span.pskg-arrow').textContent=asc?' ▲':' ▼';
const key=r=>{const c=r.cells[i];return c.dataset.sort!==undefined?c.dataset.sort:c.textContent;};
const num=rows.every(r=>key(r)===''||!isNaN(parseFloat(key(r))));
rows.sort((x,y)=>{let a=key(x),c=key(y);if(num){a=parseFloat(a)||0;c=parseFloat(c)||0;return asc?a-c:c-a;}
return asc?a.localeCompare(c,'zh'):c.localeCompare(a,'zh');});rows.forEach(r=>b.appendChild(r));page=0;show();});});
show();})();</script>"""

_STYLE = ("<style>.pskg-table{border-collapse:collapse;width:100%;font-size:0.9rem}"
          ".pskg-table th,.pskg-table td{border-bottom:1px solid #e6e6e6;padding:.3em .6em;text-align:left;"
          "vertical-align:top}.pskg-table th{position:sticky;top:0;background:#f7f7f9;user-select:none}"
          ".pskg-table a{text-decoration:none}.pskg-table a:hover{text-decoration:underline}"
          ".pskg-nav{display:flex;gap:.6em;align-items:center;margin:.3em 0;font-size:0.85rem;color:#555}"
          ".pskg-nav button{border:1px solid #ccc;background:#fff;border-radius:.3em;padding:0 .6em;cursor:pointer}"
          ".pskg-nav button:disabled{opacity:.4;cursor:default}</style>")


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
               height: int = HEIGHT, page_rows: int = PAGE_ROWS) -> str:
    """The HTML of a table: ``columns`` are (key, title) (the key is written as data-col),
    ``rows`` lists of cells in that order, shown ``page_rows`` at a time."""
    tid = "pskg-t-" + re.sub(r"[^A-Za-z0-9_-]", "-", table_id)
    head = "".join(f'<th data-col="{html.escape(k, quote=True)}">{html.escape(title)}'
                   f'<span class="pskg-arrow"></span></th>' for k, title in columns)
    rows = rows[:MAX_ROWS]
    body = "".join(("<tr hidden>" if i >= page_rows else "<tr>") + "".join(_cell(c) for c in r) + "</tr>"
                   for i, r in enumerate(rows))
    nav = (f'<div class="pskg-nav" id="{tid}-nav"><button class="pskg-prev" disabled>‹</button>'
           f'<span class="pskg-range">1–{page_rows} / {len(rows)}</span><button class="pskg-next">›</button></div>'
           if len(rows) > page_rows else "")
    return (f'{_STYLE}<div style="max-height:{height}px;overflow:auto;border:1px solid #e6e6e6;border-radius:.4em">'
            f'<table class="pskg-table" id="{tid}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
            + nav + _SORT_JS % (f"'{tid}'", page_rows))


def show(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Cell]], key: str,
         height: int = HEIGHT, page_rows: int = PAGE_ROWS) -> None:
    import streamlit as st

    st.html(table_html(columns, rows, key, height, page_rows), unsafe_allow_javascript=True)
