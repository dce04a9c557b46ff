"""The quick token reader (loaders/html_tokens.py) reads HTML exactly as HTMLParser does.

Every page is loaded twice, with the quick reader and with HTMLParser reading every
token, and the two documents must be the same to the last character offset: on
generated HTML full of odd constructs, on the examples and fixtures, and on the corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, EXAMPLES, FIXTURES, needs_corpus
from lgcontent.document import Document
from lgcontent.loaders import html_tokens, load_bytes
from lgcontent.loaders.html import _PageParser


def _snapshot(doc: Document) -> dict:
    """Everything a rule can read from a document, each character's offsets included."""
    def text_offsets(content):
        return [(content.start_of(i), content.end_of(i)) for i in range(len(content))]

    return {
        "blocks": [(b.kind, b.text, b.heading_level, b.list_ordered, b.list_item, text_offsets(b.content))
                   for b in doc.blocks],
        "headings": doc.headings, "links": doc.links, "images": doc.images, "lists": doc.lists,
        "marks": doc.marks, "suppressions": doc.suppressions, "title": doc.title,
        "description": doc.description, "lang": doc.lang, "html": doc.has_html_element, "notes": doc.notes,
    }


def _both_ways(source: str, monkeypatch, fmt: str = "html") -> tuple[dict, dict]:
    data = source.encode("utf-8", "surrogatepass")
    quick = _snapshot(load_bytes(data, "page", fmt))
    with monkeypatch.context() as patch:
        patch.setattr(html_tokens.TokenReader, "quick", False)
        standard = _snapshot(load_bytes(data, "page", fmt))
    return quick, standard


_PIECES = [
    "Bins", " are emptied ", "\n", "  ", "every week.", "&amp;", "&copy;", "&#163;", "&#x2019;", "&nbsp",
    "&", "& ", "&#", "&#12a;", "&unknown;", "<", "< b", ">", "<p>", "</p>", "<P CLASS=x>", "<div class=\"a\">",
    "</div>", "<br>", "<br/>", "<br />", "</br>", "<ul>", "<ol>", "<li>", "</li>", "</ul>", "<h2>", "</h2>",
    "<a href=\"/pay?a=1&amp;b=2\">", "<a href=x/>", "</a>", "<a href='x' aria-label=\"Pay\">", "<img alt=\"\">",
    "<img src=x.png alt='A bin'>", "<b>", "</b>", "<em>", "</em>", "<table>", "<tr>", "<td>", "<th>",
    "<!-- note -->", "<!-- lgcontent-disable-next-line -->", "<!---->", "<!-- a -- b -->", "<!-->", "<!--x",
    "<!DOCTYPE html>", "<?php echo 1 ?>", "<![CDATA[x]]>", "<script>", "if (a < b) {}", "</script>",
    "<style>p{}</style>", "<title>", "Pay &amp; park", "</title>", "<textarea>", "</textarea>",
    "<noscript>", "</noscript>", "<svg>", "</svg>", "<my-widget data-x=1>", "</my-widget>",
    "<div hidden>", "<span\u00a0class=x>", "<a b=\"1\"c=\"2\">", "<a x==y>", "<meta name=description content=\"Hi\">",
    "<html lang=\"en\">", "<main>", "</main>", "</ div>", "</div x>", "<div/>", "<input type=text>",
    "<sup>1</sup>", "<code>x</code>", "’", "\u2028", "<a href=\"x\" data-expanded>",
]
pages = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(source=pages)
@example(source="<title>Pay &amp; park</title><p>Tom & Jerry > cats</p><script>a<b</script><p>end")
@example(source="<p>a</p><!--x")  # a comment never closed: HTMLParser reads the rest
def test_the_quick_reader_reads_as_html_parser_does(source, monkeypatch):
    quick, standard = _both_ways(source, monkeypatch)
    assert quick == standard


def _pages_here() -> list:
    return sorted([*EXAMPLES.glob("*.html"), *FIXTURES.rglob("*.html")])


def test_examples_and_fixtures_read_alike(monkeypatch):
    pages = _pages_here()
    assert len(pages) >= 4
    for page in pages:
        quick, standard = _both_ways(page.read_text(encoding="utf-8", errors="replace"), monkeypatch)
        assert quick == standard, page


def test_markdown_with_html_reads_alike(monkeypatch):
    source = "# Bins\n\n<div class=\"note\">\n<p>Put your <b>bin</b> out &amp; wait.</p>\n</div>\n\nMore text.\n"
    quick, standard = _both_ways(source, monkeypatch, "markdown")
    assert quick == standard and quick["marks"]


@needs_corpus()
def test_corpus_pages_read_alike(monkeypatch):
    pages = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".htm"))
    assert len(pages) > 100
    for page in pages[::4]:
        quick, standard = _both_ways(page.read_text(encoding="utf-8", errors="replace"), monkeypatch)
        assert quick == standard, page


def test_plain_pages_are_read_quickly_to_the_end():
    for page in (EXAMPLES / "bins-bad.html", EXAMPLES / "bins-good.html"):
        source = page.read_text(encoding="utf-8")
        assert source.count("<") > 20
        parser = _PageParser(source, load_bytes(source.encode(), "page", "html").lines)
        parser.feed(source)
        assert parser._quick and parser.rawdata == ""  # no token was left to HTMLParser


@pytest.mark.parametrize("text, expected", [
    (' href="/a?b=1&amp;c=2" hidden', [("href", "/a?b=1&c=2"), ("hidden", None)]),
    (" ALT='' Data-X=y/z", [("alt", ""), ("data-x", "y/z")]),
])
def test_attributes_as_html_parser_gives_them(text, expected):
    assert html_tokens._attributes(text) == expected
