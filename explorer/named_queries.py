"""The named queries (queries/*.rq) as forms: their header, parameters and bound text.

A query's header comments say what it answers and which parameters it takes, either one
per line (``#   name  what it is, e.g. 白银市``) or on one line (``# Parameters: name (...)``);
``# Question:`` is the question it answers in English, ``# 问题:`` the same in Chinese;
``# Bind: name=?var[@lang] { patterns }`` lines declare how a parameter starts the query
(pskg.query_text.bind_values, the same binding `pskg query --bind` does); a ``# Page: ?var
size { patterns } ORDER BY keys`` line, that the query runs a page of values at a time while no
parameter is bound, and a ``# Page if names: ...`` line, while just those are
(pskg.query_text.Paging, as `pskg query --page K` does).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pskg.paths import QUERIES_DIR

_BIND = re.compile(r"^#\s*Bind:\s*(\w+)=\?(\w+)(?:@([\w-]+))?\s*(?:\{(.*)\})?\s*$", re.MULTILINE)
_PARAM_LINE = re.compile(r"^#\s{2,}(\w+)\s{2,}(.+)$")
_PARAM_ONE = re.compile(r"^#\s*Parameters:\s*(\w+)\s*\((.*)$")
_EXAMPLE = re.compile(r"e\.g\.\s*(?:--bind \w+=)?([^\s,;()]+)")


@dataclass
class Param:
    name: str
    help: str = ""
    example: str = ""
    var: str = ""        # the variable a Bind line starts the query from ("" when none)
    lang: str = ""
    pattern: str = ""    # the Bind line's start patterns


@dataclass
class NamedQuery:
    name: str
    text: str
    header: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    question: str = ""   # the header's "Question:" (its continuation lines joined)
    question_zh: str = ""  # the header's "问题:" line, the same question in Chinese

    def ask(self, lang: str = "zh") -> str:
        """The question in the interface language (the English one where no Chinese is written)."""
        return self.question_zh if lang != "en" and self.question_zh else self.question


def parse(name: str, text: str) -> NamedQuery:
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    params: dict[str, Param] = {}
    lines = text.splitlines()
    in_params = False
    for line in lines[:len(header)]:
        if re.match(r"^#\s*Parameters", line):
            in_params = True
            m = _PARAM_ONE.match(line)
            if m and m.group(1) != "none":
                params[m.group(1)] = Param(m.group(1), m.group(2).rstrip(").;"))
            continue
        m = _PARAM_LINE.match(line)
        if in_params and m:
            params[m.group(1)] = Param(m.group(1), m.group(2).strip())
        elif not line.startswith("#   ") and not line.startswith("#  "):
            in_params = False
    for m in _BIND.finditer(text):
        p = params.setdefault(m.group(1), Param(m.group(1)))
        p.var, p.lang, p.pattern = m.group(2), m.group(3) or "", (m.group(4) or "").strip()
    for p in params.values():
        ex = _EXAMPLE.search(p.help)
        p.example = ex.group(1) if ex else ""
    question = []
    for h in header:
        if h.startswith("Question:"):
            question = [h.removeprefix("Question:").strip()]
        elif question and h and not re.match(r"^\w[\w ()-]*:", h) and "?" not in " ".join(question):
            question.append(h)
        elif question:
            break
    q = " ".join(question)
    m = re.search(r'\?"?', q)  # the question ends at its question mark (what follows explains it)
    zh = next((h.split(":", 1)[1].strip() for h in header if re.match(r"^问题\s*[:：]", h.replace("：", ":"))), "")
    return NamedQuery(name, text, header, list(params.values()), q[:m.end()] if m else q, zh)


def load(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    return {p.stem: parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}


def bind(text: str, values: dict[str, str]) -> str:
    """``text`` with the given parameters bound (empty values left out). A value that looks
    like an IRI must be one (it is written as an IRI term); anything else is a string."""
    from pskg.query_text import bind_values

    pairs = []
    for name, value in values.items():
        value = (value or "").strip()
        if not value:
            continue
        if value.startswith(("<", "http:", "https:")):
            try:
                ox.NamedNode(value.strip("<>"))
            except ValueError as e:
                raise ValueError(f"{name}: not an IRI: {e}") from None
        pairs.append(f"{name}={value}")
    return bind_values(text, pairs)  # a QueryTextError (a ValueError) says what is wrong


def example_link(nq: NamedQuery) -> dict[str, str]:
    """The console URL parameters that answer a query's own question: the query, and each
    parameter whose example the question names (白银市教育局 in "What is 白银市教育局 responsible for?")."""
    return {"query": nq.name, **{f"p.{p.name}": p.example for p in nq.params if p.example and p.example in nq.question}}


def paging(text: str, values: dict[str, str] | None = None):
    """How the query pages with these parameters filled in (pskg.query_text.Paging: its
    ``# Page:`` line when none is, a ``# Page if NAMES:`` line for those), or None."""
    from pskg.query_text import paging as of_text

    return of_text(text, [f"{k}={v.strip()}" for k, v in (values or {}).items() if (v or "").strip()])
