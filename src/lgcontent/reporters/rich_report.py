"""``rich``: the report a person reads, grouped by page.

Every piece of page text goes into a ``rich.text.Text`` as plain text, never as
markup, and control characters are escaped first, so a page containing
``[bold red]`` or terminal escape codes is shown exactly as written.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..findings import Finding, PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter, excerpt, one_line, printable

SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.SUGGESTION: "cyan",
}
EXCERPT_WIDTH = 76
INDENT = 22  # where messages, excerpts and suggestions start


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class RichReporter(Reporter):
    name = "rich"
    shows_lines = True

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
            width=None if styled else 120,
        )

    def page(self, result: PageResult) -> None:
        if not result.findings:
            return
        header = Text(printable(result.path), style="bold underline")
        if result.reading_age is not None:
            header.append(f"  reading age {result.reading_age:.0f}", style="dim")
        self.console.print(header)
        for finding in result.findings:
            self._finding(finding, result.lines.get(finding.line, ""))
        self.console.print()

    def _print_wrapped(self, text: Text, first: Text) -> None:
        """Print ``text`` after ``first``, wrapping under itself (a hanging indent)."""
        width = max(24, self.console.width - INDENT)
        for n, line in enumerate(text.wrap(self.console, width)):
            line.rstrip()
            self.console.print(Text.assemble(first if n == 0 else " " * INDENT, line))

    def _finding(self, f: Finding, source_line: str) -> None:
        first = Text(f"  {f.line}:{f.column}".ljust(10))
        first.append(f.severity.label.ljust(INDENT - 10), style=SEVERITY_STYLE[f.severity])
        message = Text(one_line(f.message))
        message.append(f"  {f.rule}", style="dim")
        self._print_wrapped(message, first)
        for row in self._excerpt(f, source_line):
            self.console.print(Text.assemble(" " * INDENT, row), no_wrap=True, overflow="ellipsis", crop=True)
        if f.suggestion:
            tip = Text("Suggestion: ", style="green")
            tip.append(one_line(f.suggestion), style="bold green")
            self._print_wrapped(tip, Text(" " * INDENT))

    def _excerpt(self, f: Finding, source_line: str) -> list[Text]:
        """The source line with the match highlighted (and marked with ^ when plain)."""
        if f.match is None or not source_line.strip():
            return []
        end = f.end_column - 1 if f.end_line == f.line else len(source_line)
        width = max(30, min(EXCERPT_WIDTH, self.console.width - INDENT - 4))
        shown, start, stop = excerpt(source_line, f.column - 1, end, width)
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
