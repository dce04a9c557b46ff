"""--cache: a kept result is reported exactly as a fresh check would be, and only while
nothing it depends on has changed (results_cache.py).

To see whether a run used a kept result or checked the page again, the tests change
the kept results in the cache file (through its real SQLite database) so that each
message starts with TAMPERED: a report showing it was served from the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from lgcontent import results_cache
from lgcontent.checked import Checked
from lgcontent.findings import Finding, Severity
from lgcontent.site import Placed, SitePage

from conftest import EXAMPLES, run, run_process

MARK = "TAMPERED"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The bundled example pages, in a folder the tests may change."""
    folder = tmp_path / "site"
    folder.mkdir()
    for page in EXAMPLES.iterdir():
        if page.suffix in (".html", ".md"):
            shutil.copy(page, folder / page.name)
    return folder


def check(cache: Path, *args: str):
    return run("check", *args, env={"LGCONTENT_CACHE_DIR": str(cache)})


def rows(cache: Path) -> list[tuple[bytes, bytes, int]]:
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        return db.execute("SELECT key, value, used FROM results").fetchall()


def tamper(cache: Path) -> int:
    """Start every kept message with MARK; returns how many results were changed."""
    db = sqlite3.connect(cache / results_cache.FILE_NAME)
    changed = 0
    for key, value, _ in db.execute("SELECT key, value, used FROM results").fetchall():
        data = json.loads(zlib.decompress(value))
        for finding in data["findings"]:
            finding[6] = f"{MARK} {finding[6]}"
        db.execute("UPDATE results SET value = ? WHERE key = ?", (zlib.compress(json.dumps(data).encode()), key))
        changed += 1
    db.commit()
    db.close()
    return changed


@pytest.mark.parametrize("fmt", ["json", "rich", "concise", "sarif"])
def test_kept_results_are_reported_exactly_as_a_fresh_check(cache: Path, site: Path, fmt: str) -> None:
    fresh = run("check", str(site), "--format", fmt, "--no-color")
    first = check(cache, str(site), "--cache", "--format", fmt, "--no-color")
    assert len(rows(cache)) == len(list(site.iterdir())) == 4  # one result for each page
    second = check(cache, str(site), "--cache", "--format", fmt, "--no-color")
    assert fresh.exit_code == first.exit_code == second.exit_code == 1
    assert fresh.stdout == first.stdout == second.stdout
    assert fresh.stderr == first.stderr == second.stderr == ""


def test_results_kept_by_a_run_of_one_format_serve_a_report_of_another(cache: Path, site: Path) -> None:
    """The terminal report shows each finding's source line; a JSON report does not need
    them, but the results it keeps must have them."""
    check(cache, str(site), "--cache", "--format", "json")
    fresh = run("check", str(site), "--no-color")
    kept = check(cache, str(site), "--cache", "--no-color")
    assert kept.stdout == fresh.stdout and kept.stderr == ""


def test_source_lines_of_kept_results_are_read_as_the_page_was(cache: Path, tmp_path: Path) -> None:
    """Kept results hold no source lines: the terminal report takes them from the page,
    decoded as it was when checked (a declared charset, a byte order mark, CRLF)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "latin.html").write_bytes(
        '<html lang="en"><head><meta charset="windows-1252"><title>Caf\xe9s</title></head>\r\n<body>\r\n'
        '<p>Please utilise the caf\xe9 form \u2013 click <a href="/x">here</a>.</p>\r\n</body></html>\r\n'
        .encode("cp1252"))
    (folder / "bom.md").write_bytes("\ufeff# Bins\r\n\r\nPlease utilise the form, in order to apply.\r\n".encode())
    fresh = run("check", str(folder), "--no-color")
    check(cache, str(folder), "--cache", "--format", "json")
    kept = check(cache, str(folder), "--cache", "--no-color")
    assert kept.stdout == fresh.stdout and "utilise" in fresh.stdout and "café" in fresh.stdout


def test_a_second_run_uses_the_kept_results(cache: Path, site: Path) -> None:
    check(cache, str(site), "--cache")
    assert tamper(cache) == 4
    report = check(cache, str(site), "--cache", "--format", "json")
    messages = [f["message"] for f in json.loads(report.stdout)["findings"]]
    assert messages and all(m.startswith(MARK) for m in messages)
    without = run("check", str(site), "--format", "json")  # no --cache: every page is checked
    assert MARK not in without.stdout


def _messages(report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in json.loads(report.stdout)["findings"]:
        found.setdefault(Path(f["path"]).name, []).append(f["message"])
    return found


def _fresh_pages(cache: Path, site: Path, *args: str) -> set[str]:
    """The pages a run with ``args`` checked afresh, after an identical run kept them
    all and the kept results were tampered with."""
    check(cache, str(site), "--cache", *args)
    tamper(cache)
    messages = _messages(check(cache, str(site), "--cache", "--format", "json", *args))
    return {page for page, texts in messages.items() if not any(t.startswith(MARK) for t in texts)}


def test_the_configuration_turns_the_cache_on_and_no_cache_off(cache: Path, site: Path, tmp_path: Path) -> None:
    config = tmp_path / "lgcontent.yml"
    config.write_text("cache: true\n")
    check(cache, str(site), "--config", str(config), "--no-cache")
    assert not (cache / results_cache.FILE_NAME).exists()
    check(cache, str(site), "--config", str(config))
    assert len(rows(cache)) == 4
    view = [line.split() for line in run("config", "--config", str(config)).stdout.splitlines()]
    assert ["cache:", "true", "#", f"{config}:1"] in view


def test_a_cache_setting_that_is_not_true_or_false_is_an_error(cache: Path, site: Path, tmp_path: Path) -> None:
    config = tmp_path / "lgcontent.yml"
    config.write_text("fail_on: error\ncache: yes please\n")
    result = check(cache, str(site), "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"lgcontent: error: {config}:2: 'cache' must be true or false"


def test_a_changed_page_is_checked_again_and_the_others_are_not(cache: Path, site: Path) -> None:
    check(cache, str(site), "--cache")
    tamper(cache)
    page = site / "bins-bad.html"
    page.write_text(page.read_text() + "\n<p>Please click here to utilise the form.</p>\n")
    messages = _messages(check(cache, str(site), "--cache", "--format", "json"))
    assert not any(m.startswith(MARK) for m in messages["bins-bad.html"])
    assert any("click here" in m or "utilise" in m for m in messages["bins-bad.html"])
    assert all(m.startswith(MARK) for m in messages["parking-bad.md"])


@pytest.mark.parametrize("change", [
    ("--set", "readability.sentence-length.max_words=12"),
    ("--disable", "links"),
    ("--enable", "govuk"),
    ("--content-selector", "body"),
    ("--report-unused-suppressions",),
])
def test_a_change_of_rules_or_settings_checks_every_page_again(cache: Path, site: Path,
                                                               change: tuple[str, ...]) -> None:
    check(cache, str(site), "--cache")
    tamper(cache)
    messages = _messages(check(cache, str(site), "--cache", "--format", "json", *change))
    assert messages and not any(m.startswith(MARK) for texts in messages.values() for m in texts)


@pytest.mark.parametrize("edit", [
    "severity:\n  links: warning\n",
    "vocabulary:\n  accept: [Barsetshire, bin]\n",
])
def test_a_changed_configuration_checks_every_page_again(cache: Path, site: Path, tmp_path: Path,
                                                         edit: str) -> None:
    config = tmp_path / "lgcontent.yml"
    config.write_text("severity:\n  links: suggestion\n")
    assert check(cache, str(site), "--cache", "--config", str(config)).exit_code == 1
    tamper(cache)
    config.write_text(edit)
    messages = _messages(check(cache, str(site), "--cache", "--format", "json", "--config", str(config)))
    assert messages and not any(m.startswith(MARK) for texts in messages.values() for m in texts)


def test_links_are_followed_from_the_folders_checked_in_each_run(cache: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The same file (same path, same bytes) links to another page when checked from
    another folder: '/apply' starts at the folder named on the command line."""
    sub = tmp_path / "site" / "sub"
    sub.mkdir(parents=True)
    (sub / "page.md").write_text("# Bins\n\nTo apply, read [the guide to bins](/apply).\n")
    (sub / "apply.md").write_text("# Apply\n\nApply for a bin here.\n")
    monkeypatch.chdir(tmp_path)
    def rules(report) -> set[str]:
        return {f["rule"] for f in json.loads(report.stdout)["findings"]}

    assert "site.broken-link" not in rules(check(cache, "site/sub", "--cache", "--format", "json"))
    assert "site.broken-link" in rules(check(cache, "site", "--cache", "--format", "json"))
    assert "site.broken-link" not in rules(check(cache, "site/sub", "--cache", "--format", "json"))


def test_a_kept_page_reports_a_link_to_a_page_deleted_since(cache: Path, tmp_path: Path) -> None:
    """A run keeps only the links to missing files of each page; the cache must keep them
    all, as a file that is there now may be deleted before the next run."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "page.md").write_text("# Bins\n\nTo apply, read [the guide to bins](apply.md).\n")
    (folder / "apply.md").write_text("# Apply\n\nApply for a bin here.\n")
    def broken(report) -> list[str]:
        return [f["match"] for f in json.loads(report.stdout)["findings"] if f["rule"] == "site.broken-link"]

    assert broken(check(cache, str(folder), "--cache", "--format", "json")) == []
    (folder / "apply.md").unlink()
    assert broken(check(cache, str(folder), "--cache", "--format", "json")) == ["the guide to bins"]


def test_a_page_moved_elsewhere_is_checked_again(cache: Path, site: Path, tmp_path: Path) -> None:
    check(cache, str(site), "--cache")
    tamper(cache)
    moved = tmp_path / "moved"
    site.rename(moved)
    messages = _messages(check(cache, str(moved), "--cache", "--format", "json"))
    assert messages and not any(m.startswith(MARK) for texts in messages.values() for m in texts)


def test_new_code_checks_every_page_again(cache: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(cache, str(site), "--cache")
    tamper(cache)
    original = results_cache.code_signature()
    monkeypatch.setattr(results_cache, "code_signature", lambda: original + b"an edited module")
    messages = _messages(check(cache, str(site), "--cache", "--format", "json"))
    assert messages and not any(m.startswith(MARK) for texts in messages.values() for m in texts)


def test_the_code_signature_follows_every_module_of_lgcontent(tmp_path: Path, monkeypatch) -> None:
    """An edited checkout counts as new code: the signature covers each module's size
    and time of change (worked out on a copy of the package, not the real one)."""
    import lgcontent

    package = tmp_path / "lgcontent"
    shutil.copytree(Path(lgcontent.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(results_cache, "__file__", str(package / "results_cache.py"))
    results_cache.code_signature.cache_clear()
    try:
        before = results_cache.code_signature()
        module = package / "kinds" / "pattern.py"
        module.write_text(module.read_text() + "\n# an edit\n")
        results_cache.code_signature.cache_clear()
        assert results_cache.code_signature() != before
    finally:
        results_cache.code_signature.cache_clear()


def test_the_code_signature_follows_the_compiled_speed_ups(tmp_path: Path, monkeypatch) -> None:
    """A rebuilt extension module, and turning the speed-ups off, each count as new code."""
    import lgcontent
    from lgcontent import text

    package = tmp_path / "lgcontent"
    package.mkdir()
    (package / "results_cache.py").write_text("")
    monkeypatch.setattr(results_cache, "__file__", str(package / "results_cache.py"))
    results_cache.code_signature.cache_clear()
    try:
        before = results_cache.code_signature()
        (package / "_speedups.cpython-311-x86_64-linux-gnu.so").write_bytes(b"a compiled module")
        results_cache.code_signature.cache_clear()
        with_module = results_cache.code_signature()
        assert with_module != before
        monkeypatch.setattr(text, "COMPILED", not text.COMPILED)
        results_cache.code_signature.cache_clear()
        assert results_cache.code_signature() not in (before, with_module)
    finally:
        results_cache.code_signature.cache_clear()
    assert lgcontent  # the real package is untouched: only the copy's files changed


def test_a_baseline_applies_to_kept_results(cache: Path, site: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    run("check", str(site / "bins-bad.html"), "--write-baseline", str(baseline))
    fresh = run("check", str(site), "--baseline", str(baseline), "--format", "json")
    check(cache, str(site), "--cache")
    kept = check(cache, str(site), "--cache", "--baseline", str(baseline), "--format", "json")
    assert kept.stdout == fresh.stdout and kept.exit_code == fresh.exit_code
    assert json.loads(kept.stdout)["summary"] == json.loads(fresh.stdout)["summary"]


def test_parallel_runs_keep_and_reuse_results(cache: Path, tmp_path: Path) -> None:
    """--jobs 2 over more pages than start the worker processes (16)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10):
        for page in ("bins-bad.html", "parking-bad.md"):
            shutil.copy(EXAMPLES / page, folder / f"{n}-{page}")
    env = {"LGCONTENT_CACHE_DIR": str(cache)}
    fresh = run_process("check", str(folder), "--jobs", "2", "--format", "json", env=env)
    first = run_process("check", str(folder), "--jobs", "2", "--cache", "--format", "json", env=env)
    assert len(rows(cache)) == 20
    second = run_process("check", str(folder), "--jobs", "2", "--cache", "--format", "json", env=env)
    assert fresh.stdout == first.stdout == second.stdout and fresh.returncode == second.returncode == 1
    terminal = [run_process("check", str(folder), "--jobs", "2", *cached, "--no-color", env=env).stdout
                for cached in ((), ("--cache",))]  # source lines read again from the pages
    assert terminal[0] == terminal[1] and b"parking" in terminal[0]
    tamper(cache)
    (folder / "3-parking-bad.md").write_text("# Parking\n\nPlease click here.\n")
    report = json.loads(run_process("check", str(folder), "--jobs", "2", "--cache", "--format", "json",
                                    env=env).stdout)
    changed = [f["message"] for f in report["findings"] if f["path"].endswith("3-parking-bad.md")]
    kept = [f["message"] for f in report["findings"] if not f["path"].endswith("3-parking-bad.md")
            and f["rule"] != "site.duplicate-title"]
    assert changed and not any(m.startswith(MARK) for m in changed)
    assert kept and all(m.startswith(MARK) for m in kept)


def test_runs_at_the_same_time_share_the_cache(cache: Path, tmp_path: Path) -> None:
    """As pre-commit runs a hook: several processes at once, each with some of the files."""
    folders = []
    for n in range(3):
        folder = tmp_path / f"part{n}"
        folder.mkdir()
        for m in range(6):
            (folder / f"{m}.md").write_text(f"# Page {n} {m}\n\nPlease click here to utilise form {m}.\n")
        folders.append(folder)
    env = {**os.environ, "LGCONTENT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "lgcontent", "check", "--cache", "--jobs", "1", "--format", "json"]
    reports = []
    for _ in range(2):  # the first time stores every result, the second reads them
        runs = [subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                for folder in folders]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0]  # (warnings and suggestions)
        assert all(err == b"" for _, err in outputs), outputs
        assert all(len(json.loads(out)["findings"]) >= 12 for out, _ in outputs)
        reports.append([out for out, _ in outputs])
    assert reports[0] == reports[1]
    assert len(rows(cache)) == 18


def test_a_damaged_cache_file_is_started_afresh_and_said_so_once(cache: Path, site: Path) -> None:
    cache.mkdir()
    (cache / results_cache.FILE_NAME).write_bytes(b"this is not a database" * 100)
    fresh = run("check", str(site), "--format", "json")
    result = check(cache, str(site), "--cache", "--format", "json")
    assert result.exit_code == fresh.exit_code == 1
    assert result.stdout == fresh.stdout
    warning, = result.stderr.splitlines()
    assert warning.startswith(f"lgcontent: warning: the results cache {cache / results_cache.FILE_NAME} was"
                              " damaged (")
    assert warning.endswith("), so it was emptied and started afresh")
    assert len(rows(cache)) == 4  # kept this time
    again = check(cache, str(site), "--cache", "--format", "json")
    assert again.stdout == fresh.stdout and again.stderr == ""


def test_a_cache_file_damaged_inside_is_deleted_for_the_next_run(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(300):  # enough results to fill many pages of the database file
        (folder / f"{n}.md").write_text(f"# Page {n}\n\nPlease utilise form {n} in order to apply.\n" * 5)
    check(cache, str(folder), "--cache")
    file = cache / results_cache.FILE_NAME
    data = bytearray(file.read_bytes())
    data[8192:len(data) - 4096] = b"\xff" * (len(data) - 4096 - 8192)  # the header survives
    file.write_bytes(bytes(data))
    fresh = run("check", str(folder), "--format", "json")
    damaged = check(cache, str(folder), "--cache", "--format", "json")
    assert damaged.stdout == fresh.stdout
    warning, = damaged.stderr.splitlines()
    assert warning.startswith("lgcontent: warning: the results cache could not be used")
    assert warning.endswith("; it has been deleted, to start afresh)")
    again = check(cache, str(folder), "--cache", "--format", "json")
    assert again.stdout == fresh.stdout and again.stderr == ""
    assert len(rows(cache)) == 300


def test_a_cache_file_locked_by_another_program_costs_only_time(cache: Path, site: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    check(cache, str(site / "bins-good.html"), "--cache")
    monkeypatch.setattr(results_cache, "WAIT_SECONDS", 0.2)
    fresh = run("check", str(site), "--format", "json")
    with sqlite3.connect(cache / results_cache.FILE_NAME, isolation_level=None) as db:
        db.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than lgcontent waits
        result = check(cache, str(site), "--cache", "--format", "json")
        db.execute("ROLLBACK")
    assert result.exit_code == 1 and result.stdout == fresh.stdout
    warning, = result.stderr.splitlines()
    assert warning.startswith("lgcontent: warning: the results cache could not be used, so pages were checked"
                              " without it (")
    assert "locked" in warning
    assert (cache / results_cache.FILE_NAME).stat().st_size > 0  # left alone: it was sound


def test_a_cache_folder_that_cannot_be_made_costs_only_time(tmp_path: Path, site: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = check(blocker / "cache", str(site / "parking-good.md"), "--cache")
    assert result.exit_code == 0
    assert "No problems found" in result.stdout
    assert "lgcontent: warning: the results cache could not be used" in result.stderr


def test_a_damaged_result_is_checked_again_and_replaced(cache: Path, site: Path) -> None:
    check(cache, str(site), "--cache")
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        db.execute("UPDATE results SET value = ?", (b"not compressed json",))
    fresh = run("check", str(site), "--format", "json")
    again = check(cache, str(site), "--cache", "--format", "json")
    assert again.stdout == fresh.stdout and again.stderr == ""
    assert all(value != b"not compressed json" for _, value, _ in rows(cache))


def test_standard_input_and_web_pages_are_not_kept(cache: Path) -> None:
    result = check(cache, "-", "--cache", "--stdin-format", "markdown")
    assert result.exit_code in (0, 1)
    assert rows(cache) == []


def test_results_unused_for_30_days_are_deleted(cache: Path, site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(site / "bins-bad.html", other / "page.html")
    check(cache, str(site), "--cache")
    check(cache, str(other), "--cache")
    assert len(rows(cache)) == 5
    old = int(time.time()) - results_cache.KEEP_SECONDS - 60
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        db.execute("UPDATE results SET used = ?", (old,))
    check(cache, str(site), "--cache")  # uses the site's four results, and so renews them
    kept = rows(cache)
    assert len(kept) == 4  # the other folder's result was not used for 30 days
    assert all(used > time.time() - 600 for _, _, used in kept)


def test_results_of_other_code_are_deleted_after_a_week_unused(cache: Path, site: Path) -> None:
    check(cache, str(site), "--cache")
    now = int(time.time())
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        keys = [key for key, in db.execute("SELECT key FROM results ORDER BY key")]
        db.execute("UPDATE results SET code = ?, used = ? WHERE key = ?", (b"older code", now - 8 * 86400, keys[0]))
        db.execute("UPDATE results SET code = ?, used = ? WHERE key = ?", (b"older code", now - 2 * 86400, keys[1]))
    check(cache, str(site / "bins-good.html"), "--cache")  # a run that uses none of them (no folder)
    left = {key for key, _, _ in rows(cache)}
    assert keys[0] not in left and set(keys[1:]) <= left and len(left) == len(keys)


def test_a_cache_file_of_another_form_is_started_afresh(cache: Path, site: Path) -> None:
    cache.mkdir()
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        db.execute("CREATE TABLE results (key BLOB PRIMARY KEY, value BLOB, used INTEGER)")
        db.execute("INSERT INTO results VALUES (?, ?, ?)", (b"k", b"v", 0))
    fresh = run("check", str(site), "--format", "json")
    first = check(cache, str(site), "--cache", "--format", "json")
    second = check(cache, str(site), "--cache", "--format", "json")
    assert fresh.stdout == first.stdout == second.stdout and first.stderr == second.stderr == ""
    assert len(rows(cache)) == 4
    with sqlite3.connect(cache / results_cache.FILE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == results_cache.SCHEMA


def test_a_page_whose_rule_was_stopped_is_not_kept() -> None:
    checked = Checked("page.md", (), ("the rule x took too long on this page and was stopped",), complete=False)
    assert results_cache.keepable(checked) is None


def test_the_kept_form_gives_back_every_field() -> None:
    finding = Finding("a/page.html", 3, 5, 4, 1, "links.vague-text", Severity.WARNING, "Say where it goes.",
                      "click\nhere", None)
    other = Finding("a/page.html", 9, 1, 9, 2, "pack.rule", Severity.SUGGESTION, "Ünïcode ‘quotes’", None, "use")
    site = SitePage("a/page.html", Placed("Bins", 1, 8, 1, 12, "Bins"), None,
                    [Placed("more", 3, 5, 4, 1, "<a>more</a>", "/abs/target.html")])
    checked = Checked("a/page.html", (finding, other), ("a note",), {3: "line three", 9: "line nine"}, 120,
                      9.25, "Bins", site)
    # (source lines are not kept: the page gives them again)
    assert results_cache.decode(results_cache.encode(checked), "a/page.html") == replace(checked, lines={})
    assert results_cache.decode(results_cache.encode(Checked("b.md", ())), "b.md") == Checked("b.md", ())
