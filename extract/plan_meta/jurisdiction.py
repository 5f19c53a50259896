"""The region a plan governs.

In order: the issuer's region (a co-issuer group: its first member's), national for a
national body (国务院); the region its title names (the innermost of a chain 赣州市章贡区;
全国/国家 or a title that opens with its period “十四五” → national); the region whose people's
congress adopted it; else the region the text names most often (not the place of a news
dateline, 新华社北京1月4日电) at the level it speaks of itself. That level comes from its self-
references (我省, 全市, 本区, 该县; data/plan_meta_terms.tsv) and from the bare level prefixes of
the bodies it names (县财政局, 区政府); 全区 is provincial where the text names its level
自治区 bare (自治区民政厅). Levels are tried from the most to the least used (only those used
at least half as often as the top one), the more local first on a tie; a district or county named only by its short name (幸福钟楼) counts when it
lies in a prefecture the text names.
"""
from __future__ import annotations

import re
from collections import Counter

from ..gazetteer import NATIONAL_CODE, Gazetteer, Region
from .model import PlanMeta
from .terms import PlanTerms

LEVEL_ORDER = ("county", "prefectural", "provincial", "national")  # most local first
PREFIX_LEVEL = {"省": "provincial", "市": "prefectural", "州": "prefectural", "盟": "prefectural",
                "县": "county", "区": "county", "旗": "county"}
MAX_REGION_NAME = 12
# a national plan's title: 全国…, 国家…, or a five-year period with no region before it
# (“十四五”公共服务规划; a local plan names its region first: 江西省“十四五”…); matched at the
# title's start
NATIONAL_TITLE = re.compile(r"(?:全国|国家|[“\"『「]十[一二三四五六七八九]五[”\"』」])")
BARE_AUTONOMOUS_REGION = "自治区"


def level_counts(text: str, mentions: list, region_spans: list[tuple[int, int, str]]) -> Counter:
    """How often the text speaks of itself at each level (see the module docstring)."""
    self_level = PlanTerms.load().self_level
    rx = re.compile("|".join(sorted(map(re.escape, self_level), key=len, reverse=True)))
    inside_region = [(s, e) for s, e, _ in region_spans]
    bare_ar = sum(1 for m in re.finditer(BARE_AUTONOMOUS_REGION, text)
                  if not any(s <= m.start() and m.end() <= e for s, e in inside_region))
    c: Counter = Counter()
    for m in rx.finditer(text):
        level = self_level[m.group(0)]
        if bare_ar and m.group(0)[-1] == "区" and m.group(0)[-3:] != "自治区":
            level = "provincial"  # 全区 of an autonomous region
        c[level] += 1
    for m in mentions:
        if m.prefix_kind == "level" and m.prefix in PREFIX_LEVEL:
            level = PREFIX_LEVEL[m.prefix]
            c["provincial" if bare_ar and m.prefix == "区" else level] += 1
    return c


def self_level_hint(text: str, mentions: list = (), region_spans=()) -> str | None:
    """The level the plan speaks at most (see :func:`level_counts`)."""
    ranked = ranked_levels(level_counts(text, list(mentions), list(region_spans)))
    return ranked[0] if ranked else None


def ranked_levels(counts: Counter) -> list[str]:
    """The levels worth trying, most used first (the more local on a tie): those used at least
    half as often as the top one (a county plan that says 全省 once is still a county plan)."""
    top = max(counts.values(), default=0)
    levels = [lv for lv, n in counts.items() if n and 2 * n >= top]
    return sorted(levels, key=lambda lv: (-counts[lv], LEVEL_ORDER.index(lv)))


def _issuer_region(mention, gaz: Gazetteer) -> Region | None:
    if mention.prefix_kind == "region":
        return gaz.resolve(mention.prefix)
    if mention.form.national and mention.prefix_kind is None:
        return gaz.get(NATIONAL_CODE)  # 国务院 issues national plans
    return None


def find_jurisdiction(text: str, meta: PlanMeta, mentions: list, issuer_idx: int | None,
                      region_spans: list[tuple[int, int, str]], gaz: Gazetteer,
                      issuer_members: list[int] = ()) -> tuple[Region | None, tuple[int, int] | None]:
    """The plan's region and the clean span of the evidence for it. ``mentions`` are the
    agency mentions (``issuer_idx`` indexes the issuer's, ``issuer_members`` the members of
    a co-issuer group), ``region_spans`` the (start, end, name) of the region names."""
    issuers = [issuer_idx] if issuer_idx is not None else list(issuer_members)
    for i in issuers[:1]:
        r = _issuer_region(mentions[i], gaz)
        if r is not None:
            return r, (mentions[i].start, mentions[i].end)
    issuer_level = next((mentions[i].prefix for i in issuers[:1] if mentions[i].prefix_kind == "level"), None)
    if meta.title:
        ts, te = meta.title.span
        title_regions = [(s, e, r) for s, e, name in region_spans if ts <= s and e <= te
                         for r in [gaz.resolve(name)] if r is not None]
        if title_regions:
            # "贯彻落实甘肃省…规划的实施方案" issued by 市政府 is a city plan: prefer a region the
            # issuer's level prefix fits, else the title's first region (the innermost of a
            # chain of nested names: 赣州市章贡区… is the district's)
            for s, e, r in title_regions:
                if issuer_level and r.name.endswith(issuer_level):
                    return r, (s, e)
            return _innermost(title_regions, gaz)
        lead = _leading_region(text, ts, te, gaz)
        if lead:
            return lead
        m = NATIONAL_TITLE.match(text, ts, te)
        if m:
            return gaz.get(NATIONAL_CODE), m.span()
    adopted = _adopting_congress(text, region_spans, gaz)
    if adopted:
        return adopted
    counts = level_counts(text, mentions, region_spans)
    levels = ranked_levels(counts)
    if levels and levels[0] == "national":
        m = re.search("我国", text)
        if m:
            return gaz.get(NATIONAL_CODE), m.span()
    dateline = PlanTerms.load().dateline
    named = [(s, e, r) for s, e, name in region_spans for r in [gaz.resolve(name)]
             if r is not None and not dateline.match(text, e)]  # 新华社北京1月4日电
    for level in levels or [None]:
        found = _vote([(s, e, r) for s, e, r in named if level is None or r.level == level])
        if found:
            return found
        if level == "county":
            found = _vote(_county_short_mentions(text, named, gaz))
            if found:
                return found
    return None, None


def _innermost(regions: list[tuple[int, int, Region]], gaz: Gazetteer) -> tuple[Region, tuple[int, int]]:
    """The first region, or the innermost of the names written right after it, each inside
    the one before (赣州市章贡区 → 章贡区)."""
    s, e, r = regions[0]
    for s2, e2, r2 in regions[1:]:
        if s2 != e or r.code not in {a.code for a in gaz.ancestors(r2.code)}:
            break
        s, e, r = s2, e2, r2
    return r, (s, e)


def _adopting_congress(text: str, region_spans, gaz: Gazetteer) -> tuple[Region, tuple[int, int]] | None:
    """The region whose people's congress adopted the plan ((…伊吾县第十七届人民代表大会…通过))."""
    from .dates import adoption_date

    m = adoption_date(text, len(text))
    if m is None:
        return None
    note = PlanTerms.load().adoption.match(text, m.end())
    for s, e, name in region_spans:
        if note.start() <= s and e <= note.end():
            r = gaz.resolve(name)
            if r is not None:
                return r, (s, e)
    return None


def _leading_region(text: str, ts: int, te: int, gaz: Gazetteer) -> tuple[Region, tuple[int, int]] | None:
    """A region whose full name opens the title, including the two-character county names
    (萧县, 和县) the region matcher leaves out as too ambiguous in running text."""
    for k in range(min(MAX_REGION_NAME, te - ts), 1, -1):
        r = gaz.resolve(text[ts:ts + k])
        if r is not None and text[ts:ts + k] in (r.name, *r.alt):
            return r, (ts, ts + k)
    return None


def opens_with_region(s: str) -> bool:
    """Does ``s`` open with a region's full name (宜昌市…, 昌吉回族自治州…)?"""
    return _leading_region(s, 0, len(s), Gazetteer.load()) is not None


def _vote(spans: list[tuple[int, int, Region]]) -> tuple[Region, tuple[int, int]] | None:
    votes: Counter = Counter()
    first: dict[str, tuple[Region, tuple[int, int]]] = {}
    for s, e, r in spans:
        votes[r.code] += 1
        first.setdefault(r.code, (r, (s, e)))
    if not votes:
        return None
    code = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return first[code]


def _county_short_mentions(text: str, named, gaz: Gazetteer) -> list[tuple[int, int, Region]]:
    """Short names (钟楼) of the current counties and districts of the prefectures the text names."""
    out = []
    for code in sorted({r.code for _s, _e, r in named if r.level == "prefectural"}):
        for county in gaz.children(code):
            short = county.short
            if county.level != "county" or not gaz.is_current(county.code) or len(short) < 2 \
                    or short == county.name:
                continue
            out += [(m.start(), m.end(), county) for m in re.finditer(re.escape(short), text)]
    return out
