"""Tables a crawl left as lines of cells separated by ``|``: the role of each column, from
the header's titles (项目内容 / 目标任务: goals; 年度完成情况 / 当前进度: what was achieved)."""
from __future__ import annotations

import re

from .data import tables

MIN_BARS = 2  # a table line has at least this many | separators


def _cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """(start, end) of the cells of the line text[s:e]."""
    out = []
    a = s
    for m in re.finditer(r"\|", text[s:e]):
        out.append((a, s + m.start()))
        a = s + m.end()
    out.append((a, e))
    return out


def _role(title: str) -> str | None:
    d = tables()
    t = re.sub(r"\s+", "", title)
    if d.achieved_column.search(t):
        return "achieved"
    if d.goal_column.search(t):
        return "goal"
    return None


def pipe_table_cells(text: str, blocks: list) -> dict[int, list[tuple[int, int, str | None]]]:
    """For each block that is a row of a | table whose header gives its columns roles: the
    row's cells (start, end, role of the column: 'achieved', 'goal' or None)."""
    out: dict[int, list[tuple[int, int, str | None]]] = {}
    roles: list[str | None] | None = None
    for k, b in enumerate(blocks):
        line = text[b.start:b.end]
        if line.count("|") < MIN_BARS:
            roles = None
            continue
        cells = _cells(text, b.start, b.end)
        found = [_role(text[a:c]) for a, c in cells]
        if any(found) and not re.search(r"\d", line):
            roles = found  # a header line: titles, no figures
            continue
        if roles:
            out[k] = [(a, c, roles[i] if i < len(roles) else None) for i, (a, c) in enumerate(cells)]
    return out
