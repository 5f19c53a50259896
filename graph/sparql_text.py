"""Lexical checks and rewrites of SPARQL text that the endpoint needs before a query runs.

pyoxigraph exposes no parsed query, so the endpoint reads the text with a small tokenizer
(strings, IRIs, comments, variables, words, punctuation) for these jobs:

* ``remote_targets``: the IRIs a query would call with ``SERVICE`` or an update would fetch
  with ``LOAD`` (``None`` for a target that is not a plain IRI, e.g. ``SERVICE ?x``), so the
  server can refuse them unless ``--allow-service`` names them;
* ``graph_iris``: the graphs an update names, which it may create;
* ``has_own_dataset``: whether an update names its own dataset (``WITH`` / ``USING``), which
  the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` may not override;
* ``with_using``: the update with ``USING`` / ``USING NAMED`` clauses added to every
  DELETE/INSERT ... WHERE operation, which is how the protocol's dataset parameters (and the
  union default graph of the named graphs) reach pyoxigraph's updates.

The tokenizer errs towards finding keywords: a refusal it causes is a clear error, and
worker processes are also denied network sockets (graph/sandbox.py), so a query it misreads
still cannot reach the network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    rf"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
    |(?P<var>[?$][^\s{{}}()\[\];,.<>"'#=!&|+*/^]*)
    |(?P<word>[^\s{{}}()\[\];,<>"'#=!&|+*/^?$]+)
    |(?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # ws comment string iri var word punct
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased word if this is a bare word (no ':' — a keyword candidate), else ''."""
        if self.kind != "word" or ":" in self.text:
            return ""
        return self.text.rstrip(".").upper()


def tokens(text: str) -> list[Token]:
    """Significant tokens (no whitespace, no comments). An unterminated string or IRI is read
    as punctuation followed by words, which keeps any keyword inside it visible."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


_COMMENT_OR_LITERAL = re.compile(
    r"""(?P<keep>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>)|\#[^\n\r]*""", re.DOTALL)


def without_comments(text: str) -> str:
    """The text with its comments removed (strings and IRIs, which may hold "#", kept) and
    without leading or trailing white space: two texts that differ only in comments (and
    the space around them) give the same result."""
    if "#" in text:  # split keeps each match's "keep" group, None for a comment: joined without them
        text = "".join(filter(None, _COMMENT_OR_LITERAL.split(text)))
    return text.strip()


def mentions_remote(text: str) -> bool:
    """Whether the words SERVICE or LOAD occur anywhere in the text (a cheap superset of
    ``remote_targets``)."""
    lower = text.lower()
    return "service" in lower or "load" in lower


def _prefixes(toks: list[Token]) -> dict[str, str]:
    """PREFIX declarations of the text (name without colon -> IRI)."""
    out = {}
    for i, t in enumerate(toks[:-2]):
        if t.keyword == "PREFIX" and toks[i + 1].kind == "word" and toks[i + 2].kind == "iri":
            out[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return out


def _iri_of(tok: Token, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI a token names, or None (variables, relative or escaped IRIs, unknown prefixes)."""
    if tok.kind == "iri":
        iri = tok.text[1:-1]
        return iri if "\\" not in iri and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else None
    if tok.kind == "word" and ":" in tok.text and "\\" not in tok.text and "%" not in tok.text:
        prefix, local = tok.text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local.rstrip(".")
    return None


def remote_targets(text: str, prefixes: dict[str, str] | None = None) -> list[str | None]:
    """IRIs of every SERVICE call and LOAD source in ``text`` (None where the target is not
    a plain absolute IRI)."""
    if not mentions_remote(text):  # neither keyword anywhere: nothing to tokenize
        return []
    toks = tokens(text)
    known = {**(prefixes or {}), **_prefixes(toks)}
    out: list[str | None] = []
    for i, t in enumerate(toks):
        if t.keyword not in ("SERVICE", "LOAD"):
            continue
        j = i + 1
        if j < len(toks) and toks[j].keyword == "SILENT":
            j += 1
        out.append(_iri_of(toks[j], known) if j < len(toks) else None)
    return out


def _operations(toks: list[Token]) -> list[list[Token]]:
    """An update's operations: token runs split at top-level ';'."""
    ops, cur, depth = [], [], 0
    for t in toks:
        if t.kind == "punct" and t.text in "{[(":
            depth += 1
        elif t.kind == "punct" and t.text in "}])":
            depth -= 1
        if depth == 0 and t.kind == "punct" and t.text == ";":
            ops.append(cur)
            cur = []
        else:
            cur.append(t)
    ops.append(cur)
    return [op for op in ops if op]


def _body(op: list[Token]) -> list[Token]:
    """An operation without its prologue (PREFIX p: <iri> and BASE <iri> declarations)."""
    i = 0
    while i < len(op):
        if op[i].keyword == "PREFIX":
            i += 3
        elif op[i].keyword == "BASE":
            i += 2
        else:
            break
    return op[i:]


def _top_level(op: list[Token]):
    """(index, token) of the operation's tokens outside any bracket."""
    depth = 0
    for i, t in enumerate(op):
        if t.kind == "punct" and t.text in "{[(":
            depth += 1
        elif t.kind == "punct" and t.text in "}])":
            depth -= 1
        elif depth == 0:
            yield i, t


def has_own_dataset(update: str) -> bool:
    """Whether any operation of ``update`` has a WITH or USING clause."""
    for op in _operations(tokens(update)):
        body = _body(op)
        if body and body[0].keyword == "WITH":
            return True
        if any(t.keyword == "USING" for _, t in _top_level(body)):
            return True
    return False


GRAPH_POSITION = {"GRAPH", "TO", "ADD", "COPY", "MOVE"}


def graph_iris(update: str, prefixes: dict[str, str] | None = None) -> set[str]:
    """IRIs ``update`` names as graphs (after GRAPH, and the graphs of ADD/COPY/MOVE ... TO):
    the graphs an operation may create for the ones after it."""
    toks = tokens(update)
    known = {**(prefixes or {}), **_prefixes(toks)}
    out = set()
    for i, t in enumerate(toks[:-1]):
        if t.keyword in GRAPH_POSITION and (iri := _iri_of(toks[i + 1], known)):
            out.add(iri)
    return out


def with_using(update: str, default: list[str], named: list[str]) -> str:
    """``update`` with ``USING <g>`` for each of ``default`` and ``USING NAMED <g>`` for each of
    ``named`` in every DELETE/INSERT ... WHERE operation that has no WITH or USING of its own
    (``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE { P }``)."""
    clause = "".join(f" USING <{g}>" for g in default) + "".join(f" USING NAMED <{g}>" for g in named)
    if not clause:
        return update
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original text
    for op in _operations(tokens(update)):
        body = _body(op)
        if not body or body[0].keyword not in ("DELETE", "INSERT", "WITH"):
            continue
        top = list(_top_level(body))
        if any(t.keyword in ("WITH", "USING") for _, t in top):
            continue
        where = next((i for i, t in top if t.keyword == "WHERE"), None)
        if where is None:  # INSERT DATA / DELETE DATA
            continue
        if where == 1 and body[0].keyword == "DELETE":  # DELETE WHERE { P }: the shortcut form
            close = _matching_close(body, 2)
            if close is None:
                continue
            pattern = update[body[2].start: body[close].start + 1]
            edits.append((body[1].start, body[1].start + len("WHERE"),
                          f"{pattern}{clause} WHERE"))
        else:
            pos = body[where].start
            edits.append((pos, pos, clause.lstrip() + " "))
    out = update
    for start, end, repl in sorted(edits, reverse=True):
        out = out[:start] + repl + out[end:]
    return out


def _matching_close(op: list[Token], i: int) -> int | None:
    """Index of the '}' closing the '{' at ``op[i]``."""
    if i >= len(op) or op[i].text != "{":
        return None
    depth = 0
    for j in range(i, len(op)):
        if op[j].kind == "punct" and op[j].text in "{[(":
            depth += 1
        elif op[j].kind == "punct" and op[j].text in "}])":
            depth -= 1
            if depth == 0:
                return j
    return None
