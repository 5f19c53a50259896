"""Service guarantees with their target populations (为X提供Y, 对X给予Y, 保障X享有Y …).

Works on the clean (Simplified) text of :mod:`extract.normalize` and returns clean offsets.
Every :class:`Statement` names one basic public service as written, the clause that states
the guarantee (the evidence span), the beneficiary groups as written with their canonical
:class:`PopulationMention` nodes, and the standard of the guarantee when the sentence
states one (免费, 15年免费, 至少有一人就业 …).

Data (all in ``extract/data``):

* ``services.tsv`` -- canonical public services (key, label, en label, domain, written forms);
* ``populations.tsv`` -- canonical target populations with a ``skos:broader`` hierarchy;
* ``beneficiary_patterns.tsv`` -- the statement patterns, tried in order on each sentence;
* ``beneficiary_heads.tsv`` -- population / service head nouns, leading verbs, adverbs,
  modifiers and phrases that end in a head noun but are not beneficiaries (工作人员);
* ``beneficiary_standards.tsv`` -- standard phrases.

A population span is split into groups at 、/和/及/以及/与/或 only where the part on the
left is itself a noun phrase ending in a population head ("适龄儿童、少年" → two groups;
"经济困难高龄、失能老年人" and "失业和退休人员" stay one). Written forms keep their
modifiers; :func:`canonical_population` maps them to the longest vocabulary term they end
with, or to a deterministic minted key when they end in a head noun but are not in the
vocabulary. Everything is deterministic.

Public API: :class:`Statement`, :class:`PopulationMention`, :func:`find_statements`,
:class:`ServiceVocabulary`, :class:`PopulationVocabulary`, :func:`canonical_population`,
:func:`split_populations`, :func:`services_in`, :func:`find_standard`.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .agencies import read_table



# ------------------------------------------------------------------------------ data tables
def _rows(name: str, ncols: int) -> list[list[str]]:
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
    forms = sorted(set(forms), key=lambda f: (-len(f), f))
    return re.compile("|".join(re.escape(f) for f in forms))


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
        entries = [ServiceEntry(k, lbl, en, dom, tuple(_alts(alts)))
                   for k, lbl, en, dom, alts in _rows("services.tsv", 5)]
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

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "PopulationVocabulary":
        entries = [PopulationEntry(k, lbl, en, b or None, tuple(_alts(alts)))
                   for k, lbl, en, b, alts in _rows("populations.tsv", 5)]
        return cls(entries)

    def suffix_term(self, written: str) -> str | None:
        """Key of the longest vocabulary form that ``written`` ends with."""
        for n in range(min(len(written), self.max_len), 0, -1):
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
class _Lists:
    pop_heads: tuple[str, ...]
    not_pop: frozenset[str]
    leads: tuple[str, ...]
    advs: tuple[str, ...]
    mods: tuple[str, ...]
    svc_heads: tuple[str, ...]
    no_compound: frozenset[str]


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    rows = _rows("beneficiary_heads.tsv", 2)

    def of(kind):  # longest first
        return tuple(sorted({f for k, f in rows if k == kind and f}, key=lambda f: (-len(f), f)))

    return _Lists(of("pop_head"), frozenset(of("not_pop")), of("lead"), of("adv"), of("mod"), of("svc_head"), frozenset(of("no_compound")))


@lru_cache(maxsize=1)
def _standards() -> list[re.Pattern]:
    return [re.compile(r[0]) for r in _rows("beneficiary_standards.tsv", 1)]


# ------------------------------------------------------------------------------ populations
@dataclass(frozen=True)
class PopulationMention:
    written: str
    span: tuple[int, int]
    key: str
    label: str


def _ends_with_head(np: str) -> bool:
    L = _lists()
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
    if _ends_with_head(w):
        return minted_key(w), w
    return None


_SEP = re.compile(r"以及|、|和|及(?!其(?!他))|或")
_BAD_IN_POP = re.compile(r"提供|实施|开展|建立|推进|加强|完善|落实|健全|服务体系|\d+%|[“”]{2}|。|:")


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim leading verbs/lead words and trailing adverbs/等 from a population span."""
    L = _lists()
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
        if bare and _ends_with_head(bare):
            out.append((ss, ee - (len(np) - len(bare))))
            start = None
    good = []
    for ss, ee in out:
        np = text[ss:ee]
        if not (2 <= len(np) <= 45) or _BAD_IN_POP.search(np):
            continue
        good.append((ss, ee))
    return good


# ------------------------------------------------------------------------------ services
def services_in(text: str) -> list[tuple[int, int, str]]:
    """Canonical services named in ``text``: (start, end, key), leftmost-longest."""
    return ServiceVocabulary.load().match(text)


_SVC_TRIM_END = re.compile(r"(?:的能力|能力|工作|机制|力度|水平|覆盖范围|覆盖面|范围|比例|需求|权益|问题|"
                           r"行动|建设|等重大公共卫生专项|标准调整机制|的基础上)+$")
_SVC_TRIM_START = re.compile(r"^(?:相应的|相应|各类|各项|必要的|有针对性的|适宜的|与[^的]{1,14}的|包括[^的]{1,20}在内的|"
                             r"参加|接受|享受|享有|获得|平等接受)")


def _service_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,，、的":
        s += 1
    m = _SVC_TRIM_START.match(text, s, e)
    if m and m.end() < e - 1:
        s = m.end()
    seg = text[s:e]
    m = _SVC_TRIM_END.search(seg)
    if m and m.start() >= 2:
        e = s + m.start()
    while e > s and text[e - 1] in " ,，、的":
        e -= 1
    return s, e


def find_standard(sentence: str) -> tuple[int, int] | None:
    """Offsets of the first standard phrase in ``sentence`` (standards table order breaks ties)."""
    best = None
    for rx in _standards():
        m = rx.search(sentence)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
            best = (m.start(), m.end())
    return best


# ------------------------------------------------------------------------------ patterns
_C = r"[^,，。；;:：!！?？\n]"
_CC = r"[^。；;:：!！?？\n]"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    adv = "|".join(re.escape(a) for a in _lists().advs)
    subs = {
        "{POPC}": rf"(?P<pop>{_CC}{{2,120}}?)",
        "{POP}": rf"(?P<pop>{_C}{{2,40}}?)",
        "{SVC0}": rf"{_C}{{2,40}}?",
        "{SVC}": rf"{_C}{{1,60}}",
        "{ADV}": rf"(?:{adv})*",
        "{HEAD}": "(?:" + "|".join(re.escape(h) for h in _lists().pop_heads) + ")",
        "{C}": _C,
    }
    out = []
    for name, rx in _rows("beneficiary_patterns.tsv", 2):
        for k, v in subs.items():
            rx = rx.replace(k, v)
        out.append((name, re.compile(rx)))
    return out


_MARKER = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*[^,，]{0,20}$")
_NOTE = re.compile(r"^\s*(?:\d+[.、]?\s*指|注[:：])")
_LISTING = re.compile(r"包括[:：]|主要有[:：]|如下[:：]|《")
_SENT = re.compile(r"[^。；;!！?？\n]+")
_CLAUSE_END = ",，。；;!！?？\n"
_COMPOUND_LEFT = re.compile(
    r"(?:全面落实|落实|实施|开展|加强|推进|完善|建立|健全|提高|做好|探索|扩大|推动|实现|提供|保障|建设|支持|"
    r"统筹|加快|深化|规范|强化|提升|积极|组织|试点|确保|改善|增加|降低|发放|解决|满足|关注|重视|"
    r"关心|优化|全面|进一步|逐步|切实|着力|大力|继续|重点)"
)


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


def _clause_bounds(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = s
    while a > lo and text[a - 1] not in _CLAUSE_END:
        a -= 1
    b = e
    while b < hi and text[b] not in _CLAUSE_END:
        b += 1
    return a, b


def _mentions(text: str, spans) -> list[PopulationMention]:
    out = []
    for s, e in spans:
        w = text[s:e]
        c = canonical_population(w)
        if c:
            out.append(PopulationMention(w, (s, e), c[0], c[1]))
    return out


def _strict_group(np: str) -> bool:
    """A population inside a compound: modifiers (农村, 困难 …) + a vocabulary form."""
    voc = PopulationVocabulary.load()
    k = voc.suffix_term(np)
    if not k:
        return False
    forms = sorted((f for f in voc.by_key[k].forms if np.endswith(f)), key=len, reverse=True)
    rest = np[: len(np) - len(forms[0])]
    mods = _lists().mods
    while rest:
        for m in mods:
            if rest.endswith(m):
                rest = rest[: -len(m)]
                break
        else:
            return False
    return True


_SVC_NP = None


def _svc_np() -> re.Pattern:
    global _SVC_NP
    if _SVC_NP is None:
        heads = "|".join(re.escape(h) for h in _lists().svc_heads)
        _SVC_NP = re.compile(rf"[^,，。；;:：、和及与的\n“”()（）]{{0,8}}?(?:{heads})")
    return _SVC_NP


_NO_COMPOUND_DOMAINS = {"social_insurance"}
_NO_COMPOUND_KEYS = {"basic-public-services"}


def _compound_candidates(text: str, lo: int, hi: int):
    """[population][service] compounds inside a sentence: 落实困难残疾人生活补贴 …"""
    L = _lists()
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
            if _ends_with_head(left) and (right in voc.form_key or any(right.endswith(h) for h in L.svc_heads)):
                points.append((s + j, e, key))
        cands.append(sorted(points, reverse=True))
    # services named by a head noun right after a population (乡村教师重大疾病救助)
    pv = PopulationVocabulary.load()
    for m in _svc_np().finditer(seg):
        p, e = lo + m.start(), lo + m.end()
        if any(a <= p < b for a, b, _ in matches) or e - p < 2:
            continue
        if any(_ends_with_head(text[p:j]) for j in range(p + 2, e)):
            continue  # the phrase goes on with a population (…人员随迁子女入学…)
        if pv.suffix_term(text[max(lo, p - pv.max_len):p]):
            cands.append([(p, e, None)])
    for points in cands:
        for p, e, key in points:
            q = p - 1 if p > lo and text[p - 1] == "的" else p
            a = q
            while a > lo and text[a - 1] not in _CLAUSE_END and q - a < 50:
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
            if len(spans) == 1 and not _strict_group(text[spans[0][0]:spans[0][1]]):
                continue
            if any((canonical_population(text[x:y]) or ("", ""))[0] in L.no_compound for x, y in spans):
                continue
            yield (spans[0][0], e, spans, (p, e), key)
            break


def find_statements(text: str, blocks: list | None = None, is_damaged=None) -> list[Statement]:
    """Service guarantees with explicit target populations in the clean ``text``.

    ``blocks`` (from :func:`extract.structure.parse_structure`) give the domain when the
    service vocabulary does not; ``is_damaged(start, end)`` (e.g. ``Normalized.is_damaged``)
    drops statements touching unrepaired mojibake."""
    svc_voc = ServiceVocabulary.load()
    starts = [b.start for b in blocks] if blocks else []
    out: list[Statement] = []
    for sm in _SENT.finditer(text):
        lo, hi = sm.start(), sm.end()
        sent = text[lo:hi]
        if len(sent.strip()) < 4:
            continue
        taken: list[tuple[int, int]] = []
        taken_svc: list[tuple[int, int]] = []
        cands = []
        for name, rx in _patterns():
            for m in rx.finditer(sent):
                if "pop" not in m.groupdict() or m.group("pop") is None:
                    continue
                ps, pe = lo + m.start("pop"), lo + m.end("pop")
                spans = split_populations(text, ps, pe)
                if not spans:
                    continue
                if m.groupdict().get("svc") is not None:
                    ss, se = lo + m.start("svc"), lo + m.end("svc")
                else:
                    near = [x for x in svc_voc.match(sent[:m.start()])]
                    if near:
                        ss, se = lo + near[-1][0], lo + near[-1][1]
                    else:
                        ss, se = lo + m.end("pop"), lo + m.end()
                cands.append((lo + m.start(), lo + m.end(), spans, (ss, se), None, name))
        if not _LISTING.search(sent):
            for a, e, spans, sv, key, in _compound_candidates(text, lo, hi):
                cands.append((a, e, spans, sv, key, "compound"))
        for a, e, spans, (ss, se), key, name in cands:
            if _MARKER.match(sent) or _NOTE.match(sent):
                break
            if any(s < te and ts < e2 for s, e2 in spans for ts, te in taken + taken_svc):
                continue
            ss, se = _service_span(text, ss, se)
            if se - ss < 2:
                continue
            service = text[ss:se]
            if key is None:
                key = svc_voc.canonical(service)
            if name in ("dui_de", "jiejue", "baozhang_need") and key is None \
                    and not any(service.endswith(h) for h in _lists().svc_heads):
                continue
            pops = _mentions(text, spans)
            if not pops:
                continue
            cs, ce = _clause_bounds(text, min(a, ss, spans[0][0]), max(e, se, spans[-1][1]), lo, hi)
            if is_damaged is not None and is_damaged(cs, ce):
                continue
            taken.extend(spans)
            taken_svc.append((ss, se))
            std = find_standard(text[cs:ce])
            std_span = (cs + std[0], cs + std[1]) if std else None
            domain = svc_voc.by_key[key].domain if key else None
            if domain is None and starts:
                k = bisect.bisect_right(starts, cs) - 1
                if k >= 0:
                    domain = blocks[k].domain
            out.append(Statement((cs, ce), service, (ss, se), key, domain, tuple(pops),
                                 text[std_span[0]:std_span[1]] if std_span else None, std_span, name))
    out.sort(key=lambda st: (st.span, st.service_span))
    return out
