"""Step 6: Traditional → Simplified with OpenCC ``t2s``, character for character (same length),
plus data/t2s_supplement.tsv."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

T2S_SUPPLEMENT_FILE = Path(__file__).resolve().parents[1] / "data" / "t2s_supplement.tsv"


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_supplement() -> dict[int, str]:
    table = {}
    if T2S_SUPPLEMENT_FILE.exists():
        for line in T2S_SUPPLEMENT_FILE.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) >= 2 and len(cols[0]) == 1 and len(cols[1]) == 1:
                table[ord(cols[0])] = cols[1]
    return table


@lru_cache(maxsize=65536)
def _t2s_char(c: str) -> str:
    r = _opencc().convert(c)
    if len(r) != 1:
        r = c
    return r.translate(_t2s_supplement())


def _t2s_line(line: str) -> str:
    if not line:
        return line
    r = _opencc().convert(line)
    if len(r) != len(line):
        # OpenCC changed the length (a phrase rule): convert character by character instead
        table = {c: _t2s_char(c) for c in set(line)}
        r = "".join(table[c] for c in line)
    sup = _t2s_supplement()
    if sup and _re_supplement().search(r):
        r = r.translate(sup)
    return r


@lru_cache(maxsize=1)
def _re_supplement():
    keys = "".join(chr(k) for k in _t2s_supplement())
    return re.compile(f"[{re.escape(keys)}]" if keys else "(?!)")


def _t2s_text(text: str) -> str:
    return "\n".join(_t2s_line(line) for line in text.split("\n"))


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, character for character (same length), as the pipeline does."""
    return _t2s_text(text)
