"""The front matter of a crawled plan: where the header ends, the forwarding notice
("X关于印发《Y》的通知", "现将《Y》印发给你们"), the signature blocks (issuer line, then a
date line) and the 《》 citations that notice patterns must not be read inside."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..structure import Block
from .dates import DATE
from .numbers import DOC_NUMBER
from .terms import PlanTerms

SIGNATURE_WINDOW = 3000  # a notice's signature lies within this many characters of its start
CITATION = re.compile(r"《[^《》\n]*》")
NOTICE_VERB = "(?:印发|转发|批转|发布|公布)"


@lru_cache(maxsize=1)
def notice_pattern() -> re.Pattern:
    """The title line of a forwarding notice: 关于印发《Y》的通知 (group "title": Y)."""
    t = PlanTerms.load()
    # the title holds no notice verb of its own: a page title "关于印发X关于印发Y的通知" is Y's;
    # a title broken over lines ("…2022年细化措施的\n通知") is one title
    return re.compile(rf"关于{NOTICE_VERB}[<《〈]?(?P<title>(?:(?!关于{NOTICE_VERB})[^。]){{4,80}}?(?:{t.title_tail}))"
                      r"[>》〉]?\s*的\s*通\s*知")


@lru_cache(maxsize=1)
def document_title_pattern() -> re.Pattern:
    """A GB/T 9704 title "X关于…的通知 / 意见 / 实施方案": the sender X ends where it starts."""
    t = PlanTerms.load()
    # it ends the line, or a cell, or the 文号 a crawl joined to it (…的通知豫政〔2023〕5号)
    return re.compile(rf"关于[^。\n]{{2,100}}?(?:{t.doc_kind}|{t.title_tail})(?=\s|$|[|]|{DOC_NUMBER.pattern})", re.M)


def header_end(blocks: list[Block], text: str) -> int:
    for b in blocks:
        if b.rank == 1:
            return b.start
    return min(len(text), 2000)


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def line_end(text: str, pos: int) -> int:
    le = text.find("\n", pos)
    return le if le >= 0 else len(text)


class Citations:
    """The 《…》 spans of a text: a notice title cited inside one (根据《…关于印发…的通知》)
    is another document, not this one."""

    def __init__(self, text: str):
        self.spans = [m.span() for m in CITATION.finditer(text)]
        self.starts = [s for s, _ in self.spans]

    def inside(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and self.spans[k][0] < pos < self.spans[k][1]


def notice_titles(text: str, end: int, citations: Citations) -> list[re.Match]:
    """Forwarding-notice title matches (关于印发…的通知) before ``end``, outside citations."""
    return [m for m in notice_pattern().finditer(text, 0, end) if not citations.inside(m.start())]


def is_notice(text: str, end: int, citations: Citations) -> bool:
    """Does the front of the text read as a notice (its title, a forwarding sentence, 通知如下)?"""
    if notice_titles(text, end, citations) or "通知如下" in text[:end]:
        return True
    if any(m.group(0).endswith("通知") for m in document_titles(text, end, citations)):
        return True
    return any(rx.search(text, 0, end) for rx in PlanTerms.load().forward)


def document_titles(text: str, end: int, citations: Citations) -> list[re.Match]:
    """GB/T 9704 document titles (X关于…的通知, X关于…的实施意见) before ``end``, outside citations."""
    return [m for m in document_title_pattern().finditer(text, 0, end) if not citations.inside(m.start())]


def notice_start(text: str, end: int, citations: Citations) -> int:
    """Where a notice's own text starts: its first notice or document title, or forwarding
    sentence, before ``end`` (0 when there is none)."""
    starts = [m.start() for m in notice_titles(text, end, citations) + document_titles(text, end, citations)]
    starts += [m.start() for rx in PlanTerms.load().forward for m in [rx.search(text, 0, end)] if m]
    return min(starts, default=0)


def closing_date(text: str, start: int, end: int) -> re.Match | None:
    """The date that closes a notice without a signing body's line: the first date in
    [start, end) written right before the 附注 ((此件公开发布)), or standing alone on its line
    right after a line that ends a sentence (…请认真贯彻执行。)."""
    note = PlanTerms.load().publication_note
    for m in DATE.finditer(text, start, end):
        after = m.end()
        while after < len(text) and text[after] in " \t\n":
            after += 1
        if note.match(text, after):
            return m
        ls, le = line_start(text, m.start()), line_end(text, m.end())
        if text[ls:m.start()].strip() or text[m.end():le].strip(" \t日号"):
            continue
        prev = text[:ls].rstrip()
        if prev.endswith("。"):
            return m
    return None


@dataclass
class Signature:
    span: tuple[int, int]  # the signing body's name (a whole line)
    date: re.Match  # the date line after it
    stacked: bool  # one of several co-signers stacked line by line: not the sole issuer


def _only_names(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """Is text[s:e] nothing but agency names (separated by spaces)?"""
    rest = text[s:e]
    for a, b in spans:
        if s <= a and b <= e:
            rest = rest.replace(text[a:b], " ", 1)
    return bool(text[s:e].strip()) and not rest.strip()


def signatures(text: str, limit: int, spans: list[tuple[int, int]]) -> list[Signature]:
    """Agency names standing alone on a line before ``limit``, followed by a date line."""
    out = []
    for s, e in spans:
        if e > limit:
            continue
        ls, le = line_start(text, s), line_end(text, e)
        if text[ls:s].strip() or text[e:le].strip():
            continue
        nxt = le + 1
        while nxt < len(text) and text[nxt] in "\n \t":
            nxt += 1
        m = DATE.match(text, nxt)
        if not m:
            continue
        prev_end = ls - 1
        while prev_end > 0 and text[prev_end - 1] in "\n \t":
            prev_end -= 1
        prev_start = line_start(text, prev_end) if prev_end > 0 else 0
        stacked = prev_end > 0 and _only_names(text, prev_start, prev_end, spans)
        out.append(Signature((s, e), m, stacked))
    return out


def front_end(blocks: list[Block], text: str, hdr: int, notice: bool,
              spans: list[tuple[int, int]]) -> tuple[int, list[Signature]]:
    """Where the front matter ends, and its signatures. The front is the header; a notice
    with numbered points of its own (一、…) has its signature, the plan's title and preamble
    after them: its front runs to the first rank-1 heading after the signature's date."""
    limit = max(hdr, min(len(text), SIGNATURE_WINDOW)) if notice else hdr
    sigs = signatures(text, limit, spans)
    if notice and sigs and sigs[0].span[0] > hdr:
        after = sigs[0].date.end()
        end = next((b.start for b in blocks if b.rank == 1 and b.start > after), len(text))
        return end, [sg for sg in sigs if sg.span[1] <= end]
    return hdr, [sg for sg in sigs if sg.span[1] <= hdr]
