"""The header of a crawled plan and its forwarding notice: where the header ends, the notice
line ("X关于印发《Y》的通知"), the signature block (issuer line, then a date line)."""
from __future__ import annotations

import re

from ..structure import Block
from .dates import DATE

PLAN_WORDS = "规划|方案|纲要|计划|意见|办法|规定|清单"
TITLE_END = re.compile(rf"(?:{PLAN_WORDS})$")
NOTICE = re.compile(rf"关于(?:印发|转发|发布)(?:<|《)?(?P<title>[^。\n]{{4,80}}?(?:{PLAN_WORDS}))(?:>|》)?的通知")


def header_end(blocks: list[Block], text: str) -> int:
    for b in blocks:
        if b.rank == 1:
            return b.start
    return min(len(text), 2000)


def line_end(text: str, pos: int) -> int:
    le = text.find("\n", pos)
    return le if le >= 0 else len(text)


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
