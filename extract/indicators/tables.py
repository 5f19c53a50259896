"""Flattened goal tables: a header of year columns (``指标 单位 2015年 2020年 属性``) and rows,
one per line or one cell per line; the year columns give baseline (before the plan period)
and target."""
from __future__ import annotations

import re

from .data import tables
from .numbers import NUM, dec
from .record import Indicator
from .spans import CJK
from .years import Ctx

RE_ATTR = re.compile(r"^(?:预期性|约束性|指导性)$")
RE_CELL_VALUE = re.compile(rf"^(?P<pre>[≥≤><]|>=|<=)?\s*[\[(]?(?P<n>{NUM})[\])]?\s*(?P<u>%|‰)?\s*(?P<sfx>以上|以下|以内|左右)?$")
RE_EMPTY = re.compile(r"^(?:—+|-+|/|无|--|——|─+)$")
RE_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
RE_BARE_YEARS = re.compile(r"^\s*(?:(?:19|20)\d{2}\s+){2,}(?:19|20)\d{2}\s*$")  # 2014 2015 2016 …
RE_UNIT_CELL = re.compile(r"^[((]([^()()]{1,6})[))]$")  # (个) / (万人)
RE_LATIN_CELL = re.compile(r"^[A-Za-z().,&/'-]+$")  # a bilingual table's English words


def _achieved_column(year: int, ctx: Ctx) -> bool:
    """Is a year column achieved figures: before the plan's present, or within what a report
    reports on (a table of 2014 … 2018 in a report on 2014-2018)."""
    p = ctx.period
    if p.report and p.end is not None:
        return year <= p.end
    present = p.present
    return present is not None and year < present


def _table_row(row_name: str | None, row_span, row_unit: str, vals: list, years: list[int],
               ctx: Ctx) -> list[Indicator]:
    """One table row: values in the order of the header's year columns. The latest goal
    column and the latest achieved column before it make one indicator; every other achieved
    column one more (a statistics table of five years gives five)."""
    if not row_name or not vals:
        return []
    nm = row_name
    unit = row_unit
    mu = re.search(r"[((]([^()()]{1,8})[))]\s*$", nm)
    if mu and not unit:
        unit = mu.group(1)
    if mu:
        nm = nm[: mu.start()].strip()
    achieved, tgt_v, tgt_y, cmp, v_end = [], None, None, "=", row_span[1]
    for (val, c, vu, vend), y in zip(vals, years):
        if val is None:
            continue
        unit = unit or vu
        v_end = max(v_end, vend)
        if _achieved_column(y, ctx):
            achieved.append((val, y, c))
        else:
            tgt_v, tgt_y, cmp = val, y, c
    if tgt_v is None and not achieved:
        return []
    span = (row_span[0], v_end)
    nspan = (row_span[0], row_span[0] + len(nm))
    base_v, base_y, _ = achieved[-1] if achieved else (None, None, "=")
    out = [Indicator(nm, nspan, unit, c, None, None, v, y, span, ctx.domain, True) for v, y, c in achieved[:-1]]
    if tgt_v is not None:
        out.append(Indicator(nm, nspan, unit, cmp, tgt_v, tgt_y, base_v, base_y, span, ctx.domain, True))
    else:
        out.append(Indicator(nm, nspan, unit, achieved[-1][2], None, None, base_v, base_y, span, ctx.domain, True))
    return out


def table_indicators(text: str, ctx_for, books) -> list[Indicator]:
    lines = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    d = tables()
    out: list[Indicator] = []
    i = 0
    n = len(lines)
    while i < n:
        # header: up to 8 consecutive short lines with >= 2 year columns and a column word
        found = None
        acc = ""
        bare: list[str] = []
        for k in range(i, min(n, i + 8)):
            ln = lines[k][2].strip()
            if len(ln) > 60 or "。" in ln:
                break
            acc += " " + ln
            if RE_BARE_YEARS.match(ln):
                bare = ln.split()  # a line of bare years: the columns
            years = bare or RE_HEADER_YEAR.findall(acc)
            if len(set(years)) >= 2 and re.search(r"指标|名称|项目|属性|单位", re.sub(r"\s+", "", acc)) and \
                    not re.search(r"[,;]", acc):
                found = (k, [int(y) for y in years])
                break
        if not found:
            i += 1
            continue
        k_end, years = found
        ctx = ctx_for(lines[i][0])
        has_attr = "属性" in acc
        cells: list[tuple[str, int, int]] = []
        k = k_end + 1
        while k < n:
            s0, _e0, ln = lines[k]
            st = ln.strip()
            if not st:
                k += 1
                continue
            if "。" in st or len(st) > 80 or re.match(r"^(?:[一二三四五六七八九十]+、|[((][一二三四五六七八九十]+[))]|注)", st):
                break
            for m in re.finditer(r"[^\s|]+", ln):
                cells.append((m.group(0), s0 + m.start(), s0 + m.end()))
            k += 1
        row_name, row_span, row_unit, vals = None, None, "", []

        for cell, cs, ce in cells:
            if RE_LATIN_CELL.match(cell) or not re.search(f"[{CJK}]", cell) and \
                    (cell[:1] in "([") != (cell[-1:] in ")]"):
                continue  # English words of a bilingual table, a bracket cut by the cell split: (10,000 persons)
            mu = RE_UNIT_CELL.match(cell)
            if mu and row_name and not vals:
                row_unit = mu.group(1)
                continue
            if RE_ATTR.match(cell):
                out.extend(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                row_name, vals, row_unit = None, [], ""
                continue
            mv = RE_CELL_VALUE.match(cell)
            if mv and row_name:
                c = d.prefix_cmp.get(mv.group("pre") or "", "=")
                if mv.group("sfx"):
                    c = d.suffix_cmp.get(mv.group("sfx"), c)
                vals.append((dec(mv.group("n")), c, mv.group("u") or "", ce))
                if not has_attr and len(vals) >= len(years):
                    out.extend(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                    row_name, vals, row_unit = None, [], ""
                continue
            if RE_EMPTY.match(cell) and row_name:
                vals.append((None, "=", "", ce))
                continue
            if row_name and not vals and (cell in d.units or re.fullmatch(r"(?:[万亿千百])?\S{1,4}", cell)
                                          and cell.lstrip("万亿千百") in d.units):
                row_unit = cell
                continue
            if re.search(f"[{CJK}]", cell):
                if vals:
                    out.extend(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                    vals, row_unit = [], ""
                row_name, row_span = cell, (cs, ce)
        out.extend(_table_row(row_name, row_span, row_unit, vals, years, ctx))
        i = k
    return out
