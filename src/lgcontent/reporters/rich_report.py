"""``rich``: the report a person reads, grouped by page.

Every piece of page text goes into a ``rich.text.Text`` as plain text, never as
markup (or into the rows quick_layout lays out the same way), and control
characters are escaped first, so a page containing ``[bold red]`` or terminal
escape codes is shown exactly as written.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Span, Text

from ..findings import Finding, PageResult, Severity
from ..summary import Summary
from . import quick_layout
from .base import ReportContext, Reporter, one_line, printable
from .quick_layout import INDENT, SEVERITY_STYLE, Row


def _text(row: Row) -> Text:
    """A quick_layout row as the rich Text it stands for, for rich to lay out."""
    return Text(row.text, style=row.base, spans=[Span(*span) for span in row.spans],
                no_wrap=True if row.ellipsis else None, overflow="ellipsis" if row.ellipsis else None)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class RichReporter(Reporter):
    name = "rich"
    shows_lines = True
    #: Lay out rows with quick_layout where it can (False: all with rich, as tests compare).
    lay_out_quickly = True

    def __init__(self, stream: TextIO, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        color = context.color
        no_color = "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""
        if color is None:
            styled = not no_color and stream.isatty()
        else:
            styled = color
        self.plain = not styled
        self.console = Console(
            file=stream,
            color_system="auto" if styled else None,
            force_terminal=True if styled else False,
            no_color=not styled,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=False,
            width=None if styled else quick_layout.PLAIN_WIDTH,
            height=None if styled else 25,  # (fixed, or rich asks the terminal its size at every print)
        )
        # The escape codes for each combination of styles (None: plain text).
        self._codes = quick_layout.escape_codes(self.console) if styled else None
        self._quick = self.lay_out_quickly and (self.plain or self._codes is not None)

    def page(self, result: PageResult) -> None:
        if not result.findings:
            return
        if self._quick:
            self._quick_page(result)
            return
        self.console.print(self._header(result))
        # One print for all the page's findings: each print asks rich to measure and lay
        # out afresh, which took several times longer than checking the pages.
        width = self.console.width
        rows: list[Text] = []
        for finding in result.findings:
            rows += self._finding(finding, result.lines.get(finding.line, ""), width)
        rows.append(Text())
        self.console.print(Group(*rows))

    def _quick_page(self, result: PageResult) -> None:
        """The page laid out by quick_layout, all but the rare parts that rich must lay out."""
        width = self.console.width
        lines: list[Row] = []
        heading = quick_layout.header(result.path, result.reading_age)
        if heading is None:
            self.console.print(self._header(result))
        else:
            lines += heading.printed(width)
        for finding in result.findings:
            source_line = result.lines.get(finding.line, "")
            rows = quick_layout.finding(finding, source_line, width, self.plain)
            if rows is None:
                self._write(lines)
                self.console.print(Group(*self._finding(finding, source_line, width)))
                continue
            for row in rows:
                lines += row.printed(width)
        lines.append(Row(""))
        self._write(lines)

    def _write(self, lines: list[Row]) -> None:
        if lines:
            self.stream.write(quick_layout.render(lines, self._codes))
            lines.clear()

    @staticmethod
    def _header(result: PageResult) -> Text:
        return _text(quick_layout.header_row(result.path, result.reading_age))

    def _wrapped(self, text: Text, first: Text, width: int) -> list[Text]:
        """``text`` after ``first``, wrapping under itself (a hanging indent)."""
        lines = text.wrap(self.console, max(24, width - INDENT))
        rows = []
        for n, line in enumerate(lines):
            line.rstrip()
            row = Text.assemble(first if n == 0 else " " * INDENT, line)
            row.no_wrap = cell_len(row.plain) <= width  # (so rich does not wrap it again)
            rows.append(row)
        return rows

    def _finding(self, f: Finding, source_line: str, width: int) -> list[Text]:
        found = quick_layout.pieces(f, source_line, width, self.plain, cell_len)
        rows = self._wrapped(_text(found.message), _text(found.first), width)
        rows += [_text(row) for row in found.excerpt]
        if found.tip is not None:
            rows += self._wrapped(_text(found.tip), Text(" " * INDENT), width)
        return rows

    def finish(self, summary: Summary) -> None:
        if self.context.statistics:
            self._statistics(summary)
        for path, message in summary.unchecked:
            self.console.print(Text(f"{printable(path)}: could not be checked: {one_line(message)}",
                                    style="bold red"))
        parts = [
            Text(_plural(summary.counts[s], s.label), style=SEVERITY_STYLE[s] if summary.counts[s] else "")
            for s in sorted(Severity, reverse=True)
        ]
        footer = Text(f"Checked {_plural(summary.pages, 'page')}: ")
        footer.append_text(Text(", ").join(parts))
        if summary.findings:
            footer.append(f" on {_plural(summary.pages_with_findings, 'page')}.")
        else:
            footer.append(". No problems found.", style="green")
        if summary.in_baseline:
            footer.append(f" {_plural(summary.in_baseline, 'finding')} already in the baseline"
                          " were left out.")
        median = summary.median_reading_age
        if median is not None:
            footer.append(f" Median reading age {median:.0f}"
                          f" (UK reading age: Flesch-Kincaid grade + 5).")
        if summary.unchecked:
            footer.append(f" {_plural(len(summary.unchecked), 'input')} could not be checked.",
                          style="bold red")
        self.console.print(footer)

    def _statistics(self, summary: Summary) -> None:
        """Counts by rule, and the pages that most need work."""
        from rich.table import Table

        by_rule = Table(title="Findings by rule", title_justify="left", box=None, pad_edge=False)
        by_rule.add_column("findings", justify="right")
        by_rule.add_column("rule")
        for rule, count in sorted(summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            by_rule.add_row(str(count), rule)
        self.console.print(by_rule)
        self.console.print()
        worst = Table(title="Pages with the most findings", title_justify="left", box=None, pad_edge=False)
        worst.add_column("findings", justify="right")
        worst.add_column("reading age", justify="right")
        worst.add_column("page", overflow="fold")
        for page in summary.worst_by_findings():
            age = f"{page.reading_age:.0f}" if page.reading_age is not None else "-"
            worst.add_row(str(page.findings), age, Text(printable(page.path)))
        self.console.print(worst)
        self.console.print()
        hardest = Table(title="Pages with the highest reading age", title_justify="left", box=None,
                        pad_edge=False)
        hardest.add_column("reading age", justify="right")
        hardest.add_column("findings", justify="right")
        hardest.add_column("page", overflow="fold")
        for page in summary.worst_by_reading_age():
            hardest.add_row(f"{page.reading_age:.0f}", str(page.findings), Text(printable(page.path)))
        self.console.print(hardest)
        self.console.print()
