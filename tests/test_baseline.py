"""Baselines: record today's findings, then fail only on new ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLES, needs_corpus, run


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _shift_lines(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".md":
        marker = next(line for line in text.splitlines() if line.startswith("# "))
        page.write_text(text.replace(marker, marker + "\n\nA new line.\n\nAnd another.", 1), encoding="utf-8")
    else:
        page.write_text(text.replace("<body>", "<body>\n<p>A new line.</p>\n<p>And another.</p>\n", 1),
                        encoding="utf-8")


def _add_problem(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    addition = "\n\nTo pay, [click here](https://www.example.gov.uk/pay).\n" if page.suffix == ".md" else \
        '<p>To pay, <a href="https://www.example.gov.uk/pay">click here</a>.</p>'
    text = text.replace("</body>", addition + "</body>") if "</body>" in text else text + addition
    page.write_text(text, encoding="utf-8")


def _baseline_then_edit(site: Path, shifted: Path, added: Path, tmp_path: Path):
    baseline = tmp_path / "baseline.json"
    wrote = run("check", str(site), "--write-baseline", str(baseline))
    assert wrote.exit_code == 0, wrote.stderr
    assert baseline.exists() and json.loads(baseline.read_text())["findings"]
    _shift_lines(shifted)
    _add_problem(added)
    return run("check", str(site), "--baseline", str(baseline), "--format", "json")


def test_only_the_new_problem_is_reported(tmp_path: Path) -> None:
    site = _copy(EXAMPLES, tmp_path / "site")
    result = _baseline_then_edit(site, site / "bins-bad.html", site / "parking-good.md", tmp_path)
    report = json.loads(result.stdout)
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [
        (str(site / "parking-good.md"), "links.vague-text")]
    assert result.exit_code == 1
    assert report["summary"]["in_baseline"] > 10


@needs_corpus()
def test_baseline_on_the_corpus(tmp_path: Path) -> None:
    site = _copy(CORPUS / "localgov-demo", tmp_path / "site")
    pages = sorted(site.rglob("*.html"))
    result = _baseline_then_edit(site, pages[0], pages[-1], tmp_path)
    report = json.loads(result.stdout)
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [(str(pages[-1]), "links.vague-text")]
    assert result.exit_code == 1


def test_clean_against_its_own_baseline(tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    run("check", str(EXAMPLES), "--write-baseline", str(baseline))
    result = run("check", str(EXAMPLES), "--baseline", str(baseline))
    assert result.exit_code == 0 and "No problems found" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such baseline file"),
    ("not json", "is not a baseline file"),
    ('{"version": 7, "findings": []}', "is not a version 1 lgcontent baseline file"),
])
def test_bad_baseline_files(tmp_path: Path, content: str | None, message: str) -> None:
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content)
    result = run("check", str(EXAMPLES), "--baseline", str(baseline))
    assert result.exit_code == 2 and message in result.stderr


def test_baseline_and_write_baseline_together_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", str(EXAMPLES), "--baseline", "a.json", "--write-baseline", "b.json")
    assert result.exit_code == 2


def test_site_wide_findings_in_the_baseline_are_counted_as_left_out(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    page = ("<html lang='en'><head><title>Pay your council tax</title></head><body><main><h1>Pay</h1>"
            "<p>Pay online.</p></main></body></html>")
    for name in ("one.html", "two.html"):
        (site / name).write_text(page, encoding="utf-8")
    first = json.loads(run("check", str(site), "--format", "json", "--fail-on", "never").stdout)
    site_rules = [f for f in first["findings"] if f["rule"].startswith("site.")]
    assert site_rules, "two pages with one title give a site-wide finding"
    baseline = tmp_path / "baseline.json"
    run("check", str(site), "--write-baseline", str(baseline))
    again = json.loads(run("check", str(site), "--baseline", str(baseline), "--format", "json").stdout)
    assert again["findings"] == []
    assert again["summary"]["in_baseline"] == len(first["findings"])
    junit = run("check", str(site), "--baseline", str(baseline), "--format", "junit").stdout
    assert junit.count("<testsuite ") == 2  # one for each page, none for the site-wide checks
