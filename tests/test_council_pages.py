"""A council page with the usual problems is caught; a clean one is left alone.

The pages in tests/fixtures are written for these tests, in the style of real
council pages: council-bad.html has one of each common problem.
"""

from __future__ import annotations

import json

from conftest import FIXTURES, run

EXPECTED = {
    "links.vague-text",  # 'click here'
    "structure.heading-order",  # h1 then h3
    "readability.sentence-length",
    "plain-english.words-to-avoid",  # 'facilitate'
    "plain-english.metaphors",  # 'in order to'
    "accessibility.img-alt-missing",
    "metadata.title-length",
    "metadata.description-length",
    "accessibility.block-capitals",
    "links.file-format-size",  # PDF link without format and size
    "structure.faq",
    "formatting.date-ordinals",  # '4th January'
}


def findings(name: str, *extra: str) -> list[dict]:
    result = run("check", str(FIXTURES / name), "--format", "json", *extra)
    return json.loads(result.stdout)["findings"]


def test_every_known_problem_is_caught() -> None:
    found = {f["rule"] for f in findings("council-bad.html")}
    assert EXPECTED <= found, EXPECTED - found


def test_clean_page_has_no_findings() -> None:
    assert findings("council-clean.html") == []


def test_govuk_differs_only_where_the_standards_conflict() -> None:
    """The page follows LocalGov style: no full stop after the description. GOV.UK wants one."""
    found = findings("council-clean.html", "--enable", "govuk", "--enable", "lga-jargon")
    assert [f["rule"] for f in found] == ["metadata.description-full-stop"]
