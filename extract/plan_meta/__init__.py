"""Plan metadata: title, document number, issuer, issue date, jurisdiction, parent plans.

All functions work on the clean text and return clean offsets (the caller maps them to the
original file for evidence). The front matter of a crawled plan is whatever precedes the
first rank-1 heading (for a notice with numbered points of its own: the first one after its
signature); a forwarding notice ("X关于印发《Y》的通知", "现将《Y》印发给你们") names the
issuer X and the plan title Y; the signature block (issuer line, then a date line) dates it;
a news report of the plan ("X联合印发了《Y》") names them too (not a release the plan's own
preamble reports: a text that speaks as the plan, 本规划, reports other documents' history). Words and phrases are data
(extract/data/plan_meta_terms.tsv).

One module per job: ``header`` (front matter, notice, signature blocks, citations),
``release`` (a sentence reporting the issue), ``titles``, ``numbers`` (文号), ``dates``,
``issuers`` (with co-issuer groups), ``parents`` (the plans it implements),
``jurisdiction``; ``terms`` loads the vocabulary, ``model`` holds the result types.
"""
from __future__ import annotations

from ..structure import Block
from .dates import DATE, cn_number, date_after, find_issued
from .header import (Citations, closing_date, document_titles, front_end, header_end, is_notice, line_end,
                     notice_start, notice_titles, signatures)
from .issuers import Issuer, co_issuer_groups, find_issuer
from .jurisdiction import find_jurisdiction, self_level_hint
from .model import CitedPlan, Found, PlanMeta
from .numbers import find_document_number
from .parents import find_implements, own_references
from .release import find_releases, topic_releases
from .terms import PlanTerms
from .titles import Title, clean_title, find_title, same_title

__all__ = ["DATE", "CitedPlan", "Found", "Issuer", "PlanMeta", "Title", "cn_number", "co_issuer_groups",
           "find_document_number", "find_implements", "find_issued", "find_issuer", "find_jurisdiction",
           "find_releases", "find_title", "header_end", "read_plan_meta", "self_level_hint", "signatures"]


def read_plan_meta(text: str, blocks: list[Block], spans: list[tuple[int, int]]) -> tuple[PlanMeta, int | None]:
    """The plan's metadata from its clean text, outline and agency-mention spans; returns it
    with the index of the issuer's mention (None for none or a co-issuer group)."""
    citations = Citations(text)
    hdr = header_end(blocks, text)
    groups = co_issuer_groups(text, spans)
    names = sorted(set(spans) | {g.span for g in groups})
    notice = is_notice(text, hdr, citations)
    front, sigs = front_end(blocks, text, hdr, notice, names)
    releases = find_releases(text, front, citations)
    if releases and PlanTerms.load().own_voice.search(text, 0, front):
        # the text is the plan (特制定本规划): the issues its preamble reports (2012年,国务院出台
        # 《X》) are other documents' history, unless one is the plan's own title
        own = find_title(text, blocks, front, citations)
        releases = [r for r in releases if own is not None and same_title(clean_title(r.title), own.found.value)]
    title = find_title(text, blocks, front, citations, releases)
    if title is not None:
        releases += topic_releases(text, front, own_references(text, title.found.value))
    issuer = find_issuer(text, front, spans, groups, sigs, title, releases, notice, citations)
    title_ends = [m.end() for m in notice_titles(text, hdr, citations) + document_titles(text, hdr, citations)]
    meta = PlanMeta(title=title.found if title else None,
                    document_number=find_document_number(text, hdr, title_ends))
    # the date follows the signature line (or, without one, the issuer's line)
    signed = sigs[0].date if sigs else None
    if signed is None and issuer is not None:
        signed = date_after(text, line_end(text, issuer.span[1]), front)
    if signed is None and notice:
        signed = closing_date(text, notice_start(text, front, citations), front)
    released = next((r.date for r in releases if r.date is not None
                     and (title is None or same_title(clean_title(r.title), title.found.value))), None)
    # a page that reports the plan (近日, 记者) dates itself, not the plan
    reported = bool(PlanTerms.load().news_marker.search(text, 0, front))
    meta.issued = find_issued(text, front, signed, released,
                              page_is_plan=title is not None and title.page_is_plan and not reported)
    meta.implements = find_implements(text, front, meta.title.value if meta.title else None)
    if issuer is not None:
        meta.issuer_span, meta.issuer_members = issuer.span, list(issuer.members)
    return meta, issuer.mention if issuer is not None else None
