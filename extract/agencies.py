"""Government bodies named in a plan: mention finding and resolution to canonical agencies.

A mention is ``[中共] [region name | level word] [人民政府] core [sub-office]`` where the core is a
function name from the grammar of :mod:`extract.agency_names` (教育局, 人力资源社会保障厅,
文体广新局, 国家统计局) or a whole form (国务院, 残联, 民生办): 白银市教育局, 市人社局,
自治区民政厅, 市人民政府金融工作局, 县政府督查室, 中共武汉市委宣传部, 县委办. A core may stand
without a prefix (民政局, 教育厅): it then belongs to the plan's own region (a 厅 to its province).
Inside a list of responsible units (牵头单位: …, a 责任单位 column; ``role_spans``) the list
declares its items to be bodies, so cores with a weak suffix (县代建中心, 县护城河指挥部) and the
sub-units of the plan's region (五星街道, 经开区, 高新园(邹区镇)) are bodies there too.

Resolution needs the plan's jurisdiction: 市 in a Baiyin plan is 白银市, 省 is its province
甘肃省; a level word that names no region above the plan (市 in a provincial plan: "各市、县人民
政府") is a class of bodies, not one body, and is dropped, as are names after 各/有关/县级…
Two mentions are the same agency when their region and full form agree, so 市发改委 =
市发展改革委 within one city and stay apart across cities.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .agency_names import GENERIC_SUB_UNITS, LIST_SEPARATORS, SUB_UNIT, AgencyForm, AgencyVocabulary, Core
from .gazetteer import Gazetteer, Region
from .spans import SpanSet
from .tables import read_table  # noqa: F401  (re-exported: other modules read their tables with it)

NATIONAL_CODE = "100000"
SUB_UNIT_FULL = {"街道": "街道办事处", "镇": "镇人民政府", "乡": "乡人民政府"}


@dataclass
class Mention:
    """A written agency name in the clean text (offsets into it)."""

    start: int
    end: int
    form: AgencyForm
    prefix_kind: str | None  # "region" | "level" | None
    prefix: str = ""  # region name or the level word
    suboffice: str | None = None  # full form of a government sub-office
    written: str = ""  # the name as written (before Traditional->Simplified)
    text: str = ""  # the name in Simplified characters (blanks inside it removed)
    party: bool = False  # a Communist Party committee or organ (中共X市委, 市委宣传部)
    sub_unit: str = ""  # "街道" / "镇" / "开发区"...: a sub-unit of the plan's region


@dataclass
class Agency:
    """A canonical government body."""

    key: str  # stable identity: region code + canonical name
    label: str  # canonical Simplified name, region spelled out
    region: Region | None  # None: a body of a region the document never names (自治区民政厅)
    level: str  # government level key
    function: str
    party: bool = False
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def slug(self) -> str:
        h = hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:8] if self.region is None else \
            hashlib.sha1(self.label.encode("utf-8")).hexdigest()[:8]
        where = self.region.code if self.region is not None else "unnamed"
        return f"{where}-{self.function.replace('_', '-')}-{h}"


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


# ------------------------------------------------------------------ finding mentions
def find_mentions(text: str, written: str, region_spans: list[tuple[int, int, str]],
                  vocab: AgencyVocabulary, role_spans: list[tuple[int, int]] = ()) -> list[Mention]:
    """Agency mentions in the clean ``text`` (``written``: the same text before
    Traditional->Simplified), given the region names found in it and the spans that list
    responsible units. Returns mentions sorted by position, offsets into ``text``."""

    regions_end: dict[int, tuple[int, str]] = {}
    for s, e, name in region_spans:
        if e not in regions_end or s < regions_end[e][0]:
            regions_end[e] = (s, name)
    roles = SpanSet(role_spans)
    grammar = vocab.grammar
    cores = grammar.cores(text)
    covered = SpanSet((c.start, c.end) for c in cores)
    for rs, re_ in zip(roles.starts, roles.ends):  # weak cores only where the text lists responsible units
        for c in grammar.cores(text, rs, re_, weak=True):
            if c.form.weak and covered.add(c.start, c.end):
                cores.append(c)
        for a, b in _items(text, rs, re_):  # an item none of whose names the vocabulary knows
            if not covered.overlaps(a, b):
                c = grammar.open_core(text, a, b)
                if c is not None:
                    cores.append(c)
    cores.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Mention] = []
    taken_to = -1
    i = 0
    while i < len(cores):
        c = cores[i]
        i += 1
        if c.start < taken_to:
            continue
        # a government followed at once by one of its departments: 市人民政府金融工作局
        if c.form.gov and i < len(cores) and cores[i].start == c.end and not cores[i].form.gov:
            inner = cores[i]
            i += 1
            m = _compose(text, c.start, Core(c.start, inner.end, inner.form), regions_end, vocab)
        else:
            m = _compose(text, c.start, c, regions_end, vocab)
        if m is None:
            continue
        taken_to = m.end
        out.append(m)
    taken = SpanSet((m.start, m.end) for m in out)
    out.extend(_party_bodies(text, regions_end, vocab, taken))
    out.extend(_region_governments(text, roles, regions_end, vocab, taken))
    out.extend(_sub_units(text, roles, taken))
    out.sort(key=lambda m: (m.start, m.end))
    for m in out:
        m.text = text[m.start:m.end]
        m.written = written[m.start:m.end]
    return out


def _items(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The items of a list of bodies, between its separators."""
    out, a = [], s
    for k in range(s, e + 1):
        if k == e or text[k] in LIST_SEPARATORS:
            if k > a:
                out.append((a, k))
            a = k + 1
    return out


def _prefix(text: str, at: int, regions_end, vocab: AgencyVocabulary) -> tuple[str | None, str, int]:
    """The region name or level word ending at ``at``: (kind, prefix, start); kind "class" for
    a level word that is part of a word or of a class of bodies."""
    if at in regions_end:
        rs, name = regions_end[at]
        while rs in regions_end:  # 吉林省长春市人民政府: the outer names are part of the name
            rs = regions_end[rs][0]
        return "region", name, rs
    for word in sorted(vocab.prefixes, key=len, reverse=True):
        s = at - len(word)
        if s < 0 or not text.startswith(word, s):
            continue
        before = text[s - 1] if s >= 1 else ""
        if before and (before in vocab.prefixes or before in vocab.not_prefix_after):
            return "class", word, s  # 县区政府, 各市, 城市: a class of bodies or a word
        if len(word) == 1 and _cjk(before) and _is_county(before + word):
            # 萧县民政局: a two-character county name, which free-text region search leaves out
            if s >= 2 and (text[s - 2] in vocab.prefixes or text[s - 2] in vocab.not_prefix_after):
                return "class", word, s  # 市区和县教育局: 和 joins two level words
            return "region", before + word, s - 1
        return "level", word, s
    return None, "", at


def _is_county(name: str) -> bool:
    return any(r.level == "county" and r.name == name for r in Gazetteer.load().by_name(name))


def _compose(text: str, start: int, core: Core, regions_end, vocab: AgencyVocabulary) -> Mention | None:
    form = core.form
    head = start
    # 市人民政府办公室 is a core of its own (人民政府 + sub-office); 市人民政府教育局 reads as 市教育局
    kind, prefix, s = _prefix(text, head, regions_end, vocab)
    if kind == "class":
        return None
    if kind is None and not form.national:
        before = text[head - 1] if head >= 1 else ""
        if form.gov or before in vocab.not_bare_after or (form.weak and _cjk(before)) \
                or _inside_coined_term(text, head):
            return None  # 政府 alone is government in general; 各级教育局 a class of bodies
    if kind is not None and form.national and form.form.startswith(tuple(vocab.national_prefixes)):
        return None  # 省国家税务局 is a provincial body, not the national one
    m = Mention(s, core.end, form, kind, prefix)
    if form.gov:
        for sub in sorted(vocab.suboffices, key=len, reverse=True):
            if text.startswith(sub, core.end):
                nxt = text[core.end + len(sub): core.end + len(sub) + 1]
                if sub == "办" and nxt and nxt in "理学事法公好实成结案件":
                    continue
                m.suboffice = vocab.suboffices[sub]
                m.end = core.end + len(sub)
                break
    return m


def _inside_coined_term(text: str, at: int) -> bool:
    """Whether ``at`` lies inside a quoted coinage after other characters (打造“网上就业局”)."""
    q = text.rfind("“", max(0, at - 12), at)
    return q >= 0 and q < at - 1 and "”" not in text[q:at] and "”" in text[at:at + 12]


def _party_bodies(text: str, regions_end, vocab: AgencyVocabulary, taken: SpanSet) -> list[Mention]:
    """Organs of Party committees: 市委宣传部, 中共X县委政法委, 县委办."""
    out = []
    grammar = vocab.grammar
    for k in [k for k in range(1, len(text)) if text[k] == "委"]:
        kind, prefix, s = _prefix(text, k, regions_end, vocab)
        if kind not in ("region", "level"):
            continue
        got = grammar.party_after(text, k)
        if got is None:
            continue
        end, full, function = got
        if text.startswith("中共", s - 2):
            s -= 2
        if not taken.add(s, end):
            continue
        form = AgencyForm(text[s:end], full, function, party=True)
        out.append(Mention(s, end, form, kind, prefix, party=True))
    return out


def _region_governments(text: str, roles: SpanSet, regions_end, vocab: AgencyVocabulary,
                        taken: SpanSet) -> list[Mention]:
    """A region named alone in a list of responsible units is its people's government (配合单位:
    东宝区、掇刀区)."""
    out = []
    gov = vocab.forms["人民政府"]
    for e, (s, name) in sorted(regions_end.items()):
        if not _in_one(roles, s, e) or (e < len(text) and text[e] not in LIST_SEPARATORS):
            continue  # outside the lists, or the start of a longer name (东宝区高新区, 东宝区教育局)
        if taken.add(s, e):
            out.append(Mention(s, e, gov, "region", name))
    return out


def _in_one(spans: SpanSet, s: int, e: int) -> bool:
    i = spans.index_at(s)
    return i is not None and e <= spans.ends[i]


def _sub_units(text: str, roles: SpanSet, taken: SpanSet) -> list[Mention]:
    """Streets, towns and development zones of the plan's region: named alone in a list of
    responsible units (五星街道, 高新园(邹区镇)), or anywhere with the body's own word after them
    (侗乡大健康产业示范区管委会, 邹区镇人民政府) as an item of its own (an addressee, a list)."""
    out = []
    anywhere = [m for m in SUB_UNIT.finditer(text) if m.group("sfx") and
                (m.end() == len(text) or text[m.end()] in LIST_SEPARATORS + ":：")]
    in_lists = [(rs, re_, SUB_UNIT.finditer(text, rs, re_)) for rs, re_ in zip(roles.starts, roles.ends)]
    for rs, re_, matches in in_lists + [(0, len(text), anywhere)]:
        for m in matches:
            s, e = m.start("name"), m.end()
            if m.group("name") in GENERIC_SUB_UNITS or taken.overlaps(s, e):
                continue
            after_name = (i := taken.index_at(s - 1)) is not None and taken.ends[i] == s
            if s > rs and _cjk(text[s - 1]) and not after_name:
                continue  # inside a longer word: only at the list's start, after a separator or a name
            kind = m.group("kind") or m.group("zone")
            name = re.sub(r"[(（].*", "", text[s:m.end("name")])  # 高新园(邹区镇): the zone of that town
            full = name[: name.rindex(kind)] + SUB_UNIT_FULL[kind] if kind in SUB_UNIT_FULL else name + "管理委员会"
            form = AgencyForm(text[s:e], full, "government_general")
            taken.add(s, e)
            out.append(Mention(s, e, form, None, sub_unit=kind))
    return out


# ------------------------------------------------------------------ resolution
def resolve_region(m: Mention, jurisdiction: Region | None, gaz: Gazetteer,
                   vocab: AgencyVocabulary) -> Region | None:
    """The region an agency mention belongs to, or None for a class of bodies."""
    context = [jurisdiction.code] + [a.code for a in gaz.ancestors(jurisdiction.code)] if jurisdiction else []
    if m.prefix_kind == "region":
        return gaz.resolve(m.prefix, context=context)
    if m.form.national and m.prefix_kind is None:
        return gaz.get(NATIONAL_CODE)
    if jurisdiction is None:
        return None
    chain = [jurisdiction, *gaz.ancestors(jurisdiction.code)]
    if m.prefix_kind is None:  # a bare name: the plan's own body (a 厅 is its province's)
        if m.form.form.endswith("厅") and not m.form.gov:
            return next((r for r in chain if r.level == "provincial"), None)
        return jurisdiction
    rule = vocab.prefixes[m.prefix]
    for r in chain:
        if r.level in rule.levels and any(r.name.endswith(sfx) for sfx in rule.suffixes):
            return r
    return None


def canonical_name(m: Mention, region: Region) -> str:
    base = m.form.full + (m.suboffice or "")
    if m.party:
        return "中共" + region.name + base
    if region.code == NATIONAL_CODE:
        return base
    return region.name + base


def resolve_agencies(mentions: list[Mention], jurisdiction: Region | None, gaz: Gazetteer,
                     vocab: AgencyVocabulary, scope: str = "") -> tuple[list[Agency], dict[int, Agency]]:
    """Canonical agencies of the mentions; returns (agencies sorted by key, mention index -> agency).
    ``scope`` identifies the document: a body of a region it never names (its jurisdiction is
    unknown) is that document's own, keyed by ``scope``."""
    by_key: dict[str, Agency] = {}
    of_mention: dict[int, Agency] = {}
    for i, m in enumerate(mentions):
        region = resolve_region(m, jurisdiction, gaz, vocab)
        if region is not None:
            label = canonical_name(m, region)
            key = f"{region.code}/{label}"
            level = "township" if m.sub_unit in SUB_UNIT_FULL else gaz.level_concept_key(region)
        elif jurisdiction is None and m.prefix_kind == "level" and vocab.prefixes[m.prefix].own_level:
            label = ("中共" if m.party else "") + m.prefix + m.form.full + (m.suboffice or "")
            key = f"?{scope}/{label}"
            level = vocab.prefixes[m.prefix].own_level
        else:
            continue
        ag = by_key.get(key)
        if ag is None:
            function = "government_general" if m.suboffice else m.form.function
            ag = by_key[key] = Agency(key, label, region, level, function, m.party)
        ag.alt_labels.update({m.text, m.written} - {label})
        ag.mentions.append(m)
        of_mention[i] = ag
    return [by_key[k] for k in sorted(by_key)], of_mention
