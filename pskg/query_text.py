"""The text of a named query as it runs: its parameters bound, a page of it, a portable form.

A named query (queries/*.rq) declares in header comment lines how it is bound and paged:

* ``# Bind: NAME=?VAR[@LANG] [{ PATTERNS }]``: a parameter. Bound, its value goes into a
  VALUES clause where the query starts, followed by the declared start patterns. LANG may
  list tags separated by ``|``, an empty one for a plain literal (``@zh-Hans|``): the VALUES
  clause then holds the value in each form, so that an exact lookup finds labels of either.
* ``# Page: ?VAR SIZE { PATTERNS } [ORDER BY KEYS]``: with no parameter bound, the query
  runs a page at a time: a page is the rows of SIZE values of VAR (plans, say), taken in the
  order of KEYS.
* ``# Page if NAME[,NAME...]: ?VAR SIZE { PATTERNS } [ORDER BY KEYS]``: the same, for when
  exactly those parameters are bound (owners-by-level for one service: a page of regions
  that have an owner of it). The bound parameters' VALUES and start patterns go first in
  the page's patterns.

"Where the query starts" is after each line that ends in ``#bind`` (a query may start in
several places, e.g. subqueries evaluated on their own), else at the start of the WHERE
clause. pyoxigraph joins in the order written, so the query then starts from the bound
value instead of computing the whole result and filtering it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

BIND_MARK = "#bind"
BIND_LINE = re.compile(r"^#\s*Bind:\s*(\S+)\s*(?:\{(.*)\})?\s*$", re.MULTILINE)
PAGE_LINE = re.compile(r"^#\s*Page(?:\s+if\s+([\w,\s]+?))?:\s*\?(\w+)\s+(\d+)\s*\{(.*)\}\s*(ORDER BY\s.*)?$",
                       re.MULTILINE)


class QueryTextError(ValueError):
    """A parameter, page or query text that cannot be used, said in one line."""


def _term(value: str, lang: str = "") -> str:
    if value.startswith("<") or value.startswith("http"):
        return value if value.startswith("<") else f"<{value}>"
    return json.dumps(value, ensure_ascii=False) + (f"@{lang}" if lang else "")


def _values(pairs: list[tuple[str, str | list[str]]]) -> str:
    """One VALUES clause: a row for each combination of the terms given for each variable."""
    head = " ".join(f"?{n}" for n, _ in pairs)
    rows = [[]]
    for _, terms in pairs:
        rows = [r + [t] for r in rows for t in ([terms] if isinstance(terms, str) else terms)]
    return f"VALUES ({head}) {{ {' '.join('(' + ' '.join(r) + ')' for r in rows)} }}"


def declared_parameters(query: str) -> dict[str, tuple[str, str, str]]:
    """NAME -> (variable, language tag, start patterns) of each ``# Bind:`` line, in the
    query's declaration order (its most selective start first)."""
    out: dict[str, tuple[str, str, str]] = {}
    for m in BIND_LINE.finditer(query):
        name, _, target = m.group(1).partition("=")
        var, _, lang = target.lstrip("?").partition("@")
        out[name] = (var, lang, (m.group(2) or "").strip())
    return out


def _split(query: str, bindings: list[str]) -> tuple[str, list[tuple[str, str]], list[str]]:
    """(the start text of the declared parameters: their VALUES clause and start patterns;
    the other parameters as (variable, term); the names of the declared ones bound)."""
    declared = declared_parameters(query)
    first, names, last, seen = [], [], [], set()
    for binding in bindings:
        var, sep, value = binding.partition("=")
        if not sep or not var.isidentifier():
            raise QueryTextError(f"--bind expects VAR=VALUE, got {binding!r}")
        if var in seen:
            raise QueryTextError(f"--bind {var} given twice")
        seen.add(var)
        if var in declared:
            target, lang, _start = declared[var]
            forms = [_term(value, tag) for tag in lang.split("|")] if "|" in lang else _term(value, lang)
            first.append((target, forms))
            names.append(var)
        else:
            last.append((var, _term(value)))
    if not first:
        return "", last, []
    order = list(declared)
    keyed = sorted(zip(first, names), key=lambda x: order.index(x[1]))
    starts = [declared[name][2].rstrip(" .") + " ." for _, name in keyed if declared[name][2]]
    return " ".join([_values([f for f, _ in keyed]), *starts]), last, [n for _, n in keyed]


def bind_values(query: str, bindings: list[str]) -> str:
    """``query`` with named-query parameters given as VAR=VALUE bound (an IRI when it looks
    like one, else a string): a declared parameter (``# Bind:``) where the query starts, in
    the order the query declares them; any other by one trailing VALUES clause (the variable
    of that name in the result rows)."""
    if not bindings:
        return query
    start, last, _ = _split(query, bindings)
    out = insert_at_starts(query, start) if start else query
    if last:
        out = f"{out.rstrip()}\n{_values(last)}\n"
    return out


def insert_at_starts(query: str, text: str) -> str:
    """``query`` with ``text`` after every line ending in ``#bind`` (not in a comment line),
    else at the start of its first WHERE clause."""
    lines = query.splitlines(keepends=True)
    marks = [i for i, line in enumerate(lines)
             if line.rstrip().endswith(BIND_MARK) and not line.lstrip().startswith("#")]
    if marks:
        for i in reversed(marks):
            lines.insert(i + 1, f"  {text}\n")
        return "".join(lines)
    for m in re.finditer(r"\bWHERE\s*\{", query, flags=re.IGNORECASE):
        line_start = query.rfind("\n", 0, m.start()) + 1
        if not query[line_start:m.start()].lstrip().startswith("#"):
            return query[:m.end()] + f"\n  {text}" + query[m.end():]
    raise QueryTextError("the query has no WHERE clause to bind parameters in")


@dataclass(frozen=True)
class Paging:
    """How a named query pages for the parameters bound (a ``# Page`` line): a page is the
    rows of SIZE values of VAR, taken in the order of KEYS; ``start`` is the bound
    parameters' VALUES and start patterns, which the page's patterns begin with."""
    var: str
    size: int
    patterns: str
    order: str
    start: str = ""

    def _where(self) -> str:
        return f"{self.start} {self.patterns}".strip()

    def page(self, query: str, number: int, size: int | None = None) -> str:
        """``query`` restricted to page ``number`` (from 1): a subquery selecting that page's
        values of the variable goes where the query starts, so the rest is evaluated for them."""
        if number < 1:
            raise QueryTextError(f"pages are numbered from 1, got {number}")
        size = size or self.size
        if size < 1:
            raise QueryTextError(f"a page holds at least 1 value, got {size}")
        sub = (f"{{ SELECT DISTINCT ?{self.var} WHERE {{ {self._where()} }} {self.order} "
               f"LIMIT {size} OFFSET {(number - 1) * size} }}")
        return insert_at_starts(query, sub)

    def count_query(self) -> str:
        """How many values of the variable there are (pages = ceil(count / size))."""
        return f"SELECT (COUNT(DISTINCT ?{self.var}) AS ?n) WHERE {{ {self._where()} }}"

    def total(self, store) -> int:
        """How many values of the variable a GraphStore holds."""
        return int(next(iter(store.query(self.count_query())))[0].value)


def paging(query: str, bindings: list[str] | tuple = ()) -> Paging | None:
    """How the query pages with these parameters bound (VAR=VALUE): its ``# Page:`` line when
    none is, its ``# Page if NAMES:`` line when exactly the declared parameters NAMES are;
    None when it declares no paging for them (every row comes at once)."""
    start, _, names = _split(query, list(bindings)) if bindings else ("", [], [])
    want = frozenset(names)
    for m in PAGE_LINE.finditer(query):
        given = frozenset(n.strip() for n in (m.group(1) or "").split(",") if n.strip())
        if given == want:
            return Paging(m.group(2), int(m.group(3)), m.group(4).strip(), (m.group(5) or "").strip(), start)
    return None
