"""Spans of text, and the quick question whether any of them covers another span.

Findings inside quotation marks, a rule's exceptions or a house style's accepted terms
are left out. Asking each span in turn made a page with thousands of both take minutes;
sorted, with the furthest end reached so far, each question is one binary search.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Iterable


class SpanSet:
    """(start, end) spans, which may overlap and come in any order."""

    __slots__ = ("_starts", "_reach")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))  # furthest end of the first n

    def __bool__(self) -> bool:
        return bool(self._starts)

    def covers(self, start: int, end: int) -> bool:
        """Whether one of the spans holds all of ``start``..``end``."""
        n = bisect_right(self._starts, start)
        return n > 0 and self._reach[n - 1] >= end
