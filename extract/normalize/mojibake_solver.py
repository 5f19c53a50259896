"""The search for readings of one mojibake run: a byte-level automaton over the run's byte
constraints walked together with the vocabulary's byte trie, readings ranked by a unigram model."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .chars import _is_common
from .gbk import _can_hide, _droppable
from .simplify import _t2s_char

if TYPE_CHECKING:
    from .mojibake_vocab import _Vocab

_GMAX = 2          # dropped (undefined) pairs allowed between two visible pairs
_RUN_BUDGET = 40000      # search steps per run (the corpus needs < 8000)
# Costs (negative log probabilities) of a reading, a unigram model over the vocabulary: a
# term costs ln(N / count), where count = corpus count + _CACHE_WEIGHT * count in the
# document's own text (a cache model: a plan repeats its own terms); a character outside any
# term costs ln(N / its count) + _COST_SINGLE (most characters are parts of terms, few stand
# alone: without it "务" + "建" would look as likely as "创建"); an unresolved character costs -ln of the total probability of
# the characters with its known byte (it claims nothing more). A reading is certain where
# every reading within _MARGIN of the best one (a likelihood ratio of 4) agrees; where they
# disagree the character stays unresolved.
_CACHE_WEIGHT = 10
_COST_SINGLE = 2.0
_MARGIN = 1.3862943611198906  # ln 4
_KBEST = 4


class _Solver:
    """Searches readings of one run. Tokens are byte constraints on the original GBK bytes:
    ("K", byte) a known byte, ("A", None) an unknown lead/trail byte, ("G", None) 0..GMAX
    dropped pairs. Each token has the text position it came from, a region (0 left context,
    1 run, 2 right context) and whether a character starts there (context characters)."""

    def __init__(self, toks, vocab: _Vocab, doc_count=None):
        self.kind = [t[0] for t in toks]
        self.val = [t[1] for t in toks]
        self.region = [t[3] for t in toks]
        self.starts = [t[4] for t in toks]
        self.n = len(toks)
        self.vocab = vocab
        self.doc_count = doc_count
        self.drop = _droppable()
        self.hide = _can_hide()
        self.memo: dict = {}
        self.budget = _RUN_BUDGET  # work units, so that no input can make the search explode
        self.exhausted = False

    def closure(self, st):
        ti, pend, g = st
        out = [st]
        while pend is None and ti < self.n and self.kind[ti] == "G":
            ti += 1
            out.append((ti, None, 0))
        return out

    def step(self, st, byte):
        """Next states after one byte (byte -1 = wildcard of a placeholder char):
        list of (state, token index, token kind)."""
        ti, pend, g = st
        if pend is not None:
            if byte >= 0x81 and byte <= 0xFE and self.drop[pend * 256 + byte]:
                return [((ti, None, g + 1), ti, "G")]
            return []
        if ti >= self.n:
            return []
        k = self.kind[ti]
        if k == "K":
            if byte == -1 or byte == self.val[ti]:
                return [((ti + 1, None, 0), ti, "K")]
            return []
        if k == "A":
            if byte == -1 or 0x81 <= byte <= 0xFE:
                return [((ti + 1, None, 0), ti, "A")]
            return []
        if byte != -1 and g < _GMAX and self.hide[byte]:
            return [((ti, byte, g), ti, "G")]
        return []

    # -- options from a state at a character boundary --------------------------------------
    def words(self, st):
        """(form, [(t_first, t_last, in_run) per char], end state) of vocabulary terms."""
        out = []
        stack = [(self.vocab.root, st, 0, [], -1)]
        n, kind, val, starts, region = self.n, self.kind, self.val, self.starts, self.region
        drop, hide = self.drop, self.hide
        budget = self.budget
        push = stack.append
        while stack:
            budget -= 1
            if budget < 0:
                self.exhausted = True
                break
            node, cur, depth, meta, tfirst = stack.pop()
            if depth and depth % 2 == 0 and -1 in node:
                for form, count in node[-1]:
                    out.append((form, count, meta, cur))
            ti, pend, _g = cur
            odd = depth % 2 == 1
            if pend is None and ti < n and kind[ti] == "K":
                # the common case: one known byte, no hidden bytes to skip (the closure is
                # the state itself), one next state
                child = node.get(val[ti])
                if child is not None:
                    if odd:
                        if not starts[ti]:
                            run = region[ti] == 1 or region[tfirst] == 1
                            push((child, (ti + 1, None, 0), depth + 1, meta + [(tfirst, ti, run)], -1))
                    elif region[ti] == 1 or starts[ti]:
                        push((child, (ti + 1, None, 0), depth + 1, meta, ti))
                continue
            # the closure of the state (what closure() gives), each with the steps step()
            # would allow on the trie's bytes, in the same order
            states = [cur]
            if pend is None:
                t2 = ti
                while t2 < n and kind[t2] == "G":
                    t2 += 1
                    states.append((t2, None, 0))
            for s in states:
                sti, spend, sg = s
                if odd:
                    if starts[sti] if sti < n else False:
                        continue
                elif sti < n and region[sti] != 1 and not starts[sti]:
                    continue
                if spend is not None:  # a hidden byte pending: a trail byte that drops the pair
                    row = spend * 256
                    steps = [(b, child, (sti, None, sg + 1), "G") for b, child in node.items()
                             if b != -1 and drop[row + b]]
                elif sti >= n:
                    continue
                else:
                    k = kind[sti]
                    if k == "K":
                        child = node.get(val[sti])
                        if child is None:
                            continue
                        steps = [(val[sti], child, (sti + 1, None, 0), "K")]
                    elif k == "G":
                        if sg >= _GMAX:
                            continue
                        steps = [(b, child, (sti, b, sg), "G") for b, child in node.items()
                                 if b != -1 and hide[b]]
                    else:  # "A": any lead/trail byte
                        steps = [(b, child, (sti + 1, None, 0), "A") for b, child in node.items()
                                 if b != -1 and 0x81 <= b <= 0xFE]
                for _b, child, ns, k in steps:
                    if child is None:
                        continue
                    if odd:
                        run = region[sti] == 1 or region[tfirst] == 1 or k == "G"
                        push((child, ns, depth + 1, meta + [(tfirst, sti, run)], -1))
                    else:
                        push((child, ns, depth + 1, meta, sti))
        self.budget = budget
        return out

    def chars(self, st, wildcard: bool):
        """Determined characters (both bytes known) or placeholder characters (wildcard)."""
        out = []
        for s in self.closure(st):
            for s1, t1, k1 in self.step(s, -1):
                if k1 == "G":
                    continue
                for s1c in self.closure(s1):
                    for s2, t2, k2 in self.step(s1c, -1):
                        if k2 == "G" or self.starts[t2]:
                            continue
                        if wildcard:
                            if "A" not in (k1, k2) or self.region[t1] != 1 and self.region[t2] != 1:
                                continue
                            out.append(("?", t1, t2, s2))
                        else:
                            if k1 != "K" or k2 != "K":
                                continue
                            if self.region[t1] != 1 and not self.starts[t1]:
                                continue
                            try:
                                c = bytes([self.val[t1], self.val[t2]]).decode("gbk")
                            except UnicodeDecodeError:
                                continue
                            out.append((c, t1, t2, s2))
        return out

    def solve(self, st):
        """Up to ``_KBEST`` cheapest distinct completions from state ``st``:
        list of (cost, reading), reading = tuple of (char, kind, t_first, t_last) of run chars;
        kind "v" vocabulary, "d" determined (both bytes known), "p" placeholder."""
        if st in self.memo:
            return self.memo[st]
        self.memo[st] = None
        self.budget -= 1
        if self.budget < 0:
            self.exhausted = True
            return None
        cands = []  # (cost, reading)
        for s in self.closure(st):
            if s == (self.n, None, 0):
                cands.append((0.0, ()))
        for form, count, meta, end in self.words(st):
            sub = self.solve(end)
            if not sub:
                continue
            c = self.word_cost(form, count)
            head = tuple((form[i], "v", m[0], m[1]) for i, m in enumerate(meta) if m[2])
            for sc, r in sub:
                cands.append((c + sc, head + r))
        for ch, t1, t2, end in self.chars(st, wildcard=False):
            run = self.region[t1] == 1 or self.region[t2] == 1
            if run and not _is_common(ch):
                continue
            sub = self.solve(end)
            if not sub:
                continue
            c = self.char_cost(ch)
            for sc, r in sub:
                cands.append((c + sc, (((ch, "d", t1, t2),) + r) if run else r))
        for ch, t1, t2, end in self.chars(st, wildcard=True):
            sub = self.solve(end)
            if not sub:
                continue
            c = self.placeholder_cost(t1, t2)
            for sc, r in sub:
                cands.append((c + sc, (("?", "p", t1, t2),) + r))
        cands.sort(key=lambda x: x[0])
        best: dict = {}
        for sc, r in cands:
            key = "".join(ch for ch, *_ in r)
            if key not in best:
                best[key] = (sc, r)
                if len(best) >= _KBEST:
                    break
        res = list(best.values())
        self.memo[st] = res
        return res

    def placeholder_cost(self, t1: int, t2: int) -> float:
        """-ln P(some character with the known byte): an unresolved character claims only that."""
        import math

        if self.kind[t1] == "K":
            mass = self.vocab.lead_mass[self.val[t1]]
        elif self.kind[t2] == "K":
            mass = self.vocab.trail_mass[self.val[t2]]
        else:
            return 0.0
        return max(0.0, self.vocab.log_total - math.log(mass + 0.5)) + _COST_SINGLE

    def char_cost(self, ch: str) -> float:
        import math

        n = self.vocab.chars.get(ch)
        if n is None:
            n = self.vocab.chars.get(_t2s_char(ch), 0)
        return self.vocab.log_total - math.log(n + 0.5) + _COST_SINGLE

    def word_cost(self, form: str, count: int) -> float:
        import math

        local = self.doc_count(form) if self.doc_count and len(form) > 1 else 0
        return self.vocab.log_total - math.log(count + _CACHE_WEIGHT * local)
