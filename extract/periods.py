"""The period a plan covers, read from its title: a five-year plan's number (“十三五” →
2016-2020, 十二五 → 2011-2015 …) or a span of years (（2021—2025年）, 2016-2020年).

``plan_period(title)`` returns (start year, end year, char start, char end) of the words that
say it, offsets into ``title``, or None.
"""
from __future__ import annotations

import re

NUMERALS = {"十": 10, "十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16}
FIVE_YEAR = re.compile(r"(十[一二三四五六]?)五(?:”|\"|规划|时期|期间|期|$|[^\u4e00-\u9fff])")
SPAN = re.compile(r"((?:19|20)\d\d)\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年?")


def five_year_start(n: int) -> int:
    """First year of the n-th five-year plan from the 3rd (1966; after the 1963-1965
    adjustment years): 十五 2001, 十三五 2016."""
    return 1966 + 5 * (n - 3)


def plan_period(title: str) -> tuple[int, int, int, int] | None:
    m = SPAN.search(title)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b <= a + 15:
            return a, b, m.start(), m.end(2)
    for m in FIVE_YEAR.finditer(title):
        n = NUMERALS.get(m.group(1))
        if n is None:
            continue
        start = five_year_start(n)
        return start, start + 4, m.start(1), m.start(1) + len(m.group(1)) + 1
    return None
