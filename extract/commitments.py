"""Commitments: the provisions of a plan, read off its outline.

A provision is what a plan commits to do or provide, under a title of its own:
* a paragraph that opens with a lead phrase ("促进义务教育均衡发展。…"),
* a numbered item with a title ("1.提供义务教育服务和资助。为…提供…", with the unnumbered
  lines that continue it),
* a numbered heading with running text under it ("(三)强化监督问责" + the paragraphs
  before its first titled sub-provision),
* a row of a task table (its first cell is its title),
* the text an assignment closes when no provision above holds it ("…继续推进脱贫奔小康工程。
  (省扶贫办牵头负责) 努力优化二次分配,…(省国税局、地税局、财政厅按职责分工负责)": two provisions).
Its kind (pskg:Task, pskg:Project, pskg:ServiceGuarantee) and whether it is a provision
at all (background, principles and goal narratives are not) come from its own title and
the titles of the sections it sits in, by the table extract/data/commitment_sections.tsv;
a provision that names who owns it is one whatever section it sits in (the goals of a
task-division scheme: "1.九年义务教育巩固率达到97%。责任单位:省教育厅。").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .spans import SpanSet
from .tables import read_table
from .structure import Block, body_start, section_keywords


@dataclass(frozen=True)
class Commitment:
    kind: str  # "Task" | "Project" | "ServiceGuarantee"
    block: int  # index of the block that opens it
    label: str  # its title (lead phrase), clean Simplified text
    label_span: tuple[int, int]
    span: tuple[int, int]  # clean offsets of its whole text
    domain: str | None
    section: int | None  # block index of the outline section it belongs to (itself if a section)


@lru_cache(maxsize=1)
def section_rules() -> tuple[tuple[str, str, re.Pattern], ...]:
    return tuple((kind, scope, re.compile(rx))
                 for kind, scope, rx in read_table(EXTRACT_DATA / "commitment_sections.tsv"))


def classify(title: str, ancestors: list[str], owned: bool = False) -> str | None:
    """The commitment kind of a provision titled ``title`` under ``ancestors`` (innermost
    first), or None when it is not a commitment. A "none" row matching any title rules it
    out, unless the provision names who owns it (``owned``); otherwise the innermost title
    that says something decides (a "重点任务" under "重点任务和保障工程" holds tasks, not projects)."""
    rules = section_rules()
    titles = [title, *ancestors]
    for level, text in enumerate(titles):
        for kind, scope, rx in rules:
            if kind == "none" and not owned and _applies(scope, level) and rx.search(text):
                return None
    for level, text in enumerate(titles):
        for kind, scope, rx in rules:
            if kind != "none" and _applies(scope, level) and rx.search(text):
                return kind
    return next((kind for kind, scope, _ in rules if scope == "default"), None)


def _applies(scope: str, level: int) -> bool:
    return scope == "any" or (scope == "self" and level == 0) or (scope == "ancestor" and level > 0)


def find_commitments(text: str, blocks: list[Block], leads: list = ()) -> list[Commitment]:
    """The plan's provisions, sorted by position and not overlapping; ``leads`` are the
    document's lead statements (extract.leads.LeadStatement)."""
    assignments = sorted(st.match for st in leads)
    starts = [a for a, _ in assignments]
    outline = _split_at_assignments(_outline_commitments(text, blocks, starts), blocks, assignments, starts)
    rows = _row_commitments(text, blocks, [st for st in leads if st.item is not None])
    row_spans = SpanSet(r.span for r in rows)
    kept = [c for c in outline if not _within_one(row_spans, c.span)]
    taken = SpanSet(c.span for c in kept)
    kept += [r for r in rows if taken.add(*r.span)]
    kept += _closed_segments(text, blocks, [st for st in leads if st.item is None], taken)
    return sorted(kept, key=lambda c: c.span)


def _within_one(spans: SpanSet, span: tuple[int, int]) -> bool:
    i = spans.index_at(span[0])
    return i is not None and span[1] <= spans.ends[i]


def _starting_in(starts: list[int], s: int, e: int) -> range:
    """Indices of the sorted ``starts`` in [s, e)."""
    return range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e))


def _split_at_assignments(commitments: list[Commitment], blocks: list[Block],
                          assignments: list[tuple[int, int]], starts: list[int]) -> list[Commitment]:
    """A paragraph that closes several assignments ("推进脱贫工程。(省扶贫办牵头负责) 优化收入分配…
    (省税务局…负责)") is several provisions: its own ends with its first assignment, and the text
    after it is left to the assignments that close it."""
    out = []
    for c in commitments:
        inside = _starting_in(starts, *c.span)
        if blocks[c.block].kind == "paragraph" and len(inside) >= 2:
            first_end = assignments[inside[0]][1]
            c = Commitment(c.kind, c.block, c.label, c.label_span, (c.span[0], first_end), c.domain, c.section)
        out.append(c)
    return out


def _ancestors(blocks: list[Block], b: Block | None) -> list[str]:
    out = []
    p = b.parent if b is not None else None
    while p is not None:  # a block's index is its place in the list
        out.append(blocks[p].title)
        p = blocks[p].parent
    return out


def _block_at(blocks: list[Block], offset: int, starts: list[int] | None = None) -> Block | None:
    """The block an offset is in (``starts``: the blocks' starts, when the caller has them)."""
    starts = starts if starts is not None else [b.start for b in blocks]
    i = bisect.bisect_right(starts, offset) - 1
    return blocks[i] if i >= 0 else None


def _row_commitments(text: str, blocks: list[Block], row_leads: list) -> list[Commitment]:
    """One provision per task-table row that names its owners, titled by its first cell."""
    out, seen = [], set()
    starts = [b.start for b in blocks]
    for st in row_leads:
        if st.item in seen or st.item_title is None:
            continue
        seen.add(st.item)
        b = _block_at(blocks, st.item[0], starts)
        title = text[st.item_title[0]:st.item_title[1]].strip()
        kind = classify(title, _ancestors(blocks, b), owned=True)
        out.append(Commitment(kind, b.index if b else 0, title, st.item_title, st.item,
                              b.domain if b else None, b.parent if b else None))
    return out


def _closed_segments(text: str, blocks: list[Block], leads: list, taken: SpanSet) -> list[Commitment]:
    """The text each assignment closes, where no provision holds the assignment: back to the
    previous assignment of its line, or its line's start (an assignment alone on its line closes
    the lines above it, back to the previous assignment or section)."""
    out: list[Commitment] = []
    starts = [b.start for b in blocks]
    prev_end = 0
    for st in sorted(leads, key=lambda x: x.match):
        ms, me = st.match
        if taken.index_at(ms) is not None:
            prev_end = max(prev_end, me)
            continue
        line_start = text.rfind("\n", 0, ms) + 1
        start = max(line_start, prev_end)
        if not text[start:ms].strip(" \t(（"):  # alone on its line: the lines above it
            b = _block_at(blocks, ms, starts)
            floor = max(prev_end, b.start if b is not None and b.is_section else 0)
            k = b.index - 1 if b is not None else -1
            while k >= 0 and blocks[k].end > floor and not blocks[k].is_section:
                start = blocks[k].start
                k -= 1
            if k >= 0 and blocks[k].is_section and blocks[k].start >= floor:
                start = blocks[k].start
        prev_end = me
        for mk in _INLINE_MARKER.finditer(text, start, ms):  # "(5)推进…" starts a provision of its own
            start = mk.start(1)
        seg = _label_span(text, start, ms)
        if seg is None:
            continue
        b = _block_at(blocks, start, starts)
        title = text[seg[0]:seg[1]]
        kind = classify(title, _ancestors(blocks, b) if b else [], owned=True)
        c = Commitment(kind, b.index if b else 0, title, seg, (start, _close(text, me)),
                       b.domain if b else None, (b.index if b.is_section else b.parent) if b else None)
        if taken.add(*c.span):
            out.append(c)
    return out


# an outline marker inside a line, after a blank or a sentence end: "… (5)推进保障性住房建设 加大…"
_INLINE_MARKER = re.compile(r"(?:(?<=[\s。;；)）])|^)((?:[(（](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）]|\d{1,2}[.．](?!\d))"
                            r"\s*[\u4e00-\u9fff])")
_LEADING_NOISE = re.compile(r"(?:\s|\[[^\]]{0,8}\]|【[^】]{0,8}】|[(（][一二三四五六七八九十\d]{1,3}[)）]|"
                            r"[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?!\d))+")


def _label_span(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The title of a closed segment: its first sentence, without leading markers and notes."""
    m = _LEADING_NOISE.match(text, s, e)
    a = m.end() if m else s
    b = a
    while b < e and text[b] not in "。;；!！?？\n" and b - a < 60:
        b += 1
    while b > a and text[b - 1] in " \t,，、(（":
        b -= 1
    return (a, b) if b - a >= 2 else None


def _close(text: str, pos: int) -> int:
    return pos + 1 if pos < len(text) and text[pos] in "。;；" else pos


def _outline_commitments(text: str, blocks: list[Block], assignment_starts: list[int]) -> list[Commitment]:
    start = body_start(blocks)
    if start is None:
        start = 0
    out = []
    for i, b in enumerate(blocks):
        if b.start < start or not b.title or not b.title_span:
            continue
        if b.kind == "heading" and (not b.marker or section_keywords().match(b.title)):
            continue  # a sub-section title (重点任务, (一)服务项目) is a container, not a provision
        end = b.end
        if b.is_section:  # running text that continues it
            for nxt in blocks[i + 1:]:
                if nxt.is_section or nxt.title or nxt.parent != b.index:
                    break
                end = nxt.end
            if b.kind == "heading" and end == b.end:
                continue  # a heading with nothing under it
        ancestors = _ancestors(blocks, b)
        owned = len(_starting_in(assignment_starts, b.start, end)) > 0
        kind = classify(b.title, ancestors, owned)
        if kind is None:
            continue
        section = b.index if b.is_section else b.parent
        out.append(Commitment(kind, b.index, b.title, b.title_span, (b.start, end), b.domain, section))
    return out


class CommitmentIndex:
    """Finds the commitment whose text contains an offset (commitment spans do not overlap)."""

    def __init__(self, commitments: list[Commitment]):
        self.items = sorted(commitments, key=lambda c: c.span)
        self.starts = [c.span[0] for c in self.items]

    def at(self, offset: int) -> Commitment | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.items[i].span[1]:
            return self.items[i]
        return None
