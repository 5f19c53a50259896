"""Years and kinds: the plan period, year cues in a sentence, baseline versus target."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .data import tables
from .spans import RE_BOOK, inside

PERIOD_ORD = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15}
RE_PERIOD = re.compile(r"[“\"]?十([一二三四五])五[”\"]?\s*(?P<tail>期间|时期|以来|期末|末期|末|初|期)?")
RE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-—–~～至到]\s*((?:19|20)\d{2})\s*)?年(?!\d)")
RE_TITLE_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")


def period_years(ordinal: int) -> tuple[int, int]:
    """(first, last) year of the N-th five-year plan (十三五 = 13 -> 2016, 2020)."""
    start = 2006 + 5 * (ordinal - 11)
    return start, start + 4


def plan_period(text: str, blocks: list | None = None) -> tuple[int, int]:
    """(first year, last year) of the plan: from its title/preamble, else the latest period named."""
    if blocks:
        head_end = next((b.start for b in blocks if b.rank == 1), None)
    else:
        m = re.search(r"^\s*一\s*[、.]", text, re.MULTILINE)
        head_end = m.start() if m else 600
    header = text[: min(head_end, 3000)] if head_end else ""
    masked = RE_BOOK.sub(lambda x: " " * len(x.group(0)), header)
    # the plan's own title: a period named outside 《》 (a notice cites it inside 《》: use that then)
    m = RE_PERIOD.search(masked) or RE_PERIOD.search(header)
    if m:
        return period_years(PERIOD_ORD[m.group(1)])
    m = RE_TITLE_RANGE.search(header)
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return int(m.group(1)), int(m.group(2))
    ords = [PERIOD_ORD[x.group(1)] for x in RE_PERIOD.finditer(text)]
    if ords:
        return period_years(max(ords))
    goals = [int(x.group(1)) for x in re.finditer(r"到\s*((?:19|20)\d{2})\s*年", text)]
    if goals:
        end = max(goals)
        return end - 4, end
    return 2016, 2020


@dataclass
class Ctx:
    """What a figure's block says about it: the plan period, a review section, the domain."""
    start_year: int
    end_year: int
    retro: bool
    domain: str | None


@dataclass
class Cue:
    start: int
    end: int
    year: int
    local: bool  # 由2010年的… : only for the figure right after it


def cues(text: str, s: int, e: int, books: list[tuple[int, int]]) -> list[Cue]:
    """Year cues in text[s:e] (absolute offsets), without reference years (比2010年) or 《》."""
    out = []
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
        out.append(Cue(m.start(), m.end(), y, local))
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
              own_cue: Cue | None) -> tuple[str, int | None]:
    """(kind, year) of the figure at ``pos``: its own cue, else the nearest cue before it, else
    the section and the past-tense words decide, with the plan period's years."""
    cue = own_cue
    if cue is None:
        prev = [c for c in sentence_cues if c.end <= pos and not c.local]
        if prev:
            cue = prev[-1]
    past = bool(tables().past.search(text[sent_s:pos]))
    if cue is not None:
        if cue.year < ctx.start_year:
            return "baseline", cue.year
        if ctx.retro and cue.year == ctx.start_year - 1:
            return "baseline", cue.year
        return "target", cue.year
    if ctx.retro or past:
        return "baseline", ctx.start_year - 1
    return "target", ctx.end_year
