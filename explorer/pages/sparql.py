"""SPARQL console: the named queries as forms, any query (SELECT, ASK, CONSTRUCT, DESCRIBE) run
with a time and a size limit, results as a table with links and downloads; exports of the graph.
The query (named query, parameters, text) is kept in the URL."""
import pandas as pd
import streamlit as st

from explorer import console, linktable, named_queries
from explorer.export import FORMATS, export_file
from explorer.params import entity_iri
from explorer.ui import data, entity_url, store_path, t

d = data()
qp = st.query_params
st.header(t("sparql.title"))
named = named_queries.load()
names = list(named)


def url_state() -> tuple:
    return tuple(sorted((k, v) for k, v in qp.to_dict().items() if k in ("query", "sparql", "qpage") or k.startswith("p.")))


# a URL with a query in it (a shared link, an example question) that this session has not seen
# yet: its query, parameters and text are filled in and run on arrival
arrived = qp.get("query") in named and url_state() != st.session_state.get("sparql-url-seen")
if arrived:
    asked = named[qp.get("query")]
    st.session_state["sparql-named"] = asked.name
    for p in asked.params:
        st.session_state[f"sparql-param-{asked.name}-{p.name}"] = qp.get(f"p.{p.name}", "")[:200]
    st.session_state[f"sparql-text-{asked.name}"] = qp.get("sparql", asked.text)
st.session_state["sparql-url-seen"] = url_state()
pick = st.selectbox(t("sparql.named"), names, key="sparql-named")
nq = named[pick]
st.caption("  \n".join(h for h in nq.header if not h.startswith("Bind:")))
values = {}
if nq.params:
    cols = st.columns(min(3, len(nq.params)))
    for i, p in enumerate(nq.params):
        key = f"sparql-param-{pick}-{p.name}"
        values[p.name] = cols[i % len(cols)].text_input(p.name, key=key, help=p.help or None,
                                                        placeholder=p.example or t("sparql.optional"))
text_key = f"sparql-text-{pick}"
if text_key not in st.session_state:
    st.session_state[text_key] = nq.text
text = st.text_area("SPARQL", height=260, key=text_key)
st.caption(t("sparql.limits", s=console.TIMEOUT, mb=console.MAX_BYTES // 1_000_000))
# a query that declares pages for the parameters filled in (# Page: for none, # Page if NAMES:)
# runs a page at a time
try:
    paging = named_queries.paging(text, values)
except ValueError:  # said when the query runs
    paging = None
page = 1
if paging is not None:
    total = d.memo(("page-total", paging.count_query()), lambda: paging.total(d.store))
    pages = max(1, -(-total // paging.size))
    page_key = f"sparql-page-{pick}"
    if arrived or page_key not in st.session_state:
        asked_page = qp.get("qpage", "1")
        st.session_state[page_key] = min(max(1, int(asked_page)), pages) if asked_page.isdigit() else 1
    page = st.number_input(t("sparql.page"), min_value=1, max_value=pages, step=1, key=page_key)
    st.caption(t("sparql.pages", size=paging.size, var=paging.var, total=total, pages=pages))

clicked = st.button(t("sparql.run"), key="sparql-run", type="primary")
# a shared URL with a query in it (?query=NAME[&p.NAME=...][&sparql=TEXT]) shows its result on arrival
if clicked or arrived:
    bound = text
    try:
        bound = named_queries.bind(paging.page(text, int(page)) if paging is not None else text, values)
    except ValueError as e:
        outcome = console.Outcome("error", error=str(e))
    else:
        with st.spinner(t("sparql.running")):
            outcome = console.run(store_path(), bound)
    st.session_state["sparql-outcome"] = (pick, outcome)
    st.session_state["sparql-ran"] = bound  # error positions are those of this text
    qp["query"] = pick
    for name, v in values.items():
        if v:
            qp[f"p.{name}"] = v
        elif f"p.{name}" in qp:
            del qp[f"p.{name}"]
    if paging is not None and page > 1:
        qp["qpage"] = str(int(page))
    elif "qpage" in qp:
        del qp["qpage"]
    if text != nq.text:
        qp["sparql"] = text
    elif "sparql" in qp:
        del qp["sparql"]
    for k in [k for k in qp.to_dict() if k.startswith("p.") and k[2:] not in values]:
        del qp[k]  # parameters of another named query
    st.session_state["sparql-url-seen"] = url_state()  # the URL now says what ran


def iri_columns(df: pd.DataFrame) -> list[str]:
    """Columns whose values are all entity IRIs (they link to their pages)."""
    out = []
    for col in df.columns:
        vals = [v for v in df[col] if isinstance(v, str) and v]
        if vals and all(entity_iri(v) for v in vals[:200]):
            out.append(col)
    return out


def result_table(df: pd.DataFrame) -> None:
    """The result: a table whose entity IRIs open their pages in the same tab (explorer.linktable),
    at most linktable.MAX_ROWS rows of it (the downloads hold all); without IRIs, a data frame."""
    links = iri_columns(df)
    if not links:
        st.dataframe(df, hide_index=True, key="sparql-result")
        return
    def cell(c, v):
        if not isinstance(v, str) and (v is None or pd.isna(v)):
            v = ""
        return (v, entity_url(v) if v else None) if c in links else v

    rows = [[cell(c, v) for c, v in zip(df.columns, r)] for r in df.itertuples(index=False)]
    if len(rows) > linktable.MAX_ROWS:
        st.caption(t("sparql.first_rows", n=linktable.MAX_ROWS))
    linktable.show([(c, c) for c in df.columns], rows, key="sparql-result")


shown = st.session_state.get("sparql-outcome")
if shown and shown[0] == pick:
    out = shown[1]
    with st.expander(t("sparql.as_run")):
        st.code(st.session_state.get("sparql-ran", text), language="sparql", line_numbers=True)
    if out.form == "error":
        st.error(t("sparql.failed", error=out.error))
        if out.position:
            line, col = out.position
            lines = st.session_state.get("sparql-ran", text).splitlines()
            if 0 < line <= len(lines):
                st.code(f"{line:>4} | {lines[line - 1]}\n       {' ' * (col - 1)}^", language=None)
    elif out.form == "ask":
        if out.boolean:
            st.success(t("sparql.ask_true"))
        else:
            st.warning(t("sparql.ask_false"))
    else:
        df = pd.DataFrame(out.rows, columns=out.columns)
        st.caption(t("sparql.rows" if out.form == "select" else "sparql.triples", n=len(df)))
        csv = df.to_csv(index=False).encode("utf-8-sig")
        result_table(df)
        c = st.columns(2)
        c[0].download_button(t("download.csv"), csv, file_name=f"{pick}.csv", mime="text/csv", key="sparql-csv")
        if out.form == "select":
            c[1].download_button(t("download.json"), out.body, file_name=f"{pick}.srj",
                                 mime="application/sparql-results+json", key="sparql-json")
        else:
            c[1].download_button(t("download.ntriples"), out.body, file_name=f"{pick}.nt",
                                 mime="application/n-triples", key="sparql-nt")

st.subheader(t("export.title"))
st.caption(t("export.help"))
cols = st.columns(len(FORMATS))
for col, (fmt, (ext, mime)) in zip(cols, FORMATS.items()):
    ready = st.session_state.get(f"export-ready-{fmt}")
    if not ready:
        if col.button(t("export.prepare", fmt=t(f"export.{fmt}")), key=f"export-make-{fmt}"):
            bar = col.progress(0.0, text=t("export.writing"))
            st.session_state[f"export-ready-{fmt}"] = ready = str(export_file(
                d.store, fmt, progress=lambda done, total: bar.progress(
                    done / max(total, 1), text=t("export.progress", done=done, total=total))))
            bar.empty()
    if ready:
        with open(ready, "rb") as f:
            col.download_button(t(f"export.{fmt}"), f.read(), file_name=f"pskg.{ext}.gz", mime="application/gzip",
                                key=f"export-{fmt}")
