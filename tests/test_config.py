"""Configuration: discovery, every setting visibly changing findings, and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run

PAGE = textwrap.dedent("""\
    ---
    title: Bins in Barsetshire
    description: Find your bin day
    ---
    # Bins in Barsetshire

    Contact waste management about a missed bin. You can purchase a new bin online.
    This sentence is eighteen words long so it passes the usual limit of twenty five words easily.

    [click here](/bins)
    """)

HOUSE_RULE = textwrap.dedent("""\
    kind: word-list
    level: warning
    summary: Words Barset avoids
    message: "Barset avoids '{match}'."
    why: House style.
    source: Barset style guide
    options:
      words: [missed bin]
    examples:
      fail: [Report a missed bin.]
      pass: [Report a bin we did not empty.]
    """)


def project(tmp_path: Path, config: str | None, name: str = "lgcontent.yml") -> Path:
    (tmp_path / "pages").mkdir(parents=True, exist_ok=True)
    (tmp_path / "pages" / "bins.md").write_text(PAGE)
    if config is not None:
        (tmp_path / name).write_text(textwrap.dedent(config))
    return tmp_path


def findings(folder: Path, *extra: str, cwd: Path | None = None) -> dict[str, str]:
    """rule id -> severity of each finding when checking ``folder``."""
    old = os.getcwd()
    os.chdir(cwd or folder)
    try:
        result = run("check", str(folder / "pages"), "--format", "json", *extra)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.stderr
    return {f["rule"]: f["severity"] for f in json.loads(result.stdout)["findings"]}


def test_each_setting_changes_the_findings(tmp_path: Path) -> None:
    before = findings(project(tmp_path / "a", None))
    assert before["plain-english.simpler-words"] == "suggestion"
    assert before["links.vague-text"] == "error"
    assert "readability.sentence-length" not in before

    house = tmp_path / "b" / "house" / "barset"
    house.mkdir(parents=True)
    (house / "words.yml").write_text(HOUSE_RULE)
    after = findings(project(tmp_path / "b", """\
        extends: [./house]
        disable: [plain-english.simpler-words]
        severity:
          links.vague-text: warning
          plain-english.council-jargon: error
        options:
          readability.sentence-length: {max_words: 10}
        vocabulary:
          accept: [Barsetshire]
        """))
    assert "plain-english.simpler-words" not in after  # disabled
    assert after["links.vague-text"] == "warning"  # severity lowered
    assert after["plain-english.council-jargon"] == "error"  # severity raised
    assert "readability.sentence-length" in after  # threshold changed
    assert after["barset.words"] == "warning"  # local pack added
    title_case = findings(project(tmp_path / "c", "vocabulary: {reject: {Barsetshire: Barset}}"))
    assert title_case["vocabulary.use-instead"] == "warning"


def test_accepted_terms_are_never_flagged(tmp_path: Path) -> None:
    folder = project(tmp_path, "vocabulary: {reject: [Barsetshire], accept: [Barsetshire]}")
    assert "vocabulary.avoid" not in findings(folder)
    folder2 = project(tmp_path / "x", "vocabulary: {reject: [Barsetshire]}")
    assert "vocabulary.avoid" in findings(folder2)


def test_vale_style_vocabulary_files(tmp_path: Path) -> None:
    folder = project(tmp_path, "vocabulary: {accept: vocab/accept.txt, reject: vocab/reject.txt}")
    (folder / "vocab").mkdir()
    (folder / "vocab" / "accept.txt").write_text("# places\nwaste management\n")
    (folder / "vocab" / "reject.txt").write_text("purchase\n")
    found = findings(folder)
    assert "plain-english.council-jargon" not in found  # accepted
    assert found["vocabulary.avoid"] == "warning"


def test_overrides_by_path(tmp_path: Path) -> None:
    folder = project(tmp_path, """\
        overrides:
          - files: ["pages/legal/**"]
            disable: [links]
        """)
    legal = folder / "pages" / "legal" / "terms.md"
    legal.parent.mkdir()
    legal.write_text(PAGE)
    result = run("check", str(folder / "pages"), "--format", "json", "--config", str(folder / "lgcontent.yml"))
    by_page = {}
    for f in json.loads(result.stdout)["findings"]:
        by_page.setdefault(Path(f["path"]).name, set()).add(f["rule"])
    assert "links.vague-text" in by_page["bins.md"]
    assert "links.vague-text" not in by_page["terms.md"]


def test_an_edited_configuration_file_counts_at_once(tmp_path: Path) -> None:
    # Configuration files are kept as parsed in the cache folder (as rule files are),
    # found by their text: an edit must change the next run's findings.
    folder = project(tmp_path, "disable: [links]\n")
    assert "links.vague-text" not in findings(folder)
    assert "links.vague-text" not in findings(folder)  # (now from the cache)
    (folder / "lgcontent.yml").write_text("disable: [readability]\n")
    assert "links.vague-text" in findings(folder)
    for _ in range(2):  # a wrong value is named at its line, read afresh or from the cache
        (folder / "lgcontent.yml").write_text("disable: [links]\nfail_on: sometimes\n")
        result = run("check", str(folder / "pages"), "--config", str(folder / "lgcontent.yml"))
        assert result.exit_code == 2 and "lgcontent.yml:2:" in result.output


def test_overrides_decide_which_pages_site_wide_rules_report(tmp_path: Path) -> None:
    # Site-wide rules run once every page is read; an override still takes its pages out.
    folder = project(tmp_path, """\
        overrides:
          - files: ["pages/legal/**"]
            disable: [site.duplicate-title]
        """)
    (folder / "pages" / "copy.md").write_text(PAGE)
    legal = folder / "pages" / "legal" / "terms.md"
    legal.parent.mkdir()
    legal.write_text(PAGE)
    result = run("check", str(folder / "pages"), "--format", "json", "--config", str(folder / "lgcontent.yml"))
    shared_title = {Path(f["path"]).name for f in json.loads(result.stdout)["findings"]
                    if f["rule"] == "site.duplicate-title"}
    assert shared_title == {"bins.md", "copy.md"}


def test_config_found_upward_and_in_pyproject(tmp_path: Path) -> None:
    folder = project(tmp_path, '[tool.lgcontent]\ndisable = ["links"]\n', name="pyproject.toml")
    assert "links.vague-text" not in findings(folder, cwd=tmp_path)
    deep = folder / "pages"
    assert "links.vague-text" not in findings(folder, cwd=deep)


def test_explicit_config_and_fail_on(tmp_path: Path) -> None:
    folder = project(tmp_path, None)
    config = tmp_path / "strict.yml"
    config.write_text("fail_on: suggestion\ndisable: [links, metadata]\n")
    result = run("check", str(folder / "pages"), "--config", str(config))
    assert result.exit_code == 1
    assert run("check", str(folder / "pages"), "--config", str(config), "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize(("config", "line", "message"), [
    ("disable: [links]\nsevertiy: {}\n", 2, "unknown setting 'severtiy'"),
    ("disable: [links.vague-txt]\n", 1, "'links.vague-txt' is not a rule, group or pack. Did you mean: links.vague-text"),
    ("severity:\n  links.vague-text: fatal\n", 2, "must be one of error, warning, suggestion"),
    ("options:\n  readability.sentence-length: {max_words: ten}\n", 2, "'max_words' must be a whole number"),
    ("options:\n  readability.sentence-length: 20\n", 2, "must be a mapping"),
    ("overrides:\n  - files: ['legal/[abc']\n    disable: [links]\n", 2, "is not a usable glob pattern"),
    ("extends: [./missing-folder]\n", 1, "not a folder"),
    ("fail_on: sometimes\n", 1, "'fail_on' must be one of"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", None, "aliases"),
    ("disable: [links\n", 2, "not valid YAML"),
    ("extends: !!python/object/apply:os.system [echo]\n", 1, "not valid YAML"),
])
def test_bad_config_is_one_clear_error(tmp_path: Path, config: str, line: int | None, message: str) -> None:
    folder = project(tmp_path, config)
    result = run("check", str(folder / "pages"), "--config", str(folder / "lgcontent.yml"))
    assert result.exit_code == 2, result.output
    error = result.stderr.strip()
    assert error.count("\n") == 0 and "Traceback" not in error
    where = f"{folder / 'lgcontent.yml'}:{line}: " if line else f"{folder / 'lgcontent.yml'}:"
    assert where in error and message in error, error


def test_a_pack_that_fails_to_load(tmp_path: Path) -> None:
    folder = project(tmp_path, "extends: [./house]\n")
    (folder / "house").mkdir()
    (folder / "house" / "bad.yml").write_text(HOUSE_RULE.replace("kind: word-list", "kind: nonsense"))
    result = run("check", str(folder / "pages"), "--config", str(folder / "lgcontent.yml"))
    assert result.exit_code == 2 and f"{folder / 'house' / 'bad.yml'}:1: unknown kind 'nonsense'" in result.stderr


def test_config_command_shows_values_and_origins(tmp_path: Path) -> None:
    folder = project(tmp_path, "disable: [links]\nfail_on: warning\n")
    result = run("config", "--config", str(folder / "lgcontent.yml"))
    assert result.exit_code == 0
    assert f"configuration file: {folder / 'lgcontent.yml'}" in result.stdout
    assert "  - links" in result.stdout and "lgcontent.yml:1" in result.stdout
    assert "fail_on: warning" in result.stdout and "max_warnings: (not set)" in result.stdout


def test_init_writes_a_config_that_loads(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert run("init").exit_code == 2  # will not overwrite
    assert run("init", "--force").exit_code == 0
    assert run("config").exit_code == 0
    project(tmp_path, None)
    assert "links.vague-text" in findings(tmp_path)


def test_unused_suppressions(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n<!-- lgcontent-disable-next-line links.vague-text -- kept -->\n[click here](/x)\n\n"
                    "<!-- lgcontent-disable-next-line plain-english -->\nAll plain.\n")
    data = json.loads(run("check", str(page), "--format", "json", "--report-unused-suppressions").stdout)
    unused = [f for f in data["findings"] if f["rule"] == "suppressions.unused"]
    assert [(f["line"], f["match"]) for f in unused] == [(6, "<!-- lgcontent-disable-next-line plain-english -->")]
    plain = json.loads(run("check", str(page), "--format", "json").stdout)
    assert not [f for f in plain["findings"] if f["rule"] == "suppressions.unused"]


def test_example_pack_package_installs_and_is_found(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="installing the example pack offline needs hatchling")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q",
                    "--target", str(target), str(ROOT / "examples" / "barset-style-pack")],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT / "src")])}
    listed = subprocess.run([sys.executable, "-m", "lgcontent", "rules"], capture_output=True, env=env,
                            cwd=tmp_path, timeout=120)
    assert b"plain-english.place-names" in listed.stdout and b"barset-style" in listed.stdout
    page = tmp_path / "page.md"
    page.write_text("# Library\n\nThe library in Barchester City is open.\n")
    off = subprocess.run([sys.executable, "-m", "lgcontent", "check", str(page), "--format", "concise"],
                         capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert b"place-names" not in off.stdout  # installed packs are off until asked for
    on = subprocess.run([sys.executable, "-m", "lgcontent", "check", str(page), "--format", "concise",
                         "--enable", "barset-style"], capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert b"plain-english.place-names Barset's style is 'Barchester'" in on.stdout
