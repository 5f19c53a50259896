"""The plan's own 文号 (document number)."""
from __future__ import annotations

import re

from .model import Found

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}(?:〔|\[|【|\()\s*(?:19|20)\d{2}\s*(?:〕|\]|】|\))\s*(?:第\s*)?\d{1,4}\s*号")
NUMBER_LABEL = re.compile(r"(?:^|\s)(?:文\s*号|发文字号)\s*[:：]?\s*$")  # a label right before it


def find_document_number(text: str, hdr_end: int) -> Found | None:
    """The plan's own 文号: in the header, not inside a citation of another document."""
    for m in DOC_NUMBER.finditer(text, 0, hdr_end):
        before = text[max(0, m.start() - 2):m.start()]
        if "》" in before or "(" in before[-1:]:
            continue  # (国办发〔2018〕6号) after a cited title
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = text[line_start:m.start()]
        if prefix.strip() and not NUMBER_LABEL.search(prefix):
            continue  # the number sits inside a sentence
        return Found(re.sub(r"\s+", "", m.group(0)), m.span())
    return None
