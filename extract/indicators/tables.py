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


def _table_row(row_name: str | None, row_span, row_unit: str, vals: list, years: list[int],
               ctx: Ctx) -> Indicator | None:
    """One goal-table row: values in the order of the header's year columns."""
    if not row_name or not vals:
        return None
    nm = row_name
    unit = row_unit
    mu = re.search(r"[((]([^()()]{1,8})[))]\s*$", nm)
    if mu and not unit:
        unit = mu.group(1)
    if mu:
        nm = nm[: mu.start()].strip()
    base_v, base_y, tgt_v, tgt_y, cmp, v_end = None, None, None, None, "=", row_span[1]
    for (val, c, vu, vend), y in zip(vals, years):
        if val is None:
            continue
        unit = unit or vu
        v_end = max(v_end, vend)
        if ctx.start_year is not None and y < ctx.start_year:
            base_v, base_y = val, y
        else:
            tgt_v, tgt_y, cmp = val, y, c
    if tgt_v is None and base_v is None:
        return None
    span = (row_span[0], v_end)
    nspan = (row_span[0], row_span[0] + len(nm))
    if tgt_v is not None:
        return Indicator(nm, nspan, unit, cmp, tgt_v, tgt_y, base_v, base_y, span, ctx.domain, True)
    return Indicator(nm, nspan, unit, cmp, None, None, base_v, base_y, span, ctx.domain, True)


def table_indicators(text: str, ctx_for, books) -> list[Indicator]:
    lines = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    d = tables()
    out: list[Indicator | None] = []
    i = 0
    n = len(lines)
    while i < n:
        # header: up to 8 consecutive short lines with >= 2 year columns and a column word
        found = None
        acc = ""
        for k in range(i, min(n, i + 8)):
            ln = lines[k][2].strip()
            if len(ln) > 60 or "。" in ln:
                break
            acc += " " + ln
            years = RE_HEADER_YEAR.findall(acc)
            if len(set(years)) >= 2 and re.search(r"指标|名称|项目|属性|单位", acc) and not re.search(r"[,;]", acc):
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
            if RE_ATTR.match(cell):
                out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                row_name, vals, row_unit = None, [], ""
                continue
            mv = RE_CELL_VALUE.match(cell)
            if mv and row_name:
                c = d.prefix_cmp.get(mv.group("pre") or "", "=")
                if mv.group("sfx"):
                    c = d.suffix_cmp.get(mv.group("sfx"), c)
                vals.append((dec(mv.group("n")), c, mv.group("u") or "", ce))
                if not has_attr and len(vals) >= len(years):
                    out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
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
                    out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                    vals, row_unit = [], ""
                row_name, row_span = cell, (cs, ce)
        out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
        i = k
    return [x for x in out if x is not None]
