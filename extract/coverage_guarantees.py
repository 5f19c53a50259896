"""Guarantees stated as full coverage: [service][population]全覆盖 (城镇义务教育公共服务常住人口
全覆盖), [population][service]全覆盖 (全区居民安全饮水全覆盖), [population]应保尽保 (孤儿和事实
无人抚养儿童应保尽保). The words that state full coverage are data (``cover_all`` in
``beneficiary_heads.tsv``); the service is the part of the clause beside the population, or the
coverage itself when the clause names none."""
from __future__ import annotations

import re
from functools import lru_cache

from .guarantee_vocab import ServiceVocabulary, word_lists
from .populations import canonical_population, split_populations
from .service_spans import ends_with_service_head

_REACH = ("实现", "达到", "做到")  # verbs whose subject is the covered group when nothing follows them
_CLAUSE = re.compile(r"[^,，。；;:：!！?？\n]+")


@lru_cache(maxsize=1)
def _marker() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in word_lists().cover_all))


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern:
    L = word_lists()
    return re.compile("(?:" + "|".join(re.escape(v) for v in L.verbs + L.leads) + ")了?")


def _is_service(phrase: str) -> bool:
    """A service phrase: ends in a vocabulary service or a service head noun."""
    voc = ServiceVocabulary.load()
    found = voc.match(phrase)
    return ends_with_service_head(phrase) or bool(found and found[-1][1] == len(phrase))


def coverage_candidates(text: str, lo: int, hi: int):
    """Full-coverage statements in ``text[lo:hi]``: yields (start, end, population spans,
    service span, service key or None)."""
    for c in _CLAUSE.finditer(text, lo, hi):
        m = _marker().search(text, c.start(), c.end())
        if not m or text[m.start() - 1:m.start()] == "健":  # 健全覆盖…: 健全 + 覆盖
            continue
        s, e = c.start(), m.start()
        v = None
        for v in _verbs().finditer(text, s, e):
            pass
        if v is not None and e - v.end() >= 2:
            s = v.end()
        elif v is not None and text[v.start():v.end()].startswith(_REACH) and v.start() - s >= 2:
            e = v.start()  # 孤儿和事实无人抚养儿童实现应保尽保: the group is the subject of 实现
        if e - s < 2:
            continue
        body = text[s:e]
        found = _service_then_population(text, s, e) or _population_then_service(text, s, e)
        if found:
            spans, svc = found
            yield (s, m.end(), spans, svc or (m.start(), m.end()), None)


def _groups(text: str, s: int, e: int):
    """The population groups that are exactly ``text[s:e]``, or None."""
    spans = split_populations(text, s, e)
    if not spans or spans[0][0] != s or spans[-1][1] != e:
        return None
    no = word_lists().no_compound
    for a, b in spans:
        node = canonical_population(text[a:b])
        if node is None or node.key in no or node.broader in no:
            return None
    return spans


def _service_then_population(text: str, s: int, e: int):
    """[service][population] (城镇义务教育公共服务常住人口) or the population alone."""
    for j in range(e - 2, s + 1, -1):
        if _is_service(text[s:j]):
            spans = _groups(text, j, e)
            if spans:
                return spans, (s, j)
    if not ServiceVocabulary.load().match(text[s:e]):
        spans = _groups(text, s, e)
        if spans:
            return spans, None
    return None


def _population_then_service(text: str, s: int, e: int):
    """[population][service] (全区居民安全饮水): the longest population before a service."""
    for j in range(e - 2, s + 1, -1):
        if _is_service(text[j:e]):
            spans = _groups(text, s, j)
            if spans:
                return spans, (j, e)
    return None
