"""Step 3: whole lines of site chrome and spam dropped (rules: data/chrome_patterns.tsv;
metadata lines such as 文号/发文日期/发布机构 are protected by ``keep`` rules)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .offsets import _Buf, _merge
from .simplify import _t2s_line
from .width import _FW_TABLE

CHROME_FILE = Path(__file__).resolve().parents[1] / "data" / "chrome_patterns.tsv"


@lru_cache(maxsize=4)
def _chrome_rules(path: str):
    rules = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[0] not in ("keep", "drop"):
            raise ValueError(f"{path}:{n}: expected 'keep|drop<TAB>maxlen<TAB>regex<TAB>comment'")
        rules.append((cols[0], int(cols[1] or 0), re.compile(cols[2])))
    return rules


_RE_WS_ALL = re.compile(r"[\s\u00a0\u3000\u2000-\u200b\u202f\u205f]+")


def _line_key(line: str) -> str:
    key = _RE_WS_ALL.sub("", line)
    key = key.translate(_FW_TABLE)
    return _t2s_line(key)


def chrome_line(line: str, path: str | None = None) -> bool:
    """Is this (pinyin-free) line site chrome or spam? (exposed for tests and tools)"""
    key = _line_key(line)
    if not key:
        return False
    rules = _chrome_rules(path or str(CHROME_FILE))
    for kind, maxlen, rx in rules:
        if kind == "keep" and (not maxlen or len(key) <= maxlen) and rx.search(key):
            return False
    for kind, maxlen, rx in rules:
        if kind == "drop" and (not maxlen or len(key) <= maxlen) and rx.search(key):
            return True
    return False


def _step_chrome(buf: _Buf) -> _Buf:
    s = buf.s
    spans = []
    start = 0
    n = len(s)
    while start <= n:
        nl = s.find("\n", start)
        end = n if nl < 0 else nl
        if end - start <= 400:  # chrome lines are short; long paragraphs are never chrome
            line = s[start:end]
            if line.strip() and chrome_line(line):
                if nl >= 0:
                    spans.append((start, nl + 1))
                elif start > 0:
                    spans.append((start - 1, end))
                else:
                    spans.append((start, end))
        if nl < 0:
            break
        start = nl + 1
    # (a dropped last line takes the preceding line break: spans may overlap)
    return buf.delete(_merge(spans))
