"""Parent plans: the documents the text says the plan is based on or implements.

In the front matter, or in a sentence about the plan itself (本规划依据…编制, 《规划》依据…,
the plan's own 《title》是依据…), every trigger (根据/依据/按照/贯彻落实…, data/plan_meta_terms.tsv)
opens a run of 《》 titles; "做好《X》实施工作" names one too. A title must end like a plan or
a parent document (…规划, …纲要(2013—2020年), …的通知, 政府工作报告). A forwarding notice
cited as the parent (《关于印发〈X〉的通知》) gives X; an abbreviation (《纲要》, defined by
"(以下简称《纲要》)") gives the title it abbreviates.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .model import CitedPlan
from .terms import PlanTerms

CITED = re.compile(r"《(?P<t>[^《》\n]{2,100})》")
ABBREVIATION = re.compile(r"《(?P<full>[^《》\n]{2,100})》\s*\(\s*以下简称\s*《(?P<short>[^《》\n]{1,20})》")
MAX_GAP = 16  # characters allowed between a trigger and its title, or between two titles


@lru_cache(maxsize=1)
def _unwrap() -> re.Pattern:
    tail = PlanTerms.load().title_tail
    return re.compile(rf"关于(?:印发|转发)[<《〈]?(.+?(?:{tail}))[>》〉]?的通知")


def abbreviations(text: str) -> dict[str, tuple[int, int]]:
    """Short titles a text defines ("《X》(以下简称《规划》)"): short -> clean span of X."""
    return {m.group("short"): m.span("full") for m in ABBREVIATION.finditer(text)}


def own_references(text: str, own_title: str | None) -> list[str]:
    """How the text cites the plan itself: 《its title》 and the abbreviations defined for it."""
    if not own_title:
        return []
    own = re.sub(r"\s+", "", own_title)
    refs = [f"《{own}》"]
    refs += [f"《{s}》" for s, span in abbreviations(text).items() if re.sub(r"\s+", "", text[span[0]:span[1]]) == own]
    return refs


def _about_the_plan(sentence: str, own_refs: list[str]) -> bool:
    return bool(PlanTerms.load().self_plan.search(sentence)) or any(r in sentence for r in own_refs)


def find_implements(text: str, front: int, own_title: str | None = None) -> list[CitedPlan]:
    """Parent plans (see the module docstring), in text order, each once."""
    terms = PlanTerms.load()
    short = abbreviations(text)
    own = re.sub(r"\s+", "", own_title) if own_title else None
    own_refs = own_references(text, own_title)
    out: list[CitedPlan] = []
    seen = set()

    def add(m: re.Match, gap: str) -> None:
        t_span = m.span("t")
        title = m.group("t")
        if title in short:
            t_span = short[title]
            title = text[t_span[0]:t_span[1]]
        inner = _unwrap().search(title)
        if inner:
            t_span = (t_span[0] + inner.start(1), t_span[0] + inner.end(1))
            title = inner.group(1)
        key = re.sub(r"\s+", "", title)
        if terms.parent_end.search(key) and key not in seen and key != own:
            seen.add(key)
            out.append(CitedPlan(title, t_span, national="国家" in gap[-4:]))

    for sent in re.finditer(r"[^。\n]+", text):
        s, e = sent.span()
        if s >= front and not _about_the_plan(sent.group(0), own_refs):
            continue
        for trig in terms.implement_before.finditer(text, s, e):
            pos = trig.end()
            for m in CITED.finditer(text, pos, e):  # the run of titles after the trigger
                gap = text[pos:m.start()]
                if len(gap) > MAX_GAP or any(c in gap for c in ",;"):
                    break
                add(m, gap)
                pos = m.end()
        for rx in terms.implement_around:
            for m in rx.finditer(text, s, e):
                add(m, text[max(s, m.start() - 4):m.start()])
    return sorted(out, key=lambda c: c.span)
