"""The document's time frame: the period it declares (a five-year plan, a range, an annual
plan, the year a report is about)."""
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


