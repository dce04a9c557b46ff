"""The markdown-it parser's shortcuts change nothing it gives (loaders/markdown_parser.py)."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_block import list as list_rule

from lgcontent.loaders import markdown_parser
from lgcontent.loaders.markdown_parser import markdown_it, normalize_link

# Pieces of addresses, with those markdown-it's URL parse moves about or encodes.
URL_PIECES = ["http://", "https://", "HTTP://", "mailto:", "//", "www.", "Example.COM", ":80", ":", "/a",
              "?q=1&r=2", "#x", "@", "user:pw@", "..", "./", "../", "%20", "%2", "%zz", "%", "ftp:",
              "javascript:", "[::1]", "xn--", "Ünï", "é", " ", "\\", "$", "!", "(", ")", "'", "*", "~",
              "+", ",", ";", "=", "_", "-", "a", "Z", "0", "9", "`", "^", "{", "|", "\"", "<", "\t"]
address = st.lists(st.one_of(st.sampled_from(URL_PIECES), st.text(max_size=3)), max_size=10).map("".join)


@settings(max_examples=3000, deadline=None)
@given(address)
def test_normalize_link_gives_what_markdown_it_gives(url):
    assert normalize_link(url) == normalizeLink(url)


def test_normalize_link_for_plain_and_awkward_addresses():
    for url in ["https://www.example.gov.uk/bins?day=monday#when", "../council-tax.md", "mailto:bins@x.gov.uk",
                "http://localhost:8000/a", "http://" + "a." * 130 + "/x", "/caf%C3%A9", "/100%", "/café",
                "https://user@example.com/", "//[::1]/x"]:
        assert normalize_link(url) == normalizeLink(url), url


def test_the_parser_uses_the_quick_normalisation_and_finds_the_same_links():
    source = "[a](https://www.example.gov.uk/x) [b](<my file.md>) [c](http://localhost:8000/é)\n"
    tokens = markdown_it().parse(source)
    hrefs = [child.attrGet("href") for tok in tokens for child in (tok.children or []) if child.type == "link_open"]
    assert hrefs == ["https://www.example.gov.uk/x", "my%20file.md", "http://localhost:8000/%C3%A9"]
    assert markdown_it().normalizeLink is normalize_link


def test_markdown_it_debug_logging_is_skipped_while_off():
    markdown_it()
    assert list_rule.LOGGER.debug is markdown_parser._no_debug
    markdown_it().parse("- a\n- b\n")  # the rules still run with it


def test_debug_logging_switched_on_first_is_kept():
    """A program that turned on markdown-it's debug logs before lgcontent made its parser
    still gets them (a fresh process: the parser is made once per process)."""
    program = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format='%(name)s %(message)s')\n"
        "from lgcontent.loaders.markdown_parser import markdown_it\n"
        "markdown_it().parse('- a\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert "markdown_it.rules_block.list entering list" in done.stdout

