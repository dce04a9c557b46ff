"""What a check found: a Finding, with its severity and exact position."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum
from operator import attrgetter
from typing import NamedTuple, Sequence

from .pickled import pickled_as_fields


class Severity(IntEnum):
    """Ordered so that ``>=`` means "at least as serious as"."""

    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]


SEVERITY_NAMES = tuple(s.label for s in sorted(Severity, reverse=True))


@pickled_as_fields
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One problem on one page. Lines and columns are 1-based.

    Treated as immutable, and hashable as such, but not ``frozen``: a frozen dataclass
    sets each field through ``object.__setattr__``, which makes creating (and unpickling,
    for --jobs) the thousands of findings of a big run three times slower.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    match: str | None = None  # the source text the finding covers, exactly as written
    suggestion: str | None = None

    #: Page order: (path, line, column, rule). An attrgetter, so sorting a page's findings
    #: calls no Python code for each one.
    sort_key = staticmethod(attrgetter("path", "line", "column", "rule"))

    def to_dict(self) -> dict[str, object]:
        """The JSON shape promised in DESIGN.md."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "match": self.match,
            "suggestion": self.suggestion,
        }


#: What the summary counts findings by (attrgetters: counted in C, a site has hundreds of
#: thousands of findings).
SEVERITY_OF = attrgetter("severity")
RULE_OF = attrgetter("rule")


class WrittenFindings(NamedTuple):
    """A page's findings as the report writes them, with the counts the summary keeps of
    them. A ``--jobs`` worker sends these instead of the findings when the JSON report is
    the only one and no baseline is read or written (see ``CheckOptions.write_findings``):
    the main process, which reads back and writes every finding of a site, then need not
    rebuild each one."""

    text: str | bytes  # bytes: the text's UTF-8, which the report can write as it is
    count: int
    severities: dict[Severity, int]
    rules: dict[str, int]

    @classmethod
    def of(cls, findings: Sequence[Finding], text: str | bytes) -> "WrittenFindings":
        """``findings`` written as ``text``, counted as the summary counts them."""
        return cls(text, len(findings), Counter(map(SEVERITY_OF, findings)), Counter(map(RULE_OF, findings)))


@dataclass(frozen=True, slots=True)
class PageResult:
    """Everything one page produced: findings, or the error that stopped it."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    #: The source lines findings start on, by line number, for excerpts.
    lines: dict[int, str] = field(default_factory=dict)
    words: int = 0  # words of prose checked on the page
    reading_age: float | None = None  # UK reading age of the whole page, None when too short
    #: The fingerprints, when worked out before a baseline left some findings out (they
    #: count the identical findings before each one, so cannot be redone from those kept).
    known_fingerprints: tuple[str, ...] | None = None
    in_baseline: int = 0  # findings left out because the baseline has them
    site: bool = False  # findings of site-wide rules, for a page already reported
    title: str | None = None  # the page's title, for reports that list pages
    #: The findings written out instead (then ``findings`` is empty): see WrittenFindings.
    written: WrittenFindings | None = None

    @property
    def finding_count(self) -> int:
        return self.written.count if self.written is not None else len(self.findings)

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """One for each finding, stable when lines move: worked out only for the reports
        and baselines that use them (hashing every finding costs as much as a report)."""
        if self.known_fingerprints is not None:
            return self.known_fingerprints
        from .fingerprints import fingerprints  # that module builds on this one

        return tuple(fingerprints(self.findings))
