"""``junit``: one test suite a page, one test case a finding, for CI test views.

The shape is the Apache Ant JUnit schema, which GitLab, Jenkins and GitHub test
reporters read. A finding at or above the failing level is a failed test; one
below it is a skipped test, so it shows without failing the build; a clean page
is one passing test; a page that could not be checked is a test in error.
"""

from __future__ import annotations

import datetime
import socket
from xml.sax.saxutils import quoteattr, escape

from ..findings import Finding, PageResult
from ..summary import Summary
from .base import ReportContext, Reporter, finding_excerpt, xml_safe

#: Characters of a finding's source line shown around it (a minified page is one long line).
EXCERPT_WIDTH = 160


def _attr(value: object) -> str:
    return quoteattr(xml_safe(str(value)))


def _text(value: str) -> str:
    return escape(xml_safe(value))


class JUnitReporter(Reporter):
    name = "junit"
    shows_lines = True

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self._id = 0
        self._timestamp = datetime.datetime.now().replace(microsecond=0).isoformat()
        self._host = socket.gethostname() or "localhost"
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')

    def _suite(self, name: str, cases: list[str], failures: int, errors: int, skipped: int) -> None:
        self.stream.write(
            f"  <testsuite package={_attr('lgcontent')} id=\"{self._id}\" name={_attr(name)}"
            f" timestamp=\"{self._timestamp}\" hostname={_attr(self._host)} tests=\"{len(cases)}\""
            f" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"0\">\n"
            "    <properties/>\n"
        )
        self.stream.writelines(cases)
        self.stream.write("    <system-out/>\n    <system-err/>\n  </testsuite>\n")
        self._id += 1

    def _case(self, result: PageResult, finding: Finding) -> tuple[str, bool]:
        failed = self.context.fails(finding.severity)
        name = f"{finding.rule} at line {finding.line}, column {finding.column}"
        where = f"{finding.path}:{finding.line}:{finding.column}"
        body = f"{where}: {finding.severity.label}: {finding.message}"
        if finding.match is not None:
            body += "\n" + finding_excerpt(finding, result.lines.get(finding.line, ""), EXCERPT_WIDTH)[0]
        if finding.suggestion:
            body += f"\nSuggestion: {finding.suggestion}"
        tag = "failure" if failed else "skipped"
        type_ = f' type={_attr(finding.severity.label)}' if failed else ""
        case = (f"    <testcase name={_attr(name)} classname={_attr(finding.path)} time=\"0\">\n"
                f"      <{tag} message={_attr(finding.message)}{type_}>{_text(body)}</{tag}>\n"
                "    </testcase>\n")
        return case, failed

    def page(self, result: PageResult) -> None:
        if result.error is not None:
            case = (f"    <testcase name=\"could not be checked\" classname={_attr(result.path)} time=\"0\">\n"
                    f"      <error message={_attr(result.error)} type=\"input-error\">"
                    f"{_text(result.path + ': ' + result.error)}</error>\n    </testcase>\n")
            self._suite(result.path, [case], 0, 1, 0)
            return
        if not result.findings and result.site:
            return  # every site-wide finding here is in the baseline: the page has its suite
        if not result.findings:
            case = f"    <testcase name=\"no problems found\" classname={_attr(result.path)} time=\"0\"/>\n"
            self._suite(result.path, [case], 0, 0, 0)
            return
        cases, failures = [], 0
        for finding in result.findings:
            case, failed = self._case(result, finding)
            cases.append(case)
            failures += failed
        name = f"{result.path} (site-wide checks)" if result.site else result.path
        self._suite(name, cases, failures, 0, len(cases) - failures)

    def finish(self, summary: Summary) -> None:
        self.stream.write("</testsuites>\n")
