"""What every reporter shares: one interface, and terminal-safe text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TextIO

from ..findings import Finding, PageResult, Severity
from ..packs import Rule
from ..summary import Summary

if TYPE_CHECKING:  # the trend module is loaded only for --compare
    from ..trend import RunCounts

# C0 and C1 control characters (not tab), DEL, and the bidirectional overrides that can
# make text display in a different order from how it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Page text made safe for a terminal: control characters shown as escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


# Characters XML 1.0 does not allow at all, even escaped: all but tab, line feed, carriage
# return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000 up. (Listed rather than written as the
# complement of those, which takes 5 ms to compile on every run.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text that can go in an XML document: forbidden characters shown as escapes."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def excerpt(source_line: str, start: int, end: int, width: int) -> tuple[str, int, int]:
    """A window of one source line around [start, end), and the match's place in it.
    (A minified page is one line of megabytes: a report shows only the part around.)"""
    text = source_line.rstrip()
    lead = len(text) - len(text.lstrip())
    text = text[lead:]
    start, end = max(0, start - lead), max(0, end - lead)
    end = max(start + 1, min(end, len(text)))
    if len(text) <= width:
        return text, start, end
    left = max(0, min(start - width // 3, len(text) - width))
    window = text[left:left + width]
    prefix = "…" if left > 0 else ""
    suffix = "…" if left + width < len(text) else ""
    return prefix + window + suffix, start - left + len(prefix), min(end - left, width) + len(prefix)


def finding_excerpt(finding: Finding, source_line: str, width: int) -> tuple[str, int, int]:
    """The window of ``source_line`` around a finding that starts on it (to the line's end
    when the finding goes on past it), and the finding's place in the window."""
    end = finding.end_column - 1 if finding.end_line == finding.line else len(source_line)
    return excerpt(source_line, finding.column - 1, end, width)


def one_line(text: str) -> str:
    """Page text on one line: line breaks become spaces."""
    return printable(text).replace("\n", " ").replace("\t", " ")


@dataclass(frozen=True)
class ReportContext:
    """What every report may need to know about the run."""

    rules: tuple[Rule, ...] = ()  # the rules that ran (SARIF lists them)
    fail_on: Severity | None = Severity.ERROR  # findings this serious fail the run; None: never
    statistics: bool = False  # --statistics: add counts by rule and page
    color: bool | None = None  # None: colour when writing to a terminal
    previous: RunCounts | None = None  # --compare: an earlier run, for the HTML report's trend
    previous_name: str | None = None  # the file it came from

    def fails(self, severity: Severity) -> bool:
        return self.fail_on is not None and severity >= self.fail_on


class Reporter:
    """Receives each page's result as it is ready, then the summary."""

    name: ClassVar[str]
    #: Whether page() shows the source line of each finding (PageResult.lines): when no
    #: report does, pages are checked without copying those lines out.
    shows_lines: ClassVar[bool] = False

    def __init__(self, stream: TextIO, context: ReportContext = ReportContext()) -> None:
        self.stream = stream
        self.context = context

    def page(self, result: PageResult) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        """Called once after the last page."""
