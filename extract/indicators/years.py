"""Years and kinds: the time cues of a sentence, and whether a figure is achieved (baseline)
or a goal (target), from what the text states about it."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .data import tables
from .frame import PERIOD_ORD, RE_PERIOD, RE_YEAR, Period, period_years
from .spans import clause_start, inside


@dataclass
class Cue:
    start: int
    end: int
    year: int
    local: bool  # 由2010年的… : only for the figure right after it
    until: int | None = None  # 在2011年实现…基础上: the cue holds inside that phrase only


@dataclass
class Ctx:
    """What a figure's block says about it: the document's frame, a review section, the
    domain, and the time its paragraph or heading has set (a topic cue: “十三五”期间, …)."""
    period: Period
    retro: bool
    domain: str | None
    topic: Cue | None = None
    goal: bool = False  # a column of goals (项目内容) in a table

    @property
    def start_year(self) -> int | None:
        return self.period.start

    @property
    def end_year(self) -> int | None:
        return self.period.end


RE_BASIS = re.compile(r"在(?P<what>[^。;在]{2,80}?)的?基础上")
RE_ACHIEVED_BASIS = re.compile(r"实现|完成|建成|取得|达到")
# a date is a time cue when an adverbial introduces it: 自2020年4月1日起, 截至2021年12月底, 于…
RE_DATE_ADVERB = re.compile(r"(?:自|从|于|截至|截止|截止到|至|到)\s*$")
RE_DATE_CUE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
# a year named without 年 before the projects of that year: “2020十件民生实事”
RE_BARE_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=[一二三四五六七八九十]+件|民生实事|为民办实事)")
# years relative to the document's present
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "明年": 1}
RE_RELATIVE = re.compile(r"(?<!上)(今年|本年|当年|去年|明年)")


def basis_spans(text: str, s: int, e: int) -> list[tuple[int, int, bool]]:
    """``在…基础上`` phrases of text[s:e]: (start, end, achieved) -- what the rest of the
    sentence builds on; achieved when its verb says so (在2011年实现…全部脱贫基础上)."""
    return [(m.start(), m.end(), bool(RE_ACHIEVED_BASIS.search(m.group("what"))))
            for m in RE_BASIS.finditer(text, s, e)]


def _is_reference(text: str, s: int, pos: int, end: int | None = None) -> bool:
    """A reference year a figure is compared with: 比2010年, 较上年, 与去年相比, 同…相比."""
    before = text[max(s, pos - 2):pos]
    if "比" in before or "较" in before:
        return True
    return end is not None and bool(re.search(r"[与同和跟]\s*$", before)) and \
        bool(re.match(r"\s*(?:末|底|同期)?\s*(?:相比|比较|相较)", text[end:end + 6]))


def cues(text: str, s: int, e: int, books: list[tuple[int, int]], period: Period | None = None) -> list[Cue]:
    """Time cues in text[s:e] (absolute offsets): years (2020年, 2016-2020年 → 2020), dates
    an adverbial introduces (自2020年4月1日起), five-year periods (“十三五”期间 → 2020), a year
    before its projects (“2020十件民生实事”), 今年/去年 (the document's present); without
    reference years (比2010年) or 《》; a cue inside a 在…基础上 phrase holds for that phrase."""
    out = []
    basis = basis_spans(text, s, e)

    def add(start: int, end: int, year: int):
        before = text[max(s, start - 2):start]
        local = bool(re.search(r"(?:由|从)\s*$", before))
        until = next((b_e for b_s, b_e, _ in basis if b_s <= start < b_e), None)
        out.append(Cue(start, end, year, local, until))

    for m in RE_YEAR.finditer(text, s, e):
        if inside(m.start(), books) or _is_reference(text, s, m.start(), m.end()):
            continue
        after = text[m.end():m.end() + 4]
        if after[:1] == "月" or re.match(r"^\s*\d{1,2}\s*月", after):
            continue  # a date that dates an act (2016年3月); with an adverb: RE_DATE_CUE
        add(m.start(), m.end(), int(m.group(2) or m.group(1)))
    for m in RE_DATE_CUE.finditer(text, s, e):
        if not inside(m.start(), books) and RE_DATE_ADVERB.search(text[max(s, m.start() - 4):m.start()]):
            add(m.start(), m.end(), int(m.group(1)))
    for m in RE_PERIOD.finditer(text, s, e):
        if inside(m.start(), books) or _is_reference(text, s, m.start()):
            continue
        add(m.start(), m.end(), period_years(PERIOD_ORD[m.group(1)])[1])
    for m in RE_BARE_YEAR.finditer(text, s, e):
        if not inside(m.start(), books):
            add(m.start(), m.end(), int(m.group(1)))
    now = _this_year(period)
    if now is not None:
        for m in RE_RELATIVE.finditer(text, s, e):
            if not _is_reference(text, s, m.start(), m.end()):
                add(m.start(), m.end(), now + RELATIVE_YEARS[m.group(1)])
    out.sort(key=lambda c: c.start)
    return out


def _this_year(period: Period | None) -> int | None:
    """The year 今年 names: the year a page is dated, else the year of an annual document."""
    if period is None:
        return None
    if period.dated is not None:
        return period.dated
    return period.start if period.annual else None


def topic_after(text: str, sentence_cues: list[Cue], s: int, e: int, topic: Cue | None) -> Cue | None:
    """The time a sentence leaves for the next ones of its paragraph: its last cue that opens
    a clause (“十三五”期间, / 2021年, / 今年,), else the topic it had."""
    for c in reversed(sentence_cues):
        if not c.local and c.until is None and s <= c.start < e and opens_clause(text, s, c.start):
            return Cue(c.start, c.end, c.year, False)
    return topic


def opens_clause(text: str, s: int, pos: int) -> bool:
    """Does text[pos] open a clause of the sentence starting at ``s`` (after , ; : — or an
    opening quote or bracket)?"""
    i = pos - 1
    while i >= s and text[i] in " “\"(":
        i -= 1
    return i < s or text[i] in "\n。,;:!?—、"


class AspectMarks:
    """The aspect markers of a sentence text[s:e], found once (data/indicator_cues.tsv):
    achieved ones that hold for the sentence (截至, 目前, 以来 …) or only their clause (已,
    实现了, 取得 …), and goal ones (力争, 计划, 将, 确保 …)."""

    def __init__(self, text: str, s: int, e: int):
        d = tables()
        self.text, self.s = text, s
        self.achieved = sorted(m.end() for m in d.achieved.finditer(text, s, e))
        self.clause = sorted((m.end(), m.start()) for m in d.achieved_clause.finditer(text, s, e))
        self.goal = sorted(m.end() for m in d.goal.finditer(text, s, e))

    def at(self, pos: int) -> tuple[str, int] | None:
        """('achieved' or 'goal', end of the marker) for the marker nearest before ``pos``."""
        k = bisect.bisect_right(self.achieved, pos)
        a = self.achieved[k - 1] if k else -1
        k = bisect.bisect_right(self.clause, (pos, pos))
        if k:
            end, start = self.clause[k - 1]
            if start >= clause_start(self.text, pos, self.s):
                a = max(a, end)
        k = bisect.bisect_right(self.goal, pos)
        g = self.goal[k - 1] if k else -1
        if a < 0 and g < 0:
            return None
        return ("achieved", a) if a >= g else ("goal", g)


def aspect(text: str, s: int, pos: int) -> tuple[str, int] | None:
    """('achieved' or 'goal', end of the marker) for the marker nearest before ``pos`` in the
    sentence starting at ``s`` (see :class:`AspectMarks`); None without one."""
    return AspectMarks(text, s, pos).at(pos)


def is_deadline(text: str, cue: Cue) -> bool:
    """Is the cue a deadline (到2025年 / 至2023年底), not a date reported to (截至2021年)?"""
    before = text[max(0, cue.start - 3):cue.start].rstrip()
    return before.endswith(("到", "至")) and not before.endswith(("截至", "截止至", "截止到"))


def is_goal_object(text: str, end: int) -> bool:
    """Is the figure ending at ``end`` the goal itself (超额完成5500万人的目标任务)?"""
    return bool(tables().goal_object.match(text, end))


def year_kind(text: str, pos: int, sentence_cues: list[Cue], sent_s: int, ctx: Ctx,
              own_cue: Cue | None, achieved_basis: bool = False, end: int | None = None,
              marks: AspectMarks | None = None) -> tuple[str, int | None]:
    """(kind, year) of the figure at ``pos`` (ending at ``end``), each decided by what the text
    states, most specific first:

    * its year: its own cue, else the nearest cue before it in the sentence, else the time
      its paragraph or heading set; without one, the frame's (a goal: the end of the period;
      an achieved figure: the year before it, a report's year);
    * its kind: inside an achieved 在…基础上 → achieved; the goal itself (…的目标任务) → goal;
      a year before the document's present (a 十四五 plan's 2020, a report's previous
      years) → achieved; the aspect marker nearest before it in its sentence (已, 截至,
      取得 / 力争, 计划, 将); a review section or a table's column of results → achieved; a
      table's column of goals → goal; a report's later year → goal;
      else what the document declares it is (a report: achieved; a plan: goal)."""
    cue = own_cue
    if cue is None:
        k = bisect.bisect_left(sentence_cues, pos, key=lambda c: c.start)
        cue = next((sentence_cues[i] for i in range(k - 1, -1, -1) if sentence_cues[i].end <= pos and
                    not sentence_cues[i].local and (sentence_cues[i].until is None or pos < sentence_cues[i].until)),
                   ctx.topic)
    p = ctx.period
    year = cue.year if cue else None

    def out(kind: str) -> tuple[str, int | None]:
        if year is not None:
            return kind, year
        return kind, (p.review_year if kind == "baseline" else p.target_year)

    if achieved_basis:
        return out("baseline")
    if end is not None and is_goal_object(text, end):
        return out("target")
    present = p.present
    if year is not None and present is not None and year < present:
        return out("baseline")
    marked = marks.at(pos) if marks is not None else aspect(text, sent_s, pos)
    if marked and marked[0] == "achieved" and cue is not None and present is not None and \
            year >= present and cue.start >= marked[1] and is_deadline(text, cue):
        marked = ("goal", cue.end)  # 十八大以来…,到2025年…: the later deadline sets the goal
    if marked:
        return out("baseline" if marked[0] == "achieved" else "target")
    if ctx.retro:
        return out("baseline")
    if ctx.goal:
        return out("target")
    if year is not None and p.report and p.end is not None and year > p.end:
        return out("target")
    return out("baseline" if p.report else "target")
