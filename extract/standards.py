"""Standards of a guarantee (免费, 15年免费教育, 一行政村一月放映一场电影, 每人每月729元 …): the
phrases of ``extract/data/beneficiary_standards.tsv`` found in a sentence."""
from __future__ import annotations

import re
from functools import lru_cache

from .guarantee_vocab import rows


@lru_cache(maxsize=1)
def _standards() -> list[tuple[re.Pattern, bool]]:
    return [(re.compile(rx), alone == "yes") for rx, alone in rows("beneficiary_standards.tsv", 2)]


def find_standard(sentence: str, alone: bool = False) -> tuple[int, int] | None:
    """Offsets of the first standard phrase in ``sentence`` (standards table order breaks ties).
    ``alone``: only phrases that are a level by themselves (一行政村一月放映一场电影, 每人每月729元),
    for a provision that states no population; 免费, 全覆盖 … need a guarantee to a group."""
    best = None
    for rx, stands_alone in _standards():
        if alone and not stands_alone:
            continue
        m = rx.search(sentence)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
            best = (m.start(), m.end())
    return best
