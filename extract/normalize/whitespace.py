"""Step 4: whitespace: odd spaces → space, lines stripped, runs of spaces vanish between two CJK
characters and become one space elsewhere, at most one blank line."""
from __future__ import annotations

import re

from .chars import _is_cjk_or_punct
from .offsets import _Buf, _merge

_SPACE_TABLE = {c: " " for c in [0x09, 0x0B, 0x0C, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                                 0x3000, *range(0x2000, 0x200B)]}
_RE_EDGE_SPACES = re.compile(r"^ +| +$", re.M)
_RE_INNER_SPACES = re.compile(r" {1,}")
_RE_BLANKS = re.compile(r"\n{3,}")


_RE_ODD_SPACE = re.compile("[\t\x0b\x0c\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _step_whitespace(buf: _Buf) -> _Buf:
    if _RE_ODD_SPACE.search(buf.s):
        buf = _Buf(buf.s.translate(_SPACE_TABLE), buf.idx, buf.end, buf.flag)
    buf = buf.delete(m.span() for m in _RE_EDGE_SPACES.finditer(buf.s))
    s = buf.s
    spans = []
    for m in _RE_INNER_SPACES.finditer(s):
        a, b = m.span()
        if a > 0 and b < len(s) and _is_cjk_or_punct(s[a - 1]) and _is_cjk_or_punct(s[b]):
            spans.append((a, b))
        elif b - a > 1:
            spans.append((a + 1, b))
    buf = buf.delete(spans)
    s = buf.s
    spans = [(m.start() + 2, m.end()) for m in _RE_BLANKS.finditer(s)]
    lead = len(s) - len(s.lstrip("\n"))
    if lead:
        spans.insert(0, (0, lead))
    trail = len(s) - len(s.rstrip("\n"))
    if trail and trail < len(s):
        spans.append((len(s) - trail, len(s)))
    return buf.delete(_merge(spans))
