"""The plan's own title: a title-like header line, or the one a forwarding notice names."""
from __future__ import annotations

import difflib
import re

from ..structure import Block
from .dates import DATE
from .header import NOTICE, TITLE_END
from .model import Found


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
