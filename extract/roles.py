"""Where a plan lists the bodies responsible for its tasks: labelled fields and task tables.

Plans state ownership in a few layouts besides running prose (extract/leads.py):

* labelled fields after a task: "(牵头单位:县人社局;配合单位:县财政局、县民政局)",
  "责任单位:省教育厅。" — labels and their roles in extract/data/role_labels.tsv;
* task tables, as crawled: a header naming the columns ("序号 民生实事 责任单位 完成时限",
  "…区政府分管领导牵头单位配合单位"), then rows whose cells arrive one per line, as a numbered
  item whose last cell follows its text ("…发放救助金. 自治区民政厅"), or flattened into one line
  ("1增加教育资源供给…。何海平教育局经开区高新园(邹区镇)…2促进…");
* a convention declared once ("列第一位的为牵头单位", extract/data/role_conventions.tsv).

This module finds the spans that list bodies and the role of each list; extract/agencies.py
reads names inside those spans (where a list declares its items to be bodies, 县代建中心 and
五星街道 are bodies too) and extract/leads.py turns them into lead statements.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from .agency_names import CJK, GENERIC_SUB_UNITS, LIST_SEPARATORS, SUB_UNIT, AgencyVocabulary
from .tables import read_table, trie_pattern

LIST_END = ")）\n。"  # a field's list ends at the closing parenthesis, the line or the sentence
MAX_LIST = 240
SENTENCE_END = "。.;；!！?？"


@dataclass(frozen=True)
class RoleField:
    label: tuple[int, int]  # the label (牵头单位)
    role: str  # lead | responsible | support
    span: tuple[int, int]  # the list after the label


@dataclass
class RoleList:
    """Bodies listed in one role for one task: the lists of a field group or a table row."""

    lists: list[tuple[str, tuple[int, int]]]  # (role, span of the list), in text order
    span: tuple[int, int]  # the whole statement (evidence)
    item: tuple[int, int] | None = None  # the task it belongs to, when the layout says (a table row)
    item_title: tuple[int, int] | None = None  # the row's first cell
    kind: str = "field"  # "field" | "table"


@dataclass
class RoleLayout:
    statements: list[RoleList] = field(default_factory=list)
    first_leads: bool = False  # the document declares that the first body listed leads

    def list_spans(self) -> list[tuple[int, int]]:
        return sorted(sp for st in self.statements for _, sp in st.lists)


@dataclass(frozen=True)
class _Labels:
    roles: dict[str, str]
    columns: tuple[str, ...]
    label_rx: re.Pattern
    column_rx: re.Pattern
    conventions: tuple[tuple[str, re.Pattern], ...]


@lru_cache(maxsize=1)
def _labels() -> _Labels:
    rows = read_table(EXTRACT_DATA / "role_labels.tsv")
    roles = {lbl: role for lbl, role in rows if role != "column"}
    columns = tuple(lbl for lbl, role in rows if role == "column")
    conv = tuple((name, re.compile(rx)) for name, rx in read_table(EXTRACT_DATA / "role_conventions.tsv"))
    return _Labels(roles, columns, re.compile(trie_pattern(roles)), re.compile(trie_pattern(columns)), conv)


def find_roles(text: str, blocks: list, region_spans: list[tuple[int, int]] = ()) -> RoleLayout:
    """Labelled fields, task tables and the document's role convention in clean ``text``
    (``region_spans``: where region names are written, for the names in table cells)."""
    L = _labels()
    layout = RoleLayout(first_leads=any(rx.search(text) for name, rx in L.conventions if name == "first_leads"))
    fields, headers = [], []
    for m in L.label_rx.finditer(text):
        after = text[m.end():m.end() + 2].lstrip(" \t")
        bracketed = m.start() > 0 and text[m.start() - 1] in "[【〔" and after[:1] in "]】〕"
        if after[:1] in (":", "：") or bracketed:  # 牵头单位:X / 【牵头单位】X
            colon = text.index(after[0], m.end())
            fields.append((m, colon + 1))
        elif _is_header(text, m):
            headers.append(m)
    layout.statements.extend(_field_groups(text, fields))
    regions = {e: s for s, e in region_spans}
    layout.statements.extend(_tables(text, blocks, headers, list(layout.statements), regions))
    layout.statements.sort(key=lambda st: st.span)
    return layout


# ------------------------------------------------------------------ labelled fields
def _field_groups(text: str, fields: list[tuple[re.Match, int]]) -> list[RoleList]:
    L = _labels()
    parsed: list[RoleField] = []
    for i, (m, list_start) in enumerate(fields):
        end = min(len(text), list_start + MAX_LIST)
        if i + 1 < len(fields):
            end = min(end, fields[i + 1][0].start())
        stop, depth = end, 0
        for k in range(list_start, end):  # a parenthesis opened inside the list is its own (县教育局(牵头))
            c = text[k]
            if c in "(（":
                depth += 1
            elif c in ")）" and depth:
                depth -= 1
            elif c in LIST_END:
                stop = k
                break
        e = stop
        while e > list_start and text[e - 1] in " \t;；,，、。":
            e -= 1
        if e > list_start:
            parsed.append(RoleField(m.span(), L.roles[m.group(0)], (list_start, e)))
    groups: list[RoleList] = []
    for f in parsed:
        prev = groups[-1] if groups else None
        if prev is not None and prev.kind == "field" and not text[prev.span[1]:f.label[0]].strip(" \t\n;；,，。(（"):
            prev.lists.append((f.role, f.span))
            prev.span = (prev.span[0], _close(text, f.span[1]))
            continue
        start = f.label[0] - 1 if f.label[0] > 0 and text[f.label[0] - 1] in "(（[【〔" else f.label[0]
        groups.append(RoleList([(f.role, f.span)], (start, _close(text, f.span[1]))))
    return groups


def _close(text: str, pos: int) -> int:
    """After a list: include a closing parenthesis or sentence end that follows it."""
    k = pos
    while k < len(text) and text[k] in " \t;；,，、":
        k += 1
    return k + 1 if k < len(text) and text[k] in ")）。" else pos


# ------------------------------------------------------------------ task tables
def _is_header(text: str, m: re.Match) -> bool:
    """A role label standing among column titles, with no sentence between them."""
    L = _labels()
    before = text[max(0, m.start() - 40):m.start()]
    after = text[m.end():m.end() + 40]
    # cut the window at sentence punctuation: a header is a run of titles
    before = re.split(r"[。,，;；:：、]", before)[-1]
    after = re.split(r"[。,，;；:：、]", after)[0]
    window = before + " " + after
    if re.search(rf"(?:各|请|由|的)$", before.rstrip()):
        return False
    return len(L.column_rx.findall(window)) + len(L.label_rx.findall(window)) >= 2


def _header_columns(text: str, start: int, end: int) -> list[str]:
    """The role (or "person", for a leader column) of each role/leader column in a header span."""
    L = _labels()
    out = []
    pos = start
    while pos < end:
        lm = L.label_rx.search(text, pos, end)
        cm = L.column_rx.search(text, pos, end)
        m = min((x for x in (lm, cm) if x is not None), key=lambda x: (x.start(), -len(x.group(0))), default=None)
        if m is None:
            break
        if m is lm or (lm is not None and lm.start() == m.start() and len(lm.group(0)) >= len(m.group(0))):
            out.append(L.roles[lm.group(0)])
            pos = lm.end()
        else:
            if m.group(0).endswith("领导"):
                out.append("person")
            pos = m.end()
    return out


def _header_span(text: str, m: re.Match) -> tuple[int, int]:
    """The run of column titles around a header's role label (across one-title-per-line cells)."""
    L = _labels()
    s, e = m.start(), m.end()
    titles = re.compile(rf"(?:{L.column_rx.pattern}|{L.label_rx.pattern}|\d{{4}}\s*年|[\s\d/()（）])+")
    # extend left and right over titles, blanks and line breaks
    while True:
        back = [x for x in titles.finditer(text, max(0, s - 60), s) if x.end() == s]
        if not back or back[-1].start() == s:
            break
        s = back[-1].start()
    fwd = titles.match(text, e)
    if fwd:
        e = fwd.end()
    while e > m.end() and text[e - 1] in " \t\n0123456789(（":
        e -= 1
    while s < m.start() and text[s] in " \t\n":
        s += 1
    return s, e


def _tables(text: str, blocks: list, headers: list[re.Match], fields: list[RoleList],
            regions: dict[int, int]) -> list[RoleList]:
    if not headers:
        return []
    grammar = AgencyVocabulary.load().grammar
    spans = []
    for m in headers:
        hs, he = _header_span(text, m)
        if spans and hs <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(he, spans[-1][1]))
        else:
            spans.append((hs, he))
    out: list[RoleList] = []
    field_starts = sorted(f.span[0] for f in fields)
    sections = [b for b in blocks if b.is_section]
    section_starts = [b.start for b in sections]
    for i, (hs, he) in enumerate(spans):
        region_end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        if bisect.bisect_left(field_starts, region_end) > bisect.bisect_left(field_starts, he):
            continue  # the rows have labelled fields of their own
        columns = _header_columns(text, hs, he)
        roles = [c for c in columns if c != "person"]
        if not roles:
            continue
        person = bool(columns) and columns[0] == "person" or "person" in columns[:columns.index(roles[0]) + 1]
        items = sections[bisect.bisect_left(section_starts, he):bisect.bisect_left(section_starts, region_end)]
        for row in _rows(text, items, he, region_end):
            out.extend(_row_statements(text, row, roles, person, grammar, regions))
    return out


def _rows(text: str, items: list, start: int, end: int) -> list[tuple[int, int, int]]:
    """Rows of a table region (``items``: the outline blocks inside it): (row start, first-cell
    start, row end)."""
    # cells one per line: a row starts at a line holding only its number
    nums = [m for m in re.finditer(r"(?m)^[ \t]*(\d{1,3})[ \t]*$", text[start:end])]
    if len(nums) >= 2:
        starts = [(start + m.start(), start + m.end()) for m in nums]
        return [(s, e, starts[k + 1][0] if k + 1 < len(starts) else end) for k, (s, e) in enumerate(starts)]
    # numbered items of the outline: the finest rank that repeats
    counts = Counter(b.rank for b in items)
    ranks = sorted(r for r, n in counts.items() if n >= 2)
    if ranks:
        out = []
        for k, b in enumerate(items):
            if b.rank == ranks[-1]:
                nxt = items[k + 1].start if k + 1 < len(items) else end
                out.append((b.start, b.start + len(b.marker), nxt))
        return out
    # flattened: "1任务…2任务…", the numbers counting up
    out, pos, n = [], start, 1
    while True:
        m = re.compile(rf"(?<!\d){n}(?=[{CJK}])").search(text, pos, end)
        if m is None:
            break
        out.append((m.start(), m.end(), end))
        if len(out) > 1:
            out[-2] = (out[-2][0], out[-2][1], m.start())
        pos, n = m.end(), n + 1
    # one row is a row when it follows the header at once
    return out if len(out) >= 2 or (out and not text[start:out[0][0]].strip()) else []


def _row_statements(text: str, row: tuple[int, int, int], roles: list[str], person: bool,
                    grammar, regions) -> list[RoleList]:
    rs, cs, re_ = row
    while cs < re_ and text[cs] in " \t\n":
        cs += 1
    item_end = cs
    while item_end < re_ and text[item_end] not in "。.;；,，\n" and item_end - cs < 60:
        item_end += 1
    item_title = (cs, item_end) if item_end > cs else None
    # tails separated only by line breaks are the cells of one row (县水务局 / 县住建局); tails with
    # text between them are sub-rows of their own ("…展陈。何海平文体旅局…推进…。芮春祥住建局…")
    groups: list[list[list[tuple[int, int]]]] = []
    last = None
    for ts, te in _tails(text, item_end, re_, person, grammar, regions):
        names = grammar_names(text, ts, te, grammar, regions)
        if not names:
            continue
        if last is not None and not text[last:ts].strip():
            groups[-1].append(names)
        else:
            groups.append([names])
        last = te
    out = []
    for cells in groups:
        names = [n for cell in cells for n in cell]
        if len(roles) == 1:
            lists = [(roles[0], (c[0][0], c[-1][1])) for c in cells]
        else:  # the first body in the first role column, the others in the next
            lists = [(roles[0], names[0])]
            if len(names) > 1:
                lists.append((roles[1], (names[1][0], names[-1][1])))
        out.append(RoleList(lists, (cells[0][0][0], cells[-1][-1][1]), (rs, re_), item_title, "table"))
    return out


def _tails(text: str, s: int, e: int, person: bool, grammar, regions) -> list[tuple[int, int]]:
    """Runs of names in a row after its first cell: at a line start or after a sentence end
    (with the leader's name first when the table has a leader column: 何海平教育局…)."""
    out = []
    k = s
    starts = sorted({s} | {s + m.end() for m in re.finditer(r"[。.;；]\s*|\n\s*", text[s:e])})
    for a in starts:
        if a < k:
            continue
        begin = a
        if person:  # a leader's name (2-3 characters) before a body the vocabulary knows
            for n in (3, 2):
                c = grammar.cores(text, a + n, min(e, a + n + 30), weak=True)
                if re.fullmatch(rf"[{CJK}]{{{n}}}", text[a:a + n]) and c and c[0].start == a + n:
                    begin = a + n
                    break
        names = grammar_names(text, begin, e, grammar, regions)
        if not names or names[0][0] != begin:
            continue
        continues = bool(out) and not text[out[-1][1]:begin].strip()
        if not continues and not _known_core_at(text, begin, names[0][1], grammar):
            continue  # a cell of bodies starts with a body the vocabulary knows
        out.append((begin, names[-1][1]))
        k = names[-1][1]
    return out


COMPANY = re.compile(rf"[{CJK}]{{2,10}}?(?:有限责任公司|有限公司|集团|公司)")
GENERIC = re.compile(rf"(?:各|其他|其它|有关|相关)[{CJK}]{{0,6}}?(?:街道|乡镇|镇|乡|部门|单位|区|县|市|人民政府|政府)")


def grammar_names(text: str, s: int, e: int, grammar, regions: dict[int, int]) -> list[tuple[int, int]]:
    """Consecutive body names from ``s``: agencies (weak suffixes too), sub-units (五星街道), with
    companies and generic actors (各街道) read but not returned; stops at the first other text.
    ``regions`` maps the end of each region name to its start."""
    out = []
    region_at = {rs: re_ for re_, rs in regions.items()}
    pos = s
    while pos < e:
        while pos < e and text[pos] in " \t、,，;；/和及与":
            pos += 1
        if pos >= e:
            break
        cores = grammar.cores(text, pos, min(e, pos + 40), weak=True)
        c = cores[0] if cores and cores[0].start <= pos + 12 else None
        if c is not None and _prefix_only(text, pos, c.start, regions):
            end = _suboffice_end(text, c.end, grammar)
            out.append((pos, end))
            pos = end
        elif (m := GENERIC.match(text, pos, e)) or (m := COMPANY.match(text, pos, e)):
            pos = m.end()
        elif (oc := _open_item(text, pos, e, grammar)) is not None:
            out.append((pos, oc))
            pos = oc
        elif (re_ := region_at.get(pos)) is not None and (re_ >= e or text[re_] in LIST_SEPARATORS):
            out.append((pos, re_))  # a region named alone: its government (配合单位:东宝区、掇刀区)
            pos = re_
        elif (m := SUB_UNIT.match(text, pos, e)) and m.group("name") not in GENERIC_SUB_UNITS \
                and not any(pos <= c.start < m.end() for c in cores):
            out.append((m.start("name"), m.end()))
            pos = m.end()
        else:
            break
    return out


def _known_core_at(text: str, s: int, e: int, grammar) -> bool:
    return any(s <= c.start and c.end <= e for c in grammar.cores(text, s, e, weak=True))


def _open_item(text: str, pos: int, e: int, grammar) -> int | None:
    """End of a delimited item at ``pos`` that is one body's name the vocabulary lacks."""
    end = pos
    while end < e and text[end] not in "、,，;；/\n 。.":
        end += 1
    return end if end > pos and grammar.open_core(text, pos, end) is not None else None


PREFIX_WORDS = re.compile(r"(?:中共)?(?:省|市|县|区|州|旗|盟|自治区|自治州|自治县)?(?:人民政府|政府)?")


def _prefix_only(text: str, s: int, e: int, regions: dict[int, int]) -> bool:
    """Whether text[s:e] is only what may stand before a name core: [中共] [a region name]
    [a level word] [人民政府]."""
    head = next(k for k in range(s, e + 1) if PREFIX_WORDS.fullmatch(text, k, e))
    if head == s:
        return True
    return regions.get(head) == s or (text.startswith("中共", s) and regions.get(head) == s + 2)


def _suboffice_end(text: str, end: int, grammar) -> int:
    for sub in sorted(grammar.vocab.suboffices, key=len, reverse=True):
        if text.startswith(sub, end):
            return end + len(sub)
    return end
