"""Flattened tables whose columns are categories (funding tables: 合计 中央财政 省级财政
市县财政), as crawled: the header declares the unit (``单位:万元``) and names the columns;
each row is an outline heading (``一、社保惠民项目`` / ``(一)…``) followed by its figures,
one cell per figure, then text cells (the task, the lead body). Each figure is an indicator
named by the row and its column (``社保惠民项目中央财政``), in column order; figures
broken over a line (``6282616.`` / ``5``) are joined. Vocabulary: data/indicator_table_columns.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from ..agencies import read_table
from .data import tables
from .record import Indicator
from .years import RE_YEAR

RE_UNIT_DECL = re.compile(r"单位\s*[::]\s*(?P<u>[万亿千百]?元)|[((](?P<u2>[万亿千百]?元)[))]")
RE_ROW_HEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d{1,2}[、.](?!\d))\s*")
RE_NUM_CELL = re.compile(r"\d+(?:\.\d+)?")
RE_DASH_CELL = re.compile(r"^[―—\-–~～]+$")
MAX_TABLE_LINE = 150  # a longer line is running text: the table has ended
HEADER_REACH = 3  # lines after the unit declaration that may hold the column header


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern, re.Pattern]:
    rows = read_table(EXTRACT_DATA / "indicator_table_columns.tsv")
    col = "|".join(f"(?:{p})" for k, p in rows if k == "column")
    head = "|".join(f"(?:{p})" for k, p in rows if k == "header")
    return re.compile(col), re.compile(head)


@dataclass
class _Cell:
    text: str
    start: int
    end: int
    line_start: bool  # the first cell of its line


def _cells(text: str, start: int, lines: list[tuple[int, int]]) -> list[_Cell]:
    """The cells (whitespace-separated) of the table lines, a figure broken after its decimal
    point at a line end joined with the digits that open the next line."""
    out: list[_Cell] = []
    for ls, le in lines:
        first = True
        for m in re.finditer(r"\S+", text[ls:le]):
            c = _Cell(m.group(0), ls + m.start(), ls + m.end(), first)
            first = False
            if c.line_start and out and re.fullmatch(r"\d+\.", out[-1].text) and re.fullmatch(r"\d+", c.text):
                prev = out.pop()
                c = _Cell(prev.text + c.text, prev.start, c.end, prev.line_start)
            out.append(c)
    return out


def _columns(line: str) -> list[str]:
    col, head = _vocab()
    rest = head.sub(" ", line)
    return [m.group(0) for m in col.finditer(rest)]


def _is_value(cells: list[_Cell], k: int) -> bool:
    """A figure cell standing alone: not followed by its unit (3 公里范围内…) or a dash (0 ―)."""
    if not RE_NUM_CELL.fullmatch(cells[k].text):
        return False
    if k + 1 < len(cells):
        nxt = cells[k + 1].text
        if RE_DASH_CELL.match(nxt):
            return False
        d = tables()
        if not any(nxt.startswith(w) for w in d.unit_words) and \
                any(nxt.startswith(u) or nxt.lstrip("万亿千百").startswith(u) for u in d.units if len(u) > 0 and u[0] not in "/%‰‱"):
            return False
    return True


def category_table_indicators(text: str, ctx_for) -> tuple[list[Indicator], list[tuple[int, int]]]:
    """Indicators of the category tables of the text, and the spans their cells cover."""
    out: list[Indicator] = []
    covered: list[tuple[int, int]] = []
    lines = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    i = 0
    while i < len(lines):
        ls, le = lines[i]
        decl = RE_UNIT_DECL.search(text, ls, le)
        if not decl or le - ls > MAX_TABLE_LINE:
            i += 1
            continue
        cols, k_hdr = [], None
        for k in range(i, min(len(lines), i + HEADER_REACH + 1)):
            found = _columns(text[lines[k][0]:lines[k][1]])
            if len(found) >= 2:
                cols, k_hdr = found, k
                break
        if not cols:
            i += 1
            continue
        unit = decl.group("u") or decl.group("u2")
        header = text[ls:lines[k_hdr][1]]
        years = {int(m.group(1)) for m in RE_YEAR.finditer(header) if not m.group(2)}
        year = years.pop() if len(years) == 1 else None
        title = _title(text[ls:decl.start()])
        k = k_hdr + 1
        while k < len(lines) and lines[k][1] - lines[k][0] <= MAX_TABLE_LINE:
            k += 1
        found, cov = _rows(text, lines[k_hdr + 1:k], cols, unit, year, title, (ls, decl.end()), ctx_for)
        out.extend(found)
        covered.extend(cov)
        i = k
    return out, covered


def _title(before_decl: str) -> str:
    """The table's name from the text before its unit declaration (22 ― 附件 2019年…计划表)."""
    t = re.sub(r"^.*?附件", "", before_decl)
    t = re.sub(r"^[\s―—\-:]*(?:(?:19|20)\d{2}\s*年度?)?", "", t)
    return t.strip()


def _header_residue(cell: str, head_re: re.Pattern, col_re: re.Pattern) -> bool:
    """A cell made only of header words, column headings and years."""
    if re.fullmatch(r"(?:19|20)\d{2}", cell):
        return True
    rest = col_re.sub("", head_re.sub("", cell))
    return rest != cell and not re.sub(r"(?:(?:19|20)\d{2})?年?", "", rest)


def _row_values(values: list, cols: list[str]) -> list:
    """The figures of one row: at most one per column; under a total column (合计) the row
    ends where the figures after the total add up to it."""
    values = values[:len(cols)]
    if cols and re.fullmatch(r"合计|小计|总计|总额", cols[0]) and len(values) > 2:
        total, run = values[0][0], Decimal(0)
        for m in range(1, len(values)):
            run += values[m][0]
            if run == total:
                return values[:m + 1]
    return values


def _rows(text, lines, cols, unit, year, title, title_span, ctx_for):
    cells = _cells(text, 0, lines)
    col_re, head_re = _vocab()
    out, covered = [], []
    name, name_span, values, state = title, title_span, [], "name"

    def flush():
        if not name or not values:
            return
        ctx = ctx_for(values[0][1])
        p = ctx.period
        kind = "baseline" if (ctx.retro or p.report) else "target"
        y = year if year is not None else (p.review_year if kind == "baseline" else p.end)
        for (v, vs, ve), col in zip(_row_values(values, cols), cols):
            nm = name + col
            span = (name_span[0], ve)
            if kind == "target":
                out.append(Indicator(nm, name_span, unit, "=", v, y, None, None, span, ctx.domain, True))
            else:
                out.append(Indicator(nm, name_span, unit, "=", None, None, v, y, span, ctx.domain, True))

    for k, c in enumerate(cells):
        if c.line_start and RE_ROW_HEAD.match(text[c.start:c.start + 6]):
            flush()
            name, name_span, values, state = "", (c.start, c.start), [], "name"
            mk = RE_ROW_HEAD.match(text[c.start:c.start + 6])
            rest = c.text[mk.end():] if mk.end() <= len(c.text) else ""
            if rest:
                name, name_span = rest, (c.start + mk.end(), c.end)
            covered.append((c.start, c.end))
            continue
        if state in ("name", "values") and _is_value(cells, k):
            values.append((Decimal(c.text), c.start, c.end))
            covered.append((c.start, c.end))
            state = "values"
            continue
        if state == "name":
            if _header_residue(c.text, head_re, col_re):
                continue  # the rest of the header (2019 年目标任务 牵头单位 备注 合计)
            name = name + c.text if name_span[1] > name_span[0] else c.text
            name_span = (name_span[0] if name_span[1] > name_span[0] else c.start, c.end)
            covered.append((c.start, c.end))
            continue
        state = "text"  # the row's task and lead cells
    flush()
    return out, covered
