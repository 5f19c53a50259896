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

Names damaged by a PDF or OCR crawl ("自治区卫生健 康委") are found across the blank.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from .agency_names import AgencyForm, AgencyVocabulary, Core
from .gazetteer import Gazetteer, Region
from .tables import read_table  # noqa: F401  (re-exported: other modules read their tables with it)

NATIONAL_CODE = "100000"
CJK = "\u4e00-\u9fff"
# inside a list of responsible units: the plan region's streets, towns and development zones
SUB_UNIT = re.compile(
    rf"(?P<name>(?!各)(?:[{CJK}]{{2,6}}?(?P<kind>街道|镇|乡|园)|[{CJK}]{{0,6}}?(?P<zone>经济技术开发区|"
    rf"经济开发区|高新技术产业开发区|开发区|高新区|经开区|示范区|产业园区|工业园区|园区|新区))"
    rf"(?:[(（][{CJK}]{{2,6}}[)）])?)(?P<sfx>办事处|人民政府|政府|管理委员会|管委会)?")
GENERIC_SUB_UNITS = {"乡镇", "镇街", "街道", "镇", "乡", "园", "园区"}
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
    county_before: str = ""  # a two-character county name ending in the level word (萧县民政局)
    county_start: int = -1  # its clean offset
    county_written: str = ""  # its first character as written
    sub_unit: str = ""  # "街道" / "镇" / "开发区"...: a sub-unit of the plan's region


@dataclass
class Agency:
    """A canonical government body."""

    key: str  # stable identity: region code + canonical name
    label: str  # canonical Simplified name, region spelled out
    region: Region
    level: str  # government level key
    function: str
    party: bool = False
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def slug(self) -> str:
        h = hashlib.sha1(self.label.encode("utf-8")).hexdigest()[:8]
        return f"{self.region.code}-{self.function.replace('_', '-')}-{h}"


# ------------------------------------------------------------------ the text without crawl blanks
def squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without blanks between two CJK characters, and the offset in ``text`` of each
    kept character (plus one past the end)."""
    keep = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in " \t\u3000" and keep and _cjk(text[keep[-1]]):
            j = i
            while j < n and text[j] in " \t\u3000":
                j += 1
            if j < n and _cjk(text[j]):
                i = j
                continue
        keep.append(i)
        i += 1
    return "".join(text[k] for k in keep), keep + [n]


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


# ------------------------------------------------------------------ finding mentions
def find_mentions(text: str, written: str, region_spans: list[tuple[int, int, str]],
                  vocab: AgencyVocabulary, role_spans: list[tuple[int, int]] = ()) -> list[Mention]:
    """Agency mentions in the clean ``text`` (``written``: the same text before
    Traditional->Simplified), given the region names found in it and the spans that list
    responsible units. Returns mentions sorted by position, offsets into ``text``."""
    sq, pos = squeeze(text)
    back = {p: i for i, p in enumerate(pos)}  # clean offset -> squeezed offset
    regions_end: dict[int, tuple[int, str]] = {}
    for s, e, name in region_spans:
        if s in back and e in back:
            rs, re_ = back[s], back[e]
            if re_ not in regions_end or rs < regions_end[re_][0]:
                regions_end[re_] = (rs, name)
    roles = sorted((bisect.bisect_left(pos, s), bisect.bisect_left(pos, e)) for s, e in role_spans)
    grammar = vocab.grammar
    cores = grammar.cores(sq)
    for rs, re_ in roles:  # weak cores only where the text lists responsible units
        weak = [c for c in grammar.cores(sq, rs, re_, weak=True) if c.form.weak]
        cores.extend(weak)
        covered = [(c.start, c.end) for c in cores if rs <= c.start < re_]
        for a, b in _items(sq, rs, re_):  # an item none of whose names the vocabulary knows
            if not any(x < b and a < y for x, y in covered):
                c = grammar.open_core(sq, a, b)
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
            m = _compose(sq, c.start, Core(c.start, inner.end, inner.form), regions_end, vocab)
        else:
            m = _compose(sq, c.start, c, regions_end, vocab)
        if m is None:
            continue
        taken_to = m.end
        out.append(m)
    out.extend(_party_bodies(sq, regions_end, vocab, out))
    out.extend(_sub_units(sq, roles, out))
    out.sort(key=lambda m: (m.start, m.end))
    for m in out:  # back to clean offsets
        m.text = sq[m.start:m.end]
        if m.county_before:
            m.county_start = pos[m.start - 1]
            m.county_written = written[m.county_start]
        m.start, m.end = pos[m.start], pos[m.end - 1] + 1
        m.written = _written(written, m.start, m.end)
    return out


def _items(sq: str, s: int, e: int) -> list[tuple[int, int]]:
    """The items of a list of bodies, between its separators."""
    out, a = [], s
    for k in range(s, e + 1):
        if k == e or sq[k] in "、,，;；/\n 和及与":
            if k > a:
                out.append((a, k))
            a = k + 1
    return out


def _written(written: str, s: int, e: int) -> str:
    return "".join(ch for ch in written[s:e] if ch not in " \t\u3000")


def _prefix(sq: str, at: int, regions_end, vocab: AgencyVocabulary) -> tuple[str | None, str, int, str]:
    """The region name or level word ending at ``at``: (kind, prefix, start, county_before)."""
    if at in regions_end:
        rs, name = regions_end[at]
        return "region", name, rs, ""
    for word in sorted(vocab.prefixes, key=len, reverse=True):
        s = at - len(word)
        if s >= 0 and sq.startswith(word, s):
            before = sq[s - 1] if s >= 1 else ""
            county = sq[s - 1:s + 1] if s >= 1 and _cjk(before) and len(word) == 1 else ""
            if before and (before in vocab.prefixes or before in vocab.not_prefix_after):
                return "class", word, s, ""  # 县区政府, 各市, 城市: a class of bodies or a word
            return "level", word, s, county
    return None, "", at, ""


def _compose(sq: str, start: int, core: Core, regions_end, vocab: AgencyVocabulary) -> Mention | None:
    form = core.form
    head = start
    # 市人民政府办公室 is a core of its own (人民政府 + sub-office); 市人民政府教育局 reads as 市教育局
    kind, prefix, s, county = _prefix(sq, head, regions_end, vocab)
    if kind == "class":
        return None
    if kind is None and not form.national:
        before = sq[head - 1] if head >= 1 else ""
        if form.gov or before in vocab.not_bare_after or (form.weak and _cjk(before)) \
                or _inside_coined_term(sq, head):
            return None  # 政府 alone is government in general; 各级教育局 a class of bodies
    if kind is not None and form.national and form.form.startswith(tuple(vocab.national_prefixes)):
        return None  # 省国家税务局 is a provincial body, not the national one
    m = Mention(s, core.end, form, kind, prefix, county_before=county)
    if form.gov:
        for sub in sorted(vocab.suboffices, key=len, reverse=True):
            if sq.startswith(sub, core.end):
                nxt = sq[core.end + len(sub): core.end + len(sub) + 1]
                if sub == "办" and nxt and nxt in "理学事法公好实成结案件":
                    continue
                m.suboffice = vocab.suboffices[sub]
                m.end = core.end + len(sub)
                break
    return m


def _inside_coined_term(sq: str, at: int) -> bool:
    """Whether ``at`` lies inside a quoted coinage after other characters (打造“网上就业局”)."""
    q = sq.rfind("“", max(0, at - 12), at)
    return q >= 0 and q < at - 1 and "”" not in sq[q:at] and "”" in sq[at:at + 12]


def _party_bodies(sq: str, regions_end, vocab: AgencyVocabulary, taken: list[Mention]) -> list[Mention]:
    """Party committees and their organs: 市委, 中共X县委, 市委宣传部, 县委办."""
    out = []
    grammar = vocab.grammar
    spans = [(m.start, m.end) for m in taken]
    for k in [k for k in range(1, len(sq)) if sq[k] == "委"]:
        kind, prefix, s, county = _prefix(sq, k, regions_end, vocab)
        if kind not in ("region", "level"):
            continue
        got = grammar.party_after(sq, k)
        if got is None:
            continue
        end, full, function = got
        if any(a < end and s < b for a, b in spans):
            continue
        if sq.startswith("中共", s - 2):
            s -= 2
        form = AgencyForm(sq[s:end], full, function, party=True)
        out.append(Mention(s, end, form, kind, prefix, party=True, county_before=county))
        spans.append((s, end))
    return out


def _sub_units(sq: str, roles: list[tuple[int, int]], taken: list[Mention]) -> list[Mention]:
    """Streets, towns and development zones of the plan's region named in a list of responsible
    units (五星街道, 高新园(邹区镇), 经开区管委会)."""
    out = []
    spans = [(m.start, m.end) for m in taken]
    for rs, re_ in roles:
        for m in SUB_UNIT.finditer(sq, rs, re_):
            s, e = m.start("name"), m.end()
            if any(a < e and s < b for a, b in spans) or m.group("name") in GENERIC_SUB_UNITS:
                continue
            if s > rs and _cjk(sq[s - 1]) and not any(b == s for _, b in spans):
                continue  # inside a longer word: only at the list's start, after a separator or a name
            kind = m.group("kind") or m.group("zone")
            full = sq[s:m.end("name")] + (SUB_UNIT_FULL.get(kind) or "管理委员会")
            form = AgencyForm(sq[s:e], full, "government_general")
            out.append(Mention(s, e, form, None, sub_unit=kind))
            spans.append((s, e))
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
    if m.county_before:  # 萧县民政局: a county name the gazetteer leaves out of free-text search
        r = gaz.resolve(m.county_before, context=context)
        if r is not None and r.level == "county" and (
                r.code in context or gaz.is_within(r.code, jurisdiction.code)):
            m.prefix_kind, m.prefix = "region", m.county_before
            m.start = m.county_start
            m.text = m.county_before[0] + m.text
            m.written = m.county_written + m.written
            return r
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
                     vocab: AgencyVocabulary) -> tuple[list[Agency], dict[int, Agency]]:
    """Canonical agencies of the mentions; returns (agencies sorted by key, mention index -> agency)."""
    by_key: dict[str, Agency] = {}
    of_mention: dict[int, Agency] = {}
    for i, m in enumerate(mentions):
        region = resolve_region(m, jurisdiction, gaz, vocab)
        if region is None:
            continue
        label = canonical_name(m, region)
        key = f"{region.code}/{label}"
        ag = by_key.get(key)
        if ag is None:
            function = "government_general" if m.suboffice else m.form.function
            level = "township" if m.sub_unit in SUB_UNIT_FULL else gaz.level_concept_key(region)
            ag = by_key[key] = Agency(key, label, region, level, function, m.party)
        ag.alt_labels.update({m.text, m.written} - {label})
        ag.mentions.append(m)
        of_mention[i] = ag
    return [by_key[k] for k in sorted(by_key)], of_mention
