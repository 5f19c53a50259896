"""The domain vocabulary of the mojibake repair: loaded as a byte trie of GBK forms
(data/mojibake_vocab.txt) and built from clean texts (``python -m extract.normalize build-vocab``)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .chars import _CJK_IDEO, _is_cjk
from .gbk import _gbk2
from .mojibake_solver import _COST_SINGLE

if TYPE_CHECKING:
    from .offsets import Normalized

VOCAB_FILE = Path(__file__).resolve().parents[1] / "data" / "mojibake_vocab.txt"


class _Vocab:
    """Vocabulary terms (with their corpus counts) as a byte trie of their GBK forms
    (Simplified and OpenCC Traditional forms)."""

    def __init__(self, terms: list[tuple[str, int]]):
        import math

        self.root: dict = {}
        self.size = 0
        # length-1 entries are character counts (the unigram model of single characters)
        self.chars = {t: c for t, c in terms if len(t) == 1}
        terms = [(t, c) for t, c in terms if len(t) > 1]
        self.terms = {t for t, _c in terms}
        self.max_len = max((len(t) for t in self.terms), default=0)
        self.total = max(1, sum(self.chars.values()), sum(c for _t, c in terms))
        self.log_total = math.log(self.total)
        convs = []
        try:
            import opencc

            convs = [opencc.OpenCC(c) for c in ("s2t", "s2tw")]
        except Exception:  # pragma: no cover
            convs = []
        # mass of the characters by GBK lead / trail byte (Simplified and Traditional forms):
        # the probability of "some character" whose only known byte is that lead / trail
        self.lead_mass = [0.0] * 256
        self.trail_mass = [0.0] * 256
        cl = list(self.chars)
        cvars = [cl] + [v for v in (cv.convert("\n".join(cl)).split("\n") for cv in convs) if len(v) == len(cl)]
        for k, ch in enumerate(cl):
            for f in {var[k] for var in cvars}:
                b = _gbk2(f) if len(f) == 1 else None
                if b:
                    self.lead_mass[b[0]] += self.chars[ch]
                    self.trail_mass[b[1]] += self.chars[ch]
        forms: dict[str, int] = {}
        words = [t for t, _c in terms]
        variants = [words]
        for cv in convs:  # one OpenCC call per converter: the terms joined by line breaks
            conv = cv.convert("\n".join(words)).split("\n")
            if len(conv) == len(words):
                variants.append(conv)
        for k, (_t, c) in enumerate(terms):
            for var in variants:
                f = var[k]
                forms[f] = max(forms.get(f, 0), c)
        # punctuation may fill hidden bytes like a term (、 in 化、“ often straddles a vanished
        # pair); as a lone character it pays the lone-character cost (count / e**_COST_SINGLE)
        import math as _m

        for ch, c in self.chars.items():
            if not _is_cjk(ch) and _gbk2(ch) and ch not in forms:
                forms[ch] = max(1, int(c / _m.exp(_COST_SINGLE)))
        for f, c in forms.items():
            try:
                b = f.encode("gbk")
            except UnicodeEncodeError:
                continue
            if len(b) != 2 * len(f) or (len(f) < 2 and _is_cjk(f)):
                continue
            node = self.root
            for x in b:
                node = node.setdefault(x, {})
            node.setdefault(-1, []).append((f, c))
            self.size += 1


    def covers(self, text: str, i: int) -> bool:
        """Is text[i] inside an occurrence of a (Simplified) vocabulary term?"""
        for a in range(max(0, i - self.max_len + 1), i + 1):
            for b in range(i + 1, min(len(text), a + self.max_len) + 1):
                if b - a >= 2 and text[a:b] in self.terms:
                    return True
        return False


@lru_cache(maxsize=4)
def _load_vocab(path: str) -> _Vocab:
    terms = []
    p = Path(path)
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            term = cols[0].strip()
            count = int(cols[1]) if len(cols) > 1 and cols[1].strip().isdigit() else 3
            if term:
                terms.append((term, count))
    return _Vocab(terms)


_FUNCTION_CHARS = set("的和与及等在是了对为把将或并以于由从向按之其各有要")


def build_vocabulary(texts: list[Normalized], min_count: int = 3, max_len: int = 6,
                     ratio: float = 0.8) -> list[tuple[str, int]]:
    """Frequent CJK n-grams (2..max_len) of clean texts, outside damaged/repaired spans; an
    n-gram is dropped when a one-longer n-gram containing it has at least ``ratio`` of its
    count (it is then only a piece of the longer term)."""
    from collections import Counter

    cnt: Counter = Counter()
    for n in texts:
        chars = list(n.text)
        for a, b in n.damaged + n.repaired:
            for i in range(a, b):
                chars[i] = "\n"
        joined = "".join(chars)
        for ch in joined:
            if ord(ch) > 0x7F and not ch.isspace():
                cnt[ch] += 1
        for run in re.findall(f"[{_CJK_IDEO}]+", joined):
            for k in range(2, max_len + 2):
                for i in range(len(run) - k + 1):
                    cnt[run[i:i + k]] += 1
    for g in [g for g in cnt if len(g) > 1 and (g[0] in _FUNCTION_CHARS or g[-1] in _FUNCTION_CHARS)]:
        del cnt[g]  # "和社会", "就业的": not terms, they would only make fills look plausible
    sup: dict[str, int] = {}
    for g, c in cnt.items():
        if len(g) >= 3:
            for sub in (g[1:], g[:-1]):
                if c > sup.get(sub, 0):
                    sup[sub] = c
    words = sorted(((g, c) for g, c in cnt.items()
                    if len(g) > 1 and c >= min_count and len(g) <= max_len and sup.get(g, 0) < ratio * c),
                   key=lambda gc: (-gc[1], gc[0]))
    chars = sorted(((g, c) for g, c in cnt.items() if len(g) == 1), key=lambda gc: (-gc[1], gc[0]))
    return words + chars
