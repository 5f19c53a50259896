"""Guarantees written as one compound, population first: 落实困难残疾人生活补贴,
乡村教师重大疾病救助 -- a population noun phrase right before a service form or a service
head noun, after the verb that opens the clause."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .guarantee_vocab import PopulationVocabulary, ServiceVocabulary, word_lists
from .populations import canonical_population, ends_with_head, split_populations, strict_suffix, summary_start
from .service_spans import domain_follows, service_np

CLAUSE_END = ",，。；;!！?？\n"
_NO_COMPOUND_DOMAINS = {"social_insurance"}
_NO_COMPOUND_KEYS = {"basic-public-services"}
_PREFIX_ENDS = ("的", "阶段", "中", "和", "及", "、")  # …阶段家庭经济困难学生资助: what may stand before the group
_NO_COMPOUND_HEADS = ("保险", "医保")  # 城乡居民保险, 职工保险: a scheme named after whom it insures


@lru_cache(maxsize=1)
def _facility() -> re.Pattern:
    """A facility, workforce or capacity word right after the service, or after 等 and a short
    noun (…康复等教育机构): the phrase names what is built, not what a group receives."""
    words = "|".join(re.escape(w) for w in word_lists().facilities)
    return re.compile(rf"(?:等[^,，。；;、\n]{{0,3}}?)?(?:{words})")


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern:
    return re.compile("|".join(re.escape(v) for v in word_lists().verbs))


@lru_cache(maxsize=1)
def _group_last_chars() -> frozenset[str]:
    """The characters a vocabulary group's form or a population head can end with."""
    pv = PopulationVocabulary.load()
    return frozenset(f[-1] for f in pv.form_key if f) | frozenset(h[-1] for h in word_lists().pop_heads if h)


def _groups_before(text: str, cut: int, q: int):
    """The population groups of ``text[cut:q]`` ending at ``q``: several, or one strict group
    (the modifiers and vocabulary form right before the service)."""
    if q - cut < 2:
        return None
    spans = split_populations(text, cut, q)
    if not spans or spans[-1][1] != q:
        return None
    if len(spans) > 1:
        return spans
    np = text[spans[0][0]:spans[0][1]]
    i = strict_suffix(np)
    if i is None or (i > 0 and not np[:i].endswith(_PREFIX_ENDS)):
        return None
    return [(spans[0][0] + i, spans[0][1])]


def compound_candidates(text: str, lo: int, hi: int, matches: list[tuple[int, int, str]] | None = None):
    """[population][service] compounds inside the sentence ``text[lo:hi]``: yields
    (start, end, population spans, service span, service key or None). ``matches``: the
    sentence's service forms (start, end, key) when the caller has them already."""
    L = word_lists()
    voc = ServiceVocabulary.load()
    if matches is None:  # leftmost-longest: ordered, disjoint
        matches = [(lo + a, lo + b, k) for a, b, k in voc.match(text[lo:hi])]
    starts = [a for a, _, _ in matches]
    ends = [b for _, b, _ in matches]

    def inside_match(p: int) -> bool:
        k = bisect.bisect_right(starts, p) - 1
        return k >= 0 and p < ends[k]

    def last_end_within(a: int, q: int) -> int | None:
        """End of the last service match lying within text[a:q]."""
        k = bisect.bisect_right(ends, q) - 1
        return ends[k] if k >= 0 and starts[k] >= a else None

    cands = []
    for s, e, key in matches:
        form = text[s:e]
        if key in _NO_COMPOUND_KEYS or form.endswith(_NO_COMPOUND_HEADS):
            continue
        points = [(s, e, key)]
        if voc.by_key[key].domain in _NO_COMPOUND_DOMAINS:  # 城镇职工基本医疗保险: the group names the scheme
            cands.append(points)
            continue
        for j in range(2, len(form) - 1):
            left, right = form[:j], form[j:]
            if ends_with_head(left) and (right in voc.form_key or right.endswith(L.svc_heads)):
                points.append((s + j, e, key))
        cands.append(sorted(points, reverse=True))
    # services named by a head noun right after a population (乡村教师重大疾病救助, 五保户免费就医全面保障)
    pv = PopulationVocabulary.load()
    rx = service_np()
    last = _group_last_chars()
    for p in range(lo + 2, hi - 1):
        if text[p - 1] not in last:
            continue  # no vocabulary group or population head ends here
        if not (pv.suffix_term(text[max(lo, p - pv.max_len):p]) or ends_with_head(text[max(lo, p - 4):p])):
            continue
        if text.startswith(L.word_after, p) or _verbs().match(text, p) or text.startswith(L.leads, p):
            continue  # 幼儿园…, 群众加强…: the population word goes on, or a clause follows it
        m = rx.match(text, p, hi)
        if not m or m.end() - p < 2 or inside_match(p):
            continue
        e = m.end()
        if any(ends_with_head(text[p:j]) for j in range(p + 2, e)):
            continue  # the phrase goes on with a population (…人员随迁子女入学…)
        cands.append([(p, e, None)])
    for points in cands:
        for p, e, key in points:
            after = e + 2 if text.startswith("服务", e) else e
            if _facility().match(text, after) or domain_follows(text, e) or \
                    (key is None and text.endswith(_NO_COMPOUND_HEADS, p, e)):
                break
            q = p - 1 if p > lo and text[p - 1] == "的" else p
            a = q
            while a > lo and text[a - 1] not in CLAUSE_END and q - a < 50:
                a -= 1
            window = text[a:q]
            if not window:
                continue
            verb_cut = None
            for m in _verbs().finditer(window):
                verb_cut = a + m.end()
            svc_cut = last_end_within(a, q)
            q = summary_start(text, a, q)  # …贫困残疾人家庭等4类重点对象
            spans = None
            cuts = [c for c in (verb_cut, max(verb_cut or 0, svc_cut or 0) or None) if c is not None]
            if not cuts and q - a <= 30 and not text.startswith("率", e):
                # no verb: the clause itself is [groups][service] (…和零就业家庭动态帮扶), not a rate (…管理率)
                whole = split_populations(text, a, q)
                if len(whole) > 1 and whole[0][0] == a and whole[-1][1] == q:
                    cuts = [a]
            for cut in dict.fromkeys(cuts):
                # a service inside the population (农村分散供养特困人员) is a modifier when the group stays strict
                spans = _groups_before(text, cut, q)
                if spans and len(spans) > 1 and cut == svc_cut and text.startswith("、", cut):
                    spans = spans[-1:]  # 医疗救助、重点优抚对象、…老人集中供养: in a list of items, the group next to the service
                if spans:
                    break
            if not spans:
                continue
            nodes = [canonical_population(text[x:y]) for x, y in spans]
            if any(n is None or n.key in L.no_compound or n.broader in L.no_compound for n in nodes):
                continue
            yield (spans[0][0], e, spans, (p, e), key)
            break
