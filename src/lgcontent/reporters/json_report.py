"""``json``: the machine-readable report whose shape DESIGN.md promises.

Written as it goes, one finding at a time, so memory stays flat on big sites.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # what json.dumps(..., ensure_ascii=False) quotes strings with

from ..findings import Finding, PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter

VERSION = 1
_SEVERITIES = {severity: encode_basestring(severity.label) for severity in Severity}


def _string_or_null(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def finding_json(f: Finding) -> str:
    """``json.dumps(f.to_dict(), ensure_ascii=False)``, written out: a big site has
    hundreds of thousands of findings, and this is four times faster (a test holds the two
    to the same text)."""
    return (f'{{"path": {encode_basestring(f.path)}, "line": {f.line}, "column": {f.column}, '
            f'"end_line": {f.end_line}, "end_column": {f.end_column}, "rule": {encode_basestring(f.rule)}, '
            f'"severity": {_SEVERITIES[f.severity]}, "message": {encode_basestring(f.message)}, '
            f'"match": {_string_or_null(f.match)}, "suggestion": {_string_or_null(f.suggestion)}}}')


class JsonReporter(Reporter):
    name = "json"

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self._first = True
        self._pages: list[dict[str, object]] = []
        self.stream.write('{"version": %d, "findings": [' % VERSION)

    def page(self, result: PageResult) -> None:
        if result.error is None and not result.site:
            age = round(result.reading_age, 1) if result.reading_age is not None else None
            self._pages.append({"path": result.path, "words": result.words, "reading_age": age,
                                "findings": len(result.findings)})
        if result.findings:
            self.stream.write("\n  " if self._first else ",\n  ")
            self._first = False
            self.stream.write(",\n  ".join(map(finding_json, result.findings)))

    def finish(self, summary: Summary) -> None:
        median = summary.median_reading_age
        data = {
            "pages": summary.pages,
            "pages_with_findings": summary.pages_with_findings,
            "findings": summary.findings,
            **{s.label: summary.counts[s] for s in sorted(Severity, reverse=True)},
            "unchecked": len(summary.unchecked),
            "median_reading_age": round(median, 1) if median is not None else None,
        }
        unchecked = [{"path": p, "message": m} for p, m in summary.unchecked]
        self.stream.write("\n]" if not self._first else "]")
        self.stream.write(', "pages": ' + json.dumps(self._pages, ensure_ascii=False))
        self.stream.write(', "unchecked": ' + json.dumps(unchecked, ensure_ascii=False))
        if summary.in_baseline:
            data["in_baseline"] = summary.in_baseline
        self.stream.write(', "summary": ' + json.dumps(data))
        if self.context.statistics:
            self.stream.write(', "statistics": ' + json.dumps(summary.statistics(), ensure_ascii=False))
        self.stream.write("}\n")
