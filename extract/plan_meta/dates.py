"""The issue date (YYYY-MM-DD, only when day, month and year are written).

In order: an issue-date label (成文日期), the signature date (or the date that closes a notice
without a signing body's line), the date a people's congress adopted the plan ((2021年1月14日
某某市第十六届人民代表大会第五次会议通过)), the date a sentence gives the plan's issue
(省发展改革委于2022年12月15日印发《X》), and, for a page that is the plan itself, its
publication label (发布时间: 2024-02-19). A news report's own date is not the plan's.
"""
from __future__ import annotations

import re

from .model import Found
from .terms import PlanTerms

CN_DIGITS = "〇零一二三四五六七八九十"
# 2017年12月22日, and the signature form 二〇一七年十二月二十二日
DATE = re.compile(rf"((?:19|20)\d{{2}}|[一二][〇零一二三四五六七八九]{{3}})\s*年\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,2}})\s*月"
                  rf"\s*(\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*(?:日|号)?")
# 2024-02-19, 2024/2/19, 2024.02.19: only after a metadata label
ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


def cn_number(s: str) -> int:
    """An Arabic or Chinese-numeral number as written in dates: 2017, 二〇一七, 十二, 二十二."""
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in s:
        return int("".join(str(digits[c]) for c in s))
    tens, _, units = s.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)


def date_value(m: re.Match) -> str | None:
    y, mo, d = cn_number(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def labelled_date(text: str, label: re.Pattern, end: int) -> Found | None:
    """The first date written right after ``label`` before ``end``."""
    for lm in label.finditer(text, 0, end):
        for rx in (DATE, ISO_DATE):
            m = rx.match(text, lm.end())
            if m and date_value(m):
                return Found(date_value(m), m.span())
    return None


def adoption_date(text: str, end: int) -> re.Match | None:
    """The date a people's congress adopted the plan, written before ``end``."""
    adoption = PlanTerms.load().adoption
    for m in DATE.finditer(text, 0, end):
        if date_value(m) and adoption.match(text, m.end()):
            return m
    return None


def find_issued(text: str, hdr_end: int, signature_date: re.Match | None = None,
                release_date: re.Match | None = None, page_is_plan: bool = True) -> Found | None:
    """Issue date: an issue-date label, the signature date, the adoption date, the release
    sentence's date, else (``page_is_plan``: the page is the plan, not a report of it) a
    publication label."""
    terms = PlanTerms.load()
    found = labelled_date(text, terms.issue_label, hdr_end)
    if found:
        return found
    for m in (signature_date, adoption_date(text, hdr_end), release_date):
        if m is not None and date_value(m):
            return Found(date_value(m), m.span())
    if page_is_plan:
        return labelled_date(text, terms.publish_label, hdr_end)
    return None


def date_after(text: str, pos: int, end: int) -> re.Match | None:
    """A date that follows ``pos`` (a line end) with only white space between, before ``end``."""
    m = DATE.search(text, pos, min(end, pos + 80))
    if m and date_value(m) and not text[pos:m.start()].strip(" \n\t"):
        return m
    return None
