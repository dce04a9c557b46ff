"""Suppression comments: read them from a page, and decide what they silence.

Syntax, alike in HTML and Markdown::

    <!-- lgcontent-disable [rule-or-pack ...] [-- reason] -->
    <!-- lgcontent-enable [rule-or-pack ...] -->
    <!-- lgcontent-disable-next-line [rule-or-pack ...] [-- reason] -->

No rule names means every rule. A group (``plain-english``) or pack (``localgov``)
name means all its rules.
``disable`` holds from the comment's line until a matching ``enable``;
``disable-next-line`` covers the line after the comment ends.
"""

from __future__ import annotations

import bisect
import heapq
import re

from .document import LineIndex, Suppression

_DIRECTIVE = re.compile(
    r"^\s*lgcontent-(disable-next-line|disable|enable)(?=\s|$)(.*?)\s*$", re.DOTALL
)


def parse_comment(body: str, start: int, end: int, lines: LineIndex) -> Suppression | None:
    """A Suppression if the comment body (text between ``<!--`` and ``-->``) is one."""
    found = _DIRECTIVE.match(body)
    if not found:
        return None
    action, rest = found.groups()
    reason = ""
    if " --" in f" {rest}":
        rest, _, reason = f" {rest}".partition(" --")
    rules = tuple(r for r in re.split(r"[\s,]+", rest) if r)
    return Suppression(
        action=action,
        rules=rules,
        line=lines.position(start)[0],
        end_line=lines.position(max(start, end - 1))[0],
        reason=reason.strip(),
        start=start,
        end=end,
    )


def _first_covering(ranges: list[tuple[int, int, int | None]]) -> tuple[list[int], list[int | None]]:
    """For ranges (position, first line, last line or None for "to the end"), the lines
    where the lowest position among the ranges covering a line changes, and that
    position from each of those lines on (None: no range covers it)."""
    starting: dict[int, list[tuple[int, int | None]]] = {}
    for position, first, last in ranges:
        starting.setdefault(first, []).append((position, last))
    events = sorted(set(starting) | {last + 1 for _, _, last in ranges if last is not None})
    covering: list[tuple[int, int | None]] = []  # a heap of (position, last line)
    lines: list[int] = []
    positions: list[int | None] = []
    for line in events:
        for entry in starting.get(line, ()):
            heapq.heappush(covering, entry)
        while covering and covering[0][1] is not None and covering[0][1] < line:
            heapq.heappop(covering)  # ended before this line
        position = covering[0][0] if covering else None
        if not positions or positions[-1] != position:
            lines.append(line)
            positions.append(position)
    return lines, positions


class SuppressionMap:
    """Answers 'is this rule silenced on this line?' for one document, and remembers
    which comments silenced something (for --report-unused-suppressions)."""

    def __init__(self, suppressions: list[Suppression]) -> None:
        self._next_line: dict[int, list[Suppression]] = {}
        # Ranges are (first line, last line or None for "to the end", the disable comment).
        self._ranges: list[tuple[int, int | None, Suppression]] = []
        self._used: set[int] = set()  # id() of comments that silenced a finding
        self._disables: list[Suppression] = []
        open_ranges: list[Suppression] = []
        for s in sorted(suppressions, key=lambda s: s.line):
            if s.action == "disable-next-line":
                self._next_line.setdefault(s.end_line + 1, []).append(s)
                self._disables.append(s)
            elif s.action == "disable":
                open_ranges.append(s)
                self._disables.append(s)
            else:  # enable: closes the ranges it names (all of them if it names none)
                still_open = []
                for opened in open_ranges:
                    if not s.rules or opened.rules and set(opened.rules) <= set(s.rules):
                        self._ranges.append((opened.line, s.line, opened))
                    else:
                        still_open.append(opened)
                open_ranges = still_open
        self._ranges.extend((opened.line, None, opened) for opened in open_ranges)
        # For each name a range names ("" for ranges that name none), where the first
        # such range (in the order above) that covers a line changes: a finding asks a
        # few binary searches, not every range (thousands of comments took seconds).
        by_name: dict[str, list[tuple[int, int, int | None]]] = {}
        for position, (first, last, s) in enumerate(self._ranges):
            for name in s.rules or ("",):
                by_name.setdefault(name, []).append((position, first, last))
        self._first_covering = {name: _first_covering(ranges) for name, ranges in by_name.items()}

    @staticmethod
    def _covers(rules: tuple[str, ...], names: tuple[str, ...]) -> bool:
        return not rules or any(name in rules for name in names)

    def silenced(self, names: tuple[str, ...], line: int) -> bool:
        """Whether a rule known by ``names`` (its id, group and pack) is off on ``line``."""
        for s in self._next_line.get(line, ()):
            if self._covers(s.rules, names):
                self._used.add(id(s))
                return True
        found = None
        for name in ("", *names):
            steps = self._first_covering.get(name)
            if steps is not None:
                lines, positions = steps
                position = positions[bisect.bisect_right(lines, line) - 1] if lines and lines[0] <= line else None
                if position is not None and (found is None or position < found):
                    found = position
        if found is None:
            return False
        self._used.add(id(self._ranges[found][2]))  # the first range that covers it
        return True

    def unused(self) -> list[Suppression]:
        """Disable comments that silenced nothing."""
        return [s for s in self._disables if id(s) not in self._used]
