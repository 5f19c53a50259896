"""The vocabularies of service guarantees: canonical services, canonical target populations
and the word lists the population and service grammar uses.

Data (all in ``extract/data``):

* ``services.tsv`` -- canonical public services (key, label, en label, domain, written forms,
  the body types that own it by the national basic public service standard);
* ``populations.tsv`` -- canonical target populations with a ``skos:broader`` hierarchy;
* ``beneficiary_heads.tsv`` -- population / service head nouns, leading verbs, adverbs,
  modifiers, scope words that do not narrow a group (全体, 本市), heads that take no modifier
  (人人), phrases that end in a head noun but are not beneficiaries (工作人员) and actors that may
  open a clause before its verb (各地, 政府).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pskg.paths import EXTRACT_DATA

from .agencies import read_table


def rows(name: str, ncols: int) -> list[list[str]]:
    """Rows of a data table, padded (or cut) to ``ncols`` columns."""
    return [(cols + [""] * ncols)[:ncols] for cols in read_table(EXTRACT_DATA / name)]


def _alts(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


@dataclass(frozen=True)
class ServiceEntry:
    key: str
    label: str
    label_en: str
    domain: str
    alt_labels: tuple[str, ...]
    owners: tuple[str, ...] = ()  # body types that own it (extract/data/government_bodies.tsv), lead first

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.label,) + self.alt_labels


@dataclass(frozen=True)
class PopulationEntry:
    key: str
    label: str
    label_en: str
    broader: str | None
    alt_labels: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.label,) + self.alt_labels


def _alternation(forms) -> re.Pattern:
    """A pattern matching the longest of ``forms`` at each position it is tried at (as an
    alternation of the forms, longest first, does), written as a trie: the engine follows one
    path of characters instead of trying every form in turn."""
    trie: dict = {}
    for f in set(forms):
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}  # a form ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer form first

    return re.compile(pattern(trie))


class ServiceVocabulary:
    """Canonical public services from ``services.tsv``."""

    def __init__(self, entries: list[ServiceEntry]):
        self.entries = entries
        self.by_key = {e.key: e for e in entries}
        self.form_key: dict[str, str] = {}
        for e in entries:  # first entry wins a shared form
            for f in e.forms:
                self.form_key.setdefault(f, e.key)
        self.regex = _alternation(self.form_key)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "ServiceVocabulary":
        entries = [ServiceEntry(k, lbl, en, dom, tuple(_alts(alts)), tuple(_alts(owners)))
                   for k, lbl, en, dom, alts, owners in rows("services.tsv", 6)]
        return cls(entries)

    def match(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping service forms in ``text``: (start, end, key)."""
        return [(m.start(), m.end(), self.form_key[m.group()]) for m in self.regex.finditer(text)]

    def canonical(self, written: str) -> str | None:
        """Key of the service ``written`` is or names (longest form inside it), else None."""
        if written in self.form_key:
            return self.form_key[written]
        best = None
        for m in self.match(written):
            if best is None or m[1] - m[0] > best[1] - best[0]:
                best = m
        return best[2] if best else None


class PopulationVocabulary:
    """Canonical target populations from ``populations.tsv`` with their broader chain."""

    def __init__(self, entries: list[PopulationEntry]):
        self.entries = entries
        self.by_key = {e.key: e for e in entries}
        self.form_key: dict[str, str] = {}
        for e in entries:
            for f in e.forms:
                self.form_key.setdefault(f, e.key)
        self.max_len = max(len(f) for f in self.form_key)
        lengths: dict[str, set[int]] = {}  # last character -> lengths of the forms ending with it
        for f in self.form_key:
            if f:
                lengths.setdefault(f[-1], set()).add(len(f))
        self._lengths = {c: sorted(ns, reverse=True) for c, ns in lengths.items()}

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "PopulationVocabulary":
        entries = [PopulationEntry(k, lbl, en, b or None, tuple(_alts(alts)))
                   for k, lbl, en, b, alts in rows("populations.tsv", 5)]
        return cls(entries)

    def suffix_term(self, written: str) -> str | None:
        """Key of the longest vocabulary form that ``written`` ends with."""
        if not written:
            return None
        for n in self._lengths.get(written[-1], ()):  # only the lengths of forms ending with its last character
            if n <= len(written):
                k = self.form_key.get(written[-n:])
                if k:
                    return k
        return None

    def broader_chain(self, key: str) -> list[str]:
        """Keys above ``key``, nearest first (stops on a cycle)."""
        out, seen = [], {key}
        e = self.by_key.get(key)
        while e is not None and e.broader and e.broader not in seen:
            out.append(e.broader)
            seen.add(e.broader)
            e = self.by_key.get(e.broader)
        return out


@dataclass(frozen=True)
class WordLists:
    """The lists of ``beneficiary_heads.tsv``, each longest first."""
    pop_heads: tuple[str, ...]
    not_pop: frozenset[str]
    leads: tuple[str, ...]
    advs: tuple[str, ...]
    mods: tuple[str, ...]
    svc_heads: tuple[str, ...]
    no_compound: frozenset[str]
    scopes: tuple[str, ...]
    bare: frozenset[str]
    verbs: tuple[str, ...]
    facilities: tuple[str, ...]
    word_after: tuple[str, ...]
    cover_all: tuple[str, ...]
    negations: tuple[str, ...]
    actors: tuple[str, ...]
    field_labels: tuple[str, ...]
    conditions: tuple[str, ...]


    # computed once (they are asked for every phrase tested)
    @cached_property
    def pop_head_set(self) -> frozenset[str]:
        return _head_set(self.pop_heads)

    @cached_property
    def max_pop_head(self) -> int:
        return max(map(len, self.pop_heads))

    @cached_property
    def max_not_pop(self) -> int:
        return max(map(len, self.not_pop))

    @cached_property
    def bare_tuple(self) -> tuple[str, ...]:
        return tuple(sorted(self.bare))


@lru_cache(maxsize=4)
def _head_set(heads: tuple[str, ...]) -> frozenset[str]:
    return frozenset(heads)


@lru_cache(maxsize=1)
def word_lists() -> WordLists:
    table = rows("beneficiary_heads.tsv", 2)

    def of(kind):  # longest first
        return tuple(sorted({f for k, f in table if k == kind and f}, key=lambda f: (-len(f), f)))

    return WordLists(of("pop_head"), frozenset(of("not_pop")), of("lead"), of("adv"), of("mod"),
                     of("svc_head"), frozenset(of("no_compound")), of("scope"), frozenset(of("bare")),
                     of("verb"), of("facility"), of("word_after"), of("cover_all"), of("negation"),
                     of("actor"), of("field_label"), of("condition"))
