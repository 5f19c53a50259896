"""Commitments: the provisions of a plan, read off its outline.

A provision is what a plan commits to do or provide, under a title of its own:
* a paragraph that opens with a lead phrase ("促进义务教育均衡发展。…"),
* a numbered item with a title ("1.提供义务教育服务和资助。为…提供…", with the unnumbered
  lines that continue it),
* a numbered heading with running text under it ("(三)强化监督问责" + the paragraphs
  before its first titled sub-provision).
Its kind (pskg:Task, pskg:Project, pskg:ServiceGuarantee) and whether it is a provision
at all (background, principles and goal narratives are not) come from its own title and
the titles of the sections it sits in, by the table extract/data/commitment_sections.tsv.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .agencies import read_table
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


def classify(title: str, ancestors: list[str]) -> str | None:
    """The commitment kind of a provision titled ``title`` under ``ancestors`` (innermost
    first), or None when it is not a commitment. A "none" row matching any title rules it
    out; otherwise the innermost title that says something decides (a "重点任务" under
    "重点任务和保障工程" holds tasks, not projects)."""
    rules = section_rules()
    titles = [title, *ancestors]
    for level, text in enumerate(titles):
        for kind, scope, rx in rules:
            if kind == "none" and _applies(scope, level) and rx.search(text):
                return None
    for level, text in enumerate(titles):
        for kind, scope, rx in rules:
            if kind != "none" and _applies(scope, level) and rx.search(text):
                return kind
    return next((kind for kind, scope, _ in rules if scope == "default"), None)


def _applies(scope: str, level: int) -> bool:
    return scope == "any" or (scope == "self" and level == 0) or (scope == "ancestor" and level > 0)


def find_commitments(text: str, blocks: list[Block]) -> list[Commitment]:
    start = body_start(blocks)
    if start is None:
        start = 0
    by_index = {b.index: b for b in blocks}
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
        ancestors = []
        p = b.parent
        while p is not None:
            ancestors.append(by_index[p].title)
            p = by_index[p].parent
        kind = classify(b.title, ancestors)
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
