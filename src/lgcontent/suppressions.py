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
    )


class SuppressionMap:
    """Answers 'is this rule silenced on this line?' for one document."""

    def __init__(self, suppressions: list[Suppression]) -> None:
        self._next_line: dict[int, list[Suppression]] = {}
        # Ranges are (first line, last line or None for "to the end", rules).
        self._ranges: list[tuple[int, int | None, tuple[str, ...]]] = []
        open_ranges: list[tuple[int, tuple[str, ...]]] = []
        for s in sorted(suppressions, key=lambda s: s.line):
            if s.action == "disable-next-line":
                self._next_line.setdefault(s.end_line + 1, []).append(s)
            elif s.action == "disable":
                open_ranges.append((s.line, s.rules))
            else:  # enable: closes the ranges it names (all of them if it names none)
                still_open = []
                for first, rules in open_ranges:
                    if not s.rules or set(rules) <= set(s.rules) and rules:
                        self._ranges.append((first, s.line, rules))
                    else:
                        still_open.append((first, rules))
                open_ranges = still_open
        self._ranges.extend((first, None, rules) for first, rules in open_ranges)

    @staticmethod
    def _covers(rules: tuple[str, ...], names: tuple[str, ...]) -> bool:
        return not rules or any(name in rules for name in names)

    def silenced(self, names: tuple[str, ...], line: int) -> bool:
        """Whether a rule known by ``names`` (its id, group and pack) is off on ``line``."""
        for s in self._next_line.get(line, ()):
            if self._covers(s.rules, names):
                return True
        for first, last, rules in self._ranges:
            if first <= line and (last is None or line <= last) and self._covers(rules, names):
                return True
        return False
