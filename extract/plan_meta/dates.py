"""The issue date: a 成文/发文日期 label, else the signature date, else a publication label."""
from __future__ import annotations

import re

from .model import Found

CN_DIGITS = "〇零一二三四五六七八九十"
# 2017年12月22日, and the signature form 二〇一七年十二月二十二日
DATE = re.compile(rf"((?:19|20)\d{{2}}|[一二][〇零一二三四五六七八九]{{3}})\s*年\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,2}})\s*月"
                  rf"\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*(?:日|号)?")
DATE_LABELS = [  # metadata labels, most authoritative first
    re.compile(r"(?:成文日期|发文日期|印发日期)\s*[:：]?\s*"),
    re.compile(r"(?:发布日期|公开日期|生成日期|发布时间)\s*[:：]?\s*"),
]


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
