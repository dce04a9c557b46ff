"""Rule files are validated on load; every problem names the file and the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lgcontent.errors import RuleError
from lgcontent.packs import load_packs

from conftest import run

GOOD = """\
kind: word-list
level: warning
summary: Council words
message: "Avoid '{match}'."
why: Residents do not know these words.
source: Our house style
options:
  words: [waste management]
examples:
  fail: [Contact waste management.]
  pass: [Contact the bins team.]
"""


def write_pack(tmp_path: Path, text: str, name: str = "rule.yml", pack: str = "house") -> Path:
    folder = tmp_path / pack
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def error_for(tmp_path: Path, text: str, name: str = "rule.yml") -> RuleError:
    with pytest.raises(RuleError) as caught:
        load_packs([write_pack(tmp_path, text, name)])
    return caught.value


def test_a_good_rule_loads_with_its_id(tmp_path: Path) -> None:
    rules = load_packs([write_pack(tmp_path, GOOD, "council-words.yml")])
    assert [r.id for r in rules] == ["house.council-words"]


def test_a_single_pack_folder_loads_too(tmp_path: Path) -> None:
    write_pack(tmp_path, GOOD, "council-words.yml")
    assert [r.id for r in load_packs([tmp_path / "house"])] == ["house.council-words"]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("kind: word-list", "kind: spellcheck"), 1, "unknown kind 'spellcheck'"),
        (("level: warning", "level: fatal"), 2, "'level' must be one of"),
        (("why:", "reason:"), 5, "unknown field 'reason'"),
        (("  words: [waste management]", "  wordz: [waste management]"), 8, "unknown option 'wordz'"),
        (("  words: [waste management]", "  words: []"), 8, "'words' must be a list"),
        (("message: \"Avoid '{match}'.\"", "message: \"Avoid {thing}.\""), 4, "does not offer"),
        (("  pass: [Contact the bins team.]", "  pass: []"), 11, "at least one 'pass' example"),
        (("kind: word-list", "kind: word-list\nscope: [sidebar]"), 2, "unknown scope 'sidebar'"),
        (("summary: Council words", "summary: [a, b]"), 3, "'summary' must be some text"),
    ],
)
def test_field_errors_name_the_line(tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    error = error_for(tmp_path, GOOD.replace(*change))
    assert error.line == line, str(error)
    assert message in error.message
    assert str(error).startswith(f"{tmp_path / 'house' / 'rule.yml'}:{line}: ")


def test_missing_field(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("why: Residents do not know these words.\n", ""))
    assert "missing field 'why'" in error.message


def test_bad_regex(tmp_path: Path) -> None:
    rule = GOOD.replace("kind: word-list", "kind: pattern").replace(
        "  words: [waste management]", "  pattern: 'waste (management'")
    error = error_for(tmp_path, rule)
    assert error.line == 8 and "not a valid regular expression" in error.message


@pytest.mark.parametrize("value", ["0", "-3", "ten", "2.5", "true"])
def test_bad_threshold(tmp_path: Path, value: str) -> None:
    rule = GOOD.replace("kind: word-list", "kind: sentence-length").replace(
        "  words: [waste management]", f"  max_words: {value}").replace("Avoid '{match}'.", "Too long.")
    error = error_for(tmp_path, rule)
    assert error.line == 8 and "'max_words' must be a whole number" in error.message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("options:", "options: [unclosed"))
    assert error.line and "not valid YAML" in error.message


def test_python_objects_are_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("summary: Council words", "summary: !!python/object/apply:os.system [echo hi]"))
    assert error.line == 3 and "not valid YAML" in error.message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    error = error_for(tmp_path, bomb)
    assert "aliases" in error.message


def test_bad_file_and_pack_names(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD, name="Council_Words.yml")
    assert "lower-case words joined by hyphens" in error.message


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    first, second = write_pack(tmp_path / "a", GOOD, "x.yml"), write_pack(tmp_path / "b", GOOD, "x.yml")
    with pytest.raises(RuleError, match="already"):
        load_packs([first, second])


def test_cli_reports_a_bad_pack_with_exit_2(tmp_path: Path) -> None:
    write_pack(tmp_path, GOOD.replace("kind: word-list", "kind: nonsense"))
    page = tmp_path / "page.md"
    page.write_text("Contact waste management.\n")
    result = run("check", str(page), "--pack", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'house' / 'rule.yml'}:1: unknown kind 'nonsense'" in result.stderr
    assert "Traceback" not in result.output


def test_cli_uses_an_extra_pack(tmp_path: Path) -> None:
    write_pack(tmp_path, GOOD, "council-words.yml")
    page = tmp_path / "page.md"
    page.write_text("# Bins\n\nContact waste management.\n")
    result = run("check", str(page), "--pack", str(tmp_path), "--format", "concise")
    assert "house.council-words Avoid 'waste management'." in result.stdout
