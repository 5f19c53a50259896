"""Service guarantees with their target populations (为X提供Y, 对X给予Y, 保障X享有Y …).

Works on the clean (Simplified) text of :mod:`extract.normalize` and returns clean offsets.
Every :class:`Statement` names one basic public service as written, the clause that states
the guarantee (the evidence span), the beneficiary groups as written with their canonical
:class:`PopulationMention` nodes, and the standard of the guarantee when the sentence
states one (免费, 15年免费, 至少有一人就业 …).

The statement patterns are data (``extract/data/beneficiary_patterns.tsv``), tried in order on
each sentence; compounds (落实困难残疾人生活补贴) come from :mod:`extract.compound_guarantees`.
Vocabularies: :mod:`extract.guarantee_vocab`; population groups: :mod:`extract.populations`;
service spans: :mod:`extract.service_spans`; standards: :mod:`extract.standards`.

Public API: :class:`Statement`, :func:`find_statements`, and, re-exported from the modules
above, :class:`PopulationMention`, :class:`ServiceVocabulary`, :class:`PopulationVocabulary`,
:func:`canonical_population`, :func:`minted_key`, :func:`split_populations`,
:func:`services_in`, :func:`find_standard`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .compound_guarantees import CLAUSE_END, compound_candidates
from .coverage_guarantees import coverage_candidates
from .field_guarantees import FieldIndex
from .item_guarantees import item_candidates
from .guarantee_vocab import PopulationVocabulary, ServiceVocabulary, rows, word_lists
from .populations import (PopulationMention, canonical_population, ends_with_head, mentions, minted_key,
                          split_populations)
from .service_spans import ends_with_service_head, service_np, service_span, services_in
from .regex_prefilter import Prefiltered, PrefilterSet
from .standards import find_standard

__all__ = ["Statement", "find_statements", "PopulationMention", "ServiceVocabulary", "PopulationVocabulary",
           "canonical_population", "minted_key", "split_populations", "services_in", "find_standard"]

_C = r"[^,，。；;:：!！?？\n]"
_CC = r"[^。；;:：!！?？\n]"
# a list of statements (为A提供B、为C提供D): neither a group nor a service runs into the next one
_NEXT = r"(?![、,，](?:为|对|向)(?!了))"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, str, Prefiltered]]:
    """(name, service mode, regex) of each statement pattern, in table order: "named" needs a named
    service, "context" takes the service named before the statement (in its sentence, else up to
    300 characters before it), "any" keeps what the pattern finds. Each regex is tried only on
    the sentences that hold one of the words it needs (extract.regex_prefilter)."""
    adv = "|".join(re.escape(a) for a in word_lists().advs)
    subs = {
        "{POPC}": rf"(?P<pop>(?:{_NEXT}{_CC}){{2,120}}?)",
        "{POP}": rf"(?P<pop>{_C}{{2,40}}?)",
        "{SVC0}": rf"{_C}{{2,40}}?",
        "{SVC}": rf"(?:{_NEXT}{_C}){{1,60}}",
        "{ADV}": rf"(?>(?:(?:{adv})[、,，]?)*)",  # atomic: adverbs that overlap (均可, 均) never backtrack
        "{HEAD}": "(?:" + "|".join(re.escape(h) for h in word_lists().pop_heads) + ")",
        "{C}": _C,
    }
    out = []
    for name, service, rx in rows("beneficiary_patterns.tsv", 3):
        for k, v in subs.items():
            rx = rx.replace(k, v)
        out.append((name, service, Prefiltered(re.compile(rx))))
    return out


@lru_cache(maxsize=1)
def _pattern_set() -> PrefilterSet:
    return PrefilterSet([rx for _, _, rx in _patterns()])


def _names_group(service: str) -> bool:
    """A "service" that is itself a group of people (针对…家庭的适龄女性, 享受…的优抚对象): the
    statement has been read across a modifier."""
    core = service.rstrip("等")
    return ends_with_head(core) and not ends_with_service_head(core)


@lru_cache(maxsize=1)
def _opens_clause() -> re.Pattern:
    L = word_lists()
    return re.compile("|".join(re.escape(v) for v in L.verbs + L.leads))


def _group_word(w: str) -> bool:
    """A short phrase naming a group (寄宿学生), not a verb phrase (参加社会…)."""
    if not ends_with_head(w) or _opens_clause().match(w):
        return False
    node = canonical_population(w)
    no = word_lists().no_compound
    return node is not None and node.key not in no and node.broader not in no


# patterns whose group is written right before its service (…老年人的补助标准, 提高…残疾人护理补贴标准)
_GLUED = {"standard_stmt", "raise_level"}
_SCHEME_HEADS = ("保险", "医保", "合作医疗", "新农合")
_GENERIC_KEYS = {"basic-public-services"}

_MARKER = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、(?![一二三四五六七八九十\d]+级))\s*[^,，]{0,20}$")
_NOTE = re.compile(r"^\s*(?:\d+[.、]?\s*指|注[:：])")
_LISTING = re.compile(r"包括[:：]|主要有[:：]|如下[:：]")
_TITLE = re.compile(r"《[^《》\n]{0,80}》")
# 在实施五保户供养…的基础上: what a plan builds on is background, no guarantee it states
_BASIS = re.compile(r"在[^。;；,，《》]{2,40}?的?基础上")
_SENT = re.compile(r"[^。；;!！?？\n]+")


@lru_cache(maxsize=1)
def _negation() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in word_lists().negations))


@dataclass(frozen=True)
class Statement:
    span: tuple[int, int]
    service: str
    service_span: tuple[int, int]
    service_key: str | None
    domain: str | None
    populations: tuple[PopulationMention, ...]
    standard: str | None
    standard_span: tuple[int, int] | None
    pattern: str


_CLAUSE_END_RX = re.compile("[" + re.escape(CLAUSE_END) + "]")


class _Sentence:
    """Lookups over one sentence, each in logarithmic time: its clause bounds, the services it
    names, which characters statements already took, the standard and negation of each clause."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        self.ends = [m.start() for m in _CLAUSE_END_RX.finditer(text, lo, hi)]
        # the service forms of the sentence: (start, end, key), leftmost-longest
        self.service_matches = [(lo + a, lo + b, k) for a, b, k in ServiceVocabulary.load().match(text[lo:hi])]
        self.services = [(a, b) for a, b, _ in self.service_matches]
        self.service_ends = [b for _, b in self.services]
        self.taken = bytearray(hi - lo)
        self._standards: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._negated: dict[tuple[int, int], bool] = {}
        self._named: list[tuple[int, int]] | None = None
        self._named_ends: list[int] = []

    def clause(self, s: int, e: int) -> tuple[int, int]:
        """The clause around ``text[s:e]`` (between clause ends: commas, stops)."""
        k = bisect.bisect_left(self.ends, s)
        a = self.ends[k - 1] + 1 if k > 0 else self.lo
        k = bisect.bisect_left(self.ends, e)
        b = self.ends[k] if k < len(self.ends) else self.hi
        return a, b

    def service_before(self, pos: int, free: bool = False) -> tuple[int, int] | None:
        """The last service named before ``pos``; ``free``: not as the modifier of a group
        (城市低保|对象)."""
        k = bisect.bisect_right(self.service_ends, pos)
        while free and k and ends_with_head(self.text[self.services[k - 1][0]:self.services[k - 1][1] + 2]):
            k -= 1
        return self.services[k - 1] if k else None

    def scheme_named(self, pos: int) -> bool:
        """Whether an insurance scheme is named from ``pos`` on (…居民|基本医疗保险财政补贴)."""
        k = bisect.bisect_right(self.service_ends, pos)  # the service match ending after pos
        if k >= len(self.services) or self.services[k][0] > pos:
            return False
        return self.text[self.services[k][0]:self.services[k][1]].endswith(_SCHEME_HEADS)

    def named_before(self, pos: int) -> tuple[int, int] | None:
        """The last noun phrase ending in a service head before ``pos`` (补贴标准为…), at least
        two characters."""
        if self._named is None:  # once per sentence
            self._named = [(m.start(), m.end()) for m in service_np().finditer(self.text, self.lo, self.hi)
                           if m.end() - m.start() >= 2]
            self._named_ends = [b for _, b in self._named]
        k = bisect.bisect_right(self._named_ends, pos)
        return self._named[k - 1] if k else None

    def is_taken(self, spans) -> bool:
        return any(any(self.taken[max(s, self.lo) - self.lo:max(e, self.lo) - self.lo]) for s, e in spans)

    def take(self, spans) -> None:
        for s, e in spans:
            s, e = max(s, self.lo), min(e, self.hi)  # a field's service may lie before the sentence
            if e > s:
                self.taken[s - self.lo:e - self.lo] = b"\x01" * (e - s)

    def negated(self, s: int, e: int) -> bool:
        """Whether the clause ``text[s:e]`` says a group is not (yet) covered (尚未, 未纳入 …)."""
        if (s, e) not in self._negated:
            self._negated[(s, e)] = bool(_negation().search(self.text, s, e))
        return self._negated[(s, e)]

    def standard(self, s: int, e: int) -> tuple[int, int] | None:
        if (s, e) not in self._standards:
            found = find_standard(self.text[s:e]) if e > s else None
            self._standards[(s, e)] = (s + found[0], s + found[1]) if found else None
        return self._standards[(s, e)]


class _EarlierServices:
    """Vocabulary services of the whole text, to find the one a statement refers back to."""

    def __init__(self, text: str):
        self.found = [(a, b) for a, b, _ in ServiceVocabulary.load().match(text)]
        self.ends = [b for _, b in self.found]

    def before(self, pos: int, reach: int = 300) -> tuple[int, int] | None:
        k = bisect.bisect_right(self.ends, pos)
        return self.found[k - 1] if k and pos - self.found[k - 1][1] <= reach else None


def find_statements(text: str, blocks: list | None = None, is_damaged=None) -> list[Statement]:
    """Service guarantees with explicit target populations in the clean ``text``.

    ``blocks`` (from :func:`extract.structure.parse_structure`) give the domain when the
    service vocabulary does not; ``is_damaged(start, end)`` (e.g. ``Normalized.is_damaged``)
    drops statements touching unrepaired mojibake."""
    svc_voc = ServiceVocabulary.load()
    patterns, pattern_set = _patterns(), _pattern_set()
    no_group = word_lists().no_compound
    starts = [b.start for b in blocks] if blocks else []
    fields = FieldIndex(text)
    earlier = _EarlierServices(text)
    out: list[Statement] = []
    for sm in _SENT.finditer(text):
        lo, hi = sm.start(), sm.end()
        sent = text[lo:hi]
        if len(sent.strip()) < 4 or _MARKER.match(sent) or _NOTE.match(sent):
            continue
        sen = _Sentence(text, lo, hi)
        cands = []
        for k in pattern_set.may_match(sent):
            name, mode, rx = patterns[k]
            for m in rx.rx.finditer(sent):
                if "pop" not in m.groupdict() or m.group("pop") is None:
                    continue
                ps, pe = lo + m.start("pop"), lo + m.end("pop")
                spans = split_populations(text, ps, pe)
                if not spans:
                    continue
                if m.groupdict().get("svc") is not None:
                    ss, se = lo + m.start("svc"), lo + m.end("svc")
                elif mode == "context":
                    found = sen.service_before(lo + m.start(), free=True) or sen.named_before(lo + m.start()) or \
                        earlier.before(lo + m.start())
                    if not found:
                        continue
                    ss, se = found
                else:
                    ss, se = sen.service_before(lo + m.start()) or (lo + m.end("pop"), lo + m.end())
                cands.append((lo + m.start(), lo + m.end(), spans, (ss, se), None, name, mode))
        for a, e, spans, sv, key, in fields.candidates(lo, hi):
            cands.append((a, e, spans, sv, key, "field", "any"))
        for a, e, spans, sv, key, in item_candidates(text, lo, hi):
            cands.append((a, e, spans, sv, key, "item", "any"))
        for a, e, spans, sv, key, in coverage_candidates(text, lo, hi):
            cands.append((a, e, spans, sv, key, "cover_all", "any"))
        if not _LISTING.search(sent):
            for a, e, spans, sv, key, in compound_candidates(text, lo, hi, sen.service_matches):
                cands.append((a, e, spans, sv, key, "compound", "any"))
        titles = [(lo + t.start(), lo + t.end()) for rx in (_TITLE, _BASIS) for t in rx.finditer(sent)]
        if titles:  # 《关于做好…工作的通知》 names a policy, 在…的基础上 the basis: no guarantee stated here
            cands = [c for c in cands if not any(x <= c[0] < y for x, y in titles)]
        group_starts = sorted(c[2][0][0] for c in cands)
        cand_ends = sorted(c[1] for c in cands)
        for a, e, spans, (ss, se), key, name, mode in cands:
            named = mode == "named"
            if sen.is_taken(spans):
                continue
            ss, se = service_span(text, ss, se)
            if spans[-1][1] == ss:  # …贫困家庭|寄宿学生生活费: the group goes on into the service
                j = next((j for j in range(min(se - ss - 2, 6), 1, -1) if _group_word(text[ss:ss + j])), None)
                if j:
                    spans = spans[:-1] + [(spans[-1][0], ss + j)]
                    ss = ss + j
            if se - ss < 2:
                continue
            service = text[ss:se]
            if key is None:
                key = svc_voc.canonical(service)
            if named and key is None and not ends_with_service_head(service):
                continue
            if name == "raise_level" and (key in _GENERIC_KEYS or not (service in svc_voc.form_key or ends_with_service_head(service))):
                continue  # 提高…覆盖水平, 提升群众基本公共服务水平: a level of provision in general
            if ss >= spans[-1][1] and _names_group(service):
                continue
            pops = mentions(text, spans)
            if not pops:
                continue
            if name in _GLUED and (sen.scheme_named(ss) or any(p.key in no_group or p.broader in no_group for p in pops)):
                continue  # 城镇居民|基本医保…: the group names the scheme; 机制、社会救助: 社会 is no beneficiary here
            if mode == "context":  # the service was named before: the statement's own clause
                cs, ce = sen.clause(min(a, spans[0][0]), max(e, spans[-1][1]))
            else:
                cs, ce = sen.clause(min(a, ss, spans[0][0]), max(e, se, spans[-1][1]))
            if is_damaged is not None and is_damaged(cs, ce):
                continue
            if sen.negated(cs, ce):
                continue  # 尚未覆盖…: a group not (yet) covered is no guarantee
            sen.take(spans + [(ss, se)])
            k = bisect.bisect_left(group_starts, ce)
            after = (ce, group_starts[k] if k < len(group_starts) else hi)
            if name == "item":  # a list entry states its own level
                std_span = sen.standard(min(a, ss), max(e, se))
            else:  # in its clause up to the next statement, else in the clauses after it up to the next one
                k = bisect.bisect_right(group_starts, max(e, spans[-1][1]))
                own = min(ce, group_starts[k]) if k < len(group_starts) and group_starts[k] > cs else ce
                k = bisect.bisect_right(cand_ends, min(a, spans[0][0])) - 1
                begin = max(cs, cand_ends[k]) if k >= 0 else cs  # after the statement before it
                std_span = sen.standard(begin, own) or sen.standard(*after)
            if std_span and ((name == "cover_all" and std_span == (ss, se)) or
                             any(x <= std_span[0] and std_span[1] <= y for x, y in spans)):
                std_span = None  # the coverage named as the service (应保尽保), or part of the group
            domain = svc_voc.by_key[key].domain if key else None
            if domain is None and starts:
                k = bisect.bisect_right(starts, cs) - 1
                if k >= 0:
                    domain = blocks[k].domain
            out.append(Statement((cs, ce), service, (ss, se), key, domain, tuple(pops),
                                 text[std_span[0]:std_span[1]] if std_span else None, std_span, name))
    out.sort(key=lambda st: (st.span, st.service_span))
    return out
