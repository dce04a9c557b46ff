"""``json``: the machine-readable report whose shape DESIGN.md promises.

Written as it goes, one finding at a time, so memory stays flat on big sites.
"""

from __future__ import annotations

import json

from ..findings import PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter

VERSION = 1
# One encoder for every finding: json.dumps with a non-default option makes a new one
# each call, which on a big site costs more than the rest of the report.
_encode = json.JSONEncoder(ensure_ascii=False).encode


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
            self.stream.write(",\n  ".join(_encode(finding.to_dict()) for finding in result.findings))

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
