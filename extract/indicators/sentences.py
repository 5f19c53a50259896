"""Indicators stated in one sentence of running text.

A sentence's figures (:func:`numbers.mentions`) are read left to right. Each figure (or a
list of figures joined by 、/和, or a from-to pair 由A提高到B) takes as its measure name the
words of its clause before it without the trigger verb; when the name is missing or the verb
takes an object (新建44个急救分站, 80%的乡镇…), the noun phrase after the figure completes it.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .data import tables
from .names import clean_name, is_bare_change, is_bare_verb, split_names, strip_trigger, trim_name
from .numbers import NUM, Mention, dec, mentions, object_after
from .record import Indicator
from .spans import CJK, clause_end, clause_start
from .frame import PERIOD_ORD, period_years
from .years import AspectMarks, Ctx, Cue, basis_spans, cues, topic_after, year_kind

CHANGE_VERB = (r"(?:逐步|进一步|分别)?(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|缩小|缩短|调高|调整|上调|降|增)(?:了)?"
               r"(?:到|至|为)")
# a rate or amount per person / per period between the preposition and the figure: 由每年660元增加到每年726元
PER = r"(?:(?:每[人户生名](?:平均)?)?每(?:年|月|日|天)|每[人户生名]|[年月]?[人生户]均)"
# a bound word before a figure of a change (由…提高到不低于494元): the figure's comparator
BOUND = r"(?P<bound>不低于|不少于|不高于|不超过|至少)?"
RE_CHANGE = re.compile(rf"^\s*[,]?\s*{CHANGE_VERB}\s*"
                       r"(?:(?P<y>(?:19|20)\d{2})\s*年(?:末|底)?的?|[“\"]?十([一二三四五])五[”\"]?(?:末|期末)的?)?\s*"
                       rf"{PER}?\s*{BOUND}\s*$")
# 由[2010年的][企业缴费的][每年]86.8%: the from-value, its year and the base it is a share of
RE_FROM = re.compile(r"(?:由|从)\s*(?:(?P<y>(?:19|20)\d{2})\s*年(?:末|底)?|[“\"]?十(?P<p>[一二三四五])五[”\"]?(?:末|期末)?)?\s*"
                     r"(?:原来的?|原先的?|现行的?|最初的?)?\s*"
                     rf"(?:[^,;:。由从\d]{{1,20}}?的|的)?\s*{PER}?\s*{BOUND}\s*$")
# a to-value written without its unit (由每人每年610元提高至640): the from-value's unit
RE_BARE_TO = re.compile(rf"\s*[,]?\s*{CHANGE_VERB}\s*{PER}?\s*{BOUND}\s*(?P<n>{NUM})(?![\d.%‰])")
RE_LIST_GAP = re.compile(r"\s*[、和及与,]\s*")
OBJECT_TRIGGERS = ("至少有", "有", "至少")  # trigger verbs whose figure counts the noun after it


def make(name, name_span, mt: Mention, value: Decimal, cmp: str, kind: str, year: int | None,
         span, ctx: Ctx, baseline: tuple[Decimal, int | None] | None = None) -> Indicator:
    if kind == "target":
        bl, by = baseline if baseline else (None, None)
        return Indicator(name, name_span, mt.unit, cmp, value, year, bl, by, span, ctx.domain)
    return Indicator(name, name_span, mt.unit, cmp, None, None, value, year, span, ctx.domain)


def _same_unit(a: str, b: str) -> bool:
    return a.lstrip("万亿千百") == b.lstrip("万亿千百")


def _bound(m, cmp: str) -> str:
    """The comparator a bound word before a change's figure gives (提高到不低于494元: >=)."""
    word = m.group("bound") if m is not None else None
    return tables().prefix_cmp.get(word, cmp) if word else cmp


def _cue_year(y: str | None, period: str | None) -> int | None:
    if y:
        return int(y)
    if period:
        return period_years(PERIOD_ORD[period])[1]
    return None


class SentenceParser:
    """One sentence text[s:e] in its block's context."""

    def __init__(self, text: str, s: int, e: int, ctx: Ctx, books):
        self.text, self.s, self.e, self.ctx = text, s, e, ctx
        self.mentions = mentions(text, s, e, books)
        self.cues = cues(text, s, e, books, ctx.period)
        self.marks = AspectMarks(text, s, e) if self.mentions else None
        self.basis = basis_spans(text, s, e) if self.mentions else []
        self.last_name: tuple[str, int] | None = None  # the last measure named: (name, start)

    def indicators(self) -> list[Indicator]:
        text, ms = self.text, self.mentions
        out: list[Indicator] = []
        i = 0
        prev_end = self.s
        prev_name = ""
        while i < len(ms):
            mt = ms[i]
            if "?" in text[max(self.s, mt.start - 8):mt.end]:  # damaged text
                i += 1
                continue
            seg_s = max(clause_start(text, mt.start, self.s), prev_end)
            seg = text[seg_s:mt.start]
            j = self._list_end(i, seg)
            pair = self._from_to(i, j, seg) if j == i + 1 else None
            if pair:
                found, prev_name = self._from_to_indicators(seg, seg_s, mt, *pair, prev_name)
                out.extend(found)
                prev_end = pair[2].end
                i = j + 1 if j < len(ms) and pair[2] is ms[j] else j
                continue
            found, prev_end, name = self._list_indicators(i, j, seg, seg_s, prev_name)
            out.extend(found)
            prev_name = name or prev_name
            i = j
        return out

    # ------------------------------------------------------------------ grouping
    def _list_end(self, i: int, seg: str) -> int:
        """End (exclusive) of the value list starting at mention i: x、y和z, only separators
        in between, the same unit (or 分别 before)."""
        ms, mt = self.mentions, self.mentions[i]
        j = i + 1
        while j < len(ms):
            gap = self.text[ms[j - 1].end:ms[j].start]
            if (RE_LIST_GAP.fullmatch(gap) and (ms[j].unit == mt.unit or "分别" in seg)) or \
                    (not gap and ms[j].unit != ms[j - 1].unit):  # 1188户4267人: one measure, two units
                j += 1
            else:
                break
        return j

    def _from_to(self, i: int, j: int, seg: str):
        """由A提高到B: (from-match, change-match, the to-mention) or None."""
        ms, mt = self.mentions, self.mentions[i]
        mf = RE_FROM.search(seg)
        if not mf:
            return None
        if j < len(ms):
            mc = RE_CHANGE.match(self.text[mt.end:ms[j].start])
            if mc and _same_unit(ms[j].unit, mt.unit):
                return mf, mc, ms[j]
        mb = RE_BARE_TO.match(self.text, mt.end, self.e)
        if mb and (j >= len(ms) or ms[j].start >= mb.end()):
            to = Mention(mb.start("n"), mb.end("n"), mb.start("n"), dec(mb.group("n")), None, mt.unit, "=",
                         False, mb.end("n"))
            return mf, RE_CHANGE.match(self.text[mt.end:mb.start("n")]), to
        return None

    # ------------------------------------------------------------------ from-to
    def _from_to_indicators(self, seg: str, seg_s: int, mt: Mention, mf, mc, mt2: Mention, prev_name: str):
        """A from-value (achieved) and a to-value: one target with its baseline in a goal
        context, two baselines in a review."""
        ctx = self.ctx
        name, _, _ = strip_trigger(seg[: mf.start()])
        name, name_s = trim_name(name, seg_s)
        name = clean_name(name)
        if len(name) < 2:
            name = prev_name
        y1 = _cue_year(mf.group("y"), mf.group("p"))
        y2 = _cue_year(mc.group("y"), mc.group(2))
        own = [c for c in self.cues if c.end <= mt.start and not c.local]
        kind2, year2 = year_kind(self.text, mt2.start, [], self.s, ctx,
                                 Cue(0, 0, y2, False) if y2 else (own[-1] if own else None), marks=self.marks)
        span = (name_s, mt2.end)
        nspan = (name_s, name_s + len(name))
        if len(name) >= 2:
            self.last_name = (name, name_s)
        cmp1, cmp2 = _bound(mf, mt.cmp), _bound(mc, mt2.cmp)
        if mt.unit != mt2.unit:  # 由9500公里增加到1.35万公里: each value with its own unit
            by = y1 if y1 else (ctx.period.review_year if kind2 == "target" else
                                ctx.period.before(year2 if year2 else ctx.period.review_year))
            return [make(name, nspan, mt, mt.a, cmp1, "baseline", by, (name_s, mt.end), ctx),
                    make(name, nspan, mt2, mt2.a, cmp2, kind2, year2, span, ctx)], name
        if kind2 == "target":
            by = y1 if y1 else ctx.period.review_year
            return [make(name, nspan, mt2, mt2.a, cmp2, "target", year2, span, ctx, baseline=(mt.a, by))], name
        by = y1 if y1 else ctx.period.before(year2 if year2 else ctx.period.review_year)
        return [make(name, nspan, mt, mt.a, cmp1, "baseline", by, span, ctx),
                make(name, nspan, mt2, mt2.a, cmp2, "baseline", year2, span, ctx)], name

    # ------------------------------------------------------------------ a figure or a list
    def _measure_name(self, seg: str, seg_s: int, mt: Mention, prev_name: str):
        """(name, start, trigger comparator, trigger word) of the words before a figure."""
        name, tcmp, tword = strip_trigger(seg)
        name, name_s = trim_name(name, seg_s)
        # a comparison clause: 比“十一五”期间净增26万人次 -> previous name + clause
        cmp_clause = bool(re.match(r"^\s*(?:比|较)", seg))
        if cmp_clause and prev_name:
            name = prev_name + clean_name(seg.strip())
        name = clean_name(name)
        if name and not cmp_clause:
            off = self.text.find(name, name_s, mt.start)
            if off >= 0:
                name_s = off
        return name, name_s, tcmp, tword

    def _objects(self, i: int, j: int) -> list[tuple[str, int, int]]:
        """The object after each figure of the list ms[i:j] (新建44个急救分站 / 1所综合医院)."""
        ms = self.mentions
        ce = clause_end(self.text, ms[j - 1].end, self.e)
        out = []
        for gi in range(i, j):
            n2 = ms[gi + 1].start if gi + 1 < len(ms) else None
            out.append(object_after(self.text, ms[gi], ce, n2))
        return out

    def _list_indicators(self, i: int, j: int, seg: str, seg_s: int, prev_name: str):
        """Indicators of the figures ms[i:j] (one figure or a list): (indicators, end consumed,
        name for the next clause)."""
        text, ms, e = self.text, self.mentions, self.e
        mt = ms[i]
        group = ms[i:j]
        name, name_s, tcmp, tword = self._measure_name(seg, seg_s, mt, prev_name)
        obj_parts = self._objects(i, j)
        consumed = max(group[-1].end, obj_parts[-1][2] if obj_parts[-1][0] else group[-1].end)
        use_obj = (not tword or len(name) < 2 or tword in OBJECT_TRIGGERS or is_bare_verb(name)) and \
            any(o for o, _, _ in obj_parts)
        if len(name) < 2 and not use_obj and self.last_name and (tword or not seg.strip(" ,、和及")):
            # a clause that goes on with the previous clause's measure (…年递增11.5%以上,2011年
            # 达到1600亿元 / 改造2200处、6500平方米)
            name, name_s = self.last_name
        change_end = None  # the end of the name span of a change of the previous measure
        if is_bare_change(name) and self.last_name and len(group) == 1 and not use_obj:
            # how the previous clause's measure changed: 一般公共预算收入1963.5亿元,年均增长12.9%
            change_end = name_s + len(name)
            name, name_s = self.last_name[0] + name, self.last_name[1]
        values = []  # (name, name_span, mention)
        if len(group) >= 2:
            parts = split_names(name, name_s, len(group), True) if name else None
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
            elif use_obj is False and not obj and j < len(ms) and text[mt.end:mt.end + 1] == "、" \
                    and ms[j].unit == mt.unit and not tword:
                o2, _, _ = object_after(text, ms[j], clause_end(text, ms[j].end, e),
                                        ms[j + 1].start if j + 1 < len(ms) else None)
                nm = name + o2
            else:
                nm = name
            parts = split_names(name, name_s, 1, False) if name and not (use_obj and obj) and change_end is None \
                else None
            if change_end is not None:  # the span runs from the measure to its change
                values.append((nm, (name_s, change_end), mt))
            elif parts:
                for p, a_, b_ in parts:
                    values.append((p, (a_, b_), mt))
            elif use_obj and obj:  # the name runs into the object after the figure
                _, os_, oe = obj_parts[0]
                values.append((nm, (name_s if name else os_, oe), mt))
            else:
                values.append((nm, (name_s, name_s + len(name)), mt))
        out = []
        for nm, nspan, g in values:
            out.extend(self._emit(nm, nspan, g, tcmp, consumed if use_obj else g.end))
        if len(clean_name(name)) >= 2 and change_end is None and not is_bare_change(clean_name(name)):
            self.last_name = (name, name_s)
        _, os_, oe = obj_parts[-1]
        if use_obj and j < len(ms) and oe == ms[j].start and oe > os_:
            # 为1620名残疾人每人每年发放生活补贴600元: the object that runs up to the next
            # figure is also the words before it (its name)
            consumed = os_
        return out, consumed, clean_name(name)

    def _emit(self, nm: str, nspan, g: Mention, tcmp: str | None, end: int) -> list[Indicator]:
        """One indicator for a figure, two (low and high end) for a range."""
        nm = clean_name(nm)
        if len(nm) < 2 or not re.search(f"[{CJK}]", nm):
            return []
        cmp = g.cmp
        if tcmp and cmp == "=":
            cmp = tcmp
        achieved_basis = any(b_s <= g.start < b_e and ok for b_s, b_e, ok in self.basis)
        kind, year = year_kind(self.text, g.start, self.cues, self.s, self.ctx, None, achieved_basis, g.end,
                               self.marks)
        span = (min(nspan[0], g.start), max(g.end, end))
        if g.b is not None:
            lo = ">=" if cmp in ("=", ">=", ">") else cmp
            return [make(nm, nspan, g, g.a, lo, kind, year, span, self.ctx),
                    make(nm, nspan, g, g.b, "<=", kind, year, span, self.ctx)]
        return [make(nm, nspan, g, g.a, cmp, kind, year, span, self.ctx)]


def sentence_indicators(text: str, s: int, e: int, ctx: Ctx, books) -> tuple[list[Indicator], Cue | None]:
    """The indicators of text[s:e] and the time the sentence leaves for the next ones of its
    paragraph (see :func:`years.topic_after`)."""
    sp = SentenceParser(text, s, e, ctx, books)
    return sp.indicators(), topic_after(text, sp.cues, s, e, ctx.topic)
