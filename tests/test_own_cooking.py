"""lgcontent's own words pass its own plain-English checks (issue: eat our own cooking).

Every rule's summary, message, why and fix, and README.md, are checked with the
plain-English rules and the sentence-length rule that are on by default. A rule
may quote the term it is about: text in quotation marks is not flagged.
"""

from __future__ import annotations

import pytest

from lgcontent.engine import check_document
from lgcontent.packs import builtin_rules_dir, load_catalogue, select_rules

from conftest import ROOT, load

CATALOGUE = load_catalogue([builtin_rules_dir()])
PLAIN = [r for r in select_rules(CATALOGUE)
         if r.group == "plain-english" or r.id == "readability.sentence-length"]


def _problems(text: str, fmt: str = "markdown") -> list[str]:
    doc = load(text, fmt)
    return [f"{f.line}:{f.column} {f.rule}: {f.match!r}" for f in check_document(doc, PLAIN)]


def test_the_checks_are_there() -> None:
    assert len(PLAIN) >= 10
    assert _problems("We will facilitate a workshop.")  # the check can fail


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=lambda r: r.id)
def test_rule_text_is_plain_english(rule) -> None:
    placeholders = {name: "example" for name in rule.checker.placeholders}
    parts = [rule.summary, rule.message.format(**placeholders), rule.why, rule.fix or ""]
    text = "\n\n".join(p.strip() for p in parts if p.strip())
    assert _problems(text) == [], text


def test_readme_is_plain_english() -> None:
    assert _problems((ROOT / "README.md").read_text(encoding="utf-8")) == []
