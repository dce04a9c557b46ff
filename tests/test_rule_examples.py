"""Every rule's own examples: the 'fail' ones must fire it, the 'pass' ones must not."""

from __future__ import annotations

import re

import pytest

from lgcontent.engine import check_document
from lgcontent.packs import Example, Rule, load_builtin

from conftest import load, source_at

RULES = load_builtin()


def _cases():
    for rule in RULES:
        for group, examples in (("fail", rule.fail_examples), ("pass", rule.pass_examples)):
            for n, example in enumerate(examples, 1):
                yield pytest.param(rule, group, example, id=f"{rule.id}-{group}-{n}")


def _findings(rule: Rule, example: Example):
    if example.format == "site":
        return None, _site_findings(rule, example)
    doc = load(example.text, example.format, path=f"{rule.id}.example")
    return doc, [f for f in check_document(doc, [rule]) if f.rule == rule.id]


def _site_findings(rule: Rule, example: Example):
    """Site-wide rules: write the example's pages into a folder and check the folder."""
    import tempfile
    from pathlib import Path

    from lgcontent.runner import CheckOptions, check_paths

    with tempfile.TemporaryDirectory() as folder:
        for n, page in enumerate(example.pages, 1):
            suffix = ".html" if page.lstrip().startswith("<") else ".md"
            (Path(folder) / f"page{n}{suffix}").write_text(page, encoding="utf-8")
        results = list(check_paths([folder], [rule], CheckOptions()))
    return [f for result in results for f in result.findings if f.rule == rule.id]


@pytest.mark.parametrize(("rule", "group", "example"), list(_cases()))
def test_rule_example(rule: Rule, group: str, example: Example) -> None:
    doc, findings = _findings(rule, example)
    if group == "fail":
        assert findings, f"{rule.id} should flag: {example.text!r} ({rule.path}:{example.line})"
    else:
        assert not findings, f"{rule.id} should not flag: {example.text!r}, but said {findings[0].message}"
    for finding in findings:
        if finding.match is not None and doc is not None:
            assert source_at(doc.source, finding.line, finding.column).startswith(finding.match)


def test_every_rule_has_examples_of_both_kinds() -> None:
    assert RULES, "no rules were loaded"
    for rule in RULES:
        assert rule.fail_examples and rule.pass_examples, rule.id


def test_first_pack_covers_every_kind_and_topic() -> None:
    from lgcontent.kinds import KINDS

    assert {r.kind for r in RULES} == set(KINDS)
    assert {"plain-english", "readability", "links", "structure"} <= {r.group for r in RULES}
    assert {"localgov", "wcag", "govuk", "lga-jargon"} <= {r.pack for r in RULES}
    assert len(RULES) >= 15


def test_messages_fill_every_placeholder() -> None:
    """Messages made from a rule's own failing examples never show an empty {value}."""
    for rule in RULES:
        for example in rule.fail_examples:
            _, findings = _findings(rule, example)
            for finding in findings:
                assert "''" not in finding.message, (rule.id, finding.message)
                assert "{" not in finding.message, (rule.id, finding.message)


def _consecutive_years(between: str) -> str:
    return "|".join(f"{y}{between}(?:{y + 1}|{str(y + 1)[2:]})" for y in range(1990, 2040))


@pytest.mark.parametrize(("rule_id", "guard"), [("formatting.financial-year", r"(?!(?:19|20)\d\d/\d\d\b)"),
                                                ("formatting.financial-year-words", "")])
def test_financial_year_patterns_match_as_the_plain_list_of_pairs_did(rule_id: str, guard: str) -> None:
    # The rules list the consecutive pairs in a lookahead, with the dashes written once (for a
    # quick compile); they must find exactly what the plain list of 50 pairs with dashes found.
    rule = next(r for r in RULES if r.id == rule_id)
    written = re.compile(rule.options["pattern"])
    pairs = _consecutive_years(r"\s?[-–—/]\s?")
    plain = re.compile(rf"\b{guard}(?:{pairs})\b")
    for year in range(1988, 2043):
        for second in {str(year + 1), str(year + 1)[2:], str(year + 2)[2:], str(year + 11), str(year)[1:]}:
            for between in ("-", "–", " — ", "/", " / ", "", " to ", "_"):
                for before, after in (("", ""), ("a", "1"), ("/", "/25"), (" ", "."), ("1", "_")):
                    text = f"{before}{year}{between}{second}{after}"
                    assert [m.span() for m in written.finditer(text)] == [m.span() for m in plain.finditer(text)], text
