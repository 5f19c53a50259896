"""The region a plan governs: the issuer's region, else the title's, else the region the text
names most often at the level it speaks of itself (我省 → a province)."""
from __future__ import annotations

import re
from collections import Counter

from ..gazetteer import NATIONAL_CODE, Gazetteer, Region
from .model import PlanMeta


def self_level_hint(text: str) -> str | None:
    """The level the plan speaks at, from 我国 vs 我省/全省/本省 vs 我市/全市/本市 vs 我县/全县
    (全国 is left out: every plan says 全国 when it compares itself with the country)."""
    c = Counter()
    for m in re.finditer(r"[我全本]([省市县区])|我(国)", text):
        c[m.group(1) or m.group(2)] += 1
    if not c:
        return None
    top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return {"国": "national", "省": "provincial", "市": "prefectural", "县": "county", "区": "county"}[top]


def find_jurisdiction(text: str, meta: PlanMeta, mentions: list, issuer_idx: int | None,
                      region_spans: list[tuple[int, int, str]],
                      gaz: Gazetteer) -> tuple[Region | None, tuple[int, int] | None]:
    """The plan's region and the clean span of the evidence for it. ``mentions`` are the
    agency mentions (``issuer_idx`` indexes the issuer's), ``region_spans`` the (start, end,
    name) of the region names in the text."""
    if issuer_idx is not None and mentions[issuer_idx].prefix_kind == "region":
        m = mentions[issuer_idx]
        r = gaz.resolve(m.prefix)
        if r is not None:
            return r, (m.start, m.end)
    if issuer_idx is not None and mentions[issuer_idx].form.national:  # 国务院 issues national plans
        m = mentions[issuer_idx]
        return gaz.get(NATIONAL_CODE), (m.start, m.end)
    title_regions = []
    if meta.title:
        ts, te = meta.title.span
        for s, e, name in region_spans:
            if ts <= s and e <= te:
                r = gaz.resolve(name)
                if r is not None:
                    title_regions.append((s, e, r))
    issuer_level = None
    if issuer_idx is not None and mentions[issuer_idx].prefix_kind == "level":
        issuer_level = mentions[issuer_idx].prefix
    if title_regions:
        # "贯彻落实甘肃省…规划的实施方案" issued by 市政府 is a city plan: prefer a region the
        # issuer's level prefix fits, else the title's first region
        if issuer_level:
            for s, e, r in title_regions:
                if r.name.endswith(issuer_level):
                    return r, (s, e)
        s, e, r = title_regions[0]
        return r, (s, e)
    level = self_level_hint(text)
    if level == "national":
        m = re.search("我国", text)
        return gaz.get(NATIONAL_CODE), m.span()
    votes: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for s, e, name in region_spans:
        r = gaz.resolve(name)
        if r is None or (level and r.level != level):
            continue
        votes[r.code] += 1
        first.setdefault(r.code, (s, e))
    if votes:
        code = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return gaz.get(code), first[code]
    return None, None
