"""Government bodies by function, level and year: the reference table
``extract/data/government_bodies.tsv`` (built by ``scripts/make_bodies.py`` from the cited
sources in ``scripts/reference/``).

A *body type* is one kind of body that exists at every level (education: 教育部, 甘肃省教育厅,
白银市教育局, 会宁县教育局), with the names it had through the institutional reforms
(卫生部 → 国家卫生和计划生育委员会 in 2013 → 国家卫生健康委员会 in 2018). The people's government,
its general office, its inspection office and a leading group's office are body types of their
own, so a government's counterpart is a government, never an office.

    bodies = GovernmentBodies.load()
    bodies.body_type("白银市教育局", region)          -> "education"
    bodies.name("education", region, 2016)           -> "甘肃省教育厅" (region 甘肃省)

Municipalities directly under the central government (北京, 天津, 上海, 重庆) are provincial,
named by the table's municipality pattern (上海市教育委员会); their districts are counties.
Hong Kong and Macau have their own government (香港特别行政区政府) and none of the mainland
departments; Taiwan has none in the table.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pskg.paths import EXTRACT_DATA

from .gazetteer import NATIONAL_CODE, Gazetteer, Region

DEFAULT_PATH = EXTRACT_DATA / "government_bodies.tsv"
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
SPECIAL_REGIONS = frozenset({"810000", "820000"})  # 香港, 澳门: their own government only
NO_BODIES = frozenset({"710000"})
# what may follow a body's stem in its full name (教育 + 局, 残疾人 + 联合会)
SUFFIXES = ("", "部", "厅", "局", "委员会", "联合会", "办公室", "委员会办公室", "总局", "署", "管理局", "管理委员会")


@dataclass(frozen=True)
class BodyName:
    key: str
    function: str
    first_year: int
    last_year: int | None  # the first year it no longer had this name; None: current
    national: str
    patterns: dict[str, str]  # provincial / municipality / prefectural / county -> pattern
    stems: tuple[str, ...]
    held_before: str
    source: str
    source_title: str
    source_url: str

    def valid_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year < self.last_year)


@dataclass(frozen=True)
class Body:
    """One body of a region, as the table names it in a year."""
    key: str
    function: str
    name: str
    region: Region
    level: str
    row: BodyName


class GovernmentBodies:
    def __init__(self, rows: list[BodyName]):
        self.rows = rows
        self.by_key: dict[str, list[BodyName]] = {}
        for r in rows:
            self.by_key.setdefault(r.key, []).append(r)
        # (stem, key), longest stem first: 卫生健康 before 卫生, 人民政府办公室 before 人民政府
        self.stems = sorted(((s, r.key) for r in rows for s in r.stems), key=lambda t: (-len(t[0]), t[0]))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "GovernmentBodies":
        return _load(str(path or DEFAULT_PATH))

    @property
    def keys(self) -> list[str]:
        return sorted(self.by_key)

    def function_of(self, key: str) -> str:
        return self.by_key[key][0].function

    def body_type(self, label: str, region: Region | None, function: str | None = None) -> str | None:
        """The body type of a canonical agency name (region name + full form), or None. With
        ``function`` (the agency's function key), a type of another function is not taken."""
        form = label
        if region is not None and region.code != NATIONAL_CODE and label.startswith(region.name):
            form = label[len(region.name):]
        if label == "国务院":
            return "government"
        if form.startswith("国务院"):  # 国务院办公厅
            form = "人民政府" + form[3:].replace("办公厅督查室", "督查室").replace("办公厅", "办公室")
        for nat in ("中国", "国家", "中华全国"):
            if form.startswith(nat) and region is not None and region.code == NATIONAL_CODE:
                form = form[len(nat):]
        for stem, key in self.stems:
            if form.startswith(stem) and form[len(stem):] in SUFFIXES:
                if function is None or self.function_of(key) == function or key == "leading_group_office" or \
                        (function == "government_general" and key.endswith("office")):
                    return key
        if function is None:
            return None
        for stem, key in self.stems:  # a merged body (教育体育局, 文化体育广播电视新闻出版局): its first
            if form.startswith(stem) and self.function_of(key) == function and \
                    not key.startswith("government") and form[len(stem):].endswith(("局", "委员会", "厅")):
                return key            # stem decides its function, and so its type
        return None

    def row(self, key: str, year: int) -> BodyName | None:
        """The name row of ``key`` valid in ``year``; before the first, the body type that
        held the function then (held_before)."""
        rows = self.by_key.get(key)
        if not rows:
            return None
        for r in rows:
            if r.valid_in(year):
                return r
        if year < rows[0].first_year and rows[0].held_before and rows[0].held_before != key:
            return self.row(rows[0].held_before, year)
        return None

    def name(self, key: str, region: Region, year: int) -> str | None:
        body = self.body(key, region, year)
        return body.name if body else None

    def body(self, key: str, region: Region, year: int) -> Body | None:
        """The body of type ``key`` of ``region`` in ``year``, or None when that level has
        none (a vertical body, or merged into another at that level)."""
        r = self.row(key, year)
        if r is None or region.code in NO_BODIES:
            return None
        level = Gazetteer.level_concept_key(region)
        if region.code in SPECIAL_REGIONS:
            if r.key != "government":
                return None
            return Body(r.key, r.function, region.name + "政府", region, level, r)
        if region.code == NATIONAL_CODE:
            name = r.national
        elif level == "provincial":
            pattern = r.patterns["municipality" if region.code in MUNICIPALITIES else "provincial"]
            name = pattern.replace("{}", region.name) if pattern else ""
        elif level in ("prefectural", "county"):
            pattern = r.patterns[level]
            name = pattern.replace("{}", region.name) if pattern else ""
        else:
            name = ""
        return Body(r.key, r.function, name, region, level, r) if name else None


@lru_cache(maxsize=4)
def _load(path: str) -> GovernmentBodies:
    lines = [ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = []
    for d in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append(BodyName(
            d["key"], d["function"], int(d["from"]), int(d["to"]) if d["to"] else None, d["national"],
            {c: d[c] for c in ("provincial", "municipality", "prefectural", "county")},
            tuple(s for s in d["stems"].split("|") if s), d["held_before"], d["source"], d["source_title"],
            d["source_url"]))
    return GovernmentBodies(rows)
