"""GBK byte facts the mojibake repair works with: the two bytes of a character, the bytes of a
visible mojibake character, and the pairs GBK does not define (a misaligned decoder drops them)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _can_hide() -> bytearray:
    """can_hide[t]: some lead byte l makes (t, l) a pair GBK does not define."""
    drop = _droppable()
    tab = bytearray(256)
    for t in range(0x81, 0xFF):
        tab[t] = any(drop[t * 256 + l] for l in range(0x81, 0xFF))
    return tab


@lru_cache(maxsize=1)
def _droppable() -> bytearray:
    """droppable[t*256+l]: GBK does not define the pair (t, l): a misaligned decoder drops it."""
    tab = bytearray(65536)
    for t in range(0x81, 0xFF):
        for l in range(0x81, 0xFF):
            try:
                bytes([t, l]).decode("gbk")
            except UnicodeDecodeError:
                tab[t * 256 + l] = 1
    return tab


def _gbk2(c: str) -> bytes | None:
    """The two GBK bytes of a character (None if it has no 2-byte GBK code)."""
    try:
        b = c.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


def _token_bytes(c: str) -> bytes | None:
    """Bytes of a visible mojibake character; ASCII punctuation/letters are taken as folded
    full-width forms (the crawler turned ； into ;)."""
    o = ord(c)
    if 0x21 <= o <= 0x7E:
        return chr(o + 0xFEE0).encode("gbk")
    if c == "€":
        return None
    return _gbk2(c)
