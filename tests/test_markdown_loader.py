"""The Markdown loader: front matter, code, comments, raw HTML and tables."""

from __future__ import annotations

import pytest
import yaml

from conftest import load
from lgcontent.yamlfile import MAX_DEPTH


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def test_front_matter_is_metadata_not_prose() -> None:
    doc = load("---\ntitle: Bins\ndescription: Utilise the tip\nlang: en\n---\nBody text.\n")
    assert texts(doc) == ["Body text."]
    assert (doc.title.value, doc.description.value, doc.lang.value) == ("Bins", "Utilise the tip", "en")


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="this PyYAML was built without libyaml")
def test_front_matter_positions_are_the_same_with_libyaml(monkeypatch) -> None:
    # libyaml (CSafeLoader) reads front matter when PyYAML has it; its positions must be
    # those of the pure Python parser, in characters, even after letters outside ASCII.
    source = ("---\r\nowner: 'Café 😀'\r\ntitle: Bins — “collections”\r\ndescription: >\r\n  Naïve ☃\r\n"
              "  text\r\nlang: \"cy\"\r\n---\r\nBody.\r\n")
    on_one_line = "---\n{owner: 'Café 😀', title: 'Bins — “collections”', lang: cy}\n---\nBody.\n"
    for page in (source, on_one_line):
        found = []
        for loader in (yaml.SafeLoader, yaml.CSafeLoader):
            monkeypatch.setattr("lgcontent.yamlfile.SAFE_LOADER", loader)
            doc = load(page)
            found.append((doc.title, doc.description, doc.lang))
        assert found[0] == found[1]
        title = found[1][0]
        assert page[title.start:title.end].strip("'") == title.value == "Bins — “collections”"


def test_summary_key_is_a_description() -> None:
    assert load("---\nsummary: Short\n---\nText\n").description.value == "Short"


def test_bad_front_matter_is_noted_not_fatal() -> None:
    doc = load("---\ntitle: [unclosed\n---\nText\n")
    assert texts(doc) == ["Text"]
    assert doc.notes and "front matter" in doc.notes[0]


def test_title_falls_back_to_first_h1() -> None:
    doc = load("Intro\n\n# The title\n\n# Another\n")
    assert doc.title.value == "The title"


def test_code_is_skipped() -> None:
    doc = load("Text `utilise` here.\n\n```\nutilise fenced\n```\n\n    utilise indented\n\nEnd.\n")
    assert texts(doc) == ["Text \ufffc here.", "End."]  # inline code leaves a placeholder


def test_html_comments_are_skipped_and_read_as_suppressions() -> None:
    doc = load("<!-- utilise -->\nText <!-- lgcontent-disable-next-line plain-english --> more.\n")
    assert texts(doc) == ["Text more."]
    assert [(s.action, s.rules, s.line) for s in doc.suppressions] == [
        ("disable-next-line", ("plain-english",), 2)]


def test_raw_html_blocks_are_checked_in_place() -> None:
    doc = load("Intro.\n\n<div class=\"note\">\n<p>Raw <a href=\"/r\">here</a></p>\n<img src=\"x.png\">\n</div>\n")
    assert texts(doc) == ["Intro.", "Raw here"]
    assert doc.links[0].text == "here"
    assert doc.position(doc.links[0].start) == (4, 21)
    assert doc.images[0].alt is None


def test_inline_html_links_and_images() -> None:
    doc = load('See <a href="/b">the bins</a> and <img src="i.png" alt="A bin">.\n')
    assert [(link.text, link.href) for link in doc.links] == [("the bins", "/b")]
    assert doc.images[0].alt == "A bin"


def test_image_links_use_alt_text() -> None:
    doc = load("[![Bin day](bin.png)](/bins) and [![](x.png)](/x)\n")
    assert [(link.text, link.has_image) for link in doc.links] == [("Bin day", True), ("", True)]


def test_empty_markdown_alt_counts_as_missing() -> None:
    assert load("![](a.png)\n").images[0].alt is None


def test_headings_with_levels() -> None:
    doc = load("# One\n\nSetext two\n----------\n\n### Three ###\n")
    assert [(h.level, h.text) for h in doc.headings] == [(1, "One"), (2, "Setext two"), (3, "Three")]


def test_hard_break_ends_a_line() -> None:
    assert texts(load("Town Hall  \nHigh Street\n")) == ["Town Hall\nHigh Street"]


def test_front_matter_too_deep_for_the_pure_python_parser_is_noted(monkeypatch) -> None:
    # Without libyaml, PyYAML's composer recurses in Python: nesting within the limit
    # can still run out of recursion, which must end as a note, not a failed page.
    monkeypatch.setattr("lgcontent.yamlfile.SAFE_LOADER", yaml.SafeLoader)
    depth = MAX_DEPTH - 1  # with the mapping around it, the deepest allowed: too deep for pure Python
    doc = load("---\ntitle: " + "[" * depth + "]" * depth + "\n---\nText\n")
    assert texts(doc) == ["Text"]
    assert doc.notes and "front matter is not valid YAML" in doc.notes[0]
