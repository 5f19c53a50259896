"""The issuing body: the notice sender, else the signature, else a 发布机构 label."""
from __future__ import annotations

import re

from .header import NOTICE

ISSUER_LABEL = re.compile(r"(?:发布机构|发文机关|发文单位|来源)\s*[:：]?\s*")


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
