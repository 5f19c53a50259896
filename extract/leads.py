"""Who leads and who supports: explicit assignment statements in a plan.

Labelled fields and task tables (found by extract/roles.py) give their bodies' roles by their
labels and columns; in running prose plans say who owns a provision in a few conventional
ways: a parenthesised assignment at
the end of a paragraph ("(市教育局牵头,其他有关部门按职责分工负责)"), "由市发展改革委牵头,
市相关部门…参与", "省发展改革委要会同有关部门…", "市财政局负责…", or a sentence whose subject
is a named body with a duty ("市发改委要加强…"). The patterns are data
(extract/data/lead_patterns.tsv) written over a *masked* text in which every resolved
agency mention is a run of U+E000, so one regex fragment ({AGS}) stands for "a list of
named agencies" whatever their names. Generic actors (各地, 有关部门, 县区人民政府) are not
resolved agencies, so they are never masked and never become leads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .roles import RoleLayout
from .spans import SpanSet, within
from .tables import read_table

MASK = "\ue000"
# a list of named agencies, optionally closed by "等(有关)部门/单位"
# a list of named agencies, optionally closed by "等(有关)部门/单位"; bounded (a name of at most 40
# characters, a list of at most 30 names) so that a failed match costs the same at every position
AGS = (rf"{MASK}{{1,40}}(?:\s*(?:、|和|及|与|以及|,|，)\s*{MASK}{{1,40}}){{0,30}}"
       r"(?:等(?:有关|相关)?(?:部门|单位)?)?")
SENTENCE_END = "。;；!！?？\n"
MAX_SIDE = 300  # a statement's sentence reaches at most this far either way
# a body marked as the lead inside a list of responsible units: 县教育局(牵头), 县教育局牵头,
LEAD_MARK = re.compile(r"\s*(?:[(（]\s*(?:牵头|主责|牵头单位)\s*[)）]|牵头(?:负责)?(?=[,，;；、)）。\s]|$))")


@dataclass(frozen=True)
class LeadStatement:
    span: tuple[int, int]  # clean offsets of the sentence that states it (evidence)
    match: tuple[int, int]  # clean offsets of the matched assignment itself
    leads: tuple[int, ...]  # indices of the lead agency mentions
    supports: tuple[int, ...]  # indices of the supporting agency mentions
    pattern: str
    item: tuple[int, int] | None = None  # the task it is about, when the layout delimits it (a table row)
    item_title: tuple[int, int] | None = None  # that task's title (the row's first cell)


@lru_cache(maxsize=1)
def lead_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    rows = read_table(EXTRACT_DATA / "lead_patterns.tsv")
    return tuple((name, re.compile(rx.replace("{AGS}", AGS))) for name, rx in rows)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = MASK * (e - s)
    return "".join(chars)


def sentence_span(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence around [s, e): from after the previous sentence end to the next one
    (inclusive of its punctuation), at most MAX_SIDE characters each way. An assignment in
    parentheses after a sentence ("…工程。(省扶贫办牵头负责)") is about that sentence: the span is
    the sentence and the parentheses."""
    k = s
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if text[s:s + 1] in "(（" and text[e - 1:e] in ")）" and k > 0 and text[k - 1] in SENTENCE_END.strip("\n"):
        a = _back_to(text, k - 1, SENTENCE_END + ")）")
        while a < s and text[a] in " \t":
            a += 1
        return a, e
    a = _back_to(text, s, SENTENCE_END)
    b = e
    stop = min(len(text), e + MAX_SIDE)
    while b < stop and text[b] not in SENTENCE_END:
        b += 1
    if b < len(text) and text[b] != "\n" and text[b] in SENTENCE_END:
        b += 1
    while a < b and text[a] in " \t":
        a += 1
    return a, b


def _back_to(text: str, pos: int, stops: str) -> int:
    """Start of the run before ``pos`` that holds none of ``stops`` (at most MAX_SIDE long)."""
    a, floor = pos, max(0, pos - MAX_SIDE)
    while a > floor and text[a - 1] not in stops:
        a -= 1
    return a


def find_lead_statements(text: str, mentions: list[tuple[int, int, int]],
                         roles: RoleLayout | None = None) -> list[LeadStatement]:
    """Assignments in ``text``; ``mentions`` are (start, end, id) of resolved agency mentions,
    ``roles`` the labelled fields and table cells of the document.

    Returns statements sorted by position, each naming mention ids as leads/supports.
    """
    mentions = _Mentions(mentions)
    out = _role_statements(text, mentions, roles) if roles is not None else []
    taken = SpanSet(st.match for st in out)
    masked = mask(text, [(s, e) for s, e, _ in mentions.items])
    for name, rx in lead_patterns():
        for m in rx.finditer(masked):
            if taken.overlaps(*m.span()):
                continue
            leads = mentions.ids_in(m.span("lead"))
            if not leads:
                continue
            supports = mentions.ids_in(m.span("support")) if m.groupdict().get("support") else ()
            supports = tuple(i for i in supports if i not in leads)
            taken.add(*m.span())
            out.append(LeadStatement(sentence_span(text, *m.span()), m.span(), leads, supports, name))
    return sorted(out, key=lambda st: st.match)


def _role_statements(text: str, mentions: "_Mentions", roles: RoleLayout) -> list[LeadStatement]:
    """Lead statements of labelled fields and table cells: a lead list leads; a responsible list
    leads unless a lead list names the leads (then it supports), a body in it is marked as the
    lead ("县教育局(牵头)、县财政局"), or the document declares that the first body listed leads;
    a support list supports."""
    out = []
    ends = {i: e for _, e, i in mentions.items}
    for st in roles.statements:
        by_role: dict[str, list[int]] = {"lead": [], "responsible": [], "support": []}
        for role, span in st.lists:
            for i in mentions.ids_in(span):
                marked = role == "responsible" and LEAD_MARK.match(text, ends[i])
                r = "lead" if marked else role
                if i not in by_role[r]:
                    by_role[r].append(i)
        leads, supports = by_role["lead"], list(by_role["support"])
        if leads:
            supports += by_role["responsible"]
        elif roles.first_leads and by_role["responsible"]:
            leads, supports = by_role["responsible"][:1], by_role["responsible"][1:] + supports
        else:
            leads = by_role["responsible"]
        supports = [i for i in dict.fromkeys(supports) if i not in leads]
        if leads or supports:
            out.append(LeadStatement(st.span, st.span, tuple(leads), tuple(supports), st.kind,
                                     st.item, st.item_title))
    return out


class _Mentions:
    """Resolved agency mentions (start, end, id), sorted, with the ids of those inside a span."""

    def __init__(self, mentions: list[tuple[int, int, int]]):
        self.items = sorted(mentions)
        self.starts = [s for s, _, _ in self.items]

    def ids_in(self, span: tuple[int, int]) -> tuple[int, ...]:
        s, e = span
        if s < 0:
            return ()
        return tuple(dict.fromkeys(i for _, _, i in within(self.starts, self.items, s, e, lambda m: m[1])))


@lru_cache(maxsize=1)
def _plan_duty() -> re.Pattern:
    lines = (EXTRACT_DATA / "plan_duty_terms.txt").read_text(encoding="utf-8").splitlines()
    return re.compile("|".join(f"(?:{ln.strip()})" for ln in lines if ln.strip() and not ln.startswith("#")))


def is_plan_duty(sentence: str) -> bool:
    """Whether a lead statement is about the plan as a whole (its implementation,
    monitoring or evaluation), by extract/data/plan_duty_terms.txt."""
    return bool(_plan_duty().search(sentence))
