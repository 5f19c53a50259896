"""Measure names: the words before a figure without trigger verbs, cues and fillers, and
enumerated names split into their measures."""
from __future__ import annotations

import re

from .data import tables


def trim_name(name: str, s: int) -> tuple[str, int]:
    """Strip leading cues/adverbs/punctuation; returns (name, new start)."""
    d = tables()
    changed = True
    while changed and name:
        changed = False
        m = re.match(r"^[\s、,和及与]+", name) or (re.match(r"^\(", name) if ")" not in name else None) or \
            re.match(r"^\([^()]{0,20}\)[\s、,]+", name)  # a remark on the clause before: (含公建民营)、床位
        if m:
            s += m.end()
            name = name[m.end():]
            changed = True
            continue
        m = re.match(r"^(?:到|至|截至|截止到?|在|于)?\s*(?:(?:19|20)\d{2}\s*(?:[-—–~～至]\s*(?:19|20)\d{2}\s*)?年(?:底|末|前|以来|内|期间)?"
                     r"|[“\"]?十[一二三四五]五[”\"]?\s*(?:期间|时期|以来|期末|末期|末|初|期)?)\s*的?\s*", name)
        if m and m.end() > 0:
            s += m.end()
            name = name[m.end():]
            changed = True
            continue
        m = d.strip_lead.match(name)
        if m and len(name) - m.end() >= 2:
            s += m.end()
            name = name[m.end():]
            changed = True
    return name, s


def strip_trigger(seg: str) -> tuple[str, str | None, str]:
    """Split a segment before a figure into (name, trigger comparator, trigger word)."""
    d = tables()
    t = seg.rstrip()
    # filler between trigger and figure: 约, 近, 每千名老人, 平均每人
    filler = re.search(r"(?:约|近|大约|平均每人|每千名老人|每千人|每万人|人均|每人每月|每人每年|每月|每年)\s*$", t)
    core = t[: filler.start()] if filler else t
    for w in d.triggers:
        if core.endswith(w):
            name = core[: -len(w)]
            name = re.sub(r"(?:分别|均|已经|已|将|要|逐步|进一步|稳定|持续|全部|都|总体|基本|力争)+$", "", name)
            return name, d.prefix_cmp.get(w), w
    return t, None, ""


RE_ADVERB_BEFORE_VERB = re.compile(r"(?:全部|全面|均已)(?=[\u4e00-\u9fff]{2}$)")  # 贫困村全部出列


def clean_name(name: str) -> str:
    name = re.sub(r"(?:到|至|在)?\s*(?:19|20)\d{2}\s*年(?:底|末)?$", "", name.strip())
    if len(name) > 4:
        name = RE_ADVERB_BEFORE_VERB.sub("", name)
    name = name.strip(" ,、的").lstrip("—-·•")  # a list dash (——地区生产总值)
    if len(name) > 2 and name.endswith("了"):
        name = name[:-1]  # 增长了 / 提高了: the perfective is no part of the measure
    while name and name[0] in "”)":
        name = name[1:]
    if name.startswith("“") and "”" not in name:
        name = name[1:]
    if name.startswith("(") and ")" not in name:
        name = name[1:]
    if name.endswith("“") or (name.endswith("(") and name.count("(") > name.count(")")):
        name = name[:-1]
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    return name.strip(" ,、的")


# a name that only says how the measure before it changed (…1.8万亿元,年均增长10%)
RE_BARE_CHANGE = re.compile(r"^(?:比上年|同比|年均|分别|共|累计|每人平均|人均|平均)?(?:增长|增加|下降|提高|减少|降低|上升|增幅|降幅|净增)$")


# a name that is only an action verb: the measure is the object after the figure
# (完成不少于120个智慧平安小区)
RE_BARE_VERB = re.compile(r"^(?:完成|实现|新增|建成|新建|改造|开展|提供|推进|实施|建设|打造|培训|招聘|创建|配备)$")


def is_bare_verb(name: str) -> bool:
    return bool(RE_BARE_VERB.match(name))


def is_bare_change(name: str) -> bool:
    return bool(RE_BARE_CHANGE.match(name))


def ends_with_head(name: str) -> bool:
    return any(name.endswith(h) for h in tables().heads)


def split_names(name: str, s: int, k: int, force: bool) -> list[tuple[str, int, int]] | None:
    """Split an enumerated name 'A、B和C…' into parts (text, start, end); None when it does not split."""
    parts = []
    pos = 0
    for m in re.finditer(r"[、和及与]", name):
        # do not split inside quotes or parentheses
        pre = name[:m.start()]
        if pre.count("“") > pre.count("”") or pre.count("(") > pre.count(")"):
            continue
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(name)))
    parts = [(a, b) for a, b in parts if b > a]
    if len(parts) < 2:
        return None
    if k >= 2 and len(parts) != k:
        return None
    if k == 1 and not force and not all(ends_with_head(name[a:b]) and b - a >= 3 for a, b in parts):
        return None
    out = []
    last = name[parts[-1][0]:parts[-1][1]]
    tail = ""
    for t in tables().tails:
        i = last.find(t)
        if i > 0 and (not tail or i < len(last) - len(tail)):
            tail = last[i:]
    for a, b in parts:
        part = name[a:b]
        if (a, b) != parts[-1] and not ends_with_head(part) and tail:
            part = part + tail
        out.append((part, s + a, s + b))
    return out
