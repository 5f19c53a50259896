"""Does a corpus file look like a plan text? Signatures of other formats, structured data,
and enough Chinese.

A build accepts a file only when its bytes are not another format's (PDF, office documents,
archives, images, executables), its decoded text is not JSON or delimited data (CSV/TSV), and
at least a quarter of its visible characters (and 20 of them) are Chinese. Each refusal is a
one-line reason naming what the file looks like.
"""
from __future__ import annotations

import json
import re
from collections import Counter

# (leading bytes, what the file is)
SIGNATURES = [
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an MS Office (OLE) file (e.g. .doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ\x90\x00", "an executable (DOS/Windows)"),
    (b"SQLite format 3\x00", "an SQLite database"),
]
MIN_HAN = 20
MIN_HAN_SHARE = 0.25
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SPACE = re.compile(r"\s")


def format_of_bytes(data: bytes) -> str | None:
    """What the bytes are when they start with another format's signature, else None."""
    head = data[:16]
    for sig, what in SIGNATURES:
        if head.startswith(sig):
            return what
    return None


def _delimited(text: str) -> str | None:
    lines = [ln for ln in text[:200_000].splitlines() if ln.strip()][:50]
    if len(lines) < 5:
        return None
    for delim, what in ((",", "CSV"), ("\t", "TSV"), (";", "semicolon-separated")):
        counts = Counter(ln.count(delim) for ln in lines)
        k, n = counts.most_common(1)[0]
        if k >= 1 and n >= 0.9 * len(lines):
            return f"{what} data ({n} of its first {len(lines)} lines have {k} {delim!r} each)"
    return None


def refusal(data: bytes, text: str | None = None) -> str | None:
    """Why ``data`` (decoded as ``text``, once known) is not a plan text, or None."""
    what = format_of_bytes(data)
    if what:
        return f"{what}, not a plan text (convert it to plain text first)"
    if text is None:
        return None
    han = len(HAN.findall(text))
    visible = len(text) - len(SPACE.findall(text))
    if han < MIN_HAN or han < MIN_HAN_SHARE * visible:
        share = han / visible if visible else 0.0
        return (f"too little Chinese text ({han:,} Chinese characters, {share:.0%} of the visible ones; "
                f"a plan text has at least {MIN_HAN} and {MIN_HAN_SHARE:.0%})")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to be data
            pass
        else:
            return "JSON data, not a plan text"
    delimited = _delimited(text)
    if delimited:
        return f"{delimited}, not a plan text"
    return None
