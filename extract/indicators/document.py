"""All indicators of a document: each block's sentences in its context, then goal tables."""
from __future__ import annotations

import bisect
import re

from .data import tables
from .pipe_tables import pipe_table_cells
from .record import Indicator
from .sentences import sentence_indicators
from .spans import RE_BOOK, broken_number_at, sentences, spans_of
from .category_tables import category_table_indicators
from .tables import table_indicators
from .frame import document_period
from .years import Ctx, Cue, cues

RE_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十\d]+[章节篇]")
MAX_BARE_HEADING = 30
RE_SENTENCE_PUNCT = re.compile(r"[。;,:!?]")
RE_ITEM_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d{1,2}\s*[.、])\s*")


def _is_skip_paragraph(line: str) -> bool:
    return any(p.search(line) for p in tables().skip_par)


def _is_bare_heading(line: str, nxt: list, text: str) -> bool:
    """A chapter heading (第一节 发展基础) or a short title line over a paragraph of text."""
    if len(line) > MAX_BARE_HEADING or RE_SENTENCE_PUNCT.search(line):
        return False
    if RE_CHAPTER.match(line):
        return True
    return not re.search(r"\d", line) and bool(nxt) and nxt[0].end - nxt[0].start > MIN_PARAGRAPH


MIN_PARAGRAPH = 40


def _retro_blocks(text: str, blocks: list) -> list[bool]:
    """For each block: does it review the past period or the situation the plan starts from?
    The innermost of its own and its enclosing outline headings that names a review (发展基础,
    现状, 完成情况 …), the plan's aims (主要目标, 主要任务 …) or its situation (面临形势) decides,
    or it follows a bare heading that names a review or the situation (第一节 发展基础, a title
    line the outline does not number) up to the next chapter heading or a heading of aims."""
    d = tables()
    out = []
    bare = False
    for k, b in enumerate(blocks):
        titles = list(b.path) + ([b.title] if b.is_section and b.title else [])
        line = text[b.start:b.end].strip()
        if b.rank is None and _is_bare_heading(line, blocks[k + 1:k + 2], text):
            if d.retro.search(line) or d.present_section.search(line) and not d.forward_section.search(line):
                bare = True
            elif RE_CHAPTER.match(line) or d.forward_section.search(line):
                bare = False
        elif b.is_section and b.title and d.forward_section.search(b.title):
            bare = False
        out.append(bare or _reviews(titles))
    return out


def _reviews(titles: list[str]) -> bool:
    """Does the innermost title that names a review, the plan's aims or its starting situation
    name a review or the situation (主要目标完成情况: a review; 形势与目标: aims)?"""
    d = tables()
    for t in reversed([t for t in titles if t]):
        if d.retro.search(t):
            return True
        if d.forward_section.search(t):
            return False
        if d.present_section.search(t):
            return True
    return False


RE_LINE_END_IN_PHRASE = re.compile(r"[\u4e00-\u9fff]$")


def mend_broken_lines(text: str, blocks: list) -> str:
    """The text with the line breaks a crawl put between a measure and its figure turned into
    spaces (新增城镇就业\n8000 人 / 提高到\n420 元/月): a paragraph line that ends inside a
    phrase (not a table row opening with a figure), followed by a line that opens with a
    figure and its unit (not a year). Same length, so offsets hold."""
    from .numbers import mention_re

    chars = None
    mended = False  # the line before ran on into this one
    for b, nxt in zip(blocks, blocks[1:]):
        line = text[b.start:b.end]
        if b.kind != "paragraph" or nxt.start != b.end + 1 or not RE_LINE_END_IN_PHRASE.search(line) or \
                (re.match(r"\s*\d", line) and not mended):  # a table row's cells (3000 为全区 / 1050 万户…)
            mended = False
            continue
        mended = False
        m = mention_re().match(text, nxt.start + len(text[nxt.start:nxt.end]) - len(text[nxt.start:nxt.end].lstrip()))
        if m and not (m.group("unit") == "年" and re.fullmatch(r"(?:19|20)\d{2}", m.group("a"))):
            chars = chars or list(text)
            chars[b.end] = " "
            mended = True
    return "".join(chars) if chars else text


def heading_topic(b, period) -> Cue | None:
    """The time the headings above a block set (一、2022年…执行情况 / (一)“十三五”时期…): the
    last cue of the innermost heading that names one. (A title line the outline does not
    number sets the time of the paragraphs after it in :func:`find_indicators`.)"""
    for title in reversed(b.path):
        found = cues(title, 0, len(title), [], period)
        if found:
            return Cue(0, 0, found[-1].year, False)
    return None


def find_indicators(text: str, blocks: list | None = None) -> list[Indicator]:
    """Indicators stated in the clean text, sorted by span (deterministic)."""
    if blocks is None:
        from ..domains import domain_labels
        from ..structure import DomainTagger, parse_structure

        blocks = parse_structure(text, DomainTagger(domain_labels()))
    text = mend_broken_lines(text, blocks)
    period = document_period(text, blocks)
    d = tables()
    books = spans_of(RE_BOOK, text)
    retro = _retro_blocks(text, blocks)
    pipe_cells = pipe_table_cells(text, blocks)
    starts = [b.start for b in blocks]

    def ctx_for(pos: int) -> Ctx:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return Ctx(period, False, None)
        return Ctx(period, retro[k], blocks[k].domain)

    out: list[Indicator] = []
    bare_topic = None  # the time a title line the outline does not number sets (硕果累累“十二五”)
    joined = -1  # blocks up to this one run on from a line that ends inside a broken number or phrase
    for k, b in enumerate(blocks):
        if k <= joined:
            continue
        line = text[b.start:b.end]
        if _is_skip_paragraph(line):
            continue
        if b.rank is None and _is_bare_heading(line.strip(), blocks[k + 1:k + 2], text) and \
                not tables().plan_title.search(line):  # not the title of the plan (it sets the frame)
            found = cues(text, b.start, b.end, books, period)
            if found:
                bare_topic = Cue(0, 0, found[-1].year, False)
            elif RE_CHAPTER.match(line) or tables().forward_section.search(line):
                bare_topic = None
        topic = heading_topic(b, period) or bare_topic
        end, j = b.end, k
        while j + 1 < len(blocks) and end < len(text) and (broken_number_at(text, end) or text[end] == " ") and \
                blocks[j + 1].start == end + 1:
            j += 1
            end, joined = blocks[j].end, j
        # an item line ("1.提供…") starts after its marker
        s = b.start
        if b.marker:
            s = b.start + len(b.marker) if text.startswith(b.marker, b.start) else b.start
            mk = RE_ITEM_MARKER.match(line)
            if mk:
                s = b.start + mk.end()
        for cs, ce, role in pipe_cells.get(k, [(s, end, None)]):
            for ss, se in sentences(text, max(cs, s), ce):
                ctx = Ctx(period, retro[k] or role == "achieved", b.domain, topic, role == "goal")
                found, topic = sentence_indicators(text, ss, se, ctx, books)
                out.extend(found)
    table = table_indicators(text, ctx_for, books)
    if table:
        tspans = [x.span for x in table]
        out = [x for x in out if not any(a <= x.span[0] < b_ for a, b_ in tspans)] + table
    category, cells = category_table_indicators(text, ctx_for)
    if category:
        out = [x for x in out if x.table or not any(a <= x.span[0] < b_ for a, b_ in cells)] + category
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
