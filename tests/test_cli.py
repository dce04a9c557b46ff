"""The command line as users and CI scripts use it: formats, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from lgcontent import __version__

from conftest import EXAMPLES, ROOT, assert_matches_at_positions, json_report, run, run_in_terminal, run_process

SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text())
BAD = "# Bins\n\nTo apply, [click here](/apply).\n"
CLEAN = "---\ntitle: Bins\ndescription: Find your bin day\n---\n# Bins\n\nPut your bin out by 7am.\n"
SUGGESTION_ONLY = "---\ntitle: Bins\ndescription: Find your bin day\n---\n# Bins\n\nYou can purchase a bin.\n"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "bad.md").write_text(BAD)
    (tmp_path / "clean.md").write_text(CLEAN)
    (tmp_path / "suggestion.md").write_text(SUGGESTION_ONLY)
    (tmp_path / "notes.txt").write_text("not a page")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "page.html").write_text('<html lang="en"><head><title>T</title></head><body><p>Read <a href="/x">more</a></p></body></html>')
    return tmp_path


class TestExitStatus:
    def test_findings_at_error_exit_1(self, pages: Path) -> None:
        assert run("check", str(pages / "bad.md")).exit_code == 1

    def test_clean_page_exits_0(self, pages: Path) -> None:
        result = run("check", str(pages / "clean.md"))
        assert result.exit_code == 0, result.output
        assert "No problems found" in result.stdout

    @pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 0), ("suggestion", 1), ("never", 0)])
    def test_fail_on_levels(self, pages: Path, fail_on: str, code: int) -> None:
        assert run("check", str(pages / "suggestion.md"), "--fail-on", fail_on).exit_code == code

    def test_fail_on_never_with_errors(self, pages: Path) -> None:
        assert run("check", str(pages / "bad.md"), "--fail-on", "never").exit_code == 0

    def test_missing_path_exits_2_and_still_checks_the_rest(self, pages: Path) -> None:
        result = run("check", str(pages / "nope.md"), str(pages / "bad.md"), "--format", "concise")
        assert result.exit_code == 2
        assert result.stderr.strip() == f"lgcontent: error: {pages / 'nope.md'}: no such file or folder"
        assert "links.vague-text" in result.stdout

    def test_unsupported_file_is_an_error_not_skipped(self, pages: Path) -> None:
        result = run("check", str(pages / "notes.txt"))
        assert result.exit_code == 2 and "notes.txt: is not an HTML or Markdown file" in result.stderr

    def test_usage_error_exits_2(self) -> None:
        assert run("check", "x.md", "--format", "yaml").exit_code == 2
        assert run("check").exit_code == 2

    def test_bad_content_selector_exits_2(self, pages: Path) -> None:
        result = run("check", str(pages / "bad.md"), "--content-selector", "div[")
        assert result.exit_code == 2 and "not a valid CSS selector" in result.stderr

    def test_binary_page_is_reported(self, pages: Path) -> None:
        (pages / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
        result = run("check", str(pages / "image.html"), str(pages / "clean.md"))
        assert result.exit_code == 2 and "image.html: looks like a binary file" in result.stderr
        assert "Checked 1 page" in result.stdout


class TestFormats:
    def test_folders_are_recursive_and_sorted(self, pages: Path) -> None:
        result = run("check", str(pages), "--format", "concise")
        # Site-wide findings (duplicate titles, broken links) come after every page.
        paths = [line.split(":")[0] for line in result.stdout.splitlines() if " site." not in line]
        assert str(pages / "sub" / "page.html") in paths and str(pages / "bad.md") in paths
        assert paths == sorted(paths, key=lambda p: Path(p).parts)
        assert "notes.txt" not in result.stdout

    def test_concise_lines(self, pages: Path) -> None:
        result = run("check", str(pages / "bad.md"), "--format", "concise")
        line = next(line for line in result.stdout.splitlines() if "links.vague-text" in line)
        assert line == (f"{pages / 'bad.md'}:3:12: error links.vague-text The link text 'click here'"
                        " does not say where the link goes. Use words that describe the page it opens.")

    def test_json_matches_schema_and_positions(self, pages: Path) -> None:
        result = run("check", str(pages), "--format", "json")
        report = json_report(result)
        jsonschema.validate(report, SCHEMA)
        assert report["summary"]["pages"] == 4
        assert report["summary"]["findings"] == len(report["findings"]) > 0
        sources = {p: Path(p).read_text() for p in {f["path"] for f in report["findings"]}}
        assert_matches_at_positions(report["findings"], sources)
        vague = next(f for f in report["findings"] if f["rule"] == "links.vague-text")
        assert (vague["line"], vague["column"], vague["end_column"], vague["match"]) == (3, 12, 22, "click here")

    def test_json_lists_unchecked_inputs(self, pages: Path) -> None:
        report = json_report(run("check", str(pages / "gone.md"), "--format", "json"))
        jsonschema.validate(report, SCHEMA)
        assert report["unchecked"] == [{"path": str(pages / "gone.md"), "message": "no such file or folder"}]

    def test_rich_report_groups_by_page(self, pages: Path) -> None:
        result = run("check", str(pages))
        out = result.stdout
        assert out.index(str(pages / "bad.md")) < out.index("click here") < out.index(str(pages / "sub" / "page.html"))
        assert "3:12" in out and "links.vague-text" in out
        assert "^^^^^^^^^^" in out  # the match is marked in plain output
        assert "Checked 4 pages:" in out and "error" in out

    def test_stdin_markdown_and_html(self) -> None:
        result = run("check", "-", "--stdin-format", "markdown", "--format", "concise", input=BAD.encode())
        assert "<stdin>:3:12: error links.vague-text" in result.stdout.splitlines()[1]
        html = b'<html lang="en"><head><title>T</title></head><body><p><a href="/x">here</a></p></body></html>'
        result = run("check", "-", "--stdin-format", "html", "--format", "concise", input=html)
        assert "<stdin>:1:" in result.stdout and "links.vague-text" in result.stdout

    def test_examples_folder(self) -> None:
        result = run("check", str(EXAMPLES))
        assert result.exit_code == 1
        assert "bins-bad.html" in result.stdout and "parking-bad.md" in result.stdout
        assert "bins-good.html" not in result.stdout and "parking-good.md" not in result.stdout


class TestTerminalSafety:
    HOSTILE = ('<html lang="en"><head><title>T</title></head><body><p>[bold red]Utilise[/bold red] '
               '\x1b[2J\x1b[31mthe \x07tip\x1b]0;owned\x07 today.</p></body></html>')

    @pytest.mark.parametrize("color", ["--color", "--no-color"])
    def test_markup_and_escapes_are_shown_literally(self, tmp_path: Path, color: str) -> None:
        page = tmp_path / "hostile.html"
        page.write_text(self.HOSTILE)
        for fmt in ("rich", "concise"):
            out = run("check", str(page), "--format", fmt, color).stdout
            assert "\x1b[2J" not in out and "\x1b[31m" not in out and "\x07" not in out and "\x1b]0" not in out
            assert "[bold red]" in out and "[/bold red]" in out if fmt == "rich" else "'Utilise'" in out
        rich_out = run("check", str(page), color, env={"COLUMNS": "200"}).stdout
        assert "\\x1b[2J\\x1b[31mthe \\x07tip" in rich_out

    def test_json_escapes_control_characters(self, tmp_path: Path) -> None:
        page = tmp_path / "hostile.html"
        page.write_text(self.HOSTILE)
        result = run("check", str(page), "--format", "json")
        assert "\x1b" not in result.stdout
        json.loads(result.stdout)

    def test_no_color_on_a_terminal_has_no_escape_codes(self) -> None:
        """NO_COLOR=1 in a real terminal (a pseudo-terminal here): plain text only."""
        output = run_in_terminal("check", str(EXAMPLES), env={"NO_COLOR": "1"})
        assert "links.vague-text" in output
        assert "\x1b" not in output

    def test_colour_on_a_terminal_by_default(self) -> None:
        result = run("check", str(EXAMPLES / "parking-bad.md"), "--color")
        assert "\x1b[" in result.stdout


class TestRulesAndExplain:
    def test_rules_lists_every_rule(self) -> None:
        result = run("rules")
        assert result.exit_code == 0
        assert "links.vague-text" in result.stdout and "error" in result.stdout
        data = json.loads(run("rules", "--format", "json").stdout)
        assert len(data["rules"]) >= 15
        for rule in data["rules"]:
            assert rule["why"] and rule["source"] and rule["examples"]["fail"] and rule["examples"]["pass"]
            assert rule["id"] in result.stdout

    def test_explain(self) -> None:
        result = run("explain", "links.vague-text")
        assert result.exit_code == 0
        for heading in ("Why it matters", "How to fix it", "Source", "Flagged, for example", "Fine, for example"):
            assert heading in result.stdout
        assert "F84" in result.stdout

    def test_explain_unknown_rule_suggests(self) -> None:
        result = run("explain", "links.vague-txt")
        assert result.exit_code == 2
        assert "Did you mean: links.vague-text" in result.stderr


class TestAsAProcess:
    def test_python_m_and_version(self) -> None:
        result = run_process("--version")
        assert result.returncode == 0 and __version__ in result.stdout.decode()

    def test_version_says_whether_the_compiled_speed_ups_run(self) -> None:
        from lgcontent import speedups

        plain = run_process("--version", env={"LGCONTENT_PURE_PYTHON": "1"}).stdout.decode()
        assert plain == f"lgcontent, version {__version__} (plain Python: LGCONTENT_PURE_PYTHON is set)\n"
        usual = run_process("--version", env={"LGCONTENT_PURE_PYTHON": ""}).stdout.decode()
        expected = "compiled speed-ups" if speedups.load() is not None else "plain Python: the compiled"
        assert usual.startswith(f"lgcontent, version {__version__} ({expected}")

    def test_compiled_speed_ups_built_from_other_source_are_not_used(self, monkeypatch) -> None:
        from lgcontent import speedups

        class Stale:
            API = speedups.API - 1

        monkeypatch.setattr(speedups, "_built", lambda: Stale)
        monkeypatch.delenv("LGCONTENT_PURE_PYTHON", raising=False)
        assert speedups.load() is None
        assert speedups.describe().endswith("built from other source; install lgcontent again")

    def test_help_shows_common_tasks(self) -> None:
        out = run_process("--help").stdout.decode()
        assert "Common tasks" in out and "lgcontent check page.html" in out

    def test_no_traceback_for_a_folder_without_pages(self, tmp_path: Path) -> None:
        result = run_process("check", str(tmp_path))
        assert result.returncode == 2
        assert b"Traceback" not in result.stderr
        assert result.stderr.decode().count("\n") == 1


    @pytest.mark.parametrize("fail_on", ["error", "never"])
    def test_output_closed_early_ends_with_status_141(self, tmp_path: Path, fail_on: str) -> None:
        """Piped into `head`: the status a shell gives a process stopped by SIGPIPE, not 1
        ("findings"), and no error message."""
        page = (EXAMPLES / "bins-bad.html").read_text(encoding="utf-8")
        for n in range(200):  # a report far larger than a pipe holds
            (tmp_path / f"page{n}.html").write_text(page, encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "lgcontent", "check", str(tmp_path), "--jobs", "1",
                                    "--fail-on", fail_on], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(200)
        process.stdout.close()
        error = process.stderr.read()
        assert process.wait(timeout=120) == 141
        assert error == b""


def test_file_names_with_control_characters_are_escaped(tmp_path: Path) -> None:
    missing = tmp_path / "evil\x1b[31m.md"
    result = run("check", str(missing))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "evil\\x1b[31m.md" in result.stderr


def test_jobs_give_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    import shutil

    for n in range(12):
        shutil.copytree(EXAMPLES, tmp_path / f"copy{n:02}", ignore=shutil.ignore_patterns("barset-style-pack"))
    (tmp_path / "copy05" / "broken.html").write_bytes(b"\x00\x01binary")
    for n in range(12):  # links to a page that is there and to one that is not
        (tmp_path / f"copy{n:02}" / "links.md").write_text(
            "# Bins\n\nRead [the guide to parking](parking-good.md) or [the guide to bins](bins-guide.md).\n")
    one = run("check", str(tmp_path), "--format", "json", "--jobs", "1")
    two = run("check", str(tmp_path), "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout
    report = json.loads(two.stdout)
    assert report["summary"]["pages"] == 60
    broken = [f["match"] for f in report["findings"] if f["rule"] == "site.broken-link"]
    assert broken == ["the guide to bins"] * 12
