"""Target populations as written: which phrases name a group of people, how a span of them
splits into separate groups, and which canonical population each group is.

A population span is split into groups at 、/和/及/以及/与/或 only where the part on the
left is itself a noun phrase ending in a population head ("适龄儿童、少年" → two groups;
"经济困难高龄、失能老年人" and "失业和退休人员" stay one). Written forms keep their
modifiers; :func:`canonical_population` maps them to the longest vocabulary term they end
with, or to a deterministic minted key when they end in a head noun but are not in the
vocabulary. Everything is deterministic.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .guarantee_vocab import PopulationVocabulary, word_lists


@dataclass(frozen=True)
class PopulationMention:
    written: str
    span: tuple[int, int]
    key: str
    label: str


def ends_with_head(np: str) -> bool:
    """Whether the noun phrase ``np`` names a group of people (ends in a population head)."""
    L = word_lists()
    if np in L.not_pop or any(np.endswith(x) for x in L.not_pop if len(x) > 2):
        return False
    return any(np.endswith(h) and len(np) >= max(2, len(h)) for h in L.pop_heads)


def minted_key(written: str) -> str:
    return "p-" + hashlib.sha1(written.encode("utf-8")).hexdigest()[:10]


def canonical_population(written: str) -> tuple[str, str] | None:
    """(key, label) of the population ``written`` names, or None if it is not one.

    The vocabulary term it ends with (longest) wins; a noun phrase ending in a population head
    noun that the vocabulary lacks gets a minted key ``p-<sha1[:10]>`` and itself as label."""
    w = written.strip()
    if not w:
        return None
    voc = PopulationVocabulary.load()
    k = voc.suffix_term(w)
    if k:
        return k, voc.by_key[k].label
    if ends_with_head(w):
        return minted_key(w), w
    return None


def mentions(text: str, spans) -> list[PopulationMention]:
    """The population mentions of the group spans ``spans`` of ``text``."""
    out = []
    for s, e in spans:
        w = text[s:e]
        c = canonical_population(w)
        if c:
            out.append(PopulationMention(w, (s, e), c[0], c[1]))
    return out


def strict_group(np: str) -> bool:
    """A population inside a compound: modifiers (农村, 困难 …) + a vocabulary form."""
    voc = PopulationVocabulary.load()
    k = voc.suffix_term(np)
    if not k:
        return False
    forms = sorted((f for f in voc.by_key[k].forms if np.endswith(f)), key=len, reverse=True)
    rest = np[: len(np) - len(forms[0])]
    mods = word_lists().mods
    while rest:
        for m in mods:
            if rest.endswith(m):
                rest = rest[: -len(m)]
                break
        else:
            return False
    return True


_SEP = re.compile(r"以及|、|和|及(?!其(?!他))|或")
_BAD_IN_POP = re.compile(r"提供|实施|开展|建立|推进|加强|完善|落实|健全|服务体系|\d+%|[“”]{2}|。|:")


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim leading verbs/lead words and trailing adverbs/等 from a population span."""
    L = word_lists()
    changed = True
    while changed and s < e:
        changed = False
        while s < e and text[s] in " ,，的、和及":
            s += 1
        for w in L.leads:
            if text.startswith(w, s) and e - s > len(w) + 1:
                s += len(w)
                changed = True
                break
        for w in L.advs:
            if text.endswith(w, s, e) and e - s > len(w) + 1:
                e -= len(w)
                changed = True
                break
        while s < e and text[e - 1] in " ,，、":
            e -= 1
    return s, e


def _cut_container(text: str, s: int, e: int) -> int:
    """Start after a container phrase (…幼儿园中具有…): the group is what follows it."""
    m = None
    for m in re.finditer(r"(?<=[园校区村户])中(?!的)", text[s:e]):
        pass
    return s + m.end() if m else s


def split_populations(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Population groups inside ``text[s:e]``: split at 、/和/及… where the left part ends in a
    population head; parts that do not end in one join the next part. Returns clean spans of
    the valid groups (ending in a population head), or [] when none is."""
    s, e = _strip(text, s, e)
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
    out, start = [], None
    for ps, pe, _ in pieces:
        if start is None:
            start = ps
        ss, ee = _strip(text, start, pe)
        np = text[ss:ee]
        bare = np[:-1] if np.endswith("等") else np
        if bare and ends_with_head(bare):
            out.append((ss, ee - (len(np) - len(bare))))
            start = None
    good = []
    for ss, ee in out:
        np = text[ss:ee]
        if not (2 <= len(np) <= 45) or _BAD_IN_POP.search(np):
            continue
        good.append((ss, ee))
    return good
