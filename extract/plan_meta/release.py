"""A sentence reporting a plan's issue, as news reports and notices write it:
"省发展改革委等19部门联合印发了《X》", "国务院1日对外公布《X》", "《X》已于近日发布",
"国务院办公厅近日转发国家发展改革委《X》" (the issuer is the body forwarded) and the headlines
"X出炉" and "某区公布X" (a line of its own, ending in the title). It gives the plan's title, where the issuer's name must end (right
before the verb phrase) and, when written, the full date of the issue."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import DATE
from .header import Citations
from .terms import PlanTerms

ADVERBS = r"(?:联合|共同|正式|对外|再次|重新|已|已经)*"


@dataclass
class Release:
    title: str  # the title as in the clean text, without 《》
    title_span: tuple[int, int]
    issuer_end: int | None  # the issuer's name ends here (None: the sentence names none)
    date: re.Match | None  # DATE match of the issue date, when the sentence gives one
    quoted: bool = True  # the title is written in 《》 (not a headline's "X出炉")


# a title quoted in 《》, or in “” where a page lost its 《》 ("印发“某某规划”")
QUOTED = (r"《(?P<t>[^《》\n]{2,100})》", r"“(?P<t>[^“”《》\n]{4,100})”")


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[re.Pattern], list[re.Pattern], re.Pattern]:
    """(active forms, passive forms, the headline form)."""
    t = PlanTerms.load()
    verb, time = t.release_verb, t.release_time
    active = [re.compile(rf"(?:于\s*(?P<date>(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日))?\s*"
                         rf"(?:{time})?\s*{ADVERBS}\s*(?:{verb})了?\s*{q}") for q in QUOTED]
    passive = [re.compile(rf"{q}\s*{ADVERBS}\s*(?:于\s*)?(?:{time})?\s*{ADVERBS}\s*(?:{verb})") for q in QUOTED]
    headline = re.compile(rf"^(?:(?P<t>[^。,;:\n]{{4,80}}?(?:{t.title_tail}))\s*{ADVERBS}\s*(?:{verb})"
                          rf"|[^。,;:\n《》“”]{{0,40}}?{ADVERBS}(?:{verb})了?\s*(?P<t2>[^。,;:\s《》“”]{{4,80}}?(?:{t.title_tail})))\s*$",
                          re.M)
    # A转发B《X》: the issuer is B, named between the verb and the title
    forwarded = [re.compile(rf"(?:{time})?\s*{ADVERBS}\s*(?:{t.forward_verb})了?(?P<by>[^《》。,;\n]{{2,30}}?)\s*{q}")
                 for q in QUOTED]
    return active + forwarded, passive, headline


def _cites_a_parent(text: str, pos: int) -> bool:
    """Is the clause before ``pos`` one that cites a parent (根据国务院印发的…, 贯彻落实…)?"""
    clause_start = max(text.rfind(c, 0, pos) for c in "。,;\n") + 1
    return bool(PlanTerms.load().implement_before.search(text, clause_start, pos))


def find_releases(text: str, end: int, citations: Citations) -> list[Release]:
    """Every report of a plan's issue before ``end``: those with a 《title》 first, each group
    in text order."""
    terms = PlanTerms.load()
    active, passive, headline = _patterns()
    found: list[Release] = []
    for rx in (*active, *passive, headline):
        for m in rx.finditer(text, 0, end):
            g = "t" if m.group("t") is not None else "t2"  # the headline's "X出炉" or "某区公布X"
            title = re.sub(r"\s+", "", m.group(g))
            if not terms.title_end.search(title) or _cites_a_parent(text, m.start()):
                continue
            if rx is headline and citations.inside(m.start()):
                continue
            date = DATE.match(text, m.start("date")) if "date" in rx.groupindex and m.group("date") else None
            issuer_end = (m.end("by") if "by" in rx.groupindex else m.start()) if rx in active else None
            found.append(Release(title, m.span(g), issuer_end, date, quoted=rx is not headline))
    # a quoted title before a headline's (a headline may shorten the title)
    return sorted(found, key=lambda r: (r.quoted is False, r.title_span))


@lru_cache(maxsize=1)
def _issued_clause() -> re.Pattern:
    verb = PlanTerms.load().release_verb
    return re.compile(rf"于\s*(?P<date>(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?[^,。;《》\n]{{0,12}}?"
                      rf"\s*{ADVERBS}\s*(?:{verb})了?\s*(?=[。,;\n]|$)")


def topic_releases(text: str, end: int, refs: list[str]) -> list[Release]:
    """A sentence about the plan (naming one of ``refs``: its 《title》, its abbreviation)
    that says who issued it without an object: "《X》经省政府同意,省发展改革委等21部门于
    2022年12月联合印发。" The title fields are the plan's own reference."""
    out = []
    for sent in re.finditer(r"[^。\n]+", text[:end]):
        ref = next((r for r in refs if r in sent.group(0)), None)
        if ref is None:
            continue
        for m in _issued_clause().finditer(text, sent.start(), sent.end() + 1):
            date = DATE.match(text, m.start("date")) if m.group("date") else None
            out.append(Release(ref.strip("《》"), (m.start(), m.start()), m.start(), date))
    return out
