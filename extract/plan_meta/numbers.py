"""The plan's own 文号 (document number).

In the header, not inside a citation of another document: the number a label names
(文号: X, 发文字号 | X |, a portal table's 文号X glued to the other cells) or the number right
after the notice's title (…的通知豫政〔2023〕5号, a crawl's flattened line), else a number
standing on its own, at the start of a line or after the notice's title or sender
(GB/T 9704 puts it between the sender and the title; a crawl may join them on one line).
"""
from __future__ import annotations

import re

from .model import Found
from .terms import PlanTerms

ISSUER_CODE = r"[\u4e00-\u9fff]{1,8}"
NUMBER_CORE = r"(?:〔|\[|【|\()\s*(?:19|20)\d{2}\s*(?:〕|\]|】|\))\s*(?:第\s*)?\d{1,4}\s*号"
DOC_NUMBER = re.compile(ISSUER_CODE + NUMBER_CORE)
SENTENCE_PUNCT = "。,;:"


def _value(m: re.Match) -> Found:
    return Found(re.sub(r"\s+", "", m.group(0)), m.span())


def _cited(text: str, start: int) -> bool:
    """(国办发〔2018〕6号) after a cited title."""
    before = text[max(0, start - 2):start]
    return "》" in before or "(" in before[-1:]


def find_document_number(text: str, hdr_end: int, title_ends: list[int] = ()) -> Found | None:
    """The plan's own 文号 (see the module docstring); ``title_ends``: where the notice's or
    document's titles end (a number may follow right after)."""
    labelled = PlanTerms.load().number_label
    starts = sorted({lm.end() for lm in labelled.finditer(text, 0, hdr_end)} | set(title_ends))
    for pos in starts:
        m = DOC_NUMBER.match(text, pos)
        if m and m.end() <= hdr_end:
            return _value(m)
    for m in DOC_NUMBER.finditer(text, 0, hdr_end):
        if _cited(text, m.start()):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = text[line_start:m.start()]
        if prefix.strip() and (not prefix[-1].isspace() or any(c in prefix for c in SENTENCE_PUNCT)):
            continue  # the number sits inside a sentence or a run of characters
        return _value(m)
    return None
