"""Government bodies named in a plan: mention finding and resolution to canonical agencies.

A mention is ``[region name | level prefix] + agency form [+ sub-office]``, e.g. 白银市教育局,
市人社局, 省发展改革委, 市政府政务督查室, or a form that stands alone (国务院, 残联). Forms,
level prefixes and sub-offices are data (extract/data/*.tsv). Resolution needs the plan's
jurisdiction: 市 in a Baiyin plan is 白银市, 省 is its province 甘肃省; a level prefix that
names no region above the plan (市 in a provincial plan: "各市、县人民政府") is a class of
bodies, not one body, and is dropped. Two mentions are the same agency when their region and
full form agree, so 市发改委 = 市发展改革委 within one city and stay apart across cities.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pskg.paths import EXTRACT_DATA

from .gazetteer import Gazetteer, Region

NATIONAL_CODE = "100000"


def read_table(path: Path) -> list[list[str]]:
    """Rows of a tab-separated data file, skipping blank lines and # comments."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append([c.strip() for c in line.split("\t")])
    return rows


@dataclass(frozen=True)
class AgencyForm:
    form: str
    full: str
    function: str
    national: bool = False
    bare: bool = False
    gov: bool = False


@dataclass(frozen=True)
class LevelPrefix:
    char: str
    levels: tuple[str, ...]  # region levels this prefix can name
    suffixes: tuple[str, ...]  # region name endings it requires ("" = any)


@dataclass
class AgencyVocabulary:
    forms: dict[str, AgencyForm]
    suboffices: dict[str, str]
    prefixes: dict[str, LevelPrefix]
    not_prefix_after: str  # chars that make a level char part of a word (城市, 各市, 县区)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls, data_dir: Path = EXTRACT_DATA) -> "AgencyVocabulary":
        forms = {}
        for row in read_table(data_dir / "agency_forms.tsv"):
            flags = set(row[3].split(",")) if len(row) > 3 and row[3] else set()
            forms[row[0]] = AgencyForm(row[0], row[1], row[2], "national" in flags,
                                       "bare" in flags, "gov" in flags)
        subs = {r[0]: r[1] for r in read_table(data_dir / "agency_suboffices.tsv")}
        prefixes = {}
        not_after = ""
        for row in read_table(data_dir / "level_prefixes.tsv"):
            if row[0] == "!not_after":
                not_after = row[1]
                continue
            prefixes[row[0]] = LevelPrefix(row[0], tuple(row[1].split("|")),
                                           tuple(row[2].split("|")) if len(row) > 2 and row[2] else ("",))
        return cls(forms, subs, prefixes, not_after)


@dataclass
class Mention:
    """A written agency name in the clean text (offsets into it)."""

    start: int
    end: int
    form: AgencyForm
    prefix_kind: str | None  # "region" | "level" | None
    prefix: str = ""  # region name or the level char
    suboffice: str | None = None  # full form of a government sub-office
    written: str = ""  # the name as written (before Traditional->Simplified)
    text: str = ""  # the name in Simplified characters


@dataclass
class Agency:
    """A canonical government body."""

    key: str  # stable identity: region code + canonical name
    label: str  # canonical Simplified name, region spelled out
    region: Region
    level: str  # government level key
    function: str
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def slug(self) -> str:
        h = hashlib.sha1(self.label.encode("utf-8")).hexdigest()[:8]
        return f"{self.region.code}-{self.function.replace('_', '-')}-{h}"


def find_mentions(text: str, written: str, form_spans: list[tuple[int, int, str]],
                  region_spans: list[tuple[int, int, str]], vocab: AgencyVocabulary) -> list[Mention]:
    """Compose mentions from agency-form matches and region-name matches (clean offsets).

    ``form_spans`` are (start, end, form) of non-overlapping longest form matches,
    ``region_spans`` (start, end, name) of region names (resolved later, with the plan's
    jurisdiction as context, so 城关区 finds the right one of its namesakes).
    """
    region_end = {}
    for s, e, name in region_spans:
        if e not in region_end or s < region_end[e][0]:
            region_end[e] = (s, name)
    out = []
    for s, e, form_text in form_spans:
        form = vocab.forms[form_text]
        m = None
        if s in region_end:
            rs, name = region_end[s]
            m = Mention(rs, e, form, "region", name)
        elif s > 0 and text[s - 1] in vocab.prefixes and not form.national:
            before = text[s - 2] if s >= 2 else ""
            if before and (before in vocab.prefixes or before in vocab.not_prefix_after):
                continue  # 县区政府, 各市, 城市: a class of bodies or a word, not a body
            m = Mention(s - 1, e, form, "level", text[s - 1])
        elif form.national or form.bare:
            m = Mention(s, e, form, None)
        if m is None:
            continue
        if form.gov:
            for sub in sorted(vocab.suboffices, key=len, reverse=True):
                if text.startswith(sub, e):
                    m.suboffice = vocab.suboffices[sub]
                    m.end = e + len(sub)
                    break
        m.text = text[m.start:m.end]
        m.written = written[m.start:m.end]
        out.append(m)
    return out


def resolve_region(m: Mention, jurisdiction: Region | None, gaz: Gazetteer,
                   vocab: AgencyVocabulary) -> Region | None:
    """The region an agency mention belongs to, or None for a class of bodies."""
    if m.prefix_kind == "region":
        context = [jurisdiction.code] + [a.code for a in gaz.ancestors(jurisdiction.code)] if jurisdiction else []
        return gaz.resolve(m.prefix, context=context)
    if m.form.national and m.prefix_kind is None:
        return gaz.get(NATIONAL_CODE)
    if jurisdiction is None:
        return None
    if m.prefix_kind is None:  # a bare form: the plan's own body
        return jurisdiction
    rule = vocab.prefixes[m.prefix]
    for r in [jurisdiction, *gaz.ancestors(jurisdiction.code)]:
        if r.level in rule.levels and any(r.name.endswith(sfx) for sfx in rule.suffixes):
            return r
    return None


def canonical_name(m: Mention, region: Region) -> str:
    base = m.form.full
    if m.suboffice:
        base = base + m.suboffice
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
            ag = by_key[key] = Agency(key, label, region, gaz.level_concept_key(region), function)
        ag.alt_labels.update({m.text, m.written} - {label})
        ag.mentions.append(m)
        of_mention[i] = ag
    return [by_key[k] for k in sorted(by_key)], of_mention
