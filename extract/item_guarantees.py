"""Guarantees named as items: a list entry or a short line that is [population][service] with
no verb (寄宿生生活补助, 农村留守儿童关爱保护, 孕产妇健康服务, 生活无着落人员社会救助) --
how service lists, project lists and tables name what they guarantee to whom."""
from __future__ import annotations

import re
from functools import lru_cache

from .guarantee_vocab import ServiceVocabulary, word_lists
from .populations import canonical_population
from .service_spans import domain_follows, ends_with_service_head

_ENTRY = re.compile(r"[^、,，。；;:：!！?？\n()（）“”《》]+")
_LEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+[章节条]|[(（]?[一二三四五六七八九十\d]+[)）.、]|"
                   r"(?:具体|主要|共计|其中)?包括|如|新增|其中)\s*")
_TAIL = re.compile(r"(?:等(?:\d+|[一二三四五六七八九十百]+)[项类个种]\S*|\d+项)$")
_AND = re.compile("[和及]")
_ENTRY_START = "、:：\n)）"  # what precedes a list entry: another entry, a colon, a line start, a list marker
_NO_ITEM_KEYS = {"basic-public-services"}


@lru_cache(maxsize=1)
def _verb_start() -> re.Pattern:
    return re.compile("|".join(re.escape(v) for v in word_lists().verbs + word_lists().leads))


@lru_cache(maxsize=1)
def _verb_inside() -> re.Pattern:
    L = word_lists()
    return re.compile("|".join(re.escape(v) for v in L.verbs + L.leads if len(v) > 1))


def _after_population(text: str, lo: int, end: int) -> bool:
    """Whether the list entry ending at ``end`` is a population alone (孤儿、…)."""
    start = end
    while start > lo and text[start - 1] not in "、,，:：\n":
        start -= 1
    return canonical_population(text[start:end]) is not None


def _entries(text: str, lo: int, hi: int):
    """List entries of ``text[lo:hi]``; an entry of two items joined by 和/及 (困难残疾人生活补贴和
    重度残疾人护理补贴) is two entries."""
    w = max(len(h) for h in word_lists().svc_heads)  # a head is at most this long: look no further back
    for m in _ENTRY.finditer(text, lo, hi):
        s, e = m.span()
        for j in [a.start() for a in _AND.finditer(text, s + 2, max(s + 2, e - 2))
                  if ends_with_service_head(text[max(s, a.start() - w):a.start()])]:
            yield s, j
            s = j + 1
        yield s, e


def item_candidates(text: str, lo: int, hi: int):
    """[population][service] entries in the sentence ``text[lo:hi]``: yields (start, end,
    population spans, service span, service key or None), the longest population first. An
    entry follows another entry (、), a colon, a line start or a list marker; a clause after a
    comma or a full stop usually opens with a verb and is left to the statement patterns."""
    L = word_lists()
    voc = ServiceVocabulary.load()
    for s, e in _entries(text, lo, hi):
        if s > 0 and text[s - 1] not in _ENTRY_START + "和及" and not (text[s - 1] in "。；;" and text[e:e + 1] in ":："):
            continue  # a clause after a comma (or a title in 《》): not a list entry; a label (…。寄宿生生活补助:) is one
        lead = _LEAD.match(text, s, e)
        if lead:
            s = lead.end()
        tail = _TAIL.search(text, s, e)
        if tail:
            e = tail.start()
        entry = text[s:e]
        if domain_follows(text, e):
            continue  # …残疾人服务等8大领域: a domain named, not an item guaranteed
        if not (4 <= len(entry) <= 24) or re.search(r"\s|\d", entry) or _verb_start().match(entry):
            continue
        if entry in voc.form_key:  # a service's own name (城乡居民基本医疗保险)
            continue
        if text[s - 1:s] == "、" and _after_population(text, lo, s - 1):
            continue  # 孤儿、弃婴…困境儿童的福利保障: groups sharing one service, for the statement patterns

        names = [(a, b) for a, b, _ in voc.match(entry)]
        for j in range(len(entry) - 2, 1, -1):
            pop, svc = entry[:j], entry[j:]
            if not (svc in voc.form_key or ends_with_service_head(svc)) or "的" in svc or pop.endswith("的"):
                continue
            if any(a == 0 < j < b for a, b in names):  # a scheme named after whom it serves (城乡居民医保…)
                continue
            if _verb_inside().search(pop) or "在内" in pop:
                break  # a clause, not an item name
            if text[s - 1:s] == "、" and "等" in pop:
                break  # 经济困难的高龄、失能等老年人补贴: 、…等 lists the qualifiers of one group
            node = canonical_population(pop)
            if node is None or node.key in L.no_compound or node.broader in L.no_compound:
                continue
            key = voc.canonical(svc)
            if key in _NO_ITEM_KEYS:
                break
            yield (s, e, [(s, s + j)], (s + j, e), key)
            break
