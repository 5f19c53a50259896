"""Reading the data tables of extract/data and turning word lists into regexes."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable


def read_table(path: Path) -> list[list[str]]:
    """Rows of a tab-separated data file, skipping blank lines and # comments."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append([c.strip() for c in line.split("\t")])
    return rows


def trie_pattern(words: Iterable[str]) -> str:
    """A regex (no groups) matching any of ``words``, longest first: the words as a trie, so
    the engine tries each character once per position instead of every word in turn."""
    trie: dict = {}
    for w in sorted(set(words)):
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return _node_pattern(trie) if trie else "(?!)"


def _node_pattern(node: dict) -> str:
    end = "" in node
    alts = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch != ""]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if end:
        return "(?:" + body + ")?" if len(alts) > 1 or len(body) > 1 else body + "?"
    return body
