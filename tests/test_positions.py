"""Every character of prose maps back to the exact source characters it came from."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgcontent.document import CODE_PLACEHOLDER, Document, LineIndex

from conftest import load


def assert_source_map(doc: Document) -> None:
    """Each non-space character of each block comes from source text that means it."""
    for block in doc.blocks:
        content = block.content
        assert len(content.text) == len(content.starts) == len(content.ends)
        for i, ch in enumerate(content.text):
            if ch.isspace():
                continue
            raw = doc.source[content.starts[i]:content.ends[i]]
            escaped = raw.startswith("\\") and raw[1:] == ch
            entity = raw.startswith("&") and ch in html.unescape(raw)
            code = ch == CODE_PLACEHOLDER and raw in ("`", "<")
            assert raw == ch or escaped or entity or code, (block.text, i, ch, raw)


def find(doc: Document, text: str) -> tuple[int, int]:
    """Line and column of ``text`` inside the document's blocks."""
    for block in doc.blocks:
        at = block.text.find(text)
        if at >= 0:
            return doc.position(block.content.starts[at])
    raise AssertionError(f"{text!r} not in any block: {[b.text for b in doc.blocks]}")


class TestLineIndex:
    @pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
    def test_each_line_ending_counts_once(self, newline: str) -> None:
        source = newline.join(["one", "two", "three"])
        index = LineIndex(source)
        assert index.position(source.index("two")) == (2, 1)
        assert index.position(source.index("three") + 2) == (3, 3)
        assert index.line_count == 3

    def test_mixed_endings(self) -> None:
        source = "a\r\nb\rc\nd"
        index = LineIndex(source)
        assert [index.position(source.index(c)) for c in "abcd"] == [(1, 1), (2, 1), (3, 1), (4, 1)]


@given(st.text(alphabet="ab\r\n", max_size=30), st.integers(-3, 33), st.integers(-3, 33))
def test_a_span_is_placed_as_its_two_ends_are(source: str, start: int, end: int) -> None:
    # positions() searches once when the span ends on its first line; it must agree with
    # placing each end on its own (an end before the start is placed at the start).
    index = LineIndex(source)
    assert index.positions(start, end) == (*index.position(start), *index.position(max(start, end)))


class TestHtmlPositions:
    def test_entities_and_inline_tags(self) -> None:
        doc = load("<p>Tom &amp; <b>Jerry</b> &#8212; caf&eacute; <a href='/x'>now</a></p>", "html")
        assert doc.blocks[0].text == "Tom & Jerry — café now"
        assert find(doc, "Jerry") == (1, 17)
        assert find(doc, "—") == (1, 27)
        assert find(doc, "now") == (1, 60)
        assert_source_map(doc)

    @pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
    def test_multi_line_paragraph(self, newline: str) -> None:
        source = newline.join(["<html><body>", "<p>First line", "  second &amp; line", "third</p>",
                               "</body></html>"])
        doc = load(source, "html")
        assert doc.blocks[0].text == "First line second & line third"
        assert find(doc, "second") == (3, 3)
        assert find(doc, "&") == (3, 10)
        assert find(doc, "third") == (4, 1)
        assert_source_map(doc)

    def test_links_and_headings_know_their_place(self) -> None:
        doc = load("<h2>Bins\n&amp; more</h2>\n<p>Go <a href='/b'>\n  bin day</a></p>", "html")
        assert doc.headings[0].text == "Bins & more"
        assert doc.position(doc.headings[0].start) == (1, 5)
        link = doc.links[0]
        assert (link.text, link.href) == ("bin day", "/b")
        assert doc.position(link.start) == (4, 3)
        assert doc.source[link.start:link.end] == "bin day"

    def test_title_description_and_lang(self) -> None:
        source = ('<html lang="en-GB"><head><title>\n  Bins &amp; waste</title>\n'
                  '<meta name="description" content="When &amp; where"></head><body></body></html>')
        doc = load(source, "html")
        assert doc.title.value == "Bins & waste"
        assert doc.position(doc.title.start) == (2, 3)
        assert doc.description.value == "When & where"
        assert doc.source[doc.description.start:doc.description.end] == "When &amp; where"
        assert doc.lang.value == "en-GB"
        assert doc.source[doc.lang.start:doc.lang.end] == "en-GB"


class TestMarkdownPositions:
    def test_emphasis_escapes_entities_and_links(self) -> None:
        doc = load("Use **bold** and \\*stars\\* &amp; [a link](/x 'title') now.\n")
        assert doc.blocks[0].text == "Use bold and *stars* & a link now."
        assert find(doc, "bold") == (1, 7)
        assert find(doc, "*stars") == (1, 18)
        assert find(doc, "&") == (1, 28)
        assert find(doc, "now") == (1, 55)
        assert_source_map(doc)

    @pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
    def test_front_matter_and_line_endings(self, newline: str) -> None:
        source = newline.join(["---", "title: Bins", "description: When", "---", "", "# Heading",
                               "", "First line", "second line", ""])
        doc = load(source)
        assert doc.title.value == "Bins"
        assert doc.position(doc.title.start) == (2, 8)
        assert doc.position(doc.description.start) == (3, 14)
        assert find(doc, "Heading") == (6, 3)
        assert find(doc, "second") == (9, 1)
        assert_source_map(doc)

    def test_containers(self) -> None:
        source = ("> quoted *text* here\n>\n> - in a list\n\n"
                  "1. first\n2. second item\n\n"
                  "| A | B |\n|---|---|\n| cell one | cell [two](/t) |\n")
        doc = load(source)
        kinds = {b.text: b.kind for b in doc.blocks}
        assert kinds["quoted text here"] == "blockquote"
        assert kinds["in a list"] == "list-item"
        assert kinds["second item"] == "list-item"
        assert kinds["cell two"] == "table-cell"
        assert find(doc, "text") == (1, 11)
        assert find(doc, "in a list") == (3, 5)
        assert find(doc, "second") == (6, 4)
        assert find(doc, "cell two") == (10, 14)
        assert doc.position(doc.links[0].start) == (10, 20)
        assert_source_map(doc)

    def test_heading_starting_with_hash_text(self) -> None:
        doc = load("## #hashtag day\n")
        assert find(doc, "#hashtag") == (1, 4)

    def test_inline_code_and_images_keep_later_positions(self) -> None:
        doc = load("Run `make` then see ![a chart](c.png \"t\") and [go](/g).\n")
        assert find(doc, "then") == (1, 12)
        assert doc.images[0].alt == "a chart"
        assert doc.position(doc.images[0].start) == (1, 21)
        assert doc.position(doc.links[0].start) == (1, 48)

    def test_tab_indented_lines(self) -> None:
        doc = load("- item\n\tcontinued *here*\n")
        assert find(doc, "continued") == (2, 2)
        assert_source_map(doc)


@given(st.text(alphabet="ab \r\n\u2028", max_size=40))
def test_line_index_ends_lines_at_crlf_cr_and_lf(source):
    index = LineIndex(source)
    line, column = 1, 1
    i = 0
    while i <= len(source):
        assert index.position(i) == (line, column), (source, i)
        if i < len(source) and source[i] == "\r" and source[i + 1:i + 2] == "\n":
            assert index.position(i + 1) == (line, column + 1)
            i, line, column = i + 2, line + 1, 1
        elif i < len(source) and source[i] in "\r\n":
            i, line, column = i + 1, line + 1, 1
        else:
            i, column = i + 1, column + 1
