"""Decoding the bytes of a crawled file: UTF-8, UTF-16, GB18030/GBK or Big5."""
from __future__ import annotations

import codecs
import re

from .chars import _is_common


class DecodeError(ValueError):
    """The bytes are not a text we can use (empty, binary, or in no encoding we know)."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _strict_decode(data: bytes, codec: str) -> str | None:
    """Strict decode; a multi-byte character cut off at the very end is dropped, not an error."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.end >= len(data):
            # truncated in the middle of the last character: drop the incomplete bytes
            try:
                return data[:e.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _text_score(text: str) -> tuple[float, int]:
    """(share of common characters among the CJK/symbol characters, number of them)."""
    sample = text[:50000]
    n = good = 0
    for c in sample:
        o = ord(c)
        if o < 0x80:
            continue
        n += 1
        if _is_common(c):
            good += 1
    return (good / n if n else 0.0), n


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    ctrl = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    return ctrl > 0.05 * len(sample)


def _has_letters(text: str) -> bool:
    sample = text[:200000]
    return any(c.isalpha() for c in sample)


# control characters but tab, line feed, carriage return and form feed; DEL and the C1 block
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str) -> bool:
    if not text or not _has_letters(text):
        return False
    sample = text[:65536]
    ctrl = len(_CONTROL.findall(sample))
    return ctrl <= 0.02 * len(sample)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a crawled file: ``(text, encoding)``.

    Strict UTF-8 (with or without BOM) first; then UTF-16 (BOM, or the NUL pattern of
    Chinese/ASCII UTF-16); then GB18030/GBK and Big5, proposed by charset-normalizer and
    verified by the share of common Chinese characters in the decoded text. A file cut in the
    middle of its last multi-byte character decodes without the incomplete bytes.
    Raises :class:`DecodeError` for empty, binary or undecodable input.
    """
    if data is None or len(data) == 0:
        raise DecodeError("empty file: no bytes to decode")
    # byte order marks
    if data.startswith(codecs.BOM_UTF8):
        t = _strict_decode(data[3:], "utf-8")
        if t is not None and _check_text(t):
            return t, "utf-8"
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            t = _strict_decode(data[len(bom):], codec)
            if t is not None and _check_text(t):
                return t, codec.split("-l")[0].split("-b")[0]
    if b"\x00" in data[:65536]:
        # UTF-16 without BOM: ASCII has NULs in every other byte; CJK text has none but then
        # the NULs of its ASCII (spaces, digits, line breaks) still sit on one parity only
        sample = data[:65536]
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
        for codec in order:
            t = _strict_decode(data[: len(data) - (len(data) % 2)], codec)
            if t is not None and _check_text(t) and (_text_score(t)[0] > 0.6 or _text_score(t)[1] == 0):
                return t, "utf-16"
        raise DecodeError("binary file (NUL bytes): not a text")
    if _looks_binary(data):
        raise DecodeError("binary file (control bytes): not a text")
    t = _strict_decode(data, "utf-8")
    if t is not None:
        if not _check_text(t):
            raise DecodeError("no text: the file has no letters or Chinese characters")
        return t, "utf-8"

    # legacy Chinese encodings: charset-normalizer proposes, the common-character share decides
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000], cp_isolation=["gb18030", "big5", "big5hkscs", "utf_16"]).best()
        if best is not None:
            candidates.append(best.encoding)
    except Exception:  # pragma: no cover - detector failure is not fatal
        pass
    for c in ("gb18030", "big5", "big5hkscs"):
        if c not in candidates:
            candidates.append(c)
    scored: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(candidates):
        codec = {"utf_16": "utf-16", "big5hkscs": "big5hkscs"}.get(codec, codec)
        t = _strict_decode(data, codec)
        if t is None or not _check_text(t):
            continue
        share, n = _text_score(t)
        scored.append((share, -rank, codec, t))
    if scored:
        scored.sort(reverse=True)
        share, _r, codec, t = scored[0]
        if share >= 0.6 or (share > 0 and len(scored) == 1 and share >= 0.3):
            return t, _encoding_name(codec)
    # UTF-8 with a few bad bytes (a damaged download): keep it, the bad bytes become U+FFFD
    t = data.decode("utf-8", errors="replace")
    bad = t.count("\ufffd")
    if bad <= max(1, len(t) // 500) and _check_text(t) and _text_score(t)[0] > 0.6:
        return t, "utf-8"
    raise DecodeError("cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text (binary or corrupt)")


def _encoding_name(codec: str) -> str:
    c = codec.lower().replace("_", "-")
    return {"gb18030": "gb18030", "gbk": "gbk", "big5": "big5", "big5hkscs": "big5hkscs",
            "cp950": "big5", "utf-16": "utf-16"}.get(c, c)
