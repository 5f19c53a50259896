"""What a regular expression needs in a text before it can match there: a cheap test that
skips a pattern on the sentences that cannot hold it.

``required(pattern)`` reads the compiled pattern's parse tree (the standard library's
``re._parser``) and returns a set of strings such that every match contains at least one of
them, or None when no such set is known (a pattern that can match anything, or a construct
this reader does not follow). ``Prefiltered`` pairs a pattern with that test. The test is a
necessary condition only: a text that passes it is searched as before, so results never
change; a text that fails it cannot hold a match.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_CHOICES = 64  # larger alternatives are not worth testing one by one


def _literal_run(items, i: int) -> tuple[str, int]:
    """The literal characters from items[i] on, and the index after them."""
    chars = []
    while i < len(items) and items[i][0] is _c.LITERAL:
        chars.append(chr(items[i][1]))
        i += 1
    return "".join(chars), i


def _choice_score(choice: frozenset[str]) -> tuple[int, int]:
    """Smaller is better: few alternatives, long ones."""
    return (len(choice), -min(len(s) for s in choice))


def _sequence(items) -> frozenset[str] | None:
    best = None
    i = 0
    while i < len(items):
        if items[i][0] is _c.LITERAL:
            run, i = _literal_run(items, i)
            req = frozenset([run])
        else:
            req = _node(items[i])
            i += 1
        if req is not None and (best is None or _choice_score(req) < _choice_score(best)):
            best = req
    return best


def _node(node) -> frozenset[str] | None:
    op, av = node
    if op is _c.LITERAL:
        return frozenset([chr(av)])
    if op is _c.IN:
        chars = [chr(v) for kind, v in av if kind is _c.LITERAL]
        if len(chars) != len(av) or not chars or len(chars) > MAX_CHOICES:
            return None  # ranges, categories, negation
        return frozenset(chars)
    if op is _c.SUBPATTERN:
        return _sequence(av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        lo, _hi, sub = av
        return _sequence(sub) if lo >= 1 else None
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            req = _sequence(branch)
            if req is None:
                return None
            out |= req
        return frozenset(out) if len(out) <= MAX_CHOICES else None
    return None  # anchors, lookarounds, back-references, any character


def required(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains at least one, or None."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _p.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except Exception:  # noqa: BLE001 - an unfamiliar construct: no test, the pattern always runs
        return None
    items = tree.data if hasattr(tree, "data") else list(tree)
    req = _sequence(items)
    if req is None or "" in req:
        return None
    # a string that contains another adds nothing: keep the shortest forms
    return frozenset(s for s in req if not any(t != s and t in s for t in req))


class Prefiltered:
    """A compiled pattern with its necessary-substring test."""

    __slots__ = ("rx", "needs", "_test")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        self.needs = required(rx)
        # one search for any of the strings (a set of 1-64 of them), in C instead of a loop
        self._test = None if self.needs is None else \
            re.compile("|".join(re.escape(s) for s in sorted(self.needs))).search

    def may_match(self, text: str) -> bool:
        return self._test is None or self._test(text) is not None

    def finditer(self, text: str):
        return self.rx.finditer(text) if self.may_match(text) else iter(())


class PrefilterSet:
    """Which of several ``Prefiltered`` patterns may match a text, by one scan for all their
    needed strings instead of one search per pattern.

    The scan is a lookahead alternation of every needed string, longest first, so at each
    position it reports the longest one starting there. A pattern's string s occurs at a
    position exactly when the longest string found there begins with s, so a found string
    enables the patterns with a needed string it begins with: the same patterns as asking
    each one's ``may_match``."""

    def __init__(self, patterns: list[Prefiltered]):
        self.always = frozenset(i for i, p in enumerate(patterns) if p.needs is None)
        needles = sorted({s for p in patterns if p.needs for s in p.needs}, key=lambda s: (-len(s), s))
        self._scan = re.compile("(?=(" + "|".join(re.escape(s) for s in needles) + "))").findall \
            if needles else None
        self._enables = {f: frozenset(i for i, p in enumerate(patterns)
                                      if p.needs and any(f.startswith(s) for s in p.needs)) for f in needles}

    def may_match(self, text: str) -> list[int]:
        """Indexes (ascending) of the patterns that may match ``text``."""
        found = set(self.always)
        if self._scan is not None:
            for f in set(self._scan(text)):
                found |= self._enables[f]
        return sorted(found)
