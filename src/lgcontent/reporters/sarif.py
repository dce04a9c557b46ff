"""``sarif``: SARIF 2.1.0, for GitHub code scanning and other security and quality tools.

Every rule that ran is listed with its descriptions and help link; every finding
is a result with its exact region and a fingerprint that survives line shifts.
Pages that could not be checked are tool execution notifications.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

from .. import __version__
from ..findings import PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}
INFORMATION_URI = "https://github.com/localgovdigital/content-standards"


def artifact_uri(path: str) -> str:
    """A URI for a page: relative paths stay relative, absolute ones become file: URIs."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return urllib.parse.quote(path.replace(os.sep, "/"))


def _rule(rule) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": rule.id,
        "name": rule.id.replace(".", "/"),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.why.split())},
        "help": {"text": " ".join(f"{rule.why} {rule.fix or ''}".split())},
        "defaultConfiguration": {"level": LEVELS[rule.level]},
        "properties": {"pack": rule.pack, "source": rule.source},
    }
    if rule.link:
        entry["helpUri"] = rule.link
    return entry


class SarifReporter(Reporter):
    name = "sarif"

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self._index = {rule.id: n for n, rule in enumerate(context.rules)}
        self._first = True
        driver = {"name": "lgcontent", "version": __version__, "semanticVersion": __version__,
                  "informationUri": INFORMATION_URI, "rules": [_rule(r) for r in context.rules]}
        head = json.dumps({"tool": {"driver": driver}, "columnKind": "unicodeCodePoints"}, ensure_ascii=False)
        self.stream.write('{"$schema": "%s", "version": "2.1.0", "runs": [' % SCHEMA)
        self.stream.write(head[:-1] + ', "results": [')

    def page(self, result: PageResult) -> None:
        uri = artifact_uri(result.path)
        for finding, fingerprint in zip(result.findings, result.fingerprints):
            region: dict[str, object] = {"startLine": finding.line, "startColumn": finding.column,
                                         "endLine": finding.end_line, "endColumn": finding.end_column}
            if finding.match is not None:
                region["snippet"] = {"text": finding.match}
            text = finding.message + (f" Suggestion: {finding.suggestion}" if finding.suggestion else "")
            entry: dict[str, object] = {
                "ruleId": finding.rule,
                "level": LEVELS[finding.severity],
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
                "partialFingerprints": {"lgcontentFinding/v1": fingerprint},
            }
            if finding.rule in self._index:
                entry["ruleIndex"] = self._index[finding.rule]
            self.stream.write("\n" if self._first else ",\n")
            self._first = False
            self.stream.write(json.dumps(entry, ensure_ascii=False))

    def finish(self, summary: Summary) -> None:
        notifications = [
            {"level": "error", "message": {"text": f"{path}: {message}"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}}}]}
            for path, message in summary.unchecked
        ]
        invocation = {"executionSuccessful": not summary.unchecked,
                      "toolExecutionNotifications": notifications}
        self.stream.write('], "invocations": ' + json.dumps([invocation], ensure_ascii=False) + "}]}\n")
