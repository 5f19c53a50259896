"""Years and kinds: year cues in a sentence, baseline versus target."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .data import tables
from .frame import PERIOD_ORD, RE_PERIOD, RE_YEAR, Period, period_years
from .spans import inside


@dataclass
class Ctx:
    """What a figure's block says about it: the plan period, a review section, the domain."""
    period: Period
    retro: bool
    domain: str | None

    @property
    def start_year(self) -> int | None:
        return self.period.start

    @property
    def end_year(self) -> int | None:
        return self.period.end


@dataclass
class Cue:
    start: int
    end: int
    year: int
    local: bool  # 由2010年的… : only for the figure right after it
    until: int | None = None  # 在2011年实现…基础上: the cue holds inside that phrase only


RE_BASIS = re.compile(r"在(?P<what>[^。;在]{2,80}?)的?基础上")
RE_ACHIEVED_BASIS = re.compile(r"实现|完成|建成|取得|达到")


def basis_spans(text: str, s: int, e: int) -> list[tuple[int, int, bool]]:
    """``在…基础上`` phrases of text[s:e]: (start, end, achieved) -- what the rest of the
    sentence builds on; achieved when its verb says so (在2011年实现…全部脱贫基础上)."""
    return [(m.start(), m.end(), bool(RE_ACHIEVED_BASIS.search(m.group("what"))))
            for m in RE_BASIS.finditer(text, s, e)]


def cues(text: str, s: int, e: int, books: list[tuple[int, int]]) -> list[Cue]:
    """Year cues in text[s:e] (absolute offsets), without reference years (比2010年) or 《》;
    a cue inside a 在…基础上 phrase holds for that phrase only."""
    out = []
    basis = basis_spans(text, s, e)
    for m in RE_YEAR.finditer(text, s, e):
        if inside(m.start(), books):
            continue
        before = text[max(s, m.start() - 2):m.start()]
        after = text[m.end():m.end() + 2]
        if after[:1] == "月" or re.match(r"^\s*\d{1,2}\s*月", after):  # a date
            continue
        if "比" in before or "较" in before:
            continue
        y = int(m.group(2) or m.group(1))
        local = bool(re.search(r"(?:由|从)\s*$", before))
        until = next((b_e for b_s, b_e, _ in basis if b_s <= m.start() < b_e), None)
        out.append(Cue(m.start(), m.end(), y, local, until))
    for m in RE_PERIOD.finditer(text, s, e):
        if inside(m.start(), books):
            continue
        before = text[max(s, m.start() - 2):m.start()]
        if "比" in before or "较" in before:
            continue
        _, end_y = period_years(PERIOD_ORD[m.group(1)])
        local = bool(re.search(r"(?:由|从)\s*$", before))
        out.append(Cue(m.start(), m.end(), end_y, local))
    out.sort(key=lambda c: c.start)
    return out


def year_kind(text: str, pos: int, sentence_cues: list[Cue], sent_s: int, ctx: Ctx,
              own_cue: Cue | None, achieved_basis: bool = False) -> tuple[str, int | None]:
    """(kind, year) of the figure at ``pos``: its own cue, else the nearest cue before it, else
    the section and the past-tense words decide, with the plan period's years. A figure inside
    an achieved 在…基础上 phrase is achieved."""
    cue = own_cue
    if cue is None:
        prev = [c for c in sentence_cues if c.end <= pos and not c.local and (c.until is None or pos < c.until)]
        if prev:
            cue = prev[-1]
    p = ctx.period
    if achieved_basis:
        return "baseline", cue.year if cue else p.review_year
    achieved = ctx.retro or p.report or bool(tables().past.search(text[sent_s:pos]))
    if cue is not None:
        if not p.known:
            return ("baseline" if achieved else "target"), cue.year
        if p.report and cue.year <= p.end:
            return "baseline", cue.year
        if cue.year < p.start:
            return "baseline", cue.year
        if ctx.retro and cue.year == p.start - 1:
            return "baseline", cue.year
        return "target", cue.year
    if achieved:
        return "baseline", p.review_year
    return "target", p.end
