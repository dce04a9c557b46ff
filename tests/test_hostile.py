"""Hostile and broken input: never crash, never hang, never mislead.

Every case: a clear one-line message naming the file where it cannot be checked,
the other files still checked, exit status 2 when any input could not be checked,
and no traceback.
"""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import run, run_process

GOOD = "# Bins\n\nPut your bin out by 7am.\n"


def check_with_good_page(tmp_path: Path, name: str, content: bytes, *extra: str):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    result = run("check", str(bad), str(good), "--format", "json", *extra)
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert str(good) in {p["path"] for p in report["pages"]}  # the good page is still checked
    return result, report


@pytest.mark.parametrize(("name", "content"), [
    ("empty.html", b""),
    ("blank.md", b"  \n\t\n  "),
    ("broken-utf8.html", b"<p>Caf\xe9 \xff\xfe and \xc3 more text</p>"),
    ("windows-1252.html", "<p>It’s £5 – “quoted”</p>".encode("cp1252")),
    ("latin-1.html", '<meta charset="iso-8859-1"><p>Café £5</p>'.encode("latin-1")),
    ("utf-16.html", codecs.BOM_UTF16_LE + "<p>Utilise the tip</p>".encode("utf-16-le")),
    ("unclosed.html", b"<html><body><div><p>Open <b>bold <i>italic <a href='/x'>link"),
    ("deep.html", b"<div>" * 100_000 + b"<p>Deep text</p>"),
])
def test_messy_pages_are_checked(tmp_path: Path, name: str, content: bytes) -> None:
    result, report = check_with_good_page(tmp_path, name, content)
    assert result.exit_code in (0, 1)
    assert str(tmp_path / name) in {p["path"] for p in report["pages"]}
    assert report["unchecked"] == []


@pytest.mark.parametrize(("name", "content", "message"), [
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "looks like a binary file"),
    ("nul.md", b"# Title\x00\n\ntext\x00\x00", "looks like a binary file"),
])
def test_binary_files_are_reported(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    result, report = check_with_good_page(tmp_path, name, content)
    assert result.exit_code == 2
    assert report["unchecked"][0]["path"] == str(tmp_path / name) and message in report["unchecked"][0]["message"]
    assert result.stderr.count("\n") == 1 and str(tmp_path / name) in result.stderr


def test_a_50_mb_page_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.write(b"<p>" + b"word " * 10_000_000 + b"</p>")
    started = time.monotonic()
    result, report = check_with_good_page(tmp_path, "big.html", big.read_bytes())
    assert time.monotonic() - started < 60
    assert result.exit_code == 2 and "is too large to check (47.7 MB" in report["unchecked"][0]["message"]


def test_the_size_limit_can_be_raised(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>" + b"word " * 300_000 + b"</p>")
    assert run("check", str(page), "--max-page-size", "1").exit_code == 2
    assert run("check", str(page), "--max-page-size", "2").exit_code in (0, 1)


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_positions_exact_with_any_line_ending(tmp_path: Path, newline: bytes) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(newline.join([b"# Bins", b"", b"We will utilise", b"the tip."]))
    finding = next(f for f in json.loads(run("check", str(page), "--format", "json").stdout)["findings"]
                   if f["rule"] == "plain-english.words-to-avoid")
    assert (finding["line"], finding["column"], finding["match"]) == (3, 9, "utilise")


def test_markdown_with_10000_list_items(tmp_path: Path) -> None:
    page = tmp_path / "list.md"
    page.write_text("# Items\n\nWe collect:\n\n" + "".join(f"- item {n}\n" for n in range(10_000)))
    data = json.loads(run("check", str(page), "--format", "json").stdout)
    assert "structure.list-length" in {f["rule"] for f in data["findings"]}


@pytest.mark.parametrize("tag", ["b", "em", "u"])
def test_thousands_of_unclosed_formatting_tags(tmp_path: Path, tag: str) -> None:
    # Each piece of text went into every open bold or italic mark: 20,000 unclosed tags
    # took minutes. Marks nested past a few levels are not recorded; the text is checked.
    page = tmp_path / "unclosed.html"
    page.write_text("<p>Please utilise " + f"<{tag}>word " * 40_000 + "</p>")
    proc = run_process("check", str(page), "--format", "json", timeout=60)
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert {"plain-english.please", "plain-english.words-to-avoid"} <= rules, rules


def test_thousands_of_quoted_and_unquoted_matches_in_one_paragraph(tmp_path: Path) -> None:
    # Each match was compared with every quoted span in turn: 20,000 of each ran into the
    # page's time limit, and the rule's findings were left out.
    page = tmp_path / "quoted.md"
    page.write_text("Text " + '"utilise" and utilise ' * 20_000 + "\n")
    proc = run_process("check", str(page), "--format", "json", timeout=60)
    assert b"took too long" not in proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "plain-english.words-to-avoid"]
    assert len(found) == 20_000  # the unquoted ones only


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    result = run("check", str(tmp_path / "missing.md"), str(good), "--format", "concise")
    assert result.exit_code == 2 and "missing.md: no such file or folder" in result.stderr
    if os.geteuid() == 0:
        pytest.skip("running as root: every file can be read, so 'permission denied' cannot happen here")
    locked = tmp_path / "locked.md"
    locked.write_text(GOOD)
    locked.chmod(0)
    result = run("check", str(locked), str(good))
    assert result.exit_code == 2 and "permission denied" in result.stderr


def test_folder_symlink_loop(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "page.md").write_text(GOOD)
    (site / "a" / "loop").symlink_to(site, target_is_directory=True)
    data = json.loads(run("check", str(site), "--format", "json").stdout)
    assert [p["path"] for p in data["pages"]] == [str(site / "a" / "page.md")]


def test_a_folder_of_20000_small_files(tmp_path: Path) -> None:
    site = tmp_path / "export"
    site.mkdir()
    for n in range(20_000):
        (site / f"page{n:05}.md").write_text(f"# Page {n}\n\nSome text about bin number {n}.\n")
    data = json.loads(run("check", str(site), "--format", "json").stdout)
    assert data["summary"]["pages"] == 20_000 and data["unchecked"] == []


def test_hostile_folder_in_one_run(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "empty.md").write_bytes(b"")
    (folder / "escapes.html").write_text("<p>[bold red]Utilise[/] \x1b[2J\x07 the tip</p>")
    (folder / "good.md").write_text(GOOD)
    result = run("check", str(folder))
    assert result.exit_code == 2
    assert "good.md" in result.stdout or "Checked 3 pages" in result.stdout
    assert "binary.html: looks like a binary file" in result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Traceback" not in result.stderr


CATASTROPHIC = textwrap.dedent("""\
    kind: pattern
    level: warning
    summary: A pattern that backtracks
    message: "Found '{match}'."
    why: Test.
    source: Test
    options:
      pattern: (a+)+$
    examples:
      fail: [aaa]
      pass: [bbb]
    """)


def test_catastrophic_regex_in_a_pack_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "slow.yml").write_text(CATASTROPHIC)
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    started = time.monotonic()
    result = run("check", str(good), "--pack", str(pack))
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert f"{pack / 'slow.yml'}:8: 'pattern' takes too long on some text" in result.stderr


@pytest.mark.parametrize(("ignore_case", "refused"), [(True, True), (False, False)])
def test_a_pattern_that_backtracks_only_when_ignoring_case(tmp_path: Path, ignore_case: bool,
                                                           refused: bool) -> None:
    # '(a|Ab?)+$' is harmless as written, but ignoring case both branches match 'a': it is
    # tried as the rule will run it, so it is refused only in a rule that ignores case.
    pack = tmp_path / "house"
    pack.mkdir()
    rule = CATASTROPHIC.replace("pattern: (a+)+$", f"pattern: (a|Ab?)+$\n  ignore_case: {str(ignore_case).lower()}")
    (pack / "case.yml").write_text(rule.replace("fail: [aaa]", "fail: [aAa]"))
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    result = run("check", str(good), "--pack", str(pack))
    if refused:
        assert result.exit_code == 2
        assert f"{pack / 'case.yml'}:8: 'pattern' takes too long on some text" in result.stderr
    else:
        assert result.exit_code == 0, result.stderr


def test_huge_word_lists_are_fine(tmp_path: Path) -> None:
    pack = tmp_path / "house"
    pack.mkdir()
    words = [f"jargonword{n}" for n in range(50_000)]
    (pack / "words.yml").write_text(textwrap.dedent(f"""\
        kind: word-list
        level: warning
        summary: Many words
        message: "Avoid '{{match}}'."
        why: Test.
        source: Test
        options:
          words: {json.dumps(words)}
        examples:
          fail: [We use jargonword49999 here.]
          pass: [We use plain words here.]
        """))
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n" + "Plain words and jargonword123 and more plain words. " * 200)
    started = time.monotonic()
    data = json.loads(run("check", str(page), "--pack", str(pack), "--format", "json").stdout)
    assert time.monotonic() - started < 60
    assert sum(1 for f in data["findings"] if f["rule"] == "house.words") == 200


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_promptly_without_a_partial_report(tmp_path: Path) -> None:
    site = tmp_path / "export"
    site.mkdir()
    for n in range(3000):  # about 10 s of checking: the signal comes mid-run, not as it ends
        (site / f"p{n}.md").write_text(f"# Page {n}\n\nWe will utilise the tip {n} times.\n" * 40)
    report = tmp_path / "report.xml"
    # (Ctrl-C as a user's terminal sends it: a suite started as a background job passes
    # its processes SIGINT ignored, as shells do for background jobs, and lgcontent keeps that)
    proc = subprocess.Popen([sys.executable, "-m", "lgcontent", "check", str(site), "--output",
                             f"junit:{report}", "--format", "concise"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=_default_ctrl_c)
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr and b"interrupted" in stderr
    assert not report.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


# YAML nested far deeper than any real file: libyaml builds nodes by recursing in C,
# which crashed the whole process (a real process is run, so a crash fails the test).
DEEP_YAML = "title: " + "[" * 200_000 + "]" * 200_000 + "\n"


def test_deeply_nested_front_matter_is_noted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "deep.md").write_text(f"---\n{DEEP_YAML}---\nUtilise the tip.\n")
    (tmp_path / "good.md").write_text(GOOD)
    result = run_process("check", str(tmp_path / "deep.md"), str(tmp_path / "good.md"), "--format", "json")
    assert result.returncode == 1, result.stderr.decode()
    report = json.loads(result.stdout)
    assert {p["path"] for p in report["pages"]} == {str(tmp_path / "deep.md"), str(tmp_path / "good.md")}
    assert any(f["match"] == "Utilise" for f in report["findings"])  # the body was checked
    assert b"front matter is not valid YAML (line 2)" in result.stderr


@pytest.mark.parametrize("depth", [3_000, 200_000])
def test_deeply_nested_config_is_a_clear_error(tmp_path: Path, depth: int) -> None:
    config = tmp_path / "lgcontent.yml"
    config.write_text("disable: " + "[" * depth + "]" * depth + "\n")
    result = run_process("check", "--config", str(config), str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"lgcontent: error: {config}:1: is not valid YAML: it is nested more than 500 levels deep")


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_nesting_is_counted_to_the_limit(shape: str) -> None:
    import yaml

    from lgcontent.yamlfile import MAX_DEPTH, check_nesting

    def nested(depth: int) -> str:
        if shape == "flow":
            return "[" * depth + "]" * depth
        return "- " * depth + "x\n"  # each '- ' opens a sequence inside the last

    check_nesting(nested(MAX_DEPTH))
    with pytest.raises(yaml.MarkedYAMLError, match="nested more than"):
        check_nesting(nested(MAX_DEPTH + 1))


class _Endless:
    """A text rule's checker that runs on (as a pattern that backtracks without end would),
    for 20 seconds at most, so that a broken time limit fails the test, not hangs it."""

    text_based, site_based, prefilter, hit_pattern = True, False, None, None

    def check_block(self, block):
        started = time.monotonic()
        while time.monotonic() - started < 20:
            time.sleep(0.01)
        yield from ()


@pytest.mark.parametrize("place", ["first", "last"])
def test_a_rule_that_runs_out_of_time_is_stopped_and_the_others_still_run(monkeypatch, place: str) -> None:
    import dataclasses

    from lgcontent import engine
    from lgcontent.packs import find_rule, load_builtin

    from conftest import load

    rules = load_builtin()
    endless = dataclasses.replace(find_rule(rules, "plain-english.click"), id="test.endless", checker=_Endless())
    monkeypatch.setattr(engine, "_time_budget", lambda doc: 0.3)
    doc = load("# Bins\n\nClick here to utilise the form.\n")
    started = time.monotonic()
    findings = engine.check_document(doc, [endless, *rules] if place == "first" else [*rules, endless])
    assert time.monotonic() - started < 10
    assert doc.incomplete
    assert doc.notes == ["the rule test.endless took too long on this page and was stopped;"
                         " its findings here are missing"]
    assert {"metadata.description-missing", "plain-english.words-to-avoid"} <= {f.rule for f in findings}
