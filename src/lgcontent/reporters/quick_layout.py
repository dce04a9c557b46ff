"""The terminal report laid out by counting characters, as rich would lay it out.

rich measures the width on screen of every character of every row, which took longer
than checking the pages when a site had thousands of findings. Text made only of
characters one cell wide, none of which join, is laid out here the way rich lays out
the report's ``Text`` rows: the same wrapping, cropping, ellipses and styles, so the
output is the same byte for byte (tests compare the two, with and without colour).
Anything else is left to rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from ..findings import Finding, Severity
from .base import finding_excerpt, one_line, printable

if TYPE_CHECKING:
    from rich.console import Console

PLAIN_WIDTH = 120  # the width of the report when it is not styled
INDENT = 22  # where messages, excerpts and suggestions start
EXCERPT_WIDTH = 76
SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.SUGGESTION: "cyan",
}

# Characters one terminal cell wide (a test checks each with rich). Of white space, only
# the space and the no-break space, which rich's word splitting and Python's strip both
# take for white space, so words are split the same way.
ONE_CELL = re.compile("[\n -~\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
                      "\u2190-\u21ff\u2500-\u25fc]*")
# rich's word: spaces, then other characters, then the spaces after them.
_WORD = re.compile(r"\s*\S+\s*")

Span = tuple[int, int, str]  # (start, end, rich style)


@dataclass(slots=True)
class Row:
    """One rich ``Text``: characters, styled spans in rich's order, a base style, and how
    it is printed when too long: wrapped again (rich's default), or cut with an ellipsis
    (``no_wrap``, overflow "ellipsis")."""

    text: str
    spans: list[Span] = field(default_factory=list)
    base: str = ""
    ellipsis: bool = False

    def add(self, part: "Row | str", style: str = "") -> "Row":
        """Text.append: a string with a style, or a Row (its base style becomes a span)."""
        if isinstance(part, str):
            if part and style:
                self.spans.append((len(self.text), len(self.text) + len(part), style))
            self.text += part
        elif part.text:
            offset = len(self.text)
            if part.base:
                self.spans.append((offset, offset + len(part.text), part.base))
            self.spans += [(start + offset, end + offset, style) for start, end, style in part.spans]
            self.text += part.text
        return self

    def cropped(self, length: int) -> "Row":
        """The first ``length`` characters (rich's right_crop: spans cut at the end)."""
        if len(self.text) <= length:
            return self
        return Row(self.text[:length], [(s, min(e, length), st) for s, e, st in self.spans if s < length],
                   self.base)

    def rstripped(self) -> "Row":
        """Text.rstrip: trailing white space cut, with the spans over it."""
        stripped = self.text.rstrip()
        if not self.spans:
            return Row(stripped, [], self.base) if len(stripped) < len(self.text) else self
        return self.cropped(len(stripped))

    def printed(self, width: int) -> list["Row"]:
        """The lines the row takes when printed ``width`` characters wide."""
        if len(self.text) <= width:
            return [self]
        if not self.ellipsis:
            return wrapped(self, width)
        cut = self.cropped(width)  # (spans reaching past the cut cover the ellipsis)
        return [Row(cut.text[:width - 1] + "…", cut.spans, cut.base)]

    def divided(self, breaks: list[int]) -> list["Row"]:
        """Text.divide: the pieces between ``breaks``, each with its share of the spans."""
        if not breaks:
            return [self]
        bounds = list(zip([0, *breaks], [*breaks, len(self.text)]))
        if not self.spans:
            return [Row(self.text[a:b], [], self.base) for a, b in bounds]
        return [Row(self.text[a:b], [(max(0, s - a), min(e, b) - a, st) for s, e, st in self.spans
                                     if min(e, b) - a > max(0, s - a)], self.base)
                for a, b in bounds]


def wrap_breaks(text: str, width: int) -> list[int]:
    """Where rich's Text.wrap breaks text of one-cell characters: before the word that
    does not fit; a word longer than a line is cut."""
    breaks: list[int] = []
    if len(text) <= width:
        return breaks
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
    return breaks


def wrapped(row: Row, width: int) -> list[Row]:
    """Text.wrap(width): the lines, each cropped to the width."""
    return [line.cropped(width) for line in row.divided(wrap_breaks(row.text, width))]


def header_row(path: str, reading_age: float | None) -> Row:
    """The page's heading."""
    row = Row(printable(path), [], "bold underline")
    if reading_age is not None:
        row.add(f"  reading age {reading_age:.0f}", "dim")
    return row


def header(path: str, reading_age: float | None) -> Row | None:
    """The page's heading; None if rich must lay it out."""
    row = header_row(path, reading_age)
    if "\n" in row.text or ONE_CELL.fullmatch(row.text) is None:
        return None
    return row


_STYLED = {name: name for name in ("dim", "bold reverse", "green", "bold green", *SEVERITY_STYLE.values())}
_UNSTYLED = dict.fromkeys(_STYLED, "")


@dataclass(slots=True)
class Pieces:
    """What the report shows of one finding, before it is wrapped to the width."""

    first: Row  # position and severity, which the message follows
    message: Row  # the message and the rule
    excerpt: list[Row]  # the source line with the match highlighted (and the ^ line when plain)
    tip: Row | None  # the suggestion


def pieces(f: Finding, source_line: str, width: int, plain: bool,
           cells: Callable[[str], int] = len) -> Pieces:
    """The pieces of one finding's rows. ``cells`` measures text on screen (for the ^ line).
    Plain rows leave out their styles: they would not be shown, and cost time to track."""
    style = _UNSTYLED if plain else _STYLED
    first = Row(f"  {f.line}:{f.column}".ljust(10)).add(f.severity.label.ljust(INDENT - 10),
                                                           style[SEVERITY_STYLE[f.severity]])
    message = Row(one_line(f.message)).add(f"  {f.rule}", style["dim"])
    excerpt = []
    if f.match is not None and source_line.strip():
        shown, start, stop = finding_excerpt(f, source_line, max(30, min(EXCERPT_WIDTH, width - INDENT - 4)))
        before, match, after = one_line(shown[:start]), one_line(shown[start:stop]), one_line(shown[stop:])
        row = Row(" " * INDENT, [], "", True).add("│ ", style["dim"]).add(before)
        excerpt.append(row.add(match, style["bold reverse"]).add(after.rstrip()))
        if plain:
            excerpt.append(Row(f"{' ' * INDENT}│ {' ' * cells(before)}{'^' * max(1, cells(match))}", [], "", True))
    tip = None
    if f.suggestion:
        tip = Row("Suggestion: ", [], style["green"]).add(one_line(f.suggestion), style["bold green"])
    return Pieces(first, message, excerpt, tip)


def finding(f: Finding, source_line: str, width: int, plain: bool) -> list[Row] | None:
    """One finding's rows: position, severity, message and rule; the source excerpt with
    the match highlighted (and marked with ^ when plain); the suggestion. None if rich
    must lay them out."""
    found = pieces(f, source_line, width, plain)
    texts = [found.first.text, found.message.text, *(row.text for row in found.excerpt),
             found.tip.text if found.tip is not None else ""]
    if ONE_CELL.fullmatch("".join(texts)) is None:
        return None
    rows = _hanging(found.message, found.first, width) + found.excerpt
    if found.tip is not None:
        rows += _hanging(found.tip, Row(" " * INDENT), width)
    return rows


def _hanging(text: Row, first: Row, width: int) -> list[Row]:
    """``text`` after ``first``, wrapping under itself (a hanging indent)."""
    room = max(24, width - INDENT)
    if len(text.text) <= room:  # (most: one line)
        return [_joined(first, text.rstripped())]
    lines = [line.rstripped() for line in wrapped(text, room)]
    indent = Row(" " * INDENT)
    return [_joined(first if n == 0 else indent, line) for n, line in enumerate(lines)]


def _joined(left: Row, right: Row) -> Row:
    """Text.assemble(left, right), for a ``left`` with no base style."""
    if not (right.spans or right.base):
        return Row(left.text + right.text, list(left.spans))
    return Row(left.text, list(left.spans)).add(right)


def render(lines: list[Row], codes: Callable[[tuple[str, ...]], tuple[str, str]] | None) -> str:
    """The lines as the terminal receives them, each ending in a newline: every stretch
    between span ends wrapped in the escape codes ``codes`` gives for the styles over it
    (as rich's Text.render and Style.render do); None: plain text."""
    out = []
    for line in lines:
        if codes is None or not (line.spans or line.base):
            out.append(line.text)
            continue
        spans = ([(0, len(line.text), line.base)] if line.base else []) + line.spans
        bounds = sorted({0, len(line.text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
        pieces = []
        for a, b in zip(bounds, bounds[1:]):
            styles = tuple(style for s, e, style in spans if s <= a < e)
            before, after = codes(styles) if styles else ("", "")
            pieces.append(f"{before}{line.text[a:b]}{after}")
        out.append("".join(pieces))
    out.append("")
    return "\n".join(out)


def escape_codes(console: Console) -> Callable[[tuple[str, ...]], tuple[str, str]] | None:
    """The escape codes a rich console writes around text in a combination of styles; None
    when it writes none (no colour) or uses something other than escape codes."""
    from rich.color import ColorSystem
    from rich.style import Style

    systems = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}
    system = systems.get(console.color_system or "")
    if system is None or console.legacy_windows:
        return None

    @lru_cache(maxsize=None)
    def codes(styles: tuple[str, ...]) -> tuple[str, str]:
        style = Style.combine(console.get_style(name) for name in styles)
        before, _, after = (style.render("\0", color_system=system) if style else "\0").partition("\0")
        return before, after

    return codes
