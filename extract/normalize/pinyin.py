"""Step 1: inline pinyin annotations (服務(wù), 一（yī）) after a CJK character removed, validated
against the pinyin syllable inventory."""
from __future__ import annotations

import re
from functools import lru_cache

from .chars import _CJK_IDEO
from .offsets import _Buf

_PY_LETTERS = "a-z\u00fc\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec" \
              "\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc\u0144\u0148\u01f9"
_RE_ANNOT = re.compile(f"(?<=[{_CJK_IDEO}])[(\uff08]([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_RE_ANNOT_ANY = re.compile(f"[(\uff08]([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_RE_REMNANT = re.compile(f"([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_TONE_BASE = str.maketrans({
    "ā": "a", "á": "a", "ǎ": "a", "à": "a", "ē": "e", "é": "e", "ě": "e", "è": "e",
    "ī": "i", "í": "i", "ǐ": "i", "ì": "i", "ō": "o", "ó": "o", "ǒ": "o", "ò": "o",
    "ū": "u", "ú": "u", "ǔ": "u", "ù": "u", "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v", "ü": "v",
    "ń": "n", "ň": "n", "ǹ": "n"})


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    initials = ["", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
                "zh", "ch", "sh", "r", "z", "c", "s", "y", "w"]
    finals = ["a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue",
              "er", "an", "en", "in", "un", "vn", "ang", "eng", "ing", "ong", "ia", "iao", "ian",
              "iang", "iong", "ua", "uo", "uai", "uan", "uang", "ueng", "van", "io", "uen", "iou",
              "uei"]
    out = {i + f for i in initials for f in finals}
    out.update({"m", "n", "ng", "hm", "hng", "ê"})
    return frozenset(out)


def _is_pinyin(word: str) -> bool:
    base = word.translate(_TONE_BASE)
    toned = base != word and "ü" not in word or any(c in word for c in "ǖǘǚǜ")
    if not toned and len(base) < 2:
        return False  # "(a)" after a CJK character is a list label, not pinyin
    return base in _pinyin_syllables()


def _step_pinyin(buf: _Buf) -> _Buf:
    s = buf.s
    if "(" not in s and "\uff08" not in s:
        return buf
    spans = [m.span() for m in _RE_ANNOT.finditer(s) if _is_pinyin(m.group(1))]
    return buf.delete(spans)
