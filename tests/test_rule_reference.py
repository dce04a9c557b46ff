"""docs/rules.md is made from the rule files and must be kept up to date."""

from __future__ import annotations

from conftest import ROOT, run


def test_committed_rule_reference_is_current() -> None:
    result = run("rules", "--format", "markdown")
    assert result.exit_code == 0
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        "docs/rules.md is out of date: run 'lgcontent rules --format markdown --output docs/rules.md'")


def test_reference_covers_every_rule_and_pack() -> None:
    import json

    data = json.loads(run("rules", "--format", "json").stdout)
    text = run("rules", "--format", "markdown").stdout
    for rule in data["rules"]:
        assert f"### {rule['id']}" in text
    for pack in ("localgov", "govuk", "wcag", "lga-jargon"):
        assert f"## Pack `{pack}`" in text


def test_output_file_is_written(tmp_path) -> None:
    target = tmp_path / "rules.md"
    result = run("rules", "--format", "markdown", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Rule reference")
    assert not list(tmp_path.glob(".rules.md.*"))  # no temporary file left behind
