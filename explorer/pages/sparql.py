"""SPARQL console: the named queries, any query, results as a table and CSV; exports of the graph."""
import io

import pandas as pd
import streamlit as st

from explorer.ui import data, t
from pskg.paths import QUERIES_DIR

d = data()
st.header(t("sparql.title"))
named = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))}
pick = st.selectbox(t("sparql.named"), list(named), key="sparql-named")
header = [ln[1:].strip() for ln in named[pick].splitlines() if ln.startswith("#")]
st.caption("  \n".join(header))
text = st.text_area("SPARQL", named[pick], height=260, key=f"sparql-text-{pick}")
if st.button(t("sparql.run"), key="sparql-run", type="primary"):
    try:
        rows = d.select(text)
    except (SyntaxError, OSError, ValueError, TypeError) as e:
        st.error(t("sparql.failed", error=e))
    else:
        df = pd.DataFrame(rows)
        st.caption(t("sparql.rows", n=len(df)))
        st.dataframe(df, hide_index=True, key="sparql-result")
        st.download_button(t("download.csv"), df.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"{pick}.csv", mime="text/csv", key="sparql-csv")

st.subheader(t("export.title"))
st.caption(t("export.help"))


def exporter(fmt: str):
    def make() -> bytes:
        buf = io.BytesIO()
        d.store.export(fmt, buf)
        return buf.getvalue()
    return make


cols = st.columns(3)
for col, (fmt, ext, mime) in zip(cols, (("turtle", "ttl", "text/turtle"), ("jsonld", "jsonld", "application/ld+json"),
                                        ("nquads", "nq", "application/n-quads"))):
    col.download_button(t(f"export.{fmt}"), exporter(fmt), file_name=f"pskg.{ext}", mime=mime, key=f"export-{fmt}")
