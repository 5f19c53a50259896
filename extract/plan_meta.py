"""Plan metadata: title, document number, issuer, issue date, jurisdiction, parent plans.

All functions work on the clean text and return clean offsets (the caller maps them to the
original file for evidence). The header of a crawled plan is whatever precedes the first
rank-1 heading; a forwarding notice ("X关于印发《Y》的通知") names the issuer X and the
plan title Y; the signature block (issuer line, then a date line) dates it.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from .structure import Block

PLAN_WORDS = "规划|方案|纲要|计划|意见|办法|规定|清单"
TITLE_END = re.compile(rf"(?:{PLAN_WORDS})$")
NOTICE = re.compile(rf"关于(?:印发|转发|发布)(?:<|《)?(?P<title>[^。\n]{{4,80}}?(?:{PLAN_WORDS}))(?:>|》)?的通知")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}(?:〔|\[|【|\()\s*(?:19|20)\d{2}\s*(?:〕|\]|】|\))\s*\d{1,4}\s*号")
CN_DIGITS = "〇零一二三四五六七八九十"
# 2017年12月22日, and the signature form 二〇一七年十二月二十二日
DATE = re.compile(rf"((?:19|20)\d{{2}}|[一二][〇零一二三四五六七八九]{{3}})\s*年\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,2}})\s*月"
                  rf"\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*(?:日|号)?")
DATE_LABELS = [  # metadata labels, most authoritative first
    re.compile(r"(?:成文日期|发文日期|印发日期)\s*[:：]?\s*"),
    re.compile(r"(?:发布日期|公开日期|生成日期|发布时间)\s*[:：]?\s*"),
]
ISSUER_LABEL = re.compile(r"(?:发布机构|发文机关|发文单位|来源)\s*[:：]?\s*")
CITED = re.compile(r"《(?P<t>[^《》\n]{2,100})》")
IMPLEMENT_TRIGGER = re.compile(r"(?:根据|依据|依照|贯彻落实|贯彻|落实)")
SELF_REFERENCE = re.compile(r"(?:本规划|本方案|本计划|本纲要|如下实施方案|如下方案|制定本|编制)")


@dataclass
class Found:
    value: str
    span: tuple[int, int]  # clean offsets


@dataclass
class CitedPlan:
    title: str  # as in the clean text
    span: tuple[int, int]
    national: bool = False  # preceded by 国家


@dataclass
class PlanMeta:
    title: Found | None = None
    document_number: Found | None = None
    issued: Found | None = None  # value: YYYY-MM-DD
    issuer_span: tuple[int, int] | None = None  # clean span of the issuer's name
    implements: list[CitedPlan] = field(default_factory=list)


def header_end(blocks: list[Block], text: str) -> int:
    for b in blocks:
        if b.rank == 1:
            return b.start
    return min(len(text), 2000)


def _clean_title(t: str) -> str:
    t = re.sub(r"\s+", "", t)
    return t.strip("《》<> ")


def _same_title(a: str, b: str) -> bool:
    """Two writings of one title (a notice often drops a 的 or a quote mark)."""
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.92 and a[-2:] == b[-2:]


def find_title(text: str, blocks: list[Block], hdr_end: int) -> Found | None:
    """The plan's own title: a title-like header line, or the one a notice forwards."""
    notice = None
    for m in NOTICE.finditer(text, 0, hdr_end):
        notice = Found(_clean_title(m.group("title")), m.span("title"))
        break
    standalone: list[Found] = []
    header = [b for b in blocks if b.end <= hdr_end]
    for i, b in enumerate(header):
        line = text[b.start:b.end].strip()
        if b.kind != "paragraph" or len(line) > 60 or any(c in line for c in "。,:;"):
            continue
        if NOTICE.search(line) or "通知" in line[-3:]:
            continue
        if TITLE_END.search(line):
            standalone.append(Found(_clean_title(line), (b.start, b.end)))
            # a title broken over two lines ("…推进\n基本公共服务均等化规划的实施方案")
            prev = header[i - 1] if i else None
            if prev is not None and prev.kind == "paragraph":
                pline = text[prev.start:prev.end]
                if len(pline) < 30 and not any(c in pline for c in "。,:;") and not DATE.search(pline) \
                        and not TITLE_END.search(pline):
                    joined = Found(_clean_title(pline + line), (prev.start, b.end))
                    if notice and _same_title(joined.value, notice.value):
                        return joined
    if notice:
        for f in standalone:
            if _same_title(f.value, notice.value):
                return f  # the plan's own title line, as the document writes it
        return notice
    return standalone[0] if standalone else None


def find_document_number(text: str, hdr_end: int) -> Found | None:
    """The plan's own 文号: in the header, not inside a citation of another document."""
    for m in DOC_NUMBER.finditer(text, 0, hdr_end):
        before = text[max(0, m.start() - 2):m.start()]
        if "》" in before or "(" in before[-1:]:
            continue  # (国办发〔2018〕6号) after a cited title
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = text[line_start:m.start()]
        if prefix and not re.fullmatch(r"\s*(?:文\s*号|发文字号)?\s*[:：]?\s*", prefix):
            continue  # the number sits inside a sentence
        return Found(re.sub(r"\s+", "", m.group(0)), m.span())
    return None


def cn_number(s: str) -> int:
    """An Arabic or Chinese-numeral number as written in dates: 2017, 二〇一七, 十二, 二十二."""
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in s:
        return int("".join(str(digits[c]) for c in s))
    tens, _, units = s.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)


def _date(m: re.Match) -> str | None:
    y, mo, d = cn_number(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_issued(text: str, hdr_end: int, issuer_line_end: int | None) -> Found | None:
    """Issue date: a 成文/发文日期 label, else the signature date, else a publication label."""
    head = text[:hdr_end]
    for rx in DATE_LABELS[:1]:
        for lm in rx.finditer(head):
            m = DATE.match(text, lm.end())
            if m and _date(m):
                return Found(_date(m), m.span())
    if issuer_line_end is not None:
        m = DATE.search(text, issuer_line_end, min(hdr_end, issuer_line_end + 80))
        if m and _date(m) and not text[issuer_line_end:m.start()].strip(" \n\t"):
            return Found(_date(m), m.span())
    for rx in DATE_LABELS[1:]:
        for lm in rx.finditer(head):
            m = DATE.match(text, lm.end())
            if m and _date(m):
                return Found(_date(m), m.span())
    return None


def signature_line(text: str, hdr_end: int, agency_spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """An agency name standing alone on a header line followed by a date line."""
    for s, e in agency_spans:
        if e > hdr_end:
            continue
        ls = text.rfind("\n", 0, s) + 1
        le = line_end(text, e)
        if text[ls:s].strip() or text[e:le].strip():
            continue
        nxt = text[le:le + 80].lstrip("\n \t")
        if DATE.match(nxt):
            return s, e
    return None


def line_end(text: str, pos: int) -> int:
    le = text.find("\n", pos)
    return le if le >= 0 else len(text)


def find_issuer(text: str, hdr_end: int, agency_spans: list[tuple[int, int]],
                signature: tuple[int, int] | None) -> tuple[int, int] | None:
    """The issuing body's span: notice sender, else the signature (see signature_line),
    else a 发布机构 label."""
    for m in NOTICE.finditer(text, 0, hdr_end):
        line_start = text.rfind("\n", 0, m.start()) + 1
        for s, e in agency_spans:
            if line_start <= s and e <= m.start() and not text[e:m.start()].strip():
                return s, e
        break
    if signature:
        return signature
    for lm in ISSUER_LABEL.finditer(text, 0, hdr_end):
        for s, e in agency_spans:
            if s == lm.end():
                return s, e
    return None


def find_implements(text: str, hdr_end: int) -> list[CitedPlan]:
    """Parent plans the text says it is based on: 根据/依据/贯彻落实《…》 in the preamble
    (before the body's first heading) or in a sentence about this plan (本规划依据…编制)."""
    out: list[CitedPlan] = []
    seen = set()
    for sent in re.finditer(r"[^。\n]+", text):
        s, e = sent.span()
        body = sent.group(0)
        if s >= hdr_end and not SELF_REFERENCE.search(body):
            continue
        trig = IMPLEMENT_TRIGGER.search(body)
        if not trig:
            continue
        # the run of 《》 titles that follows the trigger, allowing short connectors
        pos = s + trig.end()
        for m in CITED.finditer(text, pos, e):
            gap = text[pos:m.start()]
            if len(gap) > 16 or any(c in gap for c in ",;"):
                break
            title = m.group("t")
            inner = re.search(rf"关于(?:印发|转发)[<《]?(.+?(?:{PLAN_WORDS}))[>》]?的通知", title)
            t_span = m.span("t")
            if inner:
                t_span = (m.start("t") + inner.start(1), m.start("t") + inner.end(1))
                title = inner.group(1)
            if TITLE_END.search(title) and title not in seen:
                seen.add(title)
                out.append(CitedPlan(title, t_span, national="国家" in gap[-4:]))
            pos = m.end()
    return out


def self_level_hint(text: str) -> str | None:
    """The level the plan speaks at, from 我国 vs 我省/全省/本省 vs 我市/全市/本市 vs 我县/全县
    (全国 is left out: every plan says 全国 when it compares itself with the country)."""
    c = Counter()
    for m in re.finditer(r"[我全本]([省市县区])|我(国)", text):
        c[m.group(1) or m.group(2)] += 1
    if not c:
        return None
    top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return {"国": "national", "省": "provincial", "市": "prefectural", "县": "county", "区": "county"}[top]
