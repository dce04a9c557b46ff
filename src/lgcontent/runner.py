"""Check pages one at a time: load, run the rules, yield each page's result.

Results stream out in input order, so a report can be written while a large
folder is still being checked, and no page's problem stops the others.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .engine import check_document
from .errors import InputError
from .findings import PageResult, Severity
from .inputs import STDIN, expand
from .loaders import load_bytes, load_file
from .packs import Rule
from .readability import page_counts, reading_age

#: Below this many words a page's reading age says little, so none is given.
MIN_WORDS_FOR_READING_AGE = 50


@dataclass
class CheckOptions:
    stdin_format: str = "markdown"
    stdin_name: str = "<stdin>"
    content_selector: str | None = None
    read_stdin: Callable[[], bytes] | None = None


@dataclass
class Summary:
    """Counts for the report footer and the JSON ``summary``."""

    pages: int = 0
    pages_with_findings: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: {s: 0 for s in Severity})
    unchecked: list[tuple[str, str]] = field(default_factory=list)
    reading_ages: list[float] = field(default_factory=list)

    def add(self, result: PageResult) -> None:
        if result.error is not None:
            self.unchecked.append((result.path, result.error))
            return
        self.pages += 1
        if result.findings:
            self.pages_with_findings += 1
        for finding in result.findings:
            self.counts[finding.severity] += 1
        if result.reading_age is not None:
            self.reading_ages.append(result.reading_age)

    @property
    def median_reading_age(self) -> float | None:
        return statistics.median(self.reading_ages) if self.reading_ages else None

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    def worst_at_least(self, level: Severity) -> bool:
        return any(n for s, n in self.counts.items() if s >= level)


def _check_one(path: str, rules: list[Rule], options: CheckOptions) -> PageResult:
    try:
        if path == STDIN:
            if options.read_stdin is None:
                raise InputError(options.stdin_name, "standard input is not available")
            doc = load_bytes(options.read_stdin(), options.stdin_name, options.stdin_format,
                             options.content_selector)
        else:
            doc = load_file(path, options.content_selector)
        findings = check_document(doc, rules)
    except InputError as exc:
        return PageResult(path if path != STDIN else options.stdin_name, error=exc.message)
    except RecursionError:
        return PageResult(path, error="is nested too deeply to check")
    except MemoryError:
        return PageResult(path, error="is too large to check in the memory available")
    except Exception as exc:  # a fault of ours must not stop the other pages
        return PageResult(path, error=f"could not be checked because of a fault in lgcontent"
                          f" ({type(exc).__name__}: {exc}); please report it")
    lines = {}
    for finding in findings:
        if finding.line not in lines:
            start, end = doc.lines.line_span(finding.line)
            lines[finding.line] = doc.source[start:end]
    counts = page_counts(doc.blocks)
    age = reading_age(counts) if counts.words >= MIN_WORDS_FOR_READING_AGE else None
    return PageResult(doc.path, tuple(findings), notes=tuple(doc.notes), lines=lines,
                      words=counts.words, reading_age=age)


def check_paths(paths: Iterable[str], rules: list[Rule], options: CheckOptions) -> Iterator[PageResult]:
    """One result per page (or per bad input), in the order the paths expand."""
    for item in expand(list(paths)):
        if isinstance(item, InputError):
            yield PageResult(item.path, error=item.message)
        else:
            yield _check_one(item.path, rules, options)
