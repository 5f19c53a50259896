"""Guarantees written as a labelled field: who a service is for, named by a label and then listed
(服务对象:辖区内0-6岁儿童; 资金补助范围:A;B;C; 此次发放对象涉及A、B、C; 门诊医疗救助对象; 1.A; 2.B;
a heading 一、服务对象 with the groups on the line after it) -- how service standards, lists and
notices state their beneficiaries.

The label is [service words][对象|范围] (the service words are data: ``field_label`` in
``beneficiary_heads.tsv``) followed by a copula or a colon, or ending its line. It governs the rest of
its line, or, when it ends its line, the numbered lines after it (or the one line after a heading).
Each governed piece that consists of groups and nothing else is a guarantee. The service is the
label's own words when they name a service (门诊医疗救助), else the service named last before the
label (服务对象: → 定期健康检查 in the sentence before).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .guarantee_vocab import ServiceVocabulary, word_lists
from .populations import canonical_population, split_populations
from .service_spans import ends_with_service_head, service_np

_LINE_MARKER = re.compile(r"[ \t\u3000]*(?:\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])[ \t\u3000]*")
_HEADING = re.compile(r"[ \t\u3000]*(?:[(（]?[一二三四五六七八九十]+[)）、]|第[一二三四五六七八九十]+[章节条])")
_TRAIL = "等;；。,，:： \t\u3000"
_PEEL = ("此次", "本次", "其", "主要", "具体")
_LOOK_BACK = 300  # characters before a label searched for the service it refers to


@lru_cache(maxsize=1)
def _label() -> re.Pattern:
    words = "|".join(re.escape(w) for w in word_lists().field_labels)
    return re.compile(
        r"(?P<svc>[^\s,，。；;:：!！?？、()（）“”《》.．]{0,16}?(?:" + words + r"))(?:对象|范围)"
        r"(?:(?:主要)?(?:为|是|包括|涉及|限于)[:：]?|[:：]|(?=[;；]?[ \t\u3000]*(?:\n|$)))")


@lru_cache(maxsize=1)
def _opens_np() -> re.Pattern:
    """What may stand before a service noun phrase: verbs, 通过, time words."""
    L = word_lists()
    words = sorted(set(L.verbs + L.leads + ("通过", "期间", "年", "月")), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words) + r"|\d+")


def _clause_end(text: str, s: int, e: int) -> int:
    m = re.compile(r"[,，]").search(text, s, e)
    return m.start() if m else e


def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e


class FieldIndex:
    """The labelled fields of one text: the region each label governs and the service it names."""

    def __init__(self, text: str):
        self.text = text
        self.regions: list[tuple[int, int, tuple[int, int], str | None]] = []  # (start, end, service span, key)
        voc = ServiceVocabulary.load()
        for m in _label().finditer(text):
            svc = self._service(m.start("svc"), m.end("svc"), voc)
            if svc is None:
                continue
            (ss, se), key = svc
            le = _line_end(text, m.end())
            if text[m.end():le].strip(_TRAIL):
                self.regions.append((m.end(), le, (ss, se), key))
                continue
            if self._entry(m.start(), m.end()):
                continue
            e = pos = le + 1
            while pos < len(text):  # numbered lines after a label that ends its line
                nl = _line_end(text, pos)
                if not _LINE_MARKER.match(text, pos, nl):
                    break
                e, pos = nl, nl + 1
            if e == le + 1 and le + 1 < len(text):  # a heading label: the line after it
                nl = _line_end(text, le + 1)
                if nl - (le + 1) <= 60 and not _HEADING.match(text, le + 1, nl):
                    e = nl
            if e > le + 1:
                self.regions.append((le + 1, e, (ss, se), key))
        self.starts = [r[0] for r in self.regions]

    def _entry(self, s: int, e: int) -> bool:
        """Whether a label that ends its line is rather an entry of a list (1.农村五保供养对象;): a
        numbered line, or a phrase that names a group by itself."""
        text = self.text
        ls = text.rfind("\n", 0, s) + 1
        if _LINE_MARKER.match(text, ls, e):
            return True
        phrase = text[s:e].rstrip(_TRAIL)
        node = canonical_population(phrase)
        return node is not None and not node.key.startswith("p-")

    def _service(self, s: int, e: int, voc: ServiceVocabulary):
        """The label's service: its own words, else the service named last before it."""
        text = self.text
        for p in _PEEL:
            if text.startswith(p, s) and e - s > len(p):
                s += len(p)
        words = text[s:e]
        key = voc.canonical(words)
        if (key or ends_with_service_head(words)) and len(words) >= 3:
            return (s, e), key
        lo = max(0, s - _LOOK_BACK)
        found = voc.match(text[lo:s])
        if found:
            a, b, k = found[-1]
            return (lo + a, lo + b), k
        last = None
        for m in service_np().finditer(text, lo, s):
            if m.end() - m.start() >= 3:
                last = m
        if last is None:
            return None
        a = last.start()
        for m in _opens_np().finditer(text, a, last.end() - 2):
            a = m.end()  # 通过定期健康检查 → 定期健康检查, 春节期间一次性生活补贴 → 一次性生活补贴
        return (a, last.end()), None

    def candidates(self, lo: int, hi: int):
        """Guarantees of the sentence ``text[lo:hi]`` inside a governed region: yields (start, end,
        population spans, service span, service key or None)."""
        text = self.text
        k = bisect.bisect_right(self.starts, hi) - 1
        while k >= 0 and self.regions[k][1] > lo:
            rs, re_, svc, key = self.regions[k]
            k -= 1
            s, e = max(lo, rs), min(hi, re_)
            m = _LINE_MARKER.match(text, s, e)
            if m:
                s = m.end()
            while e > s and text[e - 1] in _TRAIL:
                e -= 1
            for e in dict.fromkeys((e, _clause_end(text, s, e))):  # the whole piece, else its first clause
                while e > s and text[e - 1] in _TRAIL:
                    e -= 1
                if e - s < 2:
                    continue
                spans = split_populations(text, s, e)
                if spans and spans[0][0] - s <= 1 and e - spans[-1][1] <= 1:  # groups and nothing else
                    yield (s, e, spans, svc, key)
                    break
            break
