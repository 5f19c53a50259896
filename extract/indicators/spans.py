"""Clause and sentence boundaries, and spans to keep out (titles in 《》)."""
from __future__ import annotations

import re

CJK = "\u4e00-\u9fff"
HARD_DELIM = ",;:。!?\n|"  # clause boundaries (clean text uses ASCII , ; : ! ?; | divides cells)
SENT_DELIM = "。!?\n|"
RE_BOOK = re.compile(r"《[^《》\n]{0,120}》")


def spans_of(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in HARD_DELIM:
        i -= 1
    return i


def clause_end(text: str, pos: int, ceil: int) -> int:
    i = pos
    while i < ceil and text[i] not in HARD_DELIM:
        i += 1
    return i


def broken_number_at(text: str, j: int) -> bool:
    """A line break the crawl put inside a number, after its decimal point (6282616.\\n5)."""
    return text[j] == "\n" and j >= 2 and text[j - 1] == "." and text[j - 2].isdigit() and \
        text[j + 1:j + 2].isdigit()


def sentences(text: str, s: int, e: int):
    i = s
    for j in range(s, e + 1):
        if j == e or (text[j] in SENT_DELIM and not broken_number_at(text, j)):
            if j > i:
                yield i, j
            i = j + 1
