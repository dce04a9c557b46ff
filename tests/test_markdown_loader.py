"""The Markdown loader: front matter, code, comments, raw HTML and tables."""

from __future__ import annotations

from conftest import load


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def test_front_matter_is_metadata_not_prose() -> None:
    doc = load("---\ntitle: Bins\ndescription: Utilise the tip\nlang: en\n---\nBody text.\n")
    assert texts(doc) == ["Body text."]
    assert (doc.title.value, doc.description.value, doc.lang.value) == ("Bins", "Utilise the tip", "en")


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
