"""Sets of text spans queried by bisection, so that a document's cost stays linear in its size
(a generated text of 100,000 agency names must not cost 100,000² overlap tests)."""
from __future__ import annotations

import bisect
from typing import Iterable


class SpanSet:
    """Non-overlapping [start, end) spans, sorted; a span that overlaps one already in the set
    is not added."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if not self.overlaps(s, e):
                self.starts.append(s)
                self.ends.append(e)

    def overlaps(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps a span of the set (ends are sorted as the spans do not overlap)."""
        i = bisect.bisect_left(self.starts, e) - 1
        return i >= 0 and self.ends[i] > s

    def index_at(self, pos: int) -> int | None:
        """Index of the span that contains ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.ends[i] else None

    def add(self, s: int, e: int) -> bool:
        """Add [s, e) unless it overlaps the set; returns whether it was added."""
        if self.overlaps(s, e):
            return False
        i = bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)
        return True

    def __len__(self) -> int:
        return len(self.starts)


def within(starts: list[int], items: list, s: int, e: int, end_of) -> list:
    """The items (sorted by start, ``starts`` their starts) that lie inside [s, e)."""
    out = []
    for k in range(bisect.bisect_left(starts, s), len(items)):
        if starts[k] >= e:
            break
        if end_of(items[k]) <= e:
            out.append(items[k])
    return out
