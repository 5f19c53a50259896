"""Numeric indicators: measures with baseline and target values, units, comparators and years.

Works on the clean text of :mod:`extract.normalize` (Simplified, ASCII digits and punctuation)
and returns clean offsets. One :class:`Indicator` per measure statement:

* ``X达到95%以上`` / ``X保持在4.2%以内`` / ``X不低于90%`` -- a name, a trigger verb
  (``data/indicator_triggers.tsv``), a number and a unit (``data/indicator_units.tsv``);
  comparator words before or after the figure (``data/indicator_comparators.tsv``);
* ``新增公共租赁住房14504套`` (verb-object-value), ``培养800名适配工程师`` (value before its
  object), ``80%的乡镇综合文化站达到…`` (value-的-object);
* ``X由2010年的86.8%提高到93.4%`` -- one statement with a from-value (always achieved: a
  baseline) and a to-value (a target in a goal section; in the review of the past period it
  is an achieved figure too, so two baselines are returned);
* ``A和B分别达到x和y`` / ``A、B分别达到x、y`` -- one indicator per named measure, the shared
  tail of the names completed (``高血压和糖尿病患者规范化管理率`` → ``高血压患者规范化管理率``);
* ranges ``5%-10%`` / ``20-30名`` -- two indicators, ``>=`` low end and ``<=`` high end;
* flattened goal tables (header ``指标 单位 2015年 2020年 属性``, one row per line or one
  cell per line): the year columns give baseline (before the plan period) and target.

Kind and year: the plan period is read from the plan's title/preamble (``“十三五”`` →
2016-2020, ``2016-2020年``), falling back to the latest five-year period the text names.
A figure is a *baseline* when its year cue lies before the period, when it sits in a section
reviewing the past (发展基础/现实基础…, ``data/indicator_cues.tsv``), when it is a from-value,
or when ``已经/截至/目前`` precede it; otherwise it is a *target*. Its year is the cue of its own
clause (``增加到2015年的…``) or the nearest preceding cue of the sentence (``到2020年`` /
``2015年`` / ``“十二五”期间`` → 2015 / ``(2017-2020年)`` → 2020); cues after ``比`` (reference
years) and inside 《》 are ignored. Without a cue a target takes the plan's end year and a
baseline the year before the plan starts (a from-value in a review: the end of the period
before that).

Not indicators: years and dates, ordinals (第N), item numbers, document numbers and phone
numbers (no unit), denominators (每3万人), ages qualifying a group (0-6岁儿童), counts of an
enumeration (等5项标准), counts of plan structure (8个领域, 80个服务项目), table footnotes
(注:1.指…), figures inside 《》 and damaged (``?``) text.

Public API: :class:`Indicator`, :func:`find_indicators`, :func:`plan_period`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .agencies import read_table


@dataclass(frozen=True)
class Indicator:
    name: str  # the measure, clean Simplified text, e.g. "义务教育巩固率"
    name_span: tuple[int, int]  # clean offsets of the name (of its own part for an enumeration)
    unit: str  # as written: "%", "万人", "平方米", "‰", "所", "张/千人", "/10万"...
    comparator: str  # ">=", "<=", "=", ">", "<"
    target: Decimal | None  # goal value
    target_year: int | None
    baseline: Decimal | None  # achieved / current value
    baseline_year: int | None
    span: tuple[int, int]  # clean offsets of the evidence clause (name..value+unit)
    domain: str | None = None  # service domain of the enclosing section
    table: bool = False  # read from a goal table

    @property
    def kind(self) -> str:
        return "target" if self.target is not None else "baseline"

    @property
    def value(self) -> Decimal | None:
        return self.target if self.target is not None else self.baseline

    @property
    def year(self) -> int | None:
        return self.target_year if self.target is not None else self.baseline_year


# ----------------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------------
def _rows(name: str) -> list[list[str]]:
    return read_table(EXTRACT_DATA / name)


@dataclass(frozen=True)
class _Data:
    units: dict[str, tuple[str, bool]]  # unit -> (class, multipliers allowed)
    unit_re: str
    prefix_cmp: dict[str, str]
    suffix_cmp: dict[str, str]
    triggers: tuple[str, ...]  # longest first (includes prefix comparators)
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    stops: tuple[str, ...]
    retro: re.Pattern
    past: re.Pattern
    strip_lead: re.Pattern
    skip_par: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _data() -> _Data:
    units = {r[0]: (r[1], len(r) > 2 and r[2] == "Y") for r in _rows("indicator_units.tsv")}
    alts = []
    for u, (_cls, mult) in sorted(units.items(), key=lambda x: (-len(x[0]), x[0])):
        alts.append(("(?:[万亿千百])?" if mult else "") + re.escape(u))
    # composite units: 张/千人, 元/人·月, 平方米/人
    per = r"(?:/(?:每)?(?:千人|万人|百人|千名老人|百户|人·月|人·年|人月|人|户|月|年|天))?"
    unit_re = "(?:" + "|".join(alts) + ")" + per
    prefix_cmp, suffix_cmp = {}, {}
    for w, c, pos in _rows("indicator_comparators.tsv"):
        (prefix_cmp if pos == "prefix" else suffix_cmp)[w] = c
    trig = {r[0] for r in _rows("indicator_triggers.tsv")} | set(prefix_cmp)
    heads = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "head"]
    tails = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "tail"]
    stops = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "stop"]
    cues: dict[str, list[str]] = {}
    for k, p in _rows("indicator_cues.tsv"):
        cues.setdefault(k, []).append(p)
    return _Data(
        units=units,
        unit_re=unit_re,
        prefix_cmp=prefix_cmp,
        suffix_cmp=suffix_cmp,
        triggers=tuple(sorted(trig, key=lambda w: (-len(w), w))),
        heads=tuple(sorted(heads, key=lambda w: (-len(w), w))),
        tails=tuple(tails),
        stops=tuple(sorted(stops, key=lambda w: (-len(w), w))),
        retro=re.compile("|".join(cues.get("retro_section", ["发展基础"]))),
        past=re.compile("|".join(cues.get("past", ["已经"]))),
        strip_lead=re.compile("^(?:" + "|".join(sorted(cues.get("strip_lead", ["其中"]), key=lambda w: -len(w)))
                              + ")"),
        skip_par=tuple(re.compile(p) for p in cues.get("skip_paragraph", [])),
    )


# ----------------------------------------------------------------------------------------------
# regular expressions
# ----------------------------------------------------------------------------------------------
NUM = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_SMALL = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
PERIOD_ORD = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15}
CJK = "\u4e00-\u9fff"
HARD_DELIM = ",;:。!?\n"  # clause boundaries (clean text uses ASCII , ; : ! ?)
SENT_DELIM = "。!?\n"
SEPARATORS = "、和及与,"


def _period_years(ordinal: int) -> tuple[int, int]:
    start = 2006 + 5 * (ordinal - 11)
    return start, start + 4


@lru_cache(maxsize=1)
def _mention_re() -> re.Pattern:
    u = _data().unit_re
    sfx = "|".join(sorted((re.escape(w) for w in _data().suffix_cmp), key=lambda w: -len(w)))
    return re.compile(
        rf"(?<![\dA-Za-z.\-/])(?P<a>{NUM})\s*"
        rf"(?:(?:(?P<ua>{u})\s*)?(?P<rsep>-|—|–|~|～|至)\s*(?P<b>{NUM})\s*)?"
        rf"(?P<mod>多|余)?\s*(?P<unit>{u})(?P<sfx>\s*(?:{sfx}))?"
    )


RE_PERIOD = re.compile(r"[“\"]?十([一二三四五])五[”\"]?\s*(?P<tail>期间|时期|以来|期末|末期|末|初|期)?")
RE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-—–~～至到]\s*((?:19|20)\d{2})\s*)?年(?!\d)")
RE_TITLE_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
RE_BOOK = re.compile(r"《[^《》\n]{0,120}》")
RE_AGE_NOUN = re.compile(r"^\s*(?:及以上|以上|以下|及以下)?\s*[" + CJK + r"]")
RE_AGE_OK_AFTER = re.compile(r"^\s*(?:及以上|以上|以下|及以下|左右)?\s*(?:[,;。!?、\n)]|$|提高|增加|增长|下降|降|和|与|及)")
RE_CHANGE = re.compile(r"^\s*[,]?\s*(?:逐步|进一步|分别)?(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|缩小|缩短|降|增)(?:了)?(?:到|至|为)\s*"
                       r"(?:(?P<y>(?:19|20)\d{2})\s*年(?:末|底)?的?|[“\"]?十([一二三四五])五[”\"]?(?:末|期末)的?)?\s*$")
RE_FROM = re.compile(r"(?:由|从)\s*(?:(?P<y>(?:19|20)\d{2})\s*年(?:末|底)?|[“\"]?十(?P<p>[一二三四五])五[”\"]?(?:末|期末)?)?\s*的?\s*$")


# ----------------------------------------------------------------------------------------------
# plan period
# ----------------------------------------------------------------------------------------------
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
        return _period_years(PERIOD_ORD[m.group(1)])
    m = RE_TITLE_RANGE.search(header)
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return int(m.group(1)), int(m.group(2))
    ords = [PERIOD_ORD[x.group(1)] for x in RE_PERIOD.finditer(text)]
    if ords:
        return _period_years(max(ords))
    goals = [int(x.group(1)) for x in re.finditer(r"到\s*((?:19|20)\d{2})\s*年", text)]
    if goals:
        end = max(goals)
        return end - 4, end
    return 2016, 2020


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


@dataclass
class _Cue:
    start: int
    end: int
    year: int
    local: bool  # 由2010年的… : only for the figure right after it


def _cues(text: str, s: int, e: int, books: list[tuple[int, int]]) -> list[_Cue]:
    """Year cues in text[s:e] (absolute offsets), without reference years (比2010年) or 《》."""
    out = []
    for m in RE_YEAR.finditer(text, s, e):
        if _inside(m.start(), books):
            continue
        before = text[max(s, m.start() - 2):m.start()]
        after = text[m.end():m.end() + 2]
        if after[:1] == "月" or re.match(r"^\s*\d{1,2}\s*月", after):  # a date
            continue
        if "比" in before or "较" in before:
            continue
        y = int(m.group(2) or m.group(1))
        local = bool(re.search(r"(?:由|从)\s*$", before))
        out.append(_Cue(m.start(), m.end(), y, local))
    for m in RE_PERIOD.finditer(text, s, e):
        if _inside(m.start(), books):
            continue
        before = text[max(s, m.start() - 2):m.start()]
        if "比" in before or "较" in before:
            continue
        _, end_y = _period_years(PERIOD_ORD[m.group(1)])
        local = bool(re.search(r"(?:由|从)\s*$", before))
        out.append(_Cue(m.start(), m.end(), end_y, local))
    out.sort(key=lambda c: c.start)
    return out


@dataclass
class _Mention:
    start: int
    end: int  # after unit and suffix
    num_start: int
    a: Decimal
    b: Decimal | None  # range high end
    unit: str
    cmp: str
    approx_more: bool  # 多/余
    consumed: int  # end of the object phrase consumed after it (verb-value-object)
    obj: str = ""  # trailing object phrase
    obj_span: tuple[int, int] | None = None


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in HARD_DELIM:
        i -= 1
    return i


def _clause_end(text: str, pos: int, ceil: int) -> int:
    i = pos
    while i < ceil and text[i] not in HARD_DELIM:
        i += 1
    return i


def _trim_name(name: str, s: int) -> tuple[str, int]:
    """Strip leading cues/adverbs/punctuation; returns (name, new start)."""
    d = _data()
    changed = True
    while changed and name:
        changed = False
        m = re.match(r"^[\s、,和及与]+", name) or (re.match(r"^\(", name) if ")" not in name else None)
        if m:
            s += m.end()
            name = name[m.end():]
            changed = True
            continue
        m = re.match(r"^(?:到|至|截至|截止到?|在|于)?\s*(?:(?:19|20)\d{2}\s*(?:[-—–~～至]\s*(?:19|20)\d{2}\s*)?年(?:底|末|前|以来|内|期间)?"
                     r"|[“\"]?十[一二三四五]五[”\"]?\s*(?:期间|时期|以来|期末|末期|末|初|期)?)\s*的?\s*", name)
        if m and m.end() > 0:
            s += m.end()
            name = name[m.end():]
            changed = True
            continue
        m = d.strip_lead.match(name)
        if m and len(name) - m.end() >= 2:
            s += m.end()
            name = name[m.end():]
            changed = True
    return name, s


def _strip_trigger(seg: str) -> tuple[str, str | None, str]:
    """Split a segment before a figure into (name, trigger comparator, trigger word)."""
    d = _data()
    t = seg.rstrip()
    # filler between trigger and figure: 约, 近, 每千名老人, 平均每人
    filler = re.search(r"(?:约|近|大约|平均每人|每千名老人|每千人|每万人|人均)\s*$", t)
    core = t[: filler.start()] if filler else t
    for w in d.triggers:
        if core.endswith(w):
            name = core[: -len(w)]
            name = re.sub(r"(?:分别|均|已经|已|将|要|逐步|进一步|稳定|持续|全部|都|总体|基本|力争)+$", "", name)
            return name, d.prefix_cmp.get(w), w
    return t, None, ""


def _is_skip_paragraph(line: str) -> bool:
    return any(p.search(line) for p in _data().skip_par)


def _ends_with_head(name: str) -> bool:
    return any(name.endswith(h) for h in _data().heads)


def _split_names(name: str, s: int, k: int, force: bool) -> list[tuple[str, int, int]] | None:
    """Split an enumerated name 'A、B和C…' into parts (text, start, end); None when it does not split."""
    parts = []
    pos = 0
    for m in re.finditer(r"[、和及与]", name):
        # do not split inside quotes or parentheses
        pre = name[:m.start()]
        if pre.count("“") > pre.count("”") or pre.count("(") > pre.count(")"):
            continue
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(name)))
    parts = [(a, b) for a, b in parts if b > a]
    if len(parts) < 2:
        return None
    if k >= 2 and len(parts) != k:
        return None
    if k == 1 and not force and not all(_ends_with_head(name[a:b]) and b - a >= 3 for a, b in parts):
        return None
    out = []
    last = name[parts[-1][0]:parts[-1][1]]
    tail = ""
    for t in _data().tails:
        i = last.find(t)
        if i > 0 and (not tail or i < len(last) - len(tail)):
            tail = last[i:]
    for a, b in parts:
        part = name[a:b]
        if (a, b) != parts[-1] and not _ends_with_head(part) and tail:
            part = part + tail
        out.append((part, s + a, s + b))
    return out


# ----------------------------------------------------------------------------------------------
# mentions
# ----------------------------------------------------------------------------------------------
def _mentions(text: str, s: int, e: int, books: list[tuple[int, int]]) -> list[_Mention]:
    d = _data()
    out: list[_Mention] = []
    for m in _mention_re().finditer(text, s, e):
        a = _dec(m.group("a"))
        if a is None:
            continue
        b = _dec(m.group("b")) if m.group("b") else None
        unit = m.group("unit")
        ua = m.group("ua")
        if ua and ua != unit and b is not None:
            continue  # 5%-10万人: not one range
        if ua and b is None:
            continue  # "86.8%提高" handled as two mentions: the regex matched a unit twice
        base = re.sub(r"^[万亿千百]", "", unit.split("/")[0]) if not unit.startswith("/") else unit
        cls = d.units.get(base, d.units.get(unit, ("count", False)))[0]
        st, en = m.start(), m.end()
        if _inside(st, books):
            continue
        before = text[max(s, st - 3):st]
        after = text[en:en + 12]
        # years, dates, ordinals, denominators, codes
        if base == "年" and (re.fullmatch(r"(?:19|20)\d{2}", m.group("a")) or a >= 100):
            continue
        if b is not None and re.fullmatch(r"(?:19|20)\d{2}", m.group("b") or "") and base == "年":
            continue
        if before.endswith("第") or before.endswith("前") and base == "名":
            continue
        if re.search(r"每\s*(?:新增|增加)?\s*$", text[max(s, st - 4):st]):
            continue
        if text[st - 1:st] == "(" and text[en:en + 1] == ")":
            continue  # an annotation: 规划(100.78万套)
        if re.search(r"[A-Za-z]$", before):
            continue
        if cls == "age" and RE_AGE_NOUN.match(text[en:en + 4]) and not RE_AGE_OK_AFTER.match(text[en:en + 6]):
            continue
        if base == "年":
            seg = text[max(s, st - 6):st]
            if not (re.match(r"^\s*(?:免费|义务)", after) or re.search(r"(?:达到|达|为|提高到|提高至|增加到|增至)\s*$", seg)):
                continue
        if cls == "count" and before.endswith("等"):
            continue
        # a figure right before 月/日 is a date part
        if re.match(r"^\s*[月日号]", after):
            continue
        sfx = (m.group("sfx") or "").strip()
        if cls == "rate" and sfx and re.match(f"^[{CJK}]", text[en:en + 1]) and text[en:en + 1] not in "的和及与":
            continue  # a qualifier: 低保标准150%以内农村困难残疾人家庭
        cmp = d.suffix_cmp.get(sfx, "=") if sfx else "="
        if m.group("mod") and cmp == "=":
            cmp = ">="
        out.append(_Mention(st, en, st, a, b, unit, cmp, bool(m.group("mod")), en))
    # small Chinese numerals after 至少/不少于 (至少有一人就业)
    for m in re.finditer(r"(?P<w>至少有|至少|不少于|不低于)(?P<n>[一两二三四五六七八九十])(?P<unit>人|名|所|个|家|次|项)", text[s:e]):
        st = s + m.start("n")
        if _inside(st, books):
            continue
        out.append(_Mention(st, s + m.end(), st, Decimal(CN_SMALL[m.group("n")]), None, m.group("unit"),
                            ">=", False, s + m.end()))
    out.sort(key=lambda x: x.start)
    # drop counts of plan structure: 8个领域, 80个基本公共服务项目, 服务项目共7个
    kept = []
    for mt in out:
        base = mt.unit.lstrip("万亿千百")
        if base in ("个", "项", "类", "种", "条", "方面"):
            ce = _clause_end(text, mt.end, e)
            obj = text[mt.end:ce]
            obj = re.split(r"[、和及与]", obj, maxsplit=1)[0]
            cs = _clause_start(text, mt.start, s)
            pre = text[cs:mt.start]
            if any(obj.startswith(w) or obj.endswith(w) for w in d.stops) or \
                    re.search(r"(?:服务项目|领域)(?:共|有)?\s*$", pre) or re.search(r"本领域", pre):
                continue
        kept.append(mt)
    return kept


def _object_after(text: str, mt: _Mention, ce: int, nxt: int | None) -> tuple[str, int, int]:
    """The noun phrase a figure quantifies when it stands before it: 800名初级工程师 / 80%的项目…"""
    more = nxt is not None and nxt < ce  # another figure follows in this clause
    lim = min(ce, nxt) if nxt is not None else ce
    i = mt.end
    j = i
    if i < lim and text[i] in "、和及与()”":
        return "", i, i
    while j < lim:
        if text[j] in "”)":
            break
        if more and text[j] in "、和及与":
            break
        if text[j] == "(":
            close = text.find(")", j, lim)
            if close < 0 or re.search(r"\d", text[j:close]):
                break
            j = close + 1
            continue
        if text[j] in "、和及与" and re.match(r"\s*\d", text[j + 1:j + 3]):
            break
        j += 1
    obj = text[i:j]
    k = 0
    while k < len(obj) and obj[k] in " 的":
        k += 1
    return obj[k:].rstrip(), i + k, j


# ----------------------------------------------------------------------------------------------
# sentences
# ----------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    start_year: int
    end_year: int
    retro: bool
    domain: str | None


def _sentences(text: str, s: int, e: int):
    i = s
    for j in range(s, e + 1):
        if j == e or text[j] in SENT_DELIM:
            if j > i:
                yield i, j
            i = j + 1


def _year_kind(text: str, mt: _Mention, cues: list[_Cue], sent_s: int, ctx: _Ctx,
               own_cue: _Cue | None) -> tuple[str, int | None]:
    cue = own_cue
    if cue is None:
        prev = [c for c in cues if c.end <= mt.start and not c.local]
        if prev:
            cue = prev[-1]
    past = bool(_data().past.search(text[sent_s:mt.start]))
    if cue is not None:
        if cue.year < ctx.start_year:
            return "baseline", cue.year
        if ctx.retro and cue.year == ctx.start_year - 1:
            return "baseline", cue.year
        return "target", cue.year
    if ctx.retro or past:
        return "baseline", ctx.start_year - 1
    return "target", ctx.end_year


def _make(name, name_span, mt: _Mention, value: Decimal, cmp: str, kind: str, year: int | None,
          span, ctx: _Ctx, baseline: tuple[Decimal, int | None] | None = None) -> Indicator:
    if kind == "target":
        bl, by = baseline if baseline else (None, None)
        return Indicator(name, name_span, mt.unit, cmp, value, year, bl, by, span, ctx.domain)
    return Indicator(name, name_span, mt.unit, cmp, None, None, value, year, span, ctx.domain)


def _clean_name(name: str) -> str:
    name = re.sub(r"(?:到|至|在)?\s*(?:19|20)\d{2}\s*年(?:底|末)?$", "", name.strip())
    name = name.strip(" ,、的")
    while name and name[0] in "”)":
        name = name[1:]
    if name.startswith("“") and "”" not in name:
        name = name[1:]
    if name.startswith("(") and ")" not in name:
        name = name[1:]
    if name.endswith("“") or (name.endswith("(") and name.count("(") > name.count(")")):
        name = name[:-1]
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    return name.strip(" ,、的")


def _sentence_indicators(text: str, s: int, e: int, ctx: _Ctx, books) -> list[Indicator]:
    mentions = _mentions(text, s, e, books)
    if not mentions:
        return []
    cues = _cues(text, s, e, books)
    out: list[Indicator] = []
    # group into lists (x和y / x、y) and from-to pairs
    i = 0
    prev_end = s
    prev_name: str = ""
    while i < len(mentions):
        mt = mentions[i]
        if "?" in text[max(s, mt.start - 8):mt.end]:
            i += 1
            continue
        cs = _clause_start(text, mt.start, s)
        seg_s = max(cs, prev_end)
        seg = text[seg_s:mt.start]
        # a value list: x、y和z (only separators in between)
        group = [mt]
        j = i + 1
        while j < len(mentions):
            gap = text[group[-1].end:mentions[j].start]
            if re.fullmatch(r"\s*[、和及与,]\s*", gap) and (mentions[j].unit == mt.unit or "分别" in seg):
                group.append(mentions[j])
                j += 1
            else:
                break
        # from-to: 由A提高到B
        from_to = None
        if j < len(mentions) and len(group) == 1:
            gap = text[mt.end:mentions[j].start]
            mf = RE_FROM.search(seg)
            mc = RE_CHANGE.match(gap)
            if mf and mc and mentions[j].unit.lstrip("万亿千百") == mt.unit.lstrip("万亿千百"):
                from_to = (mf, mc, mentions[j])
        if from_to:
            mf, mc, mt2 = from_to
            raw_name = seg[: mf.start()]
            name_s = seg_s
            name, _, _ = _strip_trigger(raw_name)
            name, name_s = _trim_name(name, name_s)
            name = _clean_name(name)
            if len(name) < 2:
                name = prev_name
            y1 = None
            if mf.group("y"):
                y1 = int(mf.group("y"))
            elif mf.group("p"):
                y1 = _period_years(PERIOD_ORD[mf.group("p")])[1]
            y2 = None
            if mc.group("y"):
                y2 = int(mc.group("y"))
            elif mc.group(2):
                y2 = _period_years(PERIOD_ORD[mc.group(2)])[1]
            own = [c for c in cues if c.end <= mt.start and not c.local]
            kind2, year2 = _year_kind(text, mt2, [], s, ctx,
                                      _Cue(0, 0, y2, False) if y2 else (own[-1] if own else None))
            span = (name_s, mt2.end)
            nspan = (name_s, name_s + len(name))
            if kind2 == "target":
                by = y1 if y1 else ctx.start_year - 1
                out.append(_make(name, nspan, mt2, mt2.a, mt2.cmp, "target", year2, span, ctx,
                                 baseline=(mt.a, by)))
            else:
                by = y1 if y1 else (year2 - 5 if year2 else ctx.start_year - 6)
                out.append(_make(name, nspan, mt, mt.a, mt.cmp, "baseline", by, span, ctx))
                out.append(_make(name, nspan, mt2, mt2.a, mt2.cmp, "baseline", year2, span, ctx))
            prev_end = mt2.end
            prev_name = name
            i = j + 1
            continue
        # name: segment before the figure, without its trigger verb
        name, tcmp, tword = _strip_trigger(seg)
        name_s = seg_s
        # a comparison clause: 比“十一五”期间净增26万人次 -> previous name + clause
        name, name_s = _trim_name(name, name_s)
        cmp_clause = bool(re.match(r"^\s*(?:比|较)", seg))
        if cmp_clause and prev_name:
            name = prev_name + _clean_name(seg.strip())
        name = _clean_name(name)
        if name and not cmp_clause:
            off = text.find(name, name_s, mt.start)
            if off >= 0:
                name_s = off
        # the object after the figure (新建44个急救分站 / 80%的项目落户郊区 / 1所综合医院)
        ce = _clause_end(text, group[-1].end, e)
        obj_parts = []
        for g in group:
            n2 = None
            gi = mentions.index(g)
            if gi + 1 < len(mentions):
                n2 = mentions[gi + 1].start
            obj, os_, oe = _object_after(text, g, ce, n2)
            obj_parts.append((obj, os_, oe))
        consumed = max(group[-1].end, obj_parts[-1][2] if obj_parts[-1][0] else group[-1].end)
        use_obj = (not tword or len(name) < 2 or tword in ("至少有", "有", "至少")) and \
            any(o for o, _, _ in obj_parts)
        values = []  # (name, name_span, mention)
        if len(group) >= 2:
            parts = _split_names(name, name_s, len(group), True) if name else None
            for k, g in enumerate(group):
                if parts:
                    nm, a_, b_ = parts[k]
                else:
                    nm, a_, b_ = name, name_s, name_s + len(name)
                if use_obj and obj_parts[k][0]:
                    _, os_, oe = obj_parts[k]
                    a_, b_ = (a_, oe) if nm else (os_, oe)  # the name runs into its object
                    nm = (nm + obj_parts[k][0]) if nm else obj_parts[k][0]
                values.append((nm, (a_, b_), g))
        else:
            obj = obj_parts[0][0]
            if use_obj and obj:
                # shared object: 农村30分钟、城市15分钟医疗服务圈
                nm = name + obj
            elif use_obj is False and not obj and j < len(mentions) and text[mt.end:mt.end + 1] == "、" \
                    and mentions[j].unit == mt.unit and not tword:
                o2, _, _ = _object_after(text, mentions[j], _clause_end(text, mentions[j].end, e),
                                         mentions[j + 1].start if j + 1 < len(mentions) else None)
                nm = name + o2
            else:
                nm = name
            parts = _split_names(name, name_s, 1, False) if name and not (use_obj and obj) else None
            if parts:
                for p, a_, b_ in parts:
                    values.append((p, (a_, b_), mt))
            elif use_obj and obj:  # the name runs into the object after the figure
                _, os_, oe = obj_parts[0]
                values.append((nm, (name_s if name else os_, oe), mt))
            else:
                values.append((nm, (name_s, name_s + len(name)), mt))
        for nm, nspan, g in values:
            nm = _clean_name(nm)
            if len(nm) < 2 or not re.search(f"[{CJK}]", nm):
                continue
            cmp = g.cmp
            if tcmp and cmp == "=":
                cmp = tcmp
            kind, year = _year_kind(text, g, cues, s, ctx, None)
            span = (min(nspan[0], g.start), max(g.end, consumed if use_obj else g.end))
            if g.b is not None:
                lo = ">=" if cmp in ("=", ">=", ">") else cmp
                out.append(_make(nm, nspan, g, g.a, lo, kind, year, span, ctx))
                out.append(_make(nm, nspan, g, g.b, "<=", kind, year, span, ctx))
            else:
                out.append(_make(nm, nspan, g, g.a, cmp, kind, year, span, ctx))
        prev_end = consumed
        prev_name = _clean_name(name) or prev_name
        i = j
    return out


# ----------------------------------------------------------------------------------------------
# goal tables
# ----------------------------------------------------------------------------------------------
RE_ATTR = re.compile(r"^(?:预期性|约束性|指导性)$")
RE_CELL_VALUE = re.compile(rf"^(?P<pre>[≥≤><]|>=|<=)?\s*[\[(]?(?P<n>{NUM})[\])]?\s*(?P<u>%|‰)?\s*(?P<sfx>以上|以下|以内|左右)?$")
RE_EMPTY = re.compile(r"^(?:—+|-+|/|无|--|——|─+)$")
RE_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _table_row(row_name: str | None, row_span, row_unit: str, vals: list, years: list[int],
               ctx: _Ctx) -> Indicator | None:
    """One goal-table row: values in the order of the header's year columns."""
    if not row_name or not vals:
        return None
    nm = row_name
    unit = row_unit
    mu = re.search(r"[((]([^()()]{1,8})[))]\s*$", nm)
    if mu and not unit:
        unit = mu.group(1)
    if mu:
        nm = nm[: mu.start()].strip()
    base_v, base_y, tgt_v, tgt_y, cmp, v_end = None, None, None, None, "=", row_span[1]
    for (val, c, vu, vend), y in zip(vals, years):
        if val is None:
            continue
        unit = unit or vu
        v_end = max(v_end, vend)
        if y < ctx.start_year:
            base_v, base_y = val, y
        else:
            tgt_v, tgt_y, cmp = val, y, c
    if tgt_v is None and base_v is None:
        return None
    span = (row_span[0], v_end)
    nspan = (row_span[0], row_span[0] + len(nm))
    if tgt_v is not None:
        return Indicator(nm, nspan, unit, cmp, tgt_v, tgt_y, base_v, base_y, span, ctx.domain, True)
    return Indicator(nm, nspan, unit, cmp, None, None, base_v, base_y, span, ctx.domain, True)


def _table_indicators(text: str, ctx_for, books) -> list[Indicator]:
    lines = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    d = _data()
    out: list[Indicator | None] = []
    i = 0
    n = len(lines)
    while i < n:
        # header: up to 8 consecutive short lines with >= 2 year columns and a column word
        found = None
        acc = ""
        for k in range(i, min(n, i + 8)):
            ln = lines[k][2].strip()
            if len(ln) > 60 or "。" in ln:
                break
            acc += " " + ln
            years = RE_HEADER_YEAR.findall(acc)
            if len(years) >= 2 and re.search(r"指标|名称|项目|属性|单位", acc) and not re.search(r"[,;]", acc):
                found = (k, [int(y) for y in years])
                break
        if not found:
            i += 1
            continue
        k_end, years = found
        ctx = ctx_for(lines[i][0])
        has_attr = "属性" in acc
        cells: list[tuple[str, int, int]] = []
        k = k_end + 1
        while k < n:
            s0, _e0, ln = lines[k]
            st = ln.strip()
            if not st:
                k += 1
                continue
            if "。" in st or len(st) > 80 or re.match(r"^(?:[一二三四五六七八九十]+、|[((][一二三四五六七八九十]+[))]|注)", st):
                break
            for m in re.finditer(r"[^\s|]+", ln):
                cells.append((m.group(0), s0 + m.start(), s0 + m.end()))
            k += 1
        row_name, row_span, row_unit, vals = None, None, "", []

        for cell, cs, ce in cells:
            if RE_ATTR.match(cell):
                out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                row_name, vals, row_unit = None, [], ""
                continue
            mv = RE_CELL_VALUE.match(cell)
            if mv and row_name:
                c = d.prefix_cmp.get(mv.group("pre") or "", "=")
                if mv.group("sfx"):
                    c = d.suffix_cmp.get(mv.group("sfx"), c)
                vals.append((_dec(mv.group("n")), c, mv.group("u") or "", ce))
                if not has_attr and len(vals) >= len(years):
                    out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                    row_name, vals, row_unit = None, [], ""
                continue
            if RE_EMPTY.match(cell) and row_name:
                vals.append((None, "=", "", ce))
                continue
            if row_name and not vals and (cell in d.units or re.fullmatch(r"(?:[万亿千百])?\S{1,4}", cell)
                                          and cell.lstrip("万亿千百") in d.units):
                row_unit = cell
                continue
            if re.search(f"[{CJK}]", cell):
                if vals:
                    out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
                    vals, row_unit = [], ""
                row_name, row_span = cell, (cs, ce)
        out.append(_table_row(row_name, row_span, row_unit, vals, years, ctx))
        i = k
    return [x for x in out if x is not None]


# ----------------------------------------------------------------------------------------------
# entry point
# ----------------------------------------------------------------------------------------------
def find_indicators(text: str, blocks: list | None = None) -> list[Indicator]:
    """Indicators stated in the clean text, sorted by span (deterministic)."""
    if blocks is None:
        from .domains import domain_labels
        from .structure import DomainTagger, parse_structure

        blocks = parse_structure(text, DomainTagger(domain_labels()))
    start_year, end_year = plan_period(text, blocks)
    d = _data()
    books = _spans(RE_BOOK, text)

    def retro_of(b) -> bool:
        titles = list(b.path) + ([b.title] if b.is_section and b.title else [])
        return any(d.retro.search(t) for t in titles if t)

    starts = [b.start for b in blocks]

    def ctx_for(pos: int) -> _Ctx:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return _Ctx(start_year, end_year, False, None)
        b = blocks[k]
        return _Ctx(start_year, end_year, retro_of(b), b.domain)

    out: list[Indicator] = []
    for b in blocks:
        line = text[b.start:b.end]
        if _is_skip_paragraph(line):
            continue
        ctx = _Ctx(start_year, end_year, retro_of(b), b.domain)
        # an item line ("1.提供…") starts after its marker
        s = b.start
        if b.marker:
            s = b.start + len(b.marker) if text.startswith(b.marker, b.start) else b.start
            mk = re.match(r"^\s*(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d{1,2}\s*[.、])\s*", line)
            if mk:
                s = b.start + mk.end()
        for ss, se in _sentences(text, s, b.end):
            out.extend(_sentence_indicators(text, ss, se, ctx, books))
    table = _table_indicators(text, ctx_for, books)
    if table:
        tspans = [x.span for x in table]
        out = [x for x in out if not any(a <= x.span[0] < b_ for a, b_ in tspans)] + table
    seen = set()
    uniq = []
    for x in sorted(out, key=lambda x: (x.span, x.name_span, x.name, str(x.value), x.kind, x.comparator)):
        key = (x.name, x.name_span, x.unit, x.comparator, x.target, x.target_year, x.baseline, x.baseline_year,
               x.span)
        if key in seen:
            continue
        seen.add(key)
        uniq.append(x)
    return uniq
