"""Reports for CI: JUnit, SARIF, GitHub, GitLab; several at once; fail levels."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import junitparser
import pytest
from lxml import etree

from lgcontent.reporters import FORMATS, reporter_class
from lgcontent.reporters import base as reporters_base

from conftest import EXAMPLES, run

SCHEMAS = Path(__file__).parent / "schemas"
JUNIT_XSD = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-ant.xsd")))
SARIF_SCHEMA = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
HOSTILE = ('<html lang="en"><head><title>T</title></head><body><p>Click <a href="/x">here</a>'
           ' \x01\x1b[31m &amp; <b>bold</b> ]]> "quotes" </p></body></html>')


def check_json(*args: str) -> dict:
    return json.loads(run("check", *args, "--format", "json").stdout)


def test_junit_validates_and_counts(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    (tmp_path / "hostile.html").write_text(HOSTILE)
    result = run("check", str(EXAMPLES), str(tmp_path / "hostile.html"), str(tmp_path / "gone.md"),
                 "--output", f"junit:{report}")
    assert result.exit_code == 2
    assert JUNIT_XSD.validate(etree.parse(str(report))), JUNIT_XSD.error_log.last_error
    suites = {s.name: s for s in junitparser.JUnitXml.fromfile(str(report))}
    expected = check_json(str(EXAMPLES), str(tmp_path / "hostile.html"))
    for page in expected["pages"]:
        suite = suites[page["path"]]
        errors = sum(1 for f in expected["findings"] if f["path"] == page["path"] and f["severity"] == "error")
        assert suite.tests == max(1, page["findings"])
        assert suite.failures == errors
        assert suite.skipped == page["findings"] - errors
    assert suites[str(tmp_path / "gone.md")].errors == 1
    assert suites[str(EXAMPLES / "bins-good.html")].tests == 1  # a clean page still shows


def test_junit_fail_on_warning_makes_warnings_failures(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    run("check", str(EXAMPLES / "parking-bad.md"), "--fail-on", "warning", "--output", f"junit:{report}")
    suite = next(iter(junitparser.JUnitXml.fromfile(str(report))))
    data = check_json(str(EXAMPLES / "parking-bad.md"))
    assert suite.failures == sum(1 for f in data["findings"] if f["severity"] in ("error", "warning"))


def test_junit_shows_only_the_part_of_a_long_line_around_each_finding(tmp_path: Path) -> None:
    # A minified page is one long line: each finding showed all of it (2,000 findings on a
    # 60 KB line made a 130 MB report). Now a window around the finding, and still valid.
    page = tmp_path / "one-line.md"
    page.write_text("Text " + "plain words here and we utilise it. " * 2000)
    report = tmp_path / "report.xml"
    run("check", str(page), "--output", f"junit:{report}")
    assert JUNIT_XSD.validate(etree.parse(str(report)))
    cases = [c for c in next(iter(junitparser.JUnitXml.fromfile(str(report)))) if "words-to-avoid" in c.name]
    assert len(cases) == 2000
    for case in cases:
        shown = case.result[0].text.splitlines()[1]
        assert "utilise" in shown and len(shown) <= 162
    assert report.stat().st_size < 3_000_000


def test_sarif_validates_with_rules_and_regions(tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    (tmp_path / "hostile.html").write_text(HOSTILE)
    run("check", str(EXAMPLES), str(tmp_path / "hostile.html"), "--output", f"sarif:{report}")
    sarif = json.loads(report.read_text())
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {"links.vague-text", "plain-english.words-to-avoid"} <= {r["id"] for r in rules}
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in rules)
    vague = next(r for r in run_["results"] if r["ruleId"] == "links.vague-text"
                 and "hostile" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    region = vague["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["snippet"]["text"]) == (1, 74, "here")
    assert vague["level"] == "error" and rules[vague["ruleIndex"]]["id"] == "links.vague-text"
    levels = {r["level"] for r in run_["results"]}
    assert levels <= {"error", "warning", "note"} and "note" in levels


def test_github_annotations() -> None:
    out = run("check", str(EXAMPLES / "parking-bad.md"), "--format", "github").stdout
    line = next(x for x in out.splitlines() if "links.vague-text" in x)
    assert line.startswith(f"::error file={EXAMPLES / 'parking-bad.md'},line=11,col=72,endLine=11,endColumn=76,"
                           "title=links.vague-text::The link text 'here'")
    assert any(x.startswith("::notice ") for x in out.splitlines())


def test_github_escapes_workflow_command_characters(tmp_path: Path) -> None:
    page = tmp_path / "a,b:c.md"
    page.write_text("# T\n\n[here](/x) 100%\n")
    out = run("check", str(page), "--format", "github").stdout
    line = next(x for x in out.splitlines() if "vague" in x)
    assert "file=" + str(page).replace(",", "%2C").replace(":", "%3A") + ",line=3" in line


def test_gitlab_code_quality(tmp_path: Path) -> None:
    out = json.loads(run("check", str(EXAMPLES), "--format", "gitlab").stdout)
    assert out and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in out)
    assert len({i["fingerprint"] for i in out}) == len(out)
    assert {i["severity"] for i in out} <= {"info", "minor", "major", "critical", "blocker"}


def test_fingerprints_survive_line_shifts(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Bins\n\nWe will utilise the tip. [Click here](/x).\n")
    before = {i["check_name"]: i["fingerprint"] for i in json.loads(run("check", str(page), "--format", "gitlab").stdout)}
    page.write_text("# Bins\n\nA new paragraph.\n\nAnother.\n\nWe will utilise the tip. [Click here](/x).\n")
    after = {i["check_name"]: i["fingerprint"] for i in json.loads(run("check", str(page), "--format", "gitlab").stdout)}
    assert before["links.vague-text"] == after["links.vague-text"]
    assert before["plain-english.words-to-avoid"] == after["plain-english.words-to-avoid"]


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    result = run("check", str(EXAMPLES), "--output", f"junit:{junit}", "--output", f"sarif:{sarif}")
    assert "Checked 5 pages" in result.stdout  # the terminal report is still shown
    assert junit.exists() and sarif.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.sarif", "r.xml"]  # no temporary files


def test_output_without_format_redirects_the_main_report(tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    result = run("check", str(EXAMPLES), "--format", "junit", "--output", str(target))
    assert result.stdout == ""
    assert JUNIT_XSD.validate(etree.parse(str(target)))


def test_unwritable_output_is_an_error(tmp_path: Path) -> None:
    result = run("check", str(EXAMPLES), "--output", f"junit:{tmp_path / 'missing' / 'r.xml'}")
    assert result.exit_code == 2 and "cannot be written" in result.stderr


def test_unknown_output_format(tmp_path: Path) -> None:
    result = run("check", str(EXAMPLES), "--output", f"yaml:{tmp_path / 'r.yml'}")
    assert result.exit_code == 2 and "unknown report format 'yaml'" in result.stderr


def test_a_failed_run_leaves_no_report(tmp_path: Path, monkeypatch) -> None:
    """A crash part-way through never leaves half a report (or a temporary file)."""
    from lgcontent.reporters import junit

    def explode(self, result):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(junit.JUnitReporter, "finish", explode)
    with pytest.raises(RuntimeError):
        run("check", str(EXAMPLES), "--output", f"junit:{tmp_path / 'r.xml'}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("limit", "code"), [("0", 1), ("100", 0)])
def test_max_warnings(limit: str, code: int) -> None:
    result = run("check", str(EXAMPLES / "parking-good.md"), str(EXAMPLES / "parking-bad.md"),
                 "--fail-on", "never", "--max-warnings", limit)
    assert result.exit_code == code


@pytest.mark.parametrize("fmt", ["junit", "sarif", "github", "gitlab", "json", "concise"])
def test_fail_on_applies_to_every_format(fmt: str) -> None:
    page = str(EXAMPLES / "parking-bad.md")
    assert run("check", page, "--format", fmt).exit_code == 1
    assert run("check", page, "--format", fmt, "--fail-on", "never").exit_code == 0


def test_xml_illegal_characters_are_escaped() -> None:
    assert reporters_base.xml_safe("a\x01b\x1bc") == "a\\x01b\\x1bc"


def test_exactly_the_characters_xml_forbids_are_escaped() -> None:
    # XML 1.0's Char production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
    def allowed(code: int) -> bool:
        return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
                or 0x10000 <= code <= 0x10FFFF)

    every = "".join(map(chr, range(0x110000)))
    forbidden = [c for c in every if not allowed(ord(c))]
    assert reporters_base._NOT_XML.findall(every) == forbidden


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_that_shows_source_lines_says_so(fmt: str) -> None:
    # Pages are checked without copying out source lines unless a chosen report shows
    # them: a report whose output changes with the lines must declare shows_lines.
    import dataclasses
    import io

    from lgcontent.packs import load_builtin
    from lgcontent.runner import CheckOptions, check_paths
    from lgcontent.summary import Summary

    page = str(EXAMPLES / "parking-bad.md")
    result = next(iter(check_paths([page], load_builtin(), CheckOptions(source_lines=True))))
    assert result.findings and result.lines

    def report(page_result) -> str:
        stream = io.StringIO()
        reporter = reporter_class(fmt)(stream, reporters_base.ReportContext(color=False))
        summary = Summary()
        summary.add(page_result)
        reporter.page(page_result)
        reporter.finish(summary)
        return stream.getvalue()

    if report(result) != report(dataclasses.replace(result, lines={})):
        assert reporter_class(fmt).shows_lines
