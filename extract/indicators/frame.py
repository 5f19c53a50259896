"""The document's time frame: what it declares about itself -- the period it plans for (a
five-year plan, a range, one year), the year it reports on, the date it carries -- and whether
it plans or reports results (its genre)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .data import tables
from .spans import RE_BOOK, inside

PERIOD_ORD = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15}
RE_PERIOD = re.compile(r"[“\"]?十([一二三四五])五[”\"]?\s*(?P<tail>期间|时期|以来|期末|末期|末|初|期)?")
RE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-—–~～至到]\s*((?:19|20)\d{2})\s*)?年(?!\d)")
RE_TITLE_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
# the date a page carries: 发布日期:2022-12-14 / 发布时间: 2011-12-29 / 2021-04-15 17:03 / 2022年5月6日
RE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?!\d)|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
RE_DATE_LABEL = re.compile(r"(?:发布|成文|印发|更新|发表)(?:日期|时间|于)|日期|时间")
# a deadline (到2025年), not the year of a change's figure (提高到2020年的85.2%)
# the year a figure is changed from (由2015年的50.6%提高到…): a year the text treats as achieved
RE_FROM_YEAR = re.compile(r"(?:由|从)\s*((?:19|20)\d{2})\s*年(?:末|底)?的?\s*[^,;。\d]{0,10}\d")
RE_GOAL_YEAR = re.compile(r"(?<![提增降升扩缩调加少长低高])到\s*((?:19|20)\d{2})\s*年")


def period_years(ordinal: int) -> tuple[int, int]:
    """(first, last) year of the N-th five-year plan (十三五 = 13 -> 2016, 2020)."""
    start = 2006 + 5 * (ordinal - 11)
    return start, start + 4


@dataclass(frozen=True)
class Period:
    """The years a document is about and what it does with them.

    * ``start``/``end``: the period it plans for (a five-year plan 十三五 → 2016-2020, a
      declared range 2021-2025年, one year: an annual plan 2019年民生实事 → 2019-2019), the year
      or period it reports on (a report), or only the latest 到YYYY年 it sets (``start`` None);
      both None when it names no year;
    * ``report``: it declares that it reports results (统计公报, 完成情况, 取得…成效 in its title
      or lead, data/indicator_cues.tsv), or it never speaks of the future and reports
      completed actions; its figures are achieved unless a clause says otherwise;
    * ``dated``: the year of the date the page carries (发布日期 …), the present of a text
      that declares no period; without one, the year after ``base``, the latest year the text
      changes a figure from (由2015年的50.6%提高到53.6%: 2015 is achieved).
    """
    start: int | None
    end: int | None
    annual: bool = False
    report: bool = False
    dated: int | None = None
    base: int | None = None  # the latest year the text changes a figure from (由2015年的50.6%提高到…)

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def present(self) -> int | None:
        """The first year that is not past for the document: a plan is written before its
        period starts, a report after the year it reports on, a dated page in its year."""
        if self.start is not None:
            return self.end + 1 if self.report else self.start
        if self.dated is not None:
            return self.dated
        return self.base + 1 if self.base is not None else None

    @property
    def target_year(self) -> int | None:
        """The year of a goal without a year of its own: the end of the period (the latest
        到YYYY年; a page that only carries a date: its year)."""
        return self.end if self.end is not None else self.dated

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


def _date_area(text: str, header: str) -> str:
    """Where a page carries its date: its header, at least its first lines (a crawl may put
    the site's chrome before the byline)."""
    return header if len(header) >= DATE_AREA else text[:DATE_AREA]


DATE_AREA = 1000
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
        if re.match(r"^\s*(?:\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|版)", after):
            continue
        if re.search(r"(?:比|较)\s*$", text[max(0, m.start() - 2):m.start()]):
            continue
        out.append((m.start(), int(m.group(1))))
    return out


def _title_lines(header: str, opening: bool = False) -> list[str]:
    """The title lines of the header: its short lines (no sentence: title, issuer, date)
    before its first paragraph;
    with ``opening``, also the title a crawl ran together with the text on the first line (up
    to a —— or : before its first sentence ends), which declares what the document is but
    gives no year."""
    lines = header.split("\n")
    out = []
    for ln in lines:  # the lines before the first paragraph of text
        if len(ln) > 100 or "。" in ln:
            break
        if ln.strip():
            out.append(ln)
    first = next((ln for ln in lines if ln.strip()), "")
    if opening and first not in out:
        m = re.match(r"([^。]{4,150}?)(?:——|:)", first)
        if m:
            out.insert(0, m.group(1))
    return out


def _lead(header: str, sentences: int = 1) -> str:
    """The lead of a news report: the first sentence(s) of the text after its title lines
    (what it reports may come after a dateline sentence: the genre reads LEAD_SENTENCES)."""
    lines = header.split("\n")
    k = next((i for i, ln in enumerate(lines) if len(ln) > 100 or "。" in ln), None)
    if k is None:
        return ""
    found = []
    for ln in lines[k:]:
        found.extend(x for x in ln.split("。") if x.strip())
        if len(found) >= sentences:
            break
    return "。".join(found[:sentences])


LEAD_SENTENCES = 3


def _title_years(header: str) -> list[int]:
    return sorted({y for ln in _title_lines(header) for _, y in _years_named(ln)})


def _date_year(header: str) -> int | None:
    """The year of the date the page carries: a labelled date (发布日期:…), else the first date
    of the header."""
    first = None
    for m in RE_DATE.finditer(header):
        if RE_DATE_LABEL.search(header[max(0, m.start() - 8):m.start()]):
            return int(m.group(1))
        first = first or int(m.group(1))
    return first


def _genre(header: str, text: str) -> tuple[str | None, int | None]:
    """('report' or 'plan', the year reported on) as the document declares it: in its title
    lines (a report's words first: 2022年…计划执行情况与2023年…计划 reports on 2022), else in
    its lead; a document that declares neither is a report when it never speaks of plans and
    reports completed actions or a span up to now (以来; data/indicator_cues.tsv: report_title,
    plan_title, report_lead, plan_lead, plan_word, report_word, result_word)."""
    d = tables()
    title = "\n".join(_title_lines(header, opening=True))
    m = d.report_title.search(title)
    if m:
        return "report", _year_before(title, m.end())
    if d.plan_title.search(title):
        return "plan", None
    for n in (1, LEAD_SENTENCES):  # the first sentence, else the first few after a dateline
        lead = _lead(header, n)
        m = d.report_lead.search(lead)
        if m and not d.plan_lead.search(lead):
            return "report", _year_before(lead, m.end())
        if d.plan_lead.search(lead):
            return "plan", None
    if d.plan_word.search(text):
        return None, None  # it speaks of plans somewhere
    reports = bool(d.report_word.search(text)) or len(d.result_word.findall(text)) >= REPORT_MIN_RESULT_WORDS
    return ("report" if reports else None), None


def _year_before(text: str, pos: int) -> int | None:
    """The year named last before ``pos`` in its line (2022年民生实事完成情况, 回顾了2022年 →
    2022)."""
    line_start = text.rfind("\n", 0, pos) + 1
    found = [y for _, y in _years_named(text[line_start:pos])]
    return found[-1] if found else None


REPORT_MIN_RESULT_WORDS = 3


def document_period(text: str, blocks: list | None = None) -> Period:
    """The document's frame, from what it declares, in this order: a five-year period or a
    range in its title/preamble (reviewed when the header sums it up), the year its title or
    lead names with a report (2022年…完成情况), one year in its title or tied to its subject in
    its lead (2021年…民生实事项目), the latest five-year period the text names (not as the title
    of another plan in 《》), the latest
    到YYYY年 goal (an end only), the single year it names as its topic, the date it carries,
    the five-year period of the years it names; unknown (None) otherwise. Without a period or
    a date, the latest year it changes a figure from is achieved (``base``)."""
    header = _header(text, blocks)
    if not (blocks and any(b.rank == 1 for b in blocks)):
        # without an outline the header is the page's opening: the period it declares is in
        # its title and lead, not in a body sentence that mentions another plan
        header_decl = "\n".join(_title_lines(header)) + "\n" + _lead(header)
    else:
        header_decl = header
    masked = RE_BOOK.sub(lambda x: " " * len(x.group(0)), header_decl)
    genre, reported = _genre(header, text)
    report = genre == "report"
    dated = _date_year(_date_area(text, header))
    # the plan's own title: a period named outside 《》 (a notice cites it inside 《》: use that then)
    m = _declared_period(masked) or _declared_period(header_decl)
    if m:
        start, end = period_years(PERIOD_ORD[m.group(1)])
        reviewed = _reviews_period(masked, m.start(), m.end())
        return Period(start, end, report=report or reviewed, dated=dated)
    m = RE_TITLE_RANGE.search(header_decl)
    if m and 1 <= int(m.group(2)) - int(m.group(1)) <= 5:  # a plan of two to six years
        return Period(int(m.group(1)), int(m.group(2)), report=report, dated=dated)
    if reported is not None:
        return Period(reported, reported, annual=True, report=True, dated=dated)
    years = _title_years(header)
    m = tables().subject_year.search(_lead(header) or header[:HEADER_WITHOUT_OUTLINE])
    y = years[0] if len(years) == 1 else (int(m.group("y")) if m else None)
    if y is not None:
        return _annual(y, genre, dated)
    books = [(x.start(), x.end()) for x in RE_BOOK.finditer(text)]
    ords = [PERIOD_ORD[x.group(1)] for x in RE_PERIOD.finditer(text) if not inside(x.start(), books)]
    if ords:
        return Period(*period_years(max(ords)), report=report, dated=dated)
    base = max((int(x.group(1)) for x in RE_FROM_YEAR.finditer(text)), default=None)
    goals = [int(x.group(1)) for x in RE_GOAL_YEAR.finditer(text)]
    if goals:
        return Period(None, max(goals), report=report, dated=dated, base=base)
    named = _years_named(text)
    topics = {y for pos, y in named if RE_TOPIC_START.search(text[max(0, pos - 1):pos]) or pos == 0}
    if len(topics) == 1 and len({y for _, y in named}) == 1:  # "2013年,该县…": the year it is about
        return _annual(topics.pop(), genre, dated)
    if dated is not None:
        return Period(None, None, report=report, dated=dated)
    spans = {five_year_ordinal(y) for _, y in named}
    if len(spans) == 1:  # years named in passing, all in one five-year period: that period
        return Period(*period_years(spans.pop()), report=report)
    return Period(None, None, report=report, base=base)


def _annual(year: int, genre: str | None, dated: int | None) -> Period:
    """The frame of a document about one year; a page dated after that year that does not
    declare itself a plan reports on it."""
    past = genre != "plan" and dated is not None and dated > year
    return Period(year, year, annual=True, report=genre == "report" or past, dated=dated)


def _declared_period(header: str):
    """The five-year period the header plans for: the latest it names (a review names the
    previous one, a plan its own)."""
    found = list(RE_PERIOD.finditer(header))
    return max(found, key=lambda m: PERIOD_ORD[m.group(1)]) if found else None


def _reviews_period(text: str, s: int, e: int) -> bool:
    """Does the clause of the period named at text[s:e] review it: review words before it
    (总结“十二五”…), or its achievements after it (“十二五”期间…取得的成绩)?"""
    clause_s = max(text.rfind(c, 0, s) for c in "。\n,;") + 1
    ends = [i for i in (text.find(c, e) for c in "。\n,;") if i >= 0]
    clause_e = min(ends, default=len(text))
    d = tables()
    return bool(d.review_before.search(text[clause_s:s]) or d.review_after.search(text[e:clause_e]))


def five_year_ordinal(year: int) -> int:
    """The five-year plan a year falls in (2013 -> 12, the 十二五 2011-2015)."""
    return (year - 2006) // 5 + 11


def plan_period(text: str, blocks: list | None = None) -> tuple[int | None, int | None]:
    """(first year, last year) of the plan (see :func:`document_period`); (None, None) when
    the text names no year."""
    p = document_period(text, blocks)
    return p.start, p.end
