"""Guarantees written as one compound, population first: 落实困难残疾人生活补贴,
乡村教师重大疾病救助 -- a population noun phrase right before a service form or a service
head noun, after the verb that opens the clause."""
from __future__ import annotations

import re

from .guarantee_vocab import PopulationVocabulary, ServiceVocabulary, word_lists
from .populations import canonical_population, ends_with_head, split_populations, strict_group
from .service_spans import service_np

CLAUSE_END = ",，。；;!！?？\n"
_COMPOUND_LEFT = re.compile(
    r"(?:全面落实|落实|实施|开展|加强|推进|完善|建立|健全|提高|做好|探索|扩大|推动|实现|提供|保障|建设|支持|"
    r"统筹|加快|深化|规范|强化|提升|积极|组织|试点|确保|改善|增加|降低|发放|解决|满足|关注|重视|"
    r"关心|优化|全面|进一步|逐步|切实|着力|大力|继续|重点)"
)
_NO_COMPOUND_DOMAINS = {"social_insurance"}
_NO_COMPOUND_KEYS = {"basic-public-services"}


def compound_candidates(text: str, lo: int, hi: int):
    """[population][service] compounds inside the sentence ``text[lo:hi]``: yields
    (start, end, population spans, service span, service key or None)."""
    L = word_lists()
    voc = ServiceVocabulary.load()
    seg = text[lo:hi]
    matches = [(lo + a, lo + b, k) for a, b, k in voc.match(seg)]
    cands = []
    for s, e, key in matches:
        if voc.by_key[key].domain in _NO_COMPOUND_DOMAINS or key in _NO_COMPOUND_KEYS:
            continue
        points = [(s, e, key)]
        form = text[s:e]
        for j in range(2, len(form) - 1):
            left, right = form[:j], form[j:]
            if ends_with_head(left) and (right in voc.form_key or any(right.endswith(h) for h in L.svc_heads)):
                points.append((s + j, e, key))
        cands.append(sorted(points, reverse=True))
    # services named by a head noun right after a population (乡村教师重大疾病救助)
    pv = PopulationVocabulary.load()
    for m in service_np().finditer(seg):
        p, e = lo + m.start(), lo + m.end()
        if any(a <= p < b for a, b, _ in matches) or e - p < 2:
            continue
        if any(ends_with_head(text[p:j]) for j in range(p + 2, e)):
            continue  # the phrase goes on with a population (…人员随迁子女入学…)
        if pv.suffix_term(text[max(lo, p - pv.max_len):p]):
            cands.append([(p, e, None)])
    for points in cands:
        for p, e, key in points:
            q = p - 1 if p > lo and text[p - 1] == "的" else p
            a = q
            while a > lo and text[a - 1] not in CLAUSE_END and q - a < 50:
                a -= 1
            window = text[a:q]
            if not window:
                continue
            cut = None
            for m in _COMPOUND_LEFT.finditer(window):
                cut = a + m.end()
            for ms, me, _ in matches:
                if a <= ms and me <= q and (cut is None or me > cut):
                    cut = me
            if cut is None or q - cut < 2:
                continue
            spans = split_populations(text, cut, q)
            if not spans or spans[-1][1] != q:
                continue
            if len(spans) == 1 and not strict_group(text[spans[0][0]:spans[0][1]]):
                continue
            if any((canonical_population(text[x:y]) or ("", ""))[0] in L.no_compound for x, y in spans):
                continue
            yield (spans[0][0], e, spans, (p, e), key)
            break
