"""``github``: GitHub Actions workflow commands, shown as notes on the changed files."""

from __future__ import annotations

from ..findings import PageResult, Severity
from ..summary import Summary
from .base import Reporter

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def _data(text: str) -> str:
    """Escape a message the way GitHub's workflow command parser expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GitHubReporter(Reporter):
    name = "github"

    def page(self, result: PageResult) -> None:
        for f in result.findings:
            props = (f"file={_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                     f"endColumn={f.end_column},title={_property(f.rule)}")
            text = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            self.stream.write(f"::{LEVELS[f.severity]} {props}::{_data(text)}\n")

    def finish(self, summary: Summary) -> None:
        for path, message in summary.unchecked:
            self.stream.write(f"::error file={_property(path)},title=lgcontent::"
                              f"{_data(path + ': could not be checked: ' + message)}\n")
