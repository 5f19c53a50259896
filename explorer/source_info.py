"""What the source viewer says about a plan's text: its web address and its cleaned form.

``web_address()`` gives where a plan's text was published: the ``schema:url`` the build
recorded from the corpus's SOURCES.tsv (graph/source_urls.py), else a URL written near the top
of the text itself ("网址：http://…", "来源：http…", or a bare http(s) address in the first
lines), with its character span in the raw text. ``cleaned()`` is the text the extractors
read (extract.normalize: chrome and junk removed, full-width folded, Traditional to Simplified)
with its offset map, so a raw evidence span has its place in the cleaned text too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEAD_LINES = 30  # "near the top": the first lines of the text
_LABELLED = re.compile(r"(?:网址|網址|来源|來源|原文链接|原文鏈接|原文地址|链接|鏈接|出处|出處|URL|url)\s*[:：]?\s*"
                       r"(https?://[^\s<>\"'，。；、）)】\]]+)")
_BARE = re.compile(r"https?://[^\s<>\"'，。；、）)】\]]+")


@dataclass(frozen=True)
class Address:
    url: str
    origin: str          # "sources" (SOURCES.tsv) or "text"
    start: int = 0       # the URL's characters in the raw text, when written there
    end: int = 0


def url_in_text(text: str, head_lines: int = HEAD_LINES) -> Address | None:
    """The first URL written near the top of ``text`` (a labelled one first), with its span."""
    head = "\n".join(text.split("\n")[:head_lines])
    for pattern in (_LABELLED, _BARE):
        m = pattern.search(head)
        if m:
            g = 1 if pattern is _LABELLED else 0
            url = m.group(g).rstrip(".,;:!?")
            return Address(url, "text", m.start(g), m.start(g) + len(url))
    return None


def web_address(recorded: str | None, text: str) -> Address | None:
    if recorded:
        return Address(recorded, "sources")
    return url_in_text(text)


def cleaned(text: str, encoding: str = "utf-8"):
    """extract.normalize's Normalized of the stored text (``.text``, ``.clean_span()``)."""
    from extract.normalize import normalize_text

    return normalize_text(text, encoding)
