"""``gitlab``: GitLab Code Quality JSON, with fingerprints that survive line shifts."""

from __future__ import annotations

import hashlib
import json

from ..findings import PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.SUGGESTION: "info"}


class GitLabReporter(Reporter):
    name = "gitlab"

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self._first = True
        self.stream.write("[")

    def _write(self, issue: dict[str, object]) -> None:
        self.stream.write("\n  " if self._first else ",\n  ")
        self._first = False
        self.stream.write(json.dumps(issue, ensure_ascii=False))

    def page(self, result: PageResult) -> None:
        for f, fingerprint in zip(result.findings, result.fingerprints):
            text = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            self._write({
                "type": "issue",
                "description": text,
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": SEVERITIES[f.severity],
                "categories": ["Style"],
                "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
            })

    def finish(self, summary: Summary) -> None:
        for path, message in summary.unchecked:
            fingerprint = hashlib.sha256(f"{path}\0unchecked\0{message}".encode()).hexdigest()[:32]
            self._write({"type": "issue", "description": f"Could not be checked: {message}",
                         "check_name": "lgcontent.unchecked", "fingerprint": fingerprint,
                         "severity": "critical", "categories": ["Bug Risk"],
                         "location": {"path": path, "lines": {"begin": 1}}})
        self.stream.write("\n]\n" if not self._first else "]\n")
