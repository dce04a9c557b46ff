"""Random pages never crash the loaders, and every finding points inside the file."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgcontent.engine import check_document
from lgcontent.errors import InputError
from lgcontent.packs import load_builtin

from conftest import load, source_at
from test_positions import assert_source_map

RULES = load_builtin()
PIECES = ["<p>", "</p>", "<a href='/x'>", "</a>", "<h2>", "</h2>", "<h4>", "<br>", "&amp;", "&#8212;",
          "&nosuch;", "<!-- lgcontent-disable -->", "<script>x</script>", "<pre>", "<li>", "<table><td>",
          "**", "*", "_", "`", "[", "](/u)", "![", "# ", "\n", "\r\n", "\r", "> ", "- ", "1. ", "| a |",
          "\\", "---\n", "utilise", "click here", "Please", " ", "\t", "é", "😀", "\x00", "\x1b[31m"]
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)


def _check(source: str, fmt: str) -> None:
    if "\x00" in source:  # a NUL byte marks a binary file, as it does for git
        with pytest.raises(InputError, match="binary"):
            load(source, fmt)
        return
    doc = load(source, fmt)
    assert_source_map(doc)
    for finding in check_document(doc, RULES):
        assert 1 <= finding.line <= doc.lines.line_count
        if finding.match is not None:
            assert source_at(doc.source, finding.line, finding.column).startswith(
                finding.match.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text)
def test_random_html(source: str) -> None:
    _check(source, "html")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text)
def test_random_markdown(source: str) -> None:
    _check(source, "markdown")
