"""The portable text of a query: a form that runs on SPARQL engines other than Oxigraph
(Virtuoso 7.2 is the one tested, tests/test_virtuoso.py) and gives the same rows.

The named queries are written for Oxigraph's evaluation; three things in them go wrong
elsewhere, and :func:`portable` rewrites each:

* ``LATERAL { GROUP }`` (SEP-0006): written as the plain GROUP. The named queries wrap only
  groups whose rows are the same either way (tests/test_queries.py checks each).
* ``GROUP_CONCAT(...; separator="、")``: Virtuoso turns a separator outside ASCII into "?",
  and its REPLACE mangles patterns outside ASCII. The projection is computed with U+001F in
  the separator's place (also in the patterns that tidy the list) and the separator put
  back at the end (no label holds a control character: the extraction normalizes them away).
* A top-level ``ORDER BY`` (with LIMIT/OFFSET) over variables made by BIND: Virtuoso's
  ordered DISTINCT returns wrong values ("0") for them. The query becomes a subquery and
  the ordering is applied outside it, by the keys that are projected (a key that is not
  projected only broke ties, so the rows are the same; their order may differ in ties).

A query may also declare rewrites of its own for other engines, one a line, applied first
to its lines of code: ``# Portable: TEXT => REPLACEMENT`` (owners-by-level compares a
variable that Oxigraph joins, since Virtuoso joins no unbound variable).

Brackets are matched on a masked copy of the text (comments and the insides of string
literals blanked), so a brace in a comment or a label does not count.
"""
from __future__ import annotations

import re

from .query_text import QueryTextError

UNIT_SEPARATOR = "\\u001F"
_MASKED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s"{}|^`\\]*>|(?:^|(?<=\s))#[^\n]*', re.MULTILINE)


def _mask(text: str) -> str:
    """``text`` with comments and the insides of strings and IRIs blanked (same length)."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        return " " * len(s) if s.startswith("#") else s[0] + "x" * (len(s) - 2) + s[-1]
    return _MASKED.sub(blank, text)


def without_lateral(query: str) -> str:
    """``query`` with each ``LATERAL { GROUP }`` written as the plain GROUP."""
    out, i, masked = [], 0, _mask(query)
    for m in re.finditer(r"\bLATERAL\s*\{", masked):
        if m.start() < i:
            continue  # inside a block already unwrapped
        j = _close(masked, m.end(), "{", "}")
        if j is None:
            raise QueryTextError("a LATERAL block is not closed")
        out.append(query[i:m.start()] + without_lateral(query[m.end():j - 1]).strip())
        i = j
    return "".join(out) + query[i:]


def _close(text: str, start: int, opening: str, closing: str) -> int | None:
    """The index just after the bracket closing the one opened before ``start``; None when
    it is not closed."""
    depth, j = 1, start
    while depth and j < len(text):
        depth += {opening: 1, closing: -1}.get(text[j], 0)
        j += 1
    return None if depth else j


def ascii_separators(query: str) -> str:
    """Each projection ``(EXPR AS ?v)`` whose GROUP_CONCAT joins with a separator S outside
    ASCII computed with U+001F in S's place (in the separator and in every string of EXPR,
    e.g. the patterns that tidy the list) and S put back at the end:
    ``(REPLACE(EXPR', "\\u001F", "S") AS ?v)``."""
    out, i, masked = [], 0, _mask(query)
    for m in re.finditer(r"\(", masked):
        if m.start() < i:
            continue
        j = _close(masked, m.end(), "(", ")")
        if j is None:
            raise QueryTextError("a parenthesis is not closed")
        proj = re.fullmatch(r"(.*\S)\s+AS\s+(\?\w+)\s*", query[m.end():j - 1], flags=re.IGNORECASE | re.DOTALL)
        if proj is None or not re.search(r"\bGROUP_CONCAT\s*\(", masked[m.end():j - 1], flags=re.IGNORECASE):
            continue
        seps = set(re.findall(r';\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"', proj.group(1), flags=re.IGNORECASE))
        wide = sorted(x for x in seps if not x.isascii())
        if len(wide) != 1:
            continue  # ASCII separators (or several: left as they are)
        sep = wide[0]
        expr = re.sub(r'"(?:[^"\\]|\\.)*"', lambda lit: lit.group(0).replace(sep, UNIT_SEPARATOR), proj.group(1))
        out.append(query[i:m.start()] + f'(REPLACE({expr}, "{UNIT_SEPARATOR}", "{sep}") AS {proj.group(2)})')
        i = j
    return "".join(out) + query[i:]


def _top_level(text: str, pattern: str) -> re.Match | None:
    """The last match of ``pattern`` in ``text`` outside every brace, bracket and
    parenthesis, comment and string (positions are those of ``text``)."""
    masked, found = _mask(text), None
    for m in re.finditer(pattern, masked, flags=re.IGNORECASE):
        before = masked[:m.start()]
        if sum(before.count(o) - before.count(c) for o, c in ("{}", "()", "[]")) == 0:
            found = m
    return found


def _projected(query: str) -> list[str] | None:
    """Variables the top-level SELECT projects, in its order (None for ``SELECT *`` or no SELECT)."""
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", _mask(query), flags=re.IGNORECASE | re.DOTALL)
    if m is None:
        return None
    head = m.group(1)
    if re.fullmatch(r"\s*(DISTINCT|REDUCED)?\s*\*\s*", head, flags=re.IGNORECASE):
        return None
    plain = re.sub(r"\((?:[^()]|\([^()]*\))*\)", lambda e: " ".join(re.findall(r"\bAS\s+(\?\w+)", e.group(0),
                                                                                   flags=re.IGNORECASE)), head)
    return list(dict.fromkeys(v[1:] for v in re.findall(r"\?\w+", plain)))


def order_outside(query: str) -> str:
    """``query`` as a subquery with its top-level ORDER BY, LIMIT and OFFSET applied outside
    it, ordering by the keys it projects."""
    order = _top_level(query, r"\bORDER\s+BY\b")
    if order is None:
        return query
    body, modifiers = query[:order.start()].rstrip(), query[order.end():]
    limits = re.search(r"\b(LIMIT|OFFSET)\b", modifiers, flags=re.IGNORECASE)
    keys_text, tail = (modifiers[:limits.start()], modifiers[limits.start():]) if limits else (modifiers, "")
    projected = _projected(query)
    keys = [k.group(0) for k in re.finditer(r"(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+", keys_text, flags=re.IGNORECASE)
            if projected is None or re.search(r"\?(\w+)", k.group(0)).group(1) in projected]
    select = _top_level(body, r"\bSELECT\b")
    start = select.start() if select else 0
    columns = " ".join(f"?{v}" for v in projected) if projected else "*"  # the columns in their order
    outer = f"SELECT {columns} WHERE {{ {{\n{body[start:]}\n}} }}"
    if keys:
        outer += "\nORDER BY " + " ".join(keys)
    return body[:start] + outer + ("\n" + tail.strip() if tail.strip() else "") + "\n"


PORTABLE_LINE = re.compile(r"^#\s*Portable:\s*(.+?)\s+=>\s+(.+?)\s*$", re.MULTILINE)


def declared_rewrites(query: str) -> str:
    """``query`` with each ``# Portable: TEXT => REPLACEMENT`` it declares applied to its
    lines of code (comment lines stay); a TEXT found in none of them is an error."""
    lines = query.splitlines(keepends=True)
    for m in PORTABLE_LINE.finditer(query):
        old, new = m.group(1), m.group(2)
        hits = [i for i, line in enumerate(lines) if not line.lstrip().startswith("#") and old in line]
        if not hits:
            raise QueryTextError(f"the portable rewrite of {old!r} finds nothing to rewrite")
        for i in hits:
            lines[i] = lines[i].replace(old, new)
    return "".join(lines)


def portable(query: str) -> str:
    """The form of ``query`` for engines other than Oxigraph (see the module's note)."""
    return order_outside(ascii_separators(without_lateral(declared_rewrites(query))))
