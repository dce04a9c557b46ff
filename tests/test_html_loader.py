"""The HTML loader: encodings, what is skipped, and which part of the page is checked."""

from __future__ import annotations

import codecs

import pytest

from lgcontent.errors import InputError
from lgcontent.loaders import load_bytes

from conftest import load


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


class TestEncodings:
    def test_utf8_bom(self) -> None:
        doc = load_bytes(codecs.BOM_UTF8 + "<p>Café</p>".encode(), "p.html", "html")
        assert texts(doc) == ["Café"]
        assert doc.position(doc.blocks[0].content.starts[0]) == (1, 4)

    @pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
    def test_utf16_with_bom(self, codec: str, bom: bytes) -> None:
        doc = load_bytes(bom + "<p>Café &amp; bar</p>".encode(codec), "p.html", "html")
        assert texts(doc) == ["Café & bar"]

    def test_meta_charset_windows_1252(self) -> None:
        data = '<meta charset="windows-1252"><p>It’s £5 – “quoted”</p>'.encode("cp1252")
        assert texts(load_bytes(data, "p.html", "html")) == ["It’s £5 – “quoted”"]

    def test_http_equiv_latin1_label_means_windows_1252(self) -> None:
        data = ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
                '<p>It’s £5</p>').encode("cp1252")
        assert texts(load_bytes(data, "p.html", "html")) == ["It’s £5"]

    def test_undeclared_non_utf8_falls_back_to_windows_1252(self) -> None:
        assert texts(load_bytes("<p>Café – £5</p>".encode("cp1252"), "p.html", "html")) == ["Café – £5"]

    def test_undecodable_bytes_do_not_crash(self) -> None:
        data = b'<meta charset="utf-8"><p>Bad \xff\xfe bytes \x81 here</p>'
        doc = load_bytes(data, "p.html", "html")
        assert texts(doc)[0].startswith("Bad")
        assert "\ufffd" in texts(doc)[0]

    def test_unknown_charset_label_falls_back(self) -> None:
        doc = load_bytes(b'<meta charset="klingon"><p>Plain text</p>', "p.html", "html")
        assert texts(doc) == ["Plain text"]

    def test_binary_file_is_an_input_error(self) -> None:
        with pytest.raises(InputError, match="binary"):
            load_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.html", "html")


class TestSkipped:
    @pytest.mark.parametrize("tag", ["script", "style", "pre", "code", "noscript", "template",
                                     "textarea", "svg"])
    def test_non_prose_elements(self, tag: str) -> None:
        doc = load(f"<p>Before <{tag}>utilise this</{tag}> after</p>", "html")
        assert texts(doc) == ["Before \ufffc after" if tag == "code" else "Before after"]

    def test_comments_and_hidden(self) -> None:
        doc = load("<p>Shown<!-- utilise --></p><div hidden><p>Hidden text</p></div>", "html")
        assert texts(doc) == ["Shown"]

    def test_words_either_side_of_skipped_code_stay_apart(self) -> None:
        doc = load("<p>Type<code>ls</code>now</p>", "html")
        assert texts(doc) == ["Type\ufffc now"]


class TestRegion:
    PAGE = """<html><head><title>T</title></head><body>
<nav><a href="/">More</a><p>Navigation text</p></nav>
<main><h1>Main heading</h1><p>Main text <a href="/x">link</a></p><img src="m.png"></main>
<footer><p>Footer text</p><img src="f.png"></footer>
<div id="content"><p>Content div</p></div>
</body></html>"""

    def test_main_only_when_present(self) -> None:
        doc = load(self.PAGE, "html")
        assert texts(doc) == ["Main heading", "Main text link"]
        assert [link.text for link in doc.links] == ["link"]
        assert [i.src for i in doc.images] == ["m.png"]
        assert doc.title.value == "T"

    def test_role_main(self) -> None:
        doc = load(self.PAGE.replace("<main>", '<div role="main">').replace("</main>", "</div>"), "html")
        assert texts(doc) == ["Main heading", "Main text link"]

    def test_whole_page_without_main(self) -> None:
        doc = load(self.PAGE.replace("main>", "section>"), "html")
        assert "Navigation text" in texts(doc) and "Footer text" in texts(doc)

    def test_content_selector_overrides_main(self) -> None:
        doc = load_bytes(self.PAGE.encode(), "p.html", "html", content_selector="#content")
        assert texts(doc) == ["Content div"]

    def test_content_selector_matching_nothing_checks_whole_page_and_says_so(self) -> None:
        doc = load_bytes(self.PAGE.encode(), "p.html", "html", content_selector=".nothing")
        assert "Footer text" in texts(doc)
        assert any("matches nothing" in note for note in doc.notes)


class TestStructure:
    def test_block_kinds(self) -> None:
        doc = load("<h2>Head</h2><p>Para</p><ul><li>Item<li><p>Item two</p></ul>"
                   "<table><tr><th>Col<td>Cell</table><blockquote>Quote</blockquote>"
                   "<figure><figcaption>Cap</figcaption></figure>", "html")
        assert [(b.kind, b.text) for b in doc.blocks] == [
            ("heading", "Head"), ("paragraph", "Para"), ("list-item", "Item"), ("list-item", "Item two"),
            ("table-cell", "Col"), ("table-cell", "Cell"), ("blockquote", "Quote"), ("caption", "Cap"),
        ]
        assert doc.blocks[0].heading_level == 2

    def test_br_keeps_lines_apart(self) -> None:
        doc = load("<p>Town Hall<br>High Street</p>", "html")
        assert texts(doc) == ["Town Hall\nHigh Street"]

    def test_implied_paragraph_ends(self) -> None:
        doc = load("<p>One<p>Two<div>Three</div>", "html")
        assert texts(doc) == ["One", "Two", "Three"]

    def test_images_and_image_links(self) -> None:
        doc = load('<a href="/x"><img src="a.png" alt="Bins"></a><img src="b.png" alt="">'
                   '<img src="c.png" role="presentation">', "html")
        assert [(i.src, i.alt, i.in_link, i.labelled) for i in doc.images] == [
            ("a.png", "Bins", True, False), ("b.png", "", False, False), ("c.png", None, False, True)]
        assert doc.links[0].text == "Bins" and doc.links[0].has_image

    def test_svg_title_is_not_the_page_title(self) -> None:
        doc = load("<svg><title>Icon</title></svg><title>Real</title>", "html")
        assert doc.title.value == "Real"

    def test_suppression_comments(self) -> None:
        doc = load("<!-- lgcontent-disable links.vague-text -- quoted from a letter -->\n"
                   "<!-- lgcontent-enable -->\n<!-- lgcontent-disable-next-line -->", "html")
        assert [(s.action, s.rules, s.line, s.reason) for s in doc.suppressions] == [
            ("disable", ("links.vague-text",), 1, "quoted from a letter"),
            ("enable", (), 2, ""),
            ("disable-next-line", (), 3, ""),
        ]

    def test_deep_nesting_does_not_recurse(self) -> None:
        depth = 20000
        doc = load("<div>" * depth + "<p>Deep</p>" + "</div>" * depth, "html")
        assert texts(doc) == ["Deep"]


class TestLinks:
    def test_anchors_without_href_and_hidden_links_are_not_links(self) -> None:
        doc = load('<h2><a name="privacy"></a>Privacy</h2><p><a href="/x" aria-hidden="true">'
                   '<img src="t.png" alt=""></a><a href="/y">Real</a>'
                   '<a href="#more" aria-expanded="false">Show more</a><a href="#" role="button">Go</a></p>',
                   "html")
        assert [link.text for link in doc.links] == ["Real"]

    def test_aria_label_names_the_link(self) -> None:
        doc = load('<p><a href="/bins" aria-label="Bin collection days">More</a></p>', "html")
        assert doc.links[0].text == "More" and doc.links[0].name == "Bin collection days"
