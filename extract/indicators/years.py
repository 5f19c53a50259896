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


@dataclass(frozen=True)
class Period:
    """The years a document is about. ``start``/``end`` are None when the text names none.

    * a five-year plan (十三五 → 2016-2020) or a declared range (2021-2025年);
    * an annual plan (a title naming one year, 2019年民生实事 → 2019-2019) or a text that
      names a single year;
    * ``report``: the document reports results (it has no word of planning and several of
      achievement: 完成, 惠及, 圆满 … data/indicator_cues.tsv); its figures are achieved.
    """
    start: int | None
    end: int | None
    annual: bool = False
    report: bool = False

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def review_year(self) -> int | None:
        """The year of an achieved figure without a year of its own: the year before the plan
        (a report: the year it reports on)."""
        if self.start is None:
            return None
        return self.end if self.report else self.start - 1

    def before(self, year: int | None) -> int | None:
        """The year a from-value refers to when a review gives none: the previous period."""
        if year is None:
            return None
        return year - (1 if self.annual else 5)


def _header(text: str, blocks: list | None) -> str:
    """The plan's title and preamble: the text before the outline's first chapter (a text
    without outline: its opening lines)."""
    if blocks:
        head_end = next((b.start for b in blocks if b.rank == 1), None)
    else:
        m = re.search(r"^\s*一\s*[、.]", text, re.MULTILINE)
        head_end = m.start() if m else None
    return text[: min(head_end if head_end is not None else HEADER_WITHOUT_OUTLINE, 3000)]


HEADER_WITHOUT_OUTLINE = 400
RE_TOPIC_START = re.compile(r"[\n。,;:!?]$")  # a year at the start of a clause is its topic


def _years_named(text: str) -> list[tuple[int, int]]:
    """(offset, year) of the single years the text names, without dates (2016年3月), titles
    in 《》, ranges and reference years (比2010年)."""
    out = []
    books = [(m.start(), m.end()) for m in RE_BOOK.finditer(text)]
    for m in RE_YEAR.finditer(text):
        if m.group(2) or inside(m.start(), books):
            continue
        after = text[m.end():m.end() + 4]
        if re.match(r"^\s*(?:\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|度|版)", after):
            continue
        if re.search(r"(?:比|较)\s*$", text[max(0, m.start() - 2):m.start()]):
            continue
        out.append((m.start(), int(m.group(1))))
    return out


def _title_year(header: str) -> int | None:
    """The one year named in the title lines of the header (short lines, no sentence)."""
    years = set()
    pos = 0
    for line in header.split("\n"):
        if line.strip() and len(line) <= 100 and "。" not in line:
            years |= {y for _, y in _years_named(line)}
        pos += len(line) + 1
    return years.pop() if len(years) == 1 else None


def _is_report(text: str) -> bool:
    d = tables()
    return not d.plan_word.search(text) and len(d.result_word.findall(text)) >= REPORT_MIN_RESULT_WORDS


REPORT_MIN_RESULT_WORDS = 3


def document_period(text: str, blocks: list | None = None) -> Period:
    """The plan period: from the title/preamble (a five-year period, a range, one year), else
    the latest five-year period the text names, the latest 到YYYY年 goal, the single year it
    names; unknown (None) otherwise."""
    header = _header(text, blocks)
    masked = RE_BOOK.sub(lambda x: " " * len(x.group(0)), header)
    report = _is_report(text)
    # the plan's own title: a period named outside 《》 (a notice cites it inside 《》: use that then)
    m = RE_PERIOD.search(masked) or RE_PERIOD.search(header)
    if m:
        return Period(*period_years(PERIOD_ORD[m.group(1)]), report=report)
    m = RE_TITLE_RANGE.search(header)
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return Period(int(m.group(1)), int(m.group(2)), report=report)
    y = _title_year(header)
    if y is not None:
        return Period(y, y, annual=True, report=report)
    ords = [PERIOD_ORD[x.group(1)] for x in RE_PERIOD.finditer(text)]
    if ords:
        return Period(*period_years(max(ords)), report=report)
    goals = [int(x.group(1)) for x in re.finditer(r"到\s*((?:19|20)\d{2})\s*年", text)]
    if goals:
        end = max(goals)
        return Period(end - 4, end, report=report)
    named = _years_named(text)
    topics = {y for pos, y in named if RE_TOPIC_START.search(text[max(0, pos - 1):pos]) or pos == 0}
    if len(topics) == 1 and len({y for _, y in named}) == 1:  # "2013年,该县…": the year it is about
        y = topics.pop()
        return Period(y, y, annual=True, report=report)
    if named:  # years named in passing: the five-year period of the latest
        return Period(*period_years(five_year_ordinal(max(y for _, y in named))), report=report)
    return Period(None, None, report=report)


def five_year_ordinal(year: int) -> int:
    """The five-year plan a year falls in (2013 -> 12, the 十二五 2011-2015)."""
    return (year - 2006) // 5 + 11


def plan_period(text: str, blocks: list | None = None) -> tuple[int | None, int | None]:
    """(first year, last year) of the plan (see :func:`document_period`); (None, None) when
    the text names no year."""
    p = document_period(text, blocks)
    return p.start, p.end


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
