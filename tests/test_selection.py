"""Choosing rules: packs on and off by default, --enable, --disable, and 'replaces'."""

from __future__ import annotations

import json

import pytest

from lgcontent.errors import LgcontentError
from lgcontent.packs import builtin_rules_dir, load_catalogue, select_rules

from conftest import run

CATALOGUE = load_catalogue([builtin_rules_dir()])


def ids(**kwargs) -> set[str]:
    return {r.id for r in select_rules(CATALOGUE, **kwargs)}


def test_defaults_are_localgov_and_wcag() -> None:
    packs = {r.pack for r in select_rules(CATALOGUE)}
    assert packs == {"localgov", "wcag"}
    assert len(CATALOGUE.rules) >= 90


def test_enabling_govuk_replaces_the_rules_it_disagrees_with() -> None:
    chosen = ids(enable=("govuk",))
    assert "plain-english.latin-abbreviations" in chosen
    assert "formatting.per-cent" in chosen
    for replaced in CATALOGUE.packs["govuk"].replaces:
        assert replaced not in chosen
    assert "plain-english.words-to-avoid" in chosen


def test_a_replaced_rule_named_by_id_stays_on() -> None:
    assert "formatting.percent-in-full" in ids(enable=("govuk", "formatting.percent-in-full"))


def test_disable_by_group_pack_and_id() -> None:
    assert not any(i.startswith("readability.") for i in ids(disable=("readability",)))
    assert not {r.id for r in CATALOGUE.rules if r.pack == "wcag"} & ids(disable=("wcag",))
    assert "links.vague-text" not in ids(disable=("links.vague-text",))


def test_unknown_name() -> None:
    with pytest.raises(LgcontentError, match="Did you mean: links.vague-text"):
        select_rules(CATALOGUE, disable=("links.vague-txt",))


def test_cli_enable_and_disable(tmp_path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Bins\n\nCouncil tax rises by 5 percent, e.g. £5 a week.\n")
    default = {f["rule"] for f in json.loads(run("check", str(page), "--format", "json").stdout)["findings"]}
    assert "plain-english.eg-ie-full-stops" in default and "formatting.per-cent" not in default
    govuk = {f["rule"] for f in json.loads(run("check", str(page), "--format", "json", "--enable", "govuk").stdout)["findings"]}
    assert "formatting.per-cent" in govuk and "plain-english.latin-abbreviations" in govuk
    assert "plain-english.eg-ie-full-stops" not in govuk
    result = run("check", str(page), "--disable", "nonsense")
    assert result.exit_code == 2 and "is not a rule, group or pack" in result.stderr


def test_set_changes_a_rule_option(tmp_path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Bins\n\n" + " ".join(["word"] * 22) + ".\n")
    concise = lambda *extra: run("check", str(page), "--format", "concise", *extra).stdout  # noqa: E731
    assert "readability.sentence-length" not in concise()
    assert "readability.sentence-length" in concise("--set", "readability.sentence-length.max_words=20")


@pytest.mark.parametrize(("setting", "message"), [
    ("readability.sentence-length.max_words=zero", "'max_words' must be a whole number"),
    ("readability.sentence-length.maxwords=3", "unknown option 'maxwords'"),
    ("readability.sentence-lenght.max_words=3", "Did you mean: readability.sentence-length"),
    ("nonsense", "should look like RULE.OPTION=VALUE"),
])
def test_bad_settings_exit_2(tmp_path, setting: str, message: str) -> None:
    page = tmp_path / "page.md"
    page.write_text("Text.\n")
    result = run("check", str(page), "--set", setting)
    assert result.exit_code == 2 and message in result.stderr
