"""Document structure: headings, numbered items and paragraphs with their lead phrase.

Works on the clean text of :mod:`extract.normalize` and returns offsets into it.
Plans number their outline in a conventional way; a marker's *style* gives its rank:

    一、  → 1      (一) → 2      1. / 1、 → 3      (1) → 4

An unnumbered line that is a sub-section title by itself (重点任务, 保障工程, 专栏1 …; data in
extract/data/section_keywords.txt) opens a section half a rank below the enclosing one.

A marked line whose text is short and has no sentence inside is a *heading*; a marked line
that goes on after its first sentence is an *item* (a heading and a paragraph at once, as
in "1.提供义务教育服务和资助。为在义务教育阶段…"). Unmarked lines are paragraphs; their lead
phrase is the short first sentence that names what the paragraph is about ("基本养老保险。").
The domain of a section comes from its heading (or its ancestors' headings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

CN_NUM = "一二三四五六七八九十百零〇"
MARKERS = [
    # (rank, regex) - order matters: first match wins
    (1, re.compile(rf"^([{CN_NUM}]+)[、.．]\s*")),
    # "()" : a crawl that lost the numeral of "(二)" still marks a rank-2 heading
    (2, re.compile(rf"^[(（]([{CN_NUM}]*)[)）]\s*[、.．]?\s*(?=[\u4e00-\u9fff])")),
    (4, re.compile(r"^[(（](\d{1,2})[)）]\s*[、.．]?\s*")),
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
SENTENCE_END = "。;；!！?？"
# a heading line without sentence punctuation inside must be at most this long
MAX_HEADING = 40
# an unmarked paragraph's first sentence is its lead phrase if it is this short
MAX_LEAD = 24
# a note a crawler puts before a page's text: [接上页], 【续】
CRAWL_NOTE = re.compile(r"[\[【](?:接上页|续上页|上接|续|接上)[\]】]\s*")


@lru_cache(maxsize=1)
def section_keywords() -> re.Pattern:
    """Bare sub-section titles (重点任务, 保障工程, 专栏…), from extract/data/section_keywords.txt."""
    lines = (EXTRACT_DATA / "section_keywords.txt").read_text(encoding="utf-8").splitlines()
    alts = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return re.compile(r"^(?:" + "|".join(f"(?:{a})" for a in alts) + r")[。:：]?$")


@dataclass
class Block:
    """One line of the clean text, classified."""

    index: int
    start: int  # clean offsets of the line (without the line break)
    end: int
    kind: str  # "heading" | "item" | "paragraph"
    rank: float | None = None  # outline rank of the marker (1..4; x.5 for a bare sub-section title)
    marker: str = ""
    title: str = ""  # heading text, or the item's / paragraph's lead phrase
    title_span: tuple[int, int] | None = None
    parent: int | None = None  # index of the enclosing heading/item block
    domain: str | None = None  # service-domain key, inherited from the headings above
    path: tuple[str, ...] = field(default_factory=tuple)  # titles of the enclosing sections

    @property
    def is_section(self) -> bool:
        return self.kind in ("heading", "item")


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t":
        s += 1
    while e > s and text[e - 1] in " \t":
        e -= 1
    return s, e


def _first_sentence(text: str, s: int, e: int) -> int | None:
    """End offset (exclusive, before the punctuation) of the first sentence in [s, e)."""
    for i in range(s, e):
        if text[i] in SENTENCE_END:
            return i
    return None


def classify_line(text: str, s: int, e: int, index: int) -> Block | None:
    s, e = _trim(text, s, e)
    if s >= e:
        return None
    line = text[s:e]
    for rank, rx in MARKERS:
        m = rx.match(line)
        if not m:
            continue
        body_s = s + m.end()
        if body_s >= e:
            break  # a bare marker is not a heading
        end = _first_sentence(text, body_s, e)
        if end is None or end == e - 1:
            # the whole line is one phrase: a heading when short enough
            t_end = e - 1 if end == e - 1 else e
            if t_end - body_s <= MAX_HEADING:
                return Block(index, s, e, "heading", rank, m.group(0).strip(),
                             text[body_s:t_end], (body_s, t_end))
            return Block(index, s, e, "item", rank, m.group(0).strip())
        if end - body_s <= MAX_HEADING:
            return Block(index, s, e, "item", rank, m.group(0).strip(),
                         text[body_s:end], (body_s, end))
        return Block(index, s, e, "item", rank, m.group(0).strip())
    if section_keywords().match(line):
        t_end = e - 1 if line[-1] in "。:：" else e
        # rank is set by parse_structure: one step below the enclosing section
        return Block(index, s, e, "heading", None, "", text[s:t_end], (s, t_end))
    blk = Block(index, s, e, "paragraph")
    end = _first_sentence(text, s, e)
    note = CRAWL_NOTE.match(text, s, e)  # "[接上页] 推进…": a crawler's page note before the text
    ls = note.end() if note else s
    if end is not None and 2 <= end - ls <= MAX_LEAD and end < e - 1:
        lead = text[ls:end]
        if not any(c in lead for c in ",，:：“”《》()（）[]【】") and not re.search(r"\d", lead):
            blk.title, blk.title_span = lead, (ls, end)
    return blk


class DomainTagger:
    """Finds the service domain a heading names, from (label, key) pairs (longest label wins)."""

    def __init__(self, labels: list[tuple[str, str]]):
        self.labels = sorted({(lbl, key) for lbl, key in labels if lbl}, key=lambda x: (-len(x[0]), x[0], x[1]))

    def __call__(self, heading: str) -> str | None:
        for lbl, key in self.labels:
            if lbl in heading:
                return key
        return None


def parse_structure(text: str, tagger: DomainTagger | None = None) -> list[Block]:
    """Split clean text into classified blocks with their outline parents, paths and domains."""
    blocks: list[Block] = []
    stack: list[Block] = []  # open sections, ranks strictly increasing
    for s, e, _ in _lines(text):
        blk = classify_line(text, s, e, len(blocks))
        if blk is None:
            continue
        if blk.is_section and blk.rank is None:  # a bare sub-section title
            if any(b.marker == "" for b in stack):  # closes the previous bare sub-section
                while stack.pop().marker != "":
                    pass
            blk.rank = (stack[-1].rank if stack else 1) + 0.5
        if blk.is_section:
            while stack and stack[-1].rank >= blk.rank:
                stack.pop()
        blk.parent = stack[-1].index if stack else None
        blk.path = tuple(b.title for b in stack if b.title)
        inherited = next((b.domain for b in reversed(stack) if b.domain), None)
        own = tagger(blk.title) if (tagger and blk.is_section and blk.title) else None
        blk.domain = own or inherited
        if blk.is_section:
            stack.append(blk)
        blocks.append(blk)
    return blocks


def body_start(blocks: list[Block]) -> int | None:
    """Clean offset where the plan body starts: the first rank-1 heading (一、…)."""
    for b in blocks:
        if b.rank == 1:
            return b.start
    return None
