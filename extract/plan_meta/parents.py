"""Parent plans: the documents the text says the plan is based on or implements.

In the front matter, or in a sentence about the plan itself (本规划依据…编制, 《规划》依据…,
the plan's own 《title》是依据…), every trigger (根据/依据/按照/贯彻落实…, data/plan_meta_terms.tsv)
that opens its clause (为深入贯彻落实《X》; not 各地各部门认真贯彻实施《X》, what others did)
opens a run of 《》 titles, or, in a sentence about the plan itself, of titles written without
《》 that name a period or open with a region (根据国家“十三五”推进…规划和某省…纲要); "做好《X》实施工作" names one too. A title must end like a plan or
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
# 《X》(以下简称《规划》), also after the cited document's number: 《X》(国发〔2012〕6号,以下简称《规划》)
ABBREVIATION = re.compile(r"《(?P<full>[^《》\n]{2,100})》\s*\(\s*(?:[^()《》\n]{1,30}?,\s*)?以下简称\s*"
                          r"《(?P<short>[^《》\n]{1,20})》")
# the words a clause may open with before it cites the plan's basis (为深入贯彻落实《X》, 现根据…);
# a clause with a subject of its own (各地各部门认真贯彻实施《X》) reports what others did
CLAUSE_OPENING = re.compile(r"(?:为了?|现|特|要|并|同时|主要|是|均)?(?:进一步|全面|深入|认真|切实|坚决|更好地?|积极|严格)*")
TITLE_VERBS = re.compile(r"(?:进一步|全面|深入|认真|切实|坚决|积极|分解|组织)+$")
# a parent title written without 《》 after the trigger (根据国家“十三五”推进…规划和某省…纲要):
# one that names a five-year period or opens with a region, up to the next 和 / 、 or the end
PERIOD_MARK = re.compile(r"[“\"『「]十[一二三四五六七八九]五[”\"』」]")
MAX_GAP = 60  # characters allowed between a trigger and its title, or between two titles (no , or ;
# between them: 根据…全会精神以及《X》编制)


@lru_cache(maxsize=1)
def _unwrap() -> re.Pattern:
    tail = PlanTerms.load().title_tail
    return re.compile(rf"关于(?:印发|转发|批转)[<《〈]?(.+?(?:{tail}))[>》〉]?的通知")


@lru_cache(maxsize=1)
def _unquoted() -> re.Pattern:
    tail = PlanTerms.load().parent_tail
    return re.compile(rf"(?P<t>[^,。;:、《》()\s]{{6,60}}?(?:{tail}))(?=和|、|及|编制|制定|的|,|。|精神|要求|$)")


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


def _opens_clause(text: str, s: int, pos: int, own_refs: list[str]) -> bool:
    """Does the trigger at ``pos`` open its clause (after the words a citing clause opens with,
    or the plan's own name: 本规划依据…, 《纲要》根据…)?"""
    start = max(s, max(text.rfind(c, 0, pos) for c in ",;:") + 1)
    head = text[start:pos].strip()
    if CLAUSE_OPENING.fullmatch(head) or TITLE_VERBS.sub("", head).endswith("关于"):
        return True  # also a title implementing it: 某某市人民政府关于(分解)贯彻落实《X》的…
    rest = PlanTerms.load().self_plan.sub("", head)
    for r in own_refs:
        rest = rest.replace(r, "")
    return len(rest) < len(head) and CLAUSE_OPENING.fullmatch(rest.strip()) is not None


def _unquoted_titles(text: str, pos: int, end: int) -> list[tuple[int, int]]:
    """Spans of parent titles written without 《》 right after a trigger, joined by 和 / 、 / 及;
    a piece after 和 that names no period or region continues the title before it
    (…第十四个五年规划和二〇三五年远景目标纲要)."""
    from .jurisdiction import opens_with_region

    def qualifies(t: str) -> bool:
        return bool(PERIOD_MARK.match(t) or opens_with_region(t))

    out: list[tuple[int, int]] = []
    if text.startswith("国家", pos):
        pos += 2
    while pos < end:
        m = _unquoted().match(text, pos, end)
        if m is None:
            break
        if qualifies(m.group("t")):
            out.append(m.span("t"))
        elif out and text[pos - 1] == "和" and pos - 1 == out[-1][1]:
            out[-1] = (out[-1][0], m.end("t"))
        else:
            break
        pos = m.end()
        if text[pos:pos + 1] not in ("和", "、", "及"):
            break
        pos += 1
    return out


def find_implements(text: str, front: int, own_title: str | None = None) -> list[CitedPlan]:
    """Parent plans (see the module docstring), in text order, each once."""
    terms = PlanTerms.load()
    short = abbreviations(text)
    own = re.sub(r"\s+", "", own_title) if own_title else None
    own_refs = own_references(text, own_title)
    out: list[CitedPlan] = []
    seen = set()

    def add(m: re.Match, gap: str) -> None:
        add_span(*m.span("t"), gap)

    def add_span(ts: int, te: int, gap: str) -> None:
        t_span = (ts, te)
        title = text[ts:te]
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
        about = _about_the_plan(sent.group(0), own_refs)
        if s >= front and not about:
            continue
        for trig in terms.implement_before.finditer(text, s, e):
            if not _opens_clause(text, s, trig.start(), own_refs):
                continue
            if about:
                for ts, te in _unquoted_titles(text, trig.end(), e):
                    add_span(ts, te, text[max(s, ts - 4):ts])
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
