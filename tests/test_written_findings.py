"""With the JSON report alone, --jobs workers send each page's findings written out
(WrittenFindings), not as Finding objects: every report, count and exit status is what
one job gives, and any other report, or a baseline, still gets the findings themselves."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import EXAMPLES, run, run_process
from lgcontent.findings import PageResult, WrittenFindings
from lgcontent.packs import load_builtin
from lgcontent.findings import Finding, Severity
from lgcontent.reporters.json_report import JsonReporter, findings_json, findings_json_utf8
from lgcontent.runner import CheckOptions, check_sources
from lgcontent.inputs import expand
from lgcontent.summary import Summary


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """Twenty-odd pages with findings of every severity (enough for worker processes)."""
    folder = tmp_path / "site"
    for n in range(6):
        shutil.copytree(EXAMPLES, folder / f"copy{n}", ignore=shutil.ignore_patterns("barset-style-pack"))
        (folder / f"copy{n}" / "links.md").write_text(
            "# Bins\n\nPlease utilise [the guide to bins](bins-guide.md), or [click here](parking-good.md).\n")
    return folder


@pytest.mark.parametrize("extra", [(), ("--statistics",), ("--fail-on", "warning"), ("--fail-on", "suggestion")])
def test_two_jobs_write_the_json_report_one_job_writes(site: Path, extra: tuple[str, ...]) -> None:
    one = run("check", str(site), "--format", "json", "--jobs", "1", *extra)
    two = run("check", str(site), "--format", "json", "--jobs", "2", *extra)
    assert one.stdout == two.stdout and one.exit_code == two.exit_code
    report = json.loads(two.stdout)
    assert report["summary"]["pages"] == 30 and {"error", "warning", "suggestion"} <= {
        f["severity"] for f in report["findings"]}


def test_another_report_or_a_baseline_still_gets_the_findings(site: Path, tmp_path: Path) -> None:
    sarif_one, sarif_two = tmp_path / "one.sarif", tmp_path / "two.sarif"
    one = run("check", str(site), "--format", "json", "--jobs", "1", "--output", f"sarif:{sarif_one}")
    two = run("check", str(site), "--format", "json", "--jobs", "2", "--output", f"sarif:{sarif_two}")
    assert one.stdout == two.stdout
    results = json.loads(sarif_two.read_text())["runs"][0]["results"]
    assert len(results) == json.loads(two.stdout)["summary"]["findings"] > 0
    assert sarif_one.read_text() == sarif_two.read_text()
    baseline = tmp_path / "baseline.json"
    run("check", str(site / "copy0"), "--write-baseline", str(baseline))
    one = run("check", str(site), "--format", "json", "--jobs", "1", "--baseline", str(baseline))
    two = run("check", str(site), "--format", "json", "--jobs", "2", "--baseline", str(baseline))
    assert one.stdout == two.stdout and json.loads(two.stdout)["summary"]["in_baseline"] > 0


def test_workers_send_written_findings_only_when_asked(site: Path) -> None:
    rules = load_builtin()
    plain = [r for r in check_sources(list(expand([str(site)])), rules, CheckOptions(jobs=2))]
    written = [r for r in check_sources(list(expand([str(site)])), rules,
                                        CheckOptions(jobs=2, write_findings=findings_json))]
    assert any(r.findings for r in plain) and not any(r.written for r in plain)
    pages = [(a, b) for a, b in zip(plain, written) if not a.site and a.findings]
    assert pages
    for full, short in pages:
        assert short.findings == () and short.written == WrittenFindings(
            findings_json(full.findings), len(full.findings), Counter(f.severity for f in full.findings),
            Counter(f.rule for f in full.findings))
        assert short.finding_count == full.finding_count
    summaries = []
    for results in (plain, written):
        summary = Summary()
        for result in results:
            summary.add(result)
        summaries.append((summary.pages, summary.pages_with_findings, dict(summary.counts), dict(summary.by_rule),
                          summary.page_stats))
    assert summaries[0] == summaries[1]


def test_a_written_result_counts_as_its_findings_would() -> None:
    findings = (Finding("a.md", 1, 1, 1, 2, "r.one", Severity.ERROR, "M.", "x"),
                Finding("a.md", 2, 1, 2, 2, "r.two", Severity.SUGGESTION, "N.", "y"))
    written = PageResult("a.md", written=WrittenFindings(findings_json(findings), 2,
                                                         {Severity.ERROR: 1, Severity.SUGGESTION: 1},
                                                         {"r.one": 1, "r.two": 1}))
    assert written.finding_count == 2 and PageResult("a.md", findings).finding_count == 2


def test_written_findings_travel_as_utf8_unless_they_cannot() -> None:
    findings = [Finding("café.md", 3, 1, 3, 9, "r.one", Severity.WARNING, "Use ‘plain’ words.", "utilisé")]
    assert findings_json_utf8(findings) == findings_json(findings).encode("utf-8")
    lone = [Finding("a.md", 1, 1, 1, 2, "r.one", Severity.WARNING, "M.", "x\ud800y")]
    assert findings_json_utf8(lone) == findings_json(lone)  # a lone surrogate: left to the report's stream


def _pages() -> list[list[Finding]]:
    return [[Finding(f"p{n}.md", n, 1, n, 5, "r.one", Severity.WARNING, "Say ‘é’.", "é" * n)] for n in range(1, 5)]


def _written(findings: list[Finding], text) -> PageResult:
    return PageResult(findings[0].path, written=WrittenFindings.of(findings, text))


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "latin-1"])
def test_the_json_report_writes_text_and_bytes_in_order(encoding: str) -> None:
    """Pages written out as text (one job), as UTF-8 (workers) or as text (a lone
    surrogate) give one report, whatever the stream's encoding."""
    def report(results: list[PageResult]) -> bytes:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="backslashreplace", newline="\n")
        reporter = JsonReporter(stream)
        for result in results:
            reporter.page(result)
        reporter.finish(Summary())
        stream.flush()
        return raw.getvalue()

    pages = _pages()
    as_findings = [PageResult(f[0].path, tuple(f)) for f in pages]
    mixed = [as_findings[0], _written(pages[1], findings_json_utf8(pages[1])),
             _written(pages[2], findings_json_utf8(pages[2])), _written(pages[3], findings_json(pages[3]))]
    expected = report(as_findings)
    assert report(mixed) == expected
    assert json.loads(expected.decode(encoding))["findings"][3]["match"] == "éééé"
    assert (b"\xc3\xa9" in expected) == (encoding != "latin-1")


def test_the_json_report_writes_bytes_to_a_text_only_stream() -> None:
    pages = _pages()
    stream = io.StringIO()
    reporter = JsonReporter(stream)
    for findings in pages:
        reporter.page(_written(findings, findings_json_utf8(findings)))
    reporter.finish(Summary())
    assert [f["match"] for f in json.loads(stream.getvalue())["findings"]] == ["é", "éé", "ééé", "éééé"]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_two_jobs_write_standard_output_as_one_job_does(site: Path, encoding: str) -> None:
    """Through a real pipe: the workers' UTF-8 goes straight to standard output when it
    is UTF-8, and is written as text when it is not."""
    shutil.copytree(site / "copy0", site / "café")  # every finding's path has an é
    env = {"PYTHONIOENCODING": encoding}
    one = run_process("check", str(site), "--format", "json", "--jobs", "1", env=env)
    two = run_process("check", str(site), "--format", "json", "--jobs", "2", env=env)
    assert one.returncode == two.returncode == 1 and one.stdout == two.stdout
    paths = {f["path"] for f in json.loads(two.stdout.decode(encoding))["findings"]}
    assert any("/café/" in path for path in paths) and "café".encode(encoding) in two.stdout
