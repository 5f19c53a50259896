"""The plan's own title.

Candidates, all in the front matter: title lines (a line that ends like a plan title:
…规划, …实施方案, …分解表, possibly with an edition "(2021年版)"; a label 附件 and a file
extension .docx around it dropped; a title broken over two lines joined), the title a
forwarding notice names (关于印发《X》的通知; 现将《X》印发给你们; 《X》已经…同意,现印发;
附件:X) and the title a report of the plan's issue names (印发了《X》, 《X》已于近日发布,
X出炉). A title line that repeats a notice's or a report's title is the plan's own title as
it writes it; else the notice's title, a title line among the first lines, the report's
title, in that order.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from ..structure import Block
from .dates import DATE
from .header import CITATION, NOTICE_VERB, Citations, document_titles, notice_titles
from .model import Found
from .release import Release
from .terms import PlanTerms

MAX_TITLE_LINE = 80
MAX_TITLE_PIECES = 3  # a title broken over at most this many lines
MAX_SENDER = 20  # characters of a sender's name before 关于 on a title line
MAX_SPELLED_OUT = 8  # characters a title line may add to a shortened form of it (市, 2017年)
LEAD_LINES = 8  # a title line no notice or report confirms must be among the first lines
MIN_LEAD_TITLE = 8  # ... and longer than a menu item (发展规划, 工作要点)
SENTENCE_PUNCT = "。,:;"
LOST_CHAR = "?？\ufffd"  # a character the crawl lost (标准? ), after a title word: no part of the title


@dataclass
class Title:
    found: Found
    source: str  # "line" | "notice" | "forward" | "release"

    @property
    def page_is_plan(self) -> bool:
        """The page is the plan (or its notice) as its issuer posts it, not a report about it
        (nor a reprint known only by its preamble)."""
        return self.source not in ("release", "self")


def clean_title(t: str) -> str:
    """The title without white space and without the 《》 (or <>) around it; a bracket that
    belongs to a title cited inside it (《政府工作报告》重点工作责任分解) stays."""
    t = re.sub(r"\s+", "", t)
    for o, c in ("《》", "<>"):
        if t[:1] == o and t[-1:] == c and o not in t[1:-1] and c not in t[1:-1]:
            t = t[1:-1]
        if t[:1] == o and c not in t:
            t = t[1:]
        if t[-1:] == c and o not in t:
            t = t[:-1]
    return t


def same_title(a: str, b: str) -> bool:
    """Two writings of one title (a notice often drops a 的 or a quote mark)."""
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.92 and a[-2:] == b[-2:]


@lru_cache(maxsize=1)
def _attachment() -> re.Pattern:
    """附件:X / 附件2 X / 附件 X单位:万元 (a table title before its unit note)."""
    t = PlanTerms.load()
    return re.compile(rf"(?:{t.attachment})\s*\d{{0,2}}(?!\d)\s*[:：]?\s*(?:\d{{1,2}}\s*[.、]\s*)?《?"
                      rf"(?P<t>[^\s:：。,;《》]{{2,80}}?(?:{t.title_tail}))》?(?=\s|$|单位\s*[:：])")


def _line_title(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The span of the title a front-matter line holds, or None."""
    terms = PlanTerms.load()
    m = re.match(rf"\s*(?:{terms.attachment})\s*\d{{0,2}}(?!\d)\s*[:：]?\s*(?:\d{{1,2}}\s*[.、]\s*)?", text[s:e])
    if m and m.end() < e - s:
        s += m.end()  # "附件:X" / "附件1 X" / "附件:1.X"
    ext = terms.file_ext.search(text, s, e)
    if ext:
        e = ext.start()  # "X.docx"
    while e > s and text[e - 1] in " \t":
        e -= 1
    if e - s > 1 and text[e - 1] in LOST_CHAR:
        e -= 1  # "…执行标准?": a character lost in the crawl
    line = text[s:e].strip()
    if not line or len(line) > MAX_TITLE_LINE or any(c in line for c in SENTENCE_PUNCT):
        return None
    if notice_titles(line, len(line), Citations(line)) or "通知" in line[-3:]:
        return None
    if not terms.title_end.search(line) or terms.headline_word.search(line):
        return None  # a news headline (某县今年将办好十件民生实事) is no title
    return s, e


def _fragment(text: str, b: Block) -> bool:
    """Could this line be the first part of a title broken over two lines?"""
    terms = PlanTerms.load()
    line = text[b.start:b.end].strip()
    return (b.kind == "paragraph" and 0 < len(line) < 30 and not any(c in line for c in SENTENCE_PUNCT)
            and len(re.findall(r"[\u4e00-\u9fff]", line)) >= 2
            and not DATE.search(line) and not terms.title_end.search(line)
            and not re.fullmatch(rf"(?:{terms.attachment})\s*\d{{0,2}}\s*[:：]?", line))


@lru_cache(maxsize=1)
def _title_label() -> re.Pattern:
    """标题: X in a portal's metadata table (X up to the next wide gap or the line end)."""
    t = PlanTerms.load()
    return re.compile(rf"(?:^|(?<=\s))(?:{t.title_label})\s*[:：]?\s*(?P<t>[^\s:：。,;]{{4,80}}?(?:{t.title_tail}))[{LOST_CHAR}]?(?=\s|$)",
                      re.M)


def forwarded_titles(text: str, end: int) -> list[Found]:
    """Titles a notice body forwards (现将《X》印发给你们, 《X》已经…同意,现印发) or a metadata
    table labels (标题: X), in text order."""
    terms = PlanTerms.load()
    out = [Found(clean_title(m.group("t")), m.span("t")) for m in _title_label().finditer(text, 0, end)]
    for rx in terms.forward:
        for m in rx.finditer(text, 0, end):
            for c in CITATION.finditer(text, m.start(), m.end()):
                out.append(Found(clean_title(c.group(0)), (c.start() + 1, c.end() - 1)))
    return sorted(out, key=lambda f: f.span)


def attached_titles(text: str, end: int) -> list[Found]:
    """Titles a notice attaches (附件:X, 附件2 X), in text order."""
    return [Found(clean_title(m.group("t")), m.span("t")) for m in _attachment().finditer(text, 0, end)]


def _spelled_out(short: str, full: str) -> bool:
    """Is ``full`` ``short`` with a few words added (潍坊政务公开… → 潍坊市2017年政务公开…)?"""
    it = iter(full)
    return 0 < len(full) - len(short) <= MAX_SPELLED_OUT and all(c in it for c in short)


def _fullest(first: Found, later: list[Found]) -> Found:
    """The first lead line, or a later title line that spells it out (a sharing site's file
    name shortens the title the document then gives in full)."""
    return next((f for f in later if f.span[0] > first.span[0] and _spelled_out(first.value, f.value)), first)


def self_titles(text: str, end: int) -> list[Found]:
    """The 《titles》 a preamble gives the plan it is (根据…编制《X》, 《X》(以下简称《纲要》))."""
    out = []
    for rx in PlanTerms.load().self_title:
        out += [Found(clean_title(m.group("t")), m.span("t")) for m in rx.finditer(text, 0, end)]
    return sorted(out, key=lambda f: f.span)


def _line_candidates(text: str, header: list[Block], i: int, span: tuple[int, int]) -> list[tuple[Found, bool]]:
    """The title line ``header[i]`` holds, joined with the fragments of a title broken over up
    to three lines before it (longest first); each with whether it opens like a whole title
    (with a region name, or with the 关于 of a GB/T 9704 title)."""
    from .jurisdiction import opens_with_region

    out = []
    start = i
    for _ in range(MAX_TITLE_PIECES - 1):
        prev = header[start - 1] if start else None
        if prev is None or not _fragment(text, prev) or text[prev.end:header[start].start].strip():
            break
        start -= 1
    for k in range(start, i + 1):
        pieces = "".join(text[b.start:b.end] for b in header[k:i]) + text[span[0]:span[1]]
        found = Found(clean_title(pieces), (header[k].start if k < i else span[0], span[1]))
        out.append((found, opens_with_region(found.value) or found.value.startswith("关于")))
    return out


def _best_match(candidates: list[tuple[Found, bool]], named: list[Found]) -> Found | None:
    """The candidate closest to a title the text names (a broken title's joined form, not the
    joined form that took a stray line with it)."""
    best, best_ratio = None, 0.0
    for found, _ in candidates:
        for n in named:
            if same_title(found.value, n.value):
                r = difflib.SequenceMatcher(None, found.value, n.value, autojunk=False).ratio()
                if r > best_ratio:
                    best, best_ratio = found, r
    return best


def _restated(text: str, lines: list[Found]) -> Found:
    """The first lead title line, or the title line right below it that restates its opening
    (a portal's item heading 2024年某区民生实事项目, then the document's own heading
    2024年某区民生实事任务分解方案)."""
    first = lines[0]
    if len(lines) > 1:
        nxt = lines[1]
        gap = text[first.span[1]:nxt.span[0]]
        shared = len(os.path.commonprefix([first.value, nxt.value]))
        if not gap.strip() and shared >= max(6, 0.6 * len(first.value)) and len(nxt.value) > shared:
            return nxt
    return first


def _lead_numbers(text: str, header: list[Block]) -> list[int]:
    """Each header line's place among the lines that are not a portal's metadata: a label line
    (• 发布机构:) and the value line right after it do not count."""
    out, n, after_label = [], 0, False
    for b in header:
        line = text[b.start:b.end].strip()
        label = bool(re.search(r"[:：]$", line))
        out.append(n)
        if not (label or after_label):
            n += 1
        after_label = label
    return out


def find_title(text: str, blocks: list[Block], front: int, citations: Citations | None = None,
               releases: list[Release] = ()) -> Title | None:
    """The plan's own title (see the module docstring)."""
    citations = citations or Citations(text)
    notices = [Found(clean_title(m.group("title")), m.span("title")) for m in notice_titles(text, front, citations)]
    forwarded = forwarded_titles(text, front)
    attached = attached_titles(text, front)
    reported = [Found(clean_title(r.title), r.title_span) for r in releases]
    own = self_titles(text, front)
    sent = notices + forwarded  # what the notice says it issues
    others = attached + reported + own
    confirmed_by_notice = confirmed = None
    lines: list[Found] = []
    every_line: list[Found] = []
    header = [b for b in blocks if b.end <= front]
    lead = _lead_numbers(text, header)
    for i, b in enumerate(header):
        if b.kind != "paragraph":
            continue
        span = _line_title(text, b.start, b.end)
        if span is None:
            continue
        candidates = _line_candidates(text, header, i, span)
        if confirmed_by_notice is None:
            confirmed_by_notice = _best_match(candidates, sent)
        if confirmed is None:
            confirmed = _best_match(candidates, others)
        every_line.append(candidates[-1][0])
        if lead[i] < LEAD_LINES:
            # a title broken over lines counts unconfirmed when it opens with a region name
            joined = next((f for f, regional in candidates[:-1] if regional and not candidates[-1][1]), None)
            line = joined or candidates[-1][0]
            if len(line.value) >= MIN_LEAD_TITLE:
                lines.append(line)
    if confirmed_by_notice is not None:
        return Title(confirmed_by_notice, "line")
    if notices:
        return Title(notices[0], "notice")
    if confirmed is not None:
        return Title(confirmed, "line")
    if forwarded or attached:
        return Title(sorted(forwarded + attached, key=lambda f: f.span)[0], "forward")
    if lines:
        return Title(_fullest(_restated(text, lines), every_line), "line")
    if reported:
        return Title(reported[0], "release")
    if own:
        return Title(own[0], "self")
    itself = document_itself(text, front, citations)
    if itself is not None:
        return Title(itself, "document")
    return None


def document_itself(text: str, front: int, citations: Citations) -> Found | None:
    """The GB/T 9704 title of a notice or opinion that is the plan itself (某某市人民政府关于落实
    《纲要》主要目标和任务工作分工的通知: it forwards no 《title》), with the sender written before
    it on its line."""
    terms = PlanTerms.load()
    if any(rx.search(text, 0, front) for rx in terms.forward):
        return None
    for m in document_titles(text, front, citations):
        if re.search(NOTICE_VERB, m.group(0)[:4]):
            continue  # a forwarding notice's title names another document
        ls = text.rfind("\n", 0, m.start()) + 1
        start = ls if 0 < m.start() - ls <= MAX_SENDER and not re.search(r"[\s,。:;|]", text[ls:m.start()]) else m.start()
        return Found(clean_title(text[start:m.end()]), (start, m.end()))
    return None
