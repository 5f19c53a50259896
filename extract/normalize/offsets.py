"""The offset map: the working buffer of clean characters with their raw start/end and a flag,
and the result, :class:`Normalized`, that maps every clean span back to the original text."""
from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .mojibake import MojibakeRun

# flags carried per clean character
_OK, _REPAIRED, _DAMAGED = 0, 1, 2


class _Buf:
    __slots__ = ("s", "idx", "end", "flag")

    def __init__(self, s: str, idx: array, end: array, flag: bytearray):
        self.s, self.idx, self.end, self.flag = s, idx, end, flag

    @classmethod
    def from_raw(cls, raw: str) -> "_Buf":
        n = len(raw)
        return cls(raw, array("q", range(n)), array("q", range(1, n + 1)), bytearray(n))

    def edit(self, edits: list) -> "_Buf":
        """Apply sorted, non-overlapping edits ``(start, end, new_s, new_idx, new_end, new_flag)``;
        ``new_idx``/``new_end``/``new_flag`` are sequences as long as ``new_s``."""
        if not edits:
            return self
        parts: list[str] = []
        idx, end, flag = array("q"), array("q"), bytearray()
        pos = 0
        s = self.s
        for a, b, ns, ni, ne, nf in edits:
            if a > pos:
                parts.append(s[pos:a])
                idx.extend(self.idx[pos:a])
                end.extend(self.end[pos:a])
                flag.extend(self.flag[pos:a])
            if ns:
                parts.append(ns)
                idx.extend(ni)
                end.extend(ne)
                flag.extend(nf)
            pos = b
        if pos < len(s):
            parts.append(s[pos:])
            idx.extend(self.idx[pos:])
            end.extend(self.end[pos:])
            flag.extend(self.flag[pos:])
        return _Buf("".join(parts), idx, end, flag)

    def delete(self, spans) -> "_Buf":
        return self.edit([(a, b, "", (), (), b"") for a, b in spans])

    def replace_chars(self, edits) -> "_Buf":
        """Edits ``(start, end, new_s)``: every new char gets the raw index/end of s[start]
        (..end of s[end-1]) and the flag of s[start]."""
        full = []
        for a, b, ns in edits:
            k = len(ns)
            i, e, f = self.idx[a], self.end[b - 1], self.flag[a]
            full.append((a, b, ns, [i] * k, [e] * k, bytes([f]) * k))
        return self.edit(full)


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _spans_of(flag: bytearray, value: int) -> list[tuple[int, int]]:
    out = []
    v = bytes([value])
    i = flag.find(v)
    while i >= 0:
        j = i
        n = len(flag)
        while j < n and flag[j] == value:
            j += 1
        out.append((i, j))
        i = flag.find(v, j)
    return out


@dataclass
class Normalized:
    raw: str              # decoded original text (what offsets refer to)
    text: str             # clean, Simplified text used by the extractors
    written: str          # clean text before Traditional->Simplified (aligned with text)
    offsets: list[int]    # len(text)+1: raw index of each clean char; last = end of last char
    damaged: list[tuple[int, int]]   # clean spans of unrepaired mojibake: do not extract
    repaired: list[tuple[int, int]]  # clean spans that were repaired mojibake
    encoding: str = "utf-8"
    ends: list[int] = field(default_factory=list, repr=False)  # raw end (excl.) of each clean char
    mojibake_runs: list[MojibakeRun] = field(default_factory=list, repr=False)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[s, e)`` of the clean span ``[start, end)``; ``raw[s:e]`` is the exact source
        text of the span (a trailing pinyin annotation of the last char is not included)."""
        if not (0 <= start <= end <= len(self.text)):
            raise IndexError(f"clean span [{start}, {end}) outside [0, {len(self.text)}]")
        s = self.offsets[start]
        if end == start:
            return s, s
        return s, max(s, self.ends[end - 1])

    def is_damaged(self, start: int, end: int) -> bool:
        """Does the clean span ``[start, end)`` touch unrepaired mojibake?"""
        if not self.damaged:
            return False
        if end <= start:
            end = start + 1
        k = bisect.bisect_right(self.damaged, (start, float("inf"))) - 1
        for a, b in self.damaged[max(k, 0):]:
            if a >= end:
                break
            if b > start and a < end:
                return True
        return False

    def clean_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """The smallest clean span whose raw material lies in ``[raw_start, raw_end)``."""
        a = bisect.bisect_left(self.offsets, raw_start, 0, len(self.text))
        b = bisect.bisect_left(self.offsets, raw_end, a, len(self.text))
        return a, b
