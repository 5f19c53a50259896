"""Character classes shared by the normalization steps: CJK ideographs and punctuation, and
the "common Chinese character" test (GB2312 level 1, directly or after t2s) that decoding and
the mojibake repair use to judge a reading."""
from __future__ import annotations

import re
from functools import lru_cache

from .simplify import _t2s_char

_CJK_IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = "\u3000-\u303f\u2018\u2019\u201c\u201d\u2014\u2026\uff01-\uff65\u00b7"
_RE_CJK = re.compile(f"[{_CJK_IDEO}]")
_RE_CJK_OR_PUNCT = re.compile(f"[{_CJK_IDEO}{_CJK_PUNCT}]")


def _is_cjk(c: str) -> bool:
    return bool(_RE_CJK.match(c))


def _is_cjk_or_punct(c: str) -> bool:
    return bool(_RE_CJK_OR_PUNCT.match(c))


@lru_cache(maxsize=1)
def _gb2312_level1() -> frozenset[str]:
    chars = set()
    for a in range(0xB0, 0xD8):
        for b in range(0xA1, 0xFF):
            try:
                chars.add(bytes([a, b]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@lru_cache(maxsize=1)
def _gb_punct() -> frozenset[str]:
    """CJK punctuation of GB2312 row 1 and the full-width ASCII row 3 (and their ASCII forms)."""
    chars = set()
    for a in (0xA1, 0xA3):
        for b in range(0xA1, 0xFF):
            try:
                c = bytes([a, b]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.add(c)
    chars.update(chr(c) for c in range(0x21, 0x7F))
    return frozenset(chars)


_common_cache: dict[str, bool] = {}


def _is_common(c: str) -> bool:
    """A common Chinese character (GB2312 level 1, directly or after t2s) or CJK punctuation."""
    r = _common_cache.get(c)
    if r is None:
        lv1 = _gb2312_level1()
        r = c in lv1 or c in _gb_punct() or (_is_cjk(c) and _t2s_char(c) in lv1)
        _common_cache[c] = r
    return r
