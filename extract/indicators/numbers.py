"""Figures in running text: a number with its unit and comparator (a *mention*), and the
noun phrase a figure quantifies when it stands before it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .data import tables
from .spans import CJK, clause_end, clause_start, inside

# a decimal point may be followed by a space or a line break the crawl put there (49. 2%)
# thousands a crawl separated by a space (1 122个) only after one or two digits, so that
# a table row of three-digit cells (300 500) is not read as one number
NUM = r"\d{1,2}(?: \d{3})+(?![\d.])|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.[ \n]?\d+)?"
CN_SMALL = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
RE_AGE_NOUN = re.compile(r"^\s*(?:及以上|以上|以下|及以下)?\s*[" + CJK + r"]")
RE_AGE_OK_AFTER = re.compile(r"^\s*(?:及以上|以上|以下|及以下|左右)?\s*(?:[,;。!?、\n)]|$|提高|增加|增长|下降|降|和|与|及)")


# a figure that measures the gap between a result and its target, not a measure itself
RE_GAP_TO_TARGET = re.compile(r"(?:高出|超出|超过|低于|高于|少于|多于)[^,;。\d]{0,10}(?:目标|计划|预期)\s*$")


def dec(s: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[,\s]", "", s))
    except InvalidOperation:
        return None


@dataclass
class Mention:
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


@lru_cache(maxsize=1)
def mention_re() -> re.Pattern:
    u = tables().unit_re
    sfx = "|".join(sorted((re.escape(w) for w in tables().suffix_cmp), key=lambda w: -len(w)))
    return re.compile(
        rf"(?<![\dA-Za-z.\-/])(?P<a>{NUM})\s*"
        rf"(?:(?:(?P<ua>{u})\s*)?(?P<rsep>-|—|–|~|～|至)\s*(?P<b>{NUM})\s*)?"
        rf"(?P<mod>多|余)?\s*(?P<unit>{u})(?P<sfx>\s*(?:{sfx}))?"
    )


def mentions(text: str, s: int, e: int, books: list[tuple[int, int]]) -> list[Mention]:
    """The figures of text[s:e] that can be indicator values (not years, dates, ordinals,
    denominators, codes, ages qualifying a group, counts of plan structure)."""
    d = tables()
    out: list[Mention] = []
    for m in mention_re().finditer(text, s, e):
        a = dec(m.group("a"))
        if a is None:
            continue
        if re.search(r"\.\s", m.group("a")) and (m.start() == 0 or text[m.start() - 1] == "\n"):
            continue  # an item number ("1. 20所") at the start of a line, not a damaged decimal
        b = dec(m.group("b")) if m.group("b") else None
        unit = m.group("unit")
        ua = m.group("ua")
        if ua and ua != unit and b is not None:
            continue  # 5%-10万人: not one range
        if ua and b is None:
            continue  # "86.8%提高" handled as two mentions: the regex matched a unit twice
        base = re.sub(r"^(?:万亿|[万亿千百])", "", unit.split("/")[0]) if not unit.startswith("/") else unit
        cls = d.units.get(base, d.units.get(unit, ("count", False)))[0]
        st, en = m.start(), m.end()
        if inside(st, books):
            continue
        unit_at = m.start("unit") + (len(unit) - len(unit.lstrip("万亿千百")))
        if any(text.startswith(w, unit_at) for w in d.unit_words):
            continue  # 450000 支持… / 20万人口以上
        if unit == "万" and re.match(rf"[{CJK}]", text[en:en + 1]) and not re.match(r"左右|以上|多|余", text[en:en + 2]):
            continue  # 万 alone counts people only at a clause's end (户籍人口531.59万,), not 1300万新市民
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
        if text[st - 1:st] in "“\"『「":
            continue  # a name that opens with its number: “15分钟健身圈”, “2020十件民生实事”
        if re.search(r"[A-Za-z]$", before):
            continue
        if cls == "age" and RE_AGE_NOUN.match(text[en:en + 4]) and not RE_AGE_OK_AFTER.match(text[en:en + 6]):
            continue
        if base == "年":
            seg = text[max(s, st - 6):st]
            in_list = re.search(r"[、和及与]\s*$", seg) and re.search(r"分别(?:达到|达|为|提高到)", text[clause_start(text, st, s):st])
            if not (re.match(r"^\s*(?:免费|义务)", after) or in_list or
                    re.search(r"(?:达到|达|为|提高到|提高至|增加到|增至)\s*$", seg)):
                continue  # a duration only as a measure's value (…分别达到90%和13.5年)
        if cls == "count" and before.endswith("等"):
            continue
        if cls == "count" and text[max(s, st - 1):st] == "在" and re.search(r"\d", text[en:clause_end(text, en, e)]):
            continue  # where the clause's measure is taken: 在17个乡镇硬化道路10万平方米 (not 在83所小学增设幼儿园)
        # a figure right before 月/日 is a date part
        if re.match(r"^\s*[月日号]", after):
            continue
        if re.match(r"^\s*(?:范围内|半径内|以内的|范围)", after):
            continue  # a scope: 0-3公里范围内边民
        if RE_GAP_TO_TARGET.search(text[clause_start(text, st, s):st]):
            continue  # how far a result is from its target: 高出年度计划目标2.7个百分点
        sfx = (m.group("sfx") or "").strip()
        if cls == "rate" and sfx and re.match(f"^[{CJK}]", text[en:en + 1]) and text[en:en + 1] not in "的和及与":
            continue  # a qualifier: 低保标准150%以内农村困难残疾人家庭
        cmp = d.suffix_cmp.get(sfx, "=") if sfx else "="
        if m.group("mod") and cmp == "=":
            cmp = ">="
        out.append(Mention(st, en, st, a, b, unit, cmp, bool(m.group("mod")), en))
    out.extend(_chinese_mentions(text, s, e, books, {(m.start, m.end) for m in out}))
    out.sort(key=lambda x: x.start)
    # drop counts of plan structure: 8个领域, 80个基本公共服务项目, 服务项目共7个
    kept = []
    for mt in out:
        base = mt.unit.lstrip("万亿千百")
        if base in ("个", "项", "类", "种", "条", "方面"):
            ce = clause_end(text, mt.end, e)
            obj = text[mt.end:ce]
            obj = re.split(r"[、和及与]", obj, maxsplit=1)[0]
            cs = clause_start(text, mt.start, s)
            pre = text[cs:mt.start]
            if any(obj.startswith(w) or obj.endswith(w) for w in d.stops) or \
                    re.search(r"(?:服务项目|领域|指标)(?:共|有|为)?\s*$", pre) or re.search(r"本领域", pre):
                continue
        kept.append(mt)
    return kept


CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_POWER = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千万"
# a Chinese numeral counting the noun after it (一所县级失能照护机构, 两个实验室, 十五个中心);
# 一 only with classifiers of facilities (一个/一项 are mostly idiom: 一个都不能少)
RE_CN_COUNT = re.compile(rf"(?<![{CN_NUMERAL}第每逐其之单唯同某哪这那几])(?P<n>[{CN_NUMERAL}]{{1,6}})"
                         r"(?P<unit>所|个|家|座|处|名|张|项|支|台|辆|套|间|户|条|场)"
                         rf"(?=[{CJK}]{{2}})")
RE_CN_NOT_COUNT_AFTER = re.compile(r"^(?:都|也|些|批|样|道|起|般|直|律|体|时|以上|方面|领域|环节|阶段)")
RE_CN_PERCENT = re.compile(rf"百分之(?P<n>[{CN_NUMERAL}]{{1,5}}(?:点[{CN_NUMERAL}]{{1,4}})?)")
RE_CN_AT_LEAST = re.compile(r"(?:至少有|至少|不少于|不低于)$")
CN_ONE_CLASSIFIERS = "所家座处"


def _counts_enumeration(before: str, value: Decimal) -> bool:
    """Does a count close an enumeration of as many items (A、B、C三个群体)?"""
    m = re.search(r"((?:[^、,;。]{1,12}、)+[^、,;。]{1,12})$", before)
    return bool(m) and Decimal(m.group(1).count("、") + 1) == value


def cn_number(s: str) -> Decimal | None:
    """The value of a Chinese numeral: 一百二十 -> 120, 两 -> 2, 十五 -> 15, 九十点五 -> 90.5."""
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = cn_number(whole)
        if w is None or not frac or any(c not in CN_DIGIT for c in frac):
            return None
        return w + Decimal("0." + "".join(str(CN_DIGIT[c]) for c in frac))
    total, section, digit = 0, 0, None
    for c in s:
        if c in "零〇" and (total or section) and digit is None:
            continue  # 一万零五: a place holder
        if c in CN_DIGIT:
            if digit is not None:  # 二五: not a numeral
                return None
            digit = CN_DIGIT[c]
        elif c in CN_POWER:
            p = CN_POWER[c]
            if p == 10000:
                total += (section + (digit or 0)) * p
                section = 0
            else:
                section += (1 if digit is None else digit) * p
            digit = None
        else:
            return None
    return Decimal(total + section + (digit or 0))


def _chinese_mentions(text: str, s: int, e: int, books, taken: set) -> list[Mention]:
    """Figures written in Chinese numerals: counts before their noun, 百分之九十."""
    out = []
    for m in RE_CN_COUNT.finditer(text, s, e):
        st, en = m.start("n"), m.end()
        n, unit = m.group("n"), m.group("unit")
        if inside(st, books) or RE_CN_NOT_COUNT_AFTER.match(text[en:en + 4]):
            continue
        if text[st - 1:st] in "“\"『「" or text[st - 1:st] == "等" or re.match(rf"^[{CJK}]?一", text[en:en + 2]):
            continue  # a numbered slogan (“四个全面”, 三支一扶) or the count of an enumeration (等五项)
        if n == "一" and (unit not in CN_ONE_CLASSIFIERS or "一" in text[en:en + 4]):  # 一村一品
            continue
        v = cn_number(n)
        if not v or _counts_enumeration(text[max(s, st - 60):st], v):
            continue  # 浙东、浙南、浙西、浙北四个分中心: the enumeration's own count
        if re.search(r"\d", text[en:clause_end(text, en, e)]) and unit in "项类种":
            continue  # a determiner of the measure that has the figure: 两项社会保险合计基金收入152.54亿元
        cmp = ">=" if RE_CN_AT_LEAST.search(text[max(s, st - 3):st]) else "="
        out.append(Mention(st, en, st, v, None, unit, cmp, False, en))
    for m in RE_CN_PERCENT.finditer(text, s, e):
        v = cn_number(m.group("n"))
        if v is None or inside(m.start(), books):
            continue
        out.append(Mention(m.start(), m.end(), m.start(), v, None, "%", "=", False, m.end()))
    # small numerals after 至少/不少于 with any count classifier (至少有一人就业)
    for m in re.finditer(r"(?:至少有|至少|不少于|不低于)(?P<n>[一两二三四五六七八九十])(?P<unit>人|名|所|个|家|次|项)",
                         text[s:e]):
        st = s + m.start("n")
        if inside(st, books) or any(a <= st < b for a, b in taken) or any(x.start == st for x in out):
            continue
        out.append(Mention(st, s + m.end(), st, Decimal(CN_SMALL[m.group("n")]), None, m.group("unit"),
                           ">=", False, s + m.end()))
    return out


def object_after(text: str, mt: Mention, ce: int, nxt: int | None) -> tuple[str, int, int]:
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
