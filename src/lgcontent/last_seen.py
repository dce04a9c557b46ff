"""What was worked out for the last list seen, kept until another comes.

A run asks the same thing again and again of one list, one question after another: each
page-wide rule of a page's blocks, each page of the run's rule list. Keeping the answer
for the last list alone costs no memory to speak of and needs no key but the list.
"""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class LastSeen(Generic[T]):
    """The value made for the last list given, made again for another list, or for the
    same one grown or shrunk. It holds the list, so that no new list can take its place
    in memory (and its identity) while the value is kept."""

    __slots__ = ("_seen", "_length", "_value")

    def __init__(self) -> None:
        self._seen: list | None = None
        self._length = 0
        self._value: T | None = None

    def get(self, seen: list, make: Callable[[], T]) -> T:
        if self._seen is not seen or self._length != len(seen):
            self._value = make()
            self._seen, self._length = seen, len(seen)
        return self._value  # type: ignore[return-value]
