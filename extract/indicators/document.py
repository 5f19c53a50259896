"""All indicators of a document: each block's sentences in its context, then goal tables."""
from __future__ import annotations

import bisect
import re

from .data import tables
from .record import Indicator
from .sentences import sentence_indicators
from .spans import RE_BOOK, sentences, spans_of
from .tables import table_indicators
from .years import Ctx, plan_period

RE_ITEM_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d{1,2}\s*[.、])\s*")


def _is_skip_paragraph(line: str) -> bool:
    return any(p.search(line) for p in tables().skip_par)


def find_indicators(text: str, blocks: list | None = None) -> list[Indicator]:
    """Indicators stated in the clean text, sorted by span (deterministic)."""
    if blocks is None:
        from ..domains import domain_labels
        from ..structure import DomainTagger, parse_structure

        blocks = parse_structure(text, DomainTagger(domain_labels()))
    start_year, end_year = plan_period(text, blocks)
    d = tables()
    books = spans_of(RE_BOOK, text)

    def retro_of(b) -> bool:
        titles = list(b.path) + ([b.title] if b.is_section and b.title else [])
        return any(d.retro.search(t) for t in titles if t)

    starts = [b.start for b in blocks]

    def ctx_for(pos: int) -> Ctx:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return Ctx(start_year, end_year, False, None)
        b = blocks[k]
        return Ctx(start_year, end_year, retro_of(b), b.domain)

    out: list[Indicator] = []
    for b in blocks:
        line = text[b.start:b.end]
        if _is_skip_paragraph(line):
            continue
        ctx = Ctx(start_year, end_year, retro_of(b), b.domain)
        # an item line ("1.提供…") starts after its marker
        s = b.start
        if b.marker:
            s = b.start + len(b.marker) if text.startswith(b.marker, b.start) else b.start
            mk = RE_ITEM_MARKER.match(line)
            if mk:
                s = b.start + mk.end()
        for ss, se in sentences(text, s, b.end):
            out.extend(sentence_indicators(text, ss, se, ctx, books))
    table = table_indicators(text, ctx_for, books)
    if table:
        tspans = [x.span for x in table]
        out = [x for x in out if not any(a <= x.span[0] < b_ for a, b_ in tspans)] + table
    seen = set()
    uniq = []
    for x in sorted(out, key=lambda x: (x.span, x.name_span, x.name, str(x.value), x.kind, x.comparator)):
        key = (x.name, x.name_span, x.unit, x.comparator, x.target, x.target_year, x.baseline, x.baseline_year,
               x.span)
        if key in seen:
            continue
        seen.add(key)
        uniq.append(x)
    return uniq
