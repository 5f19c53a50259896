"""Standards of a guarantee (免费, 15年免费教育, 一行政村一月放映一场电影 …): the phrases of
``extract/data/beneficiary_standards.tsv`` found in a sentence."""
from __future__ import annotations

import re
from functools import lru_cache

from .guarantee_vocab import rows


@lru_cache(maxsize=1)
def _standards() -> list[re.Pattern]:
    return [re.compile(r[0]) for r in rows("beneficiary_standards.tsv", 1)]


def find_standard(sentence: str) -> tuple[int, int] | None:
    """Offsets of the first standard phrase in ``sentence`` (standards table order breaks ties)."""
    best = None
    for rx in _standards():
        m = rx.search(sentence)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
            best = (m.start(), m.end())
    return best
