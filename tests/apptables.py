"""The explorer's HTML link tables (explorer.linktable) read back in AppTest runs, as data frames:
one column per table column (its text) and, for a column with links, ``<col>_url`` (the href,
None for a cell without a link), like the data frames the pages showed before."""
from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "pskg-table" in (a.get("class") or ""):
            self.tables.append({"id": a.get("id"), "cols": [], "rows": [], "targets": []})
        elif not self.tables:
            return
        elif tag == "th":
            self.tables[-1]["cols"].append(a.get("data-col"))
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag == "td":
            self.cell = ["", None]
            self.tables[-1]["rows"][-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell[1] = a.get("href")
            self.tables[-1]["targets"].append(a.get("target"))

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def parse(body: str) -> list[dict]:
    p = _Tables()
    p.feed(body)
    return p.tables


def frame(table: dict) -> pd.DataFrame:
    rows = [r for r in table["rows"] if r]
    out = {}
    for i, c in enumerate(table["cols"]):
        out[c] = [r[i][0] for r in rows]
        if any(r[i][1] for r in rows):
            out[c + "_url"] = [r[i][1] for r in rows]
    return pd.DataFrame(out, columns=list(out))


def tables(at) -> list[pd.DataFrame]:
    """Every link table and data frame of the page's main area, in page order."""
    out = []
    for node in _walk(at.main):
        if node.type == "html":
            out += [frame(t) for t in parse(node.proto.body)]
        elif node.type == "arrow_data_frame":
            out.append(node.value)
    return out


def targets(at) -> list[str | None]:
    """The target attribute of every link in the page's link tables."""
    return [x for e in at.main.get("html") for t in parse(e.proto.body) for x in t["targets"]]


def _walk(node):
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for k in sorted(children):
        yield from _walk(children[k])
