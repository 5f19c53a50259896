"""The issuing body, from the agency mentions the text has (and the co-issuer groups they form).

In order: the notice's sender (the name right before 关于印发…的通知; the first notice title
that has one), the signature (a name alone on its line before a date line; one of several
stacked co-signers is not the sole issuer), the sender of a GB/T 9704 title that is the
document itself (X关于…的实施意见, X关于分解落实…的通知), the subject of the sentence reporting the plan's issue (X联合印发了《title》), a
notice's "X决定", a 发布机构 label, then a 来源 label, of a page that is the plan (a news
page's 来源 is its newspaper). A co-issuer group is the joint form written
"省发展改革委等21部门" / "X、Y等十九部门": its own name, with the agencies it names as members.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .header import Citations, Signature, document_titles, line_start, notice_titles
from .release import Release
from .terms import PlanTerms
from .titles import Title, clean_title, same_title

CN_COUNT = "一二三四五六七八九十两"


@dataclass
class Issuer:
    span: tuple[int, int]  # clean span of the issuer's name as written
    mention: int | None = None  # index of the agency mention (None for a co-issuer group)
    members: list[int] = field(default_factory=list)  # a group's named members (mention indices)


@lru_cache(maxsize=1)
def _group_tail() -> re.Pattern:
    nouns = PlanTerms.load().group_noun
    return re.compile(rf"等\s*(?:\d{{1,3}}|[{CN_COUNT}]{{1,4}})\s*[个家]?\s*(?:{nouns})")


def co_issuer_groups(text: str, spans: list[tuple[int, int]]) -> list[Issuer]:
    """Groups written as agency names joined by 、/和/及 and closed by 等N部门."""
    starts = {s: i for i, (s, _e) in enumerate(spans)}
    out, used = [], set()
    for i, (s, e) in enumerate(spans):
        if i in used:
            continue
        members, end = [i], e
        while end + 1 < len(text) and text[end] in "、和及与" and end + 1 in starts:
            j = starts[end + 1]
            members.append(j)
            end = spans[j][1]
        used.update(members)  # a chain from a later member ends where this one does
        m = _group_tail().match(text, end)
        if m:
            out.append(Issuer((s, m.end()), None, members))
    return out


def _named_at(end: int, spans: list[tuple[int, int]], groups: list[Issuer],
              text: str) -> Issuer | None:
    """The group or agency whose name ends at ``end`` (white space allowed before it)."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    for g in groups:
        if g.span[1] == end:
            return g
    for i, (s, e) in enumerate(spans):
        if e == end:
            return Issuer((s, e), i)
    return None


def _whole_line(text: str, pos: int, spans, groups) -> Issuer | None:
    """The group or agency that is the whole line ending at ``pos``."""
    ls = line_start(text, pos)
    found = _named_at(pos, spans, groups, text)
    if found and not text[ls:found.span[0]].strip():
        return found
    return None


def _sender(text: str, pos: int, spans, groups) -> Issuer | None:
    """The sender of a title starting (关于…) at ``pos``: the name right before it on its line,
    or the name alone on the line above."""
    ls = line_start(text, pos)
    if text[ls:pos].strip():
        sender = _named_at(pos, spans, groups, text)
        return sender if sender is not None and sender.span[0] >= ls else None
    if ls > 0:
        return _whole_line(text, ls - 1, spans, groups)
    return None


def find_issuer(text: str, front: int, spans: list[tuple[int, int]], groups: list[Issuer],
                signatures: list[Signature], title: Title | None = None, releases: list[Release] = (),
                notice: bool = False, citations: Citations | None = None) -> Issuer | None:
    """The issuer of the plan (see the module docstring); ``spans`` are the agency mentions',
    ``groups`` the co-issuer groups they form (:func:`co_issuer_groups`)."""
    citations = citations or Citations(text)
    for m in notice_titles(text, front, citations):
        sender = _sender(text, m.start(), spans, groups)
        if sender is not None:
            return sender
    for sg in signatures:
        if not sg.stacked:
            found = _whole_line(text, sg.span[1], spans, groups)
            if found is not None:
                return found
    for m in document_titles(text, front, citations):
        sender = _sender(text, m.start(), spans, groups)
        if sender is not None:
            return sender
    for r in releases:
        if r.issuer_end is not None and (title is None or same_title(clean_title(r.title), title.found.value)):
            found = _named_at(r.issuer_end, spans, groups, text)
            if found is not None:
                return found
    if notice:
        for i, (s, e) in enumerate(spans):
            if e <= front and text.startswith("决定", e) and not citations.inside(s):
                return Issuer((s, e), i)
    if title is None or not title.page_is_plan:
        return None  # a news page's 来源 is the newspaper, not the plan's issuer
    terms = PlanTerms.load()
    for label in (terms.issuer_label, terms.source_label):
        for lm in label.finditer(text, 0, front):
            found = next((g for g in groups if g.span[0] == lm.end()), None)
            if found is None:
                found = next((Issuer(sp, i) for i, sp in enumerate(spans) if sp[0] == lm.end()), None)
            if found is not None:
                return found
    return None
