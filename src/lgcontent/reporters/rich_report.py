"""``rich``: the report a person reads, grouped by page.

Every piece of page text goes into a ``rich.text.Text`` as plain text, never as
markup (or, unstyled, straight into the lines plain_layout makes), and control
characters are escaped first, so a page containing ``[bold red]`` or terminal
escape codes is shown exactly as written.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from ..findings import Finding, PageResult, Severity
from ..summary import Summary
from . import plain_layout
from .base import ReportContext, Reporter, finding_excerpt, one_line, printable
from .plain_layout import EXCERPT_WIDTH, INDENT

SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.SUGGESTION: "cyan",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class RichReporter(Reporter):
    name = "rich"
    shows_lines = True
    #: Lay out unstyled reports with plain_layout (False: all with rich, as tests compare).
    quick_plain_layout = True

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
            width=None if styled else plain_layout.WIDTH,
            height=None if styled else 25,  # (fixed, or rich asks the terminal its size at every print)
        )

    def page(self, result: PageResult) -> None:
        if not result.findings:
            return
        if self.plain and self.quick_plain_layout:
            self._plain_page(result)
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

    def _plain_page(self, result: PageResult) -> None:
        """The page laid out by plain_layout, all but the rare parts that rich must lay out."""
        lines = plain_layout.header_lines(result.path, result.reading_age)
        if lines is None:
            self.console.print(self._header(result))
            lines = []
        for finding in result.findings:
            source_line = result.lines.get(finding.line, "")
            rows = plain_layout.finding_lines(finding, source_line)
            if rows is not None:
                lines += rows
                continue
            self._write_lines(lines)
            self.console.print(Group(*self._finding(finding, source_line, self.console.width)))
        lines.append("")
        self._write_lines(lines)

    def _write_lines(self, lines: list[str]) -> None:
        if lines:
            self.stream.write("\n".join(lines) + "\n")
            lines.clear()

    @staticmethod
    def _header(result: PageResult) -> Text:
        header = Text(printable(result.path), style="bold underline")
        if result.reading_age is not None:
            header.append(f"  reading age {result.reading_age:.0f}", style="dim")
        return header

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
        first = Text(f"  {f.line}:{f.column}".ljust(10))
        first.append(f.severity.label.ljust(INDENT - 10), style=SEVERITY_STYLE[f.severity])
        message = Text(one_line(f.message))
        message.append(f"  {f.rule}", style="dim")
        rows = self._wrapped(message, first, width)
        rows += [Text.assemble(" " * INDENT, row, no_wrap=True, overflow="ellipsis")
                 for row in self._excerpt(f, source_line, width)]
        if f.suggestion:
            tip = Text("Suggestion: ", style="green")
            tip.append(one_line(f.suggestion), style="bold green")
            rows += self._wrapped(tip, Text(" " * INDENT), width)
        return rows

    def _excerpt(self, f: Finding, source_line: str, width: int) -> list[Text]:
        """The source line with the match highlighted (and marked with ^ when plain)."""
        if f.match is None or not source_line.strip():
            return []
        shown, start, stop = finding_excerpt(f, source_line, max(30, min(EXCERPT_WIDTH, width - INDENT - 4)))
        before, match, after = (one_line(part) for part in (shown[:start], shown[start:stop], shown[stop:]))
        body = Text(no_wrap=True, overflow="ellipsis")
        body.append("│ ", style="dim")
        body.append(before)
        body.append(match, style="bold reverse")
        body.append(after.rstrip())
        rows = [body]
        if self.plain:
            caret = "│ " + " " * cell_len(before) + "^" * max(1, cell_len(match))
            rows.append(Text(caret, no_wrap=True, overflow="ellipsis"))
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
