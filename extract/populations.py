"""Target populations as written: which phrases name a group of people, how a span of them
splits into separate groups, and which canonical population each group is.

A population span is split into groups at 、/和/及/以及/与/或 only where the part on the
left is itself a noun phrase ending in a population head ("适龄儿童、少年" → two groups;
"经济困难高龄、失能老年人" and "失业和退休人员" stay one). Written forms keep their
modifiers; :func:`canonical_population` maps a vocabulary form to its node and any other
group (a qualified one: 经济困难的老年人) to a node of its own with a deterministic minted key
and ``skos:broader`` the vocabulary group it narrows. Everything is deterministic.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .guarantee_vocab import PopulationVocabulary, word_lists


class PopulationNode(NamedTuple):
    """The population node a written group names: a vocabulary key, or a minted ``p-`` key
    for a group the vocabulary lacks, with the vocabulary group it narrows (``broader``)."""
    key: str
    label: str
    broader: str | None


@dataclass(frozen=True)
class PopulationMention:
    written: str
    span: tuple[int, int]
    key: str
    label: str
    broader: str | None = None


@lru_cache(maxsize=65536)
def ends_with_head(np: str) -> bool:
    """Whether the noun phrase ``np`` names a group of people (ends in a population head)."""
    L = word_lists()
    if np in L.not_pop:
        return False
    n = len(np)
    if any(np[-k:] in L.not_pop for k in range(3, min(n, L.max_not_pop) + 1)):
        return False
    return n >= 2 and any(np[-k:] in L.pop_head_set for k in range(1, min(n, L.max_pop_head) + 1))


_QUOTES = re.compile(r"[“”\"]")


def minted_key(written: str) -> str:
    return "p-" + hashlib.sha1(written.encode("utf-8")).hexdigest()[:10]


def _bare_head(w: str) -> bool:
    """A head noun alone that names no group by itself (群体, 人员, 对象)."""
    L = word_lists()
    return w in L.not_pop or (w in L.pop_heads and w not in PopulationVocabulary.load().form_key)


def _core(w: str) -> str:
    """``w`` without the scope words before it that do not narrow the group (全体, 本市 …)."""
    scopes = word_lists().scopes
    changed = True
    while changed:
        changed = False
        for sc in scopes:
            if w.startswith(sc) and len(w) - len(sc) >= 2 and not _bare_head(w[len(sc):]):
                w = w[len(sc):]
                changed = True
                break
    return w


@lru_cache(maxsize=50_000)  # a plan repeats its groups; the answer depends on the phrase alone
def canonical_population(written: str) -> PopulationNode | None:
    """The population node ``written`` names, or None if it names none.

    A vocabulary form -- as written, without 的, or without scope words (全体职工 → 职工) --
    is its vocabulary node. Any other phrase that ends in a population head noun or a
    vocabulary form is a group of its own: key ``p-<sha1[:10]>`` of the phrase (scope words
    peeled), the phrase as label, and as ``broader`` the longest vocabulary group it ends with
    (经济困难的残疾儿童 → 残疾儿童). Heads that name everyone take no modifier (形成人人 is no group)."""
    w = written.strip()
    if not w:
        return None
    voc = PopulationVocabulary.load()
    for form in dict.fromkeys((w, w.replace("的", ""), _core(w), _core(w).replace("的", ""))):
        k = voc.form_key.get(form)
        if k:
            return PopulationNode(k, voc.by_key[k].label, voc.by_key[k].broader)
    core = _core(w)
    if core.endswith(word_lists().bare_tuple):
        return None
    plain = _QUOTES.sub("", core)  # 城镇“三无人员”: the quotes do not change the head
    broader = voc.suffix_term(plain.replace("的", ""))
    if broader or ends_with_head(plain):
        return PopulationNode(minted_key(core), core, broader)
    return None


def mentions(text: str, spans) -> list[PopulationMention]:
    """The population mentions of the group spans ``spans`` of ``text``."""
    out = []
    for s, e in spans:
        w = text[s:e]
        c = canonical_population(w)
        if c:
            out.append(PopulationMention(w, (s, e), c.key, c.label, c.broader))
    return out


_AGE = re.compile(r"\d+(?:周)?岁(?:及)?以上$")


def strict_group(np: str) -> bool:
    """A population inside a compound: modifiers (农村, 困难, 80岁以上 …) + a vocabulary form."""
    voc = PopulationVocabulary.load()
    k = voc.suffix_term(np)
    if not k or np.startswith(("和", "及", "、")):
        return False
    forms = sorted((f for f in voc.by_key[k].forms if np.endswith(f)), key=len, reverse=True)
    rest = np[: len(np) - len(forms[0])]
    mods = word_lists().mods
    while rest:
        for m in mods + ("和", "及", "、"):  # 机关事业单位和企业退休人员
            if rest.endswith(m):
                rest = rest[: -len(m)]
                break
        else:
            age = _AGE.search(rest)
            if not age:
                return False
            rest = rest[:age.start()]
    return True


def strict_suffix(np: str) -> int | None:
    """Offset in ``np`` of its longest suffix that is a :func:`strict_group`, or None."""
    for i in range(len(np) - 1):
        if strict_group(np[i:]):
            return i
    return None


_SEP = re.compile(r"以及|、|和|及(?!其(?!他))|或|[,，]")
_PAREN_END = re.compile(r"[(（][^()（）]*[)）]$")
_BAD_IN_POP = re.compile(r"提供|实施|开展|建立|推进|加强|完善|落实|健全|服务体系|\d+%|[“”]{2}|。|:|了")


# a benefit named before a separator inside a group (困难残疾人生活补贴和重度残疾人): the span runs
# across a list of [group][benefit] items, it is not a list of groups
_BENEFIT_INSIDE = re.compile(r"(?:补贴|补助|津贴|救助|资助|救济金|养老金|优待金|抚恤金)(?:和|及|、|以及)")
_LINE_START = "\n。；;!！?？:："
_MARKER = re.compile(r"\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、(?![一二三四五六七八九十\d]+级)|\d+[.、])\s*")


@lru_cache(maxsize=1)
def _count() -> re.Pattern:
    """A head count before a group (1620名, 全区23000名, 300户, 6.5万人左右): not part of the group."""
    scopes = "|".join(re.escape(w) for w in word_lists().scopes)
    return re.compile(rf"(?:{scopes})?\s*\d[\d.,]*\s*(?:万|千|余|多)*\s*(?:名|户|位|个|人次|人|例)\s*(?:左右|上下)?\s*")


_SUMMARY = re.compile(r"等(?:\d+|[一二三四五六七八九十]+)(?:类|种|个|项)(?:重点|困难|特殊)?(?:对象|人群|群体|人员|家庭)?$")


def summary_start(text: str, s: int, e: int) -> int:
    """End of ``text[s:e]`` before a trailing summary of the groups listed (…家庭等4类重点对象)."""
    m = _SUMMARY.search(text, s, e)
    return m.start() if m and m.start() - s >= 2 else e


def _by_edge(words: tuple[str, ...], edge: int) -> dict[str, tuple[str, ...]]:
    """``words`` grouped by their first (``edge`` 0) or last (-1) character, each group in the
    order of ``words``: the only ones that can start (end) at a given character."""
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[edge], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


@lru_cache(maxsize=1)
def _strip_words():
    """(lead words, actors by first character, lead words by first character, adverbs by last
    character) of the word lists, for _strip."""
    L = word_lists()
    lead_words = L.leads + L.verbs
    return lead_words, _by_edge(L.actors, 0), _by_edge(lead_words, 0), _by_edge(L.advs, -1)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim leading verbs/lead words and head counts and trailing adverbs/等 from a
    population span."""
    lead_words, actors, leads, advs = _strip_words()
    changed = True
    while changed and s < e:
        changed = False
        while s < e and text[s] in " ,，的、和及":
            s += 1
        m = _MARKER.match(text, s, e) if s == 0 or text[s - 1] in _LINE_START else None
        if m and m.end() > s and e - m.end() >= 2:  # a list marker opening the line (。三、…)
            s = m.end()
            changed = True
        m = _count().match(text, s, e)
        if m and e - m.end() >= 2:
            s = m.end()
            changed = True
        for w in actors.get(text[s:s + 1], ()):  # 各地资助…: the actor before the verb is no part of the group
            if text.startswith(w, s) and text.startswith(lead_words, s + len(w)):
                s += len(w)
                changed = True
                break
        for w in leads.get(text[s:s + 1], ()):
            if text.startswith(w, s) and e - s > len(w) + 1:
                s += len(w)
                changed = True
                break
        for w in advs.get(text[e - 1:e] if e > s else "", ()):
            if text.endswith(w, s, e) and e - s > len(w) + 1:
                e -= len(w)
                changed = True
                break
        while s < e and text[e - 1] in " ,，、":
            e -= 1
        if summary_start(text, s, e) < e:
            e = summary_start(text, s, e)
            changed = True
    return s, e


_JOINED = re.compile(r"\s*(?:且|并且|并|以及|及|和)")


def _after_clauses(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop the clauses before a group (满足…需要,运用…资源,面向全体公民 → 全体公民): a comma
    stays inside the span only after a group (…病人,以及…接触者) or before a joined qualifier
    (…评估,且经济困难的老年人)."""
    for m in re.finditer(r"[,，]", text[s:e]):
        c = s + m.start()
        before = text[s:c].rstrip()
        if ends_with_head(before) or _JOINED.match(text, c + 1, e):
            continue
        if before.endswith("的"):  # 对就业困难人员自主创业的,…给予: the group the condition is about
            g = _conditioned(text, s, s + len(before) - 1)
            if g:
                return g
        s, e = _strip(text, c + 1, e)
        return _after_clauses(text, s, e)
    return s, e


def _conditioned(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The group opening a condition ``text[s:e]`` (就业困难人员|自主创业, 各类用人单位|招用…): the
    longest phrase ending in a population head that a condition verb follows."""
    conds = word_lists().conditions
    for j in range(min(e, s + 30), s + 1, -1):
        if ends_with_head(text[s:j]) and text.startswith(conds, j):
            return s, j
    return None


_AGAIN = re.compile(r"(?:共|还|均|也|再|并|将|已|又)(?:为|对|向)")


def _after_preposition(text: str, s: int, e: int) -> tuple[int, int]:
    """Start after a preposition opening another statement inside the span (…卫生院共为365948名
    老年人 → 老年人): the group is what the last one introduces."""
    m = None
    for m in _AGAIN.finditer(text, s, e):
        pass
    return _strip(text, m.end(), e) if m and e - m.end() >= 2 else (s, e)


def _cut_container(text: str, s: int, e: int) -> int:
    """Start after a container phrase (…幼儿园中具有…): the group is what follows it."""
    m = None
    for m in re.finditer(r"(?<=[园校区村户])中(?!的)", text[s:e]):
        pass
    return s + m.end() if m else s


def _ends_with_form(np: str) -> bool:
    """Whether ``np`` ends in a vocabulary group of two characters or more (农村孕妇 → 孕妇)."""
    k = PopulationVocabulary.load().suffix_term(np)
    return k is not None and len(np) >= 2 and not np.endswith(tuple(word_lists().not_pop))


def split_populations(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Population groups inside ``text[s:e]``: split at 、/和/及… where the left part ends in a
    population head; parts that do not end in one join the next part. Returns clean spans of
    the valid groups (ending in a population head), or [] when none is."""
    s, e = _strip(text, s, e)
    if e - s > 2 and text[e - 1] == "的" and not ends_with_head(text[s:e - 1]):
        g = _conditioned(text, s, e - 1)  # 对残疾人自主创业的,给予…: the group of the condition
        if g:
            s, e = g
    s, e = _after_clauses(text, s, e)
    s, e = _after_preposition(text, s, e)
    s = _cut_container(text, s, e)
    if e - s < 2:
        return []
    # separators outside parentheses
    cuts, depth = [], 0
    i = s
    while i < e:
        c = text[i]
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _SEP.match(text, i, e)
            if m:
                cuts.append((m.start(), m.end()))
                i = m.end()
                continue
        i += 1
    pieces, a = [], s
    for cs, ce in cuts:
        pieces.append((a, cs, ce))
        a = ce
    pieces.append((a, e, e))
    voc = PopulationVocabulary.load()
    out, start = [], None
    for ps, pe, _ in pieces:
        if start is None:
            start = ps
        ss, ee = _strip(text, start, pe)
        np = text[ss:ee]
        bare = np[:-1] if np.endswith("等") else np
        bare = _PAREN_END.sub("", bare)  # 残疾军人(含精神病人)、烈士遗属: a note does not join the groups
        if bare and (ends_with_head(_QUOTES.sub("", bare)) or bare in voc.form_key or (start == ps and _ends_with_form(bare))):
            out.append((ss, ee - (len(np) - len(bare))))
            start = None
    good = []
    for ss, ee in out:
        np = text[ss:ee]
        if _BENEFIT_INSIDE.search(np):
            return []
        if not (2 <= len(np) <= 45) or _BAD_IN_POP.search(np):
            continue
        good.append((ss, ee))
    return good
