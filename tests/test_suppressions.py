"""Suppression comments, alike in HTML and Markdown."""

from __future__ import annotations

import pytest

from lgcontent.engine import check_document
from lgcontent.packs import load_builtin

from conftest import load

RULES = load_builtin()


def rules_found(text: str, fmt: str = "markdown") -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in check_document(load(text, fmt), RULES)
            if f.rule in ("plain-english.words-to-avoid", "links.vague-text")]


MD_PAGE = """\
We will utilise the tip.

<!-- lgcontent-disable-next-line plain-english.words-to-avoid -- quoted from the law -->
We will utilise the tip. [Click here](/x).

<!-- lgcontent-disable -->
We will utilise the tip. [Click here](/x).
<!-- lgcontent-enable -->

<!-- lgcontent-disable links -->
We will utilise the tip. [Click here](/x).

<!-- lgcontent-enable links -->
We will utilise the tip. [Click here](/x).
"""


def test_markdown_suppressions() -> None:
    assert rules_found(MD_PAGE) == [
        ("plain-english.words-to-avoid", 1),
        ("links.vague-text", 4),
        ("plain-english.words-to-avoid", 11),
        ("plain-english.words-to-avoid", 14),
        ("links.vague-text", 14),
    ]


def test_html_suppressions() -> None:
    page = """<html lang="en"><head><title>T</title></head><body>
<p>We will utilise the tip.</p>
<!-- lgcontent-disable-next-line plain-english -->
<p>We will utilise the tip. <a href="/x">Click here</a>.</p>
<!-- lgcontent-disable links.vague-text plain-english.words-to-avoid -->
<p>We will utilise the tip. <a href="/x">Click here</a>.</p>
<!-- lgcontent-enable links.vague-text plain-english.words-to-avoid -->
<p>We will utilise the tip.</p>
</body></html>"""
    assert rules_found(page, "html") == [
        ("plain-english.words-to-avoid", 2),
        ("links.vague-text", 4),
        ("plain-english.words-to-avoid", 8),
    ]


def test_next_line_covers_only_the_next_line() -> None:
    page = "<!-- lgcontent-disable-next-line -->\nWe will utilise\nthe tip and utilise it.\n"
    assert rules_found(page) == [("plain-english.words-to-avoid", 3)]


@pytest.mark.parametrize("comment", ["<!-- lgcontent-disable-nextline -->", "<!-- lgcontent disable -->",
                                     "<!-- please lgcontent-disable -->"])
def test_near_misses_do_not_suppress(comment: str) -> None:
    assert rules_found(f"{comment}\nWe will utilise the tip.\n") == [("plain-english.words-to-avoid", 2)]
