"""The unstyled terminal report (a file, a CI log), laid out by counting characters.

rich lays out every row by measuring each character's width on screen, which took
twice as long as checking the pages when a site had thousands of findings. Text made
only of characters one cell wide, none of which join, is laid out here exactly as
rich lays it out (tests hold the two alike); anything else is left to rich.
"""

from __future__ import annotations

import re

from ..findings import Finding
from .base import finding_excerpt, one_line, printable

WIDTH = 120  # the width of the report when it is not styled
INDENT = 22  # where messages, excerpts and suggestions start
EXCERPT_WIDTH = 76

# Characters one terminal cell wide (a test checks each with rich). Of white space, only
# the space and the no-break space, which rich's word splitting and Python's strip both
# take for white space, so words are split the same way.
ONE_CELL = re.compile("[\n -~\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
                      "\u2190-\u21ff\u2500-\u25fc]*")
# rich's word: spaces, then other characters, then the spaces after them.
_WORD = re.compile(r"\s*\S+\s*")


def header_lines(path: str, reading_age: float | None) -> list[str] | None:
    """The page's heading line(s); None if rich must lay it out."""
    header = printable(path)
    if reading_age is not None:
        header += f"  reading age {reading_age:.0f}"
    if "\n" in header or ONE_CELL.fullmatch(header) is None:
        return None
    return wrap(header, WIDTH)


def finding_lines(f: Finding, source_line: str) -> list[str] | None:
    """One finding's lines: position, severity, message and rule; the source excerpt with
    the match marked; the suggestion. None if rich must lay them out."""
    first = f"  {f.line}:{f.column}".ljust(10) + f.severity.label.ljust(INDENT - 10)
    rows = _hanging(f"{one_line(f.message)}  {f.rule}", first)
    indent = " " * INDENT
    if f.match is not None and source_line.strip():
        shown, start, stop = finding_excerpt(f, source_line, EXCERPT_WIDTH)
        before, match, after = (one_line(part) for part in (shown[:start], shown[start:stop], shown[stop:]))
        rows.append(f"{indent}│ {before}{match}{after.rstrip()}")
        rows.append(f"{indent}│ {' ' * len(before)}{'^' * max(1, len(match))}")
        if max(len(rows[-2]), len(rows[-1])) > WIDTH:
            return None  # (not at this width: an excerpt is at most 78 characters)
    if f.suggestion:
        rows += _hanging(f"Suggestion: {one_line(f.suggestion)}", indent)
    return rows if ONE_CELL.fullmatch("".join(rows)) is not None else None


def _hanging(text: str, first: str) -> list[str]:
    """``text`` after ``first``, wrapping under itself. A row still too long (after a long
    line number) is wrapped again at the report's width, as rich does."""
    lines = [line.rstrip() for line in wrap(text, WIDTH - INDENT)]
    rows = [first + lines[0], *(" " * INDENT + line for line in lines[1:])]
    if len(first) <= INDENT:
        return rows
    return [piece for row in rows for piece in wrap(row, WIDTH)]


def wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped at ``width`` as rich's Text.wrap wraps text of one-cell characters:
    before the word that does not fit; a word longer than a line is cut."""
    if len(text) <= width:
        return [text]
    breaks = []
    used = 0
    for word in _WORD.finditer(text):
        start, length = word.start(), len(word.group().rstrip())
        if width - used >= length:
            used += word.end() - start
        elif length > width:
            pieces = range(start, word.end(), width)
            breaks += [p for p in pieces if p]
            used = word.end() - pieces[-1]
        elif used and start:
            breaks.append(start)
            used = word.end() - start
    return [text[a:b][:width] for a, b in zip([0, *breaks], [*breaks, len(text)])]
