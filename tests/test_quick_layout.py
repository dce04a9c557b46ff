"""The terminal report laid out by quick_layout must be exactly what rich lays out.

Each test writes the same pages through the reporter twice, once with the quick
layout and once with rich doing all of it, and compares the text: unstyled, and
styled with each kind of colour a terminal may have, at several widths.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from lgcontent.findings import Finding, PageResult, Severity
from lgcontent.packs import load_builtin
from lgcontent.reporters.base import ReportContext
from lgcontent.reporters.quick_layout import ONE_CELL, escape_codes
from lgcontent.reporters.rich_report import RichReporter
from lgcontent.runner import CheckOptions, check_paths

from conftest import corpus_pages, example_pages, needs_corpus


class _AllRich(RichReporter):
    lay_out_quickly = False


# (colour, terminal width, COLORTERM, TERM): unstyled (always 120 wide), and styled with
# 16 colours, 256 and true colour.
TERMINALS = [(False, "80", "", "xterm"), (True, "40", "", "xterm"), (True, "80", "", "xterm-256color"),
             (True, "200", "truecolor", "xterm")]


def _reports(results: list[PageResult], terminal: tuple[bool, str, str, str] = TERMINALS[0]) -> tuple[str, str]:
    """(quick layout, rich layout) of the same pages."""
    color, columns, colorterm, term = terminal
    texts = []
    with mock.patch.dict(os.environ, {"COLUMNS": columns, "COLORTERM": colorterm, "TERM": term}):
        os.environ.pop("NO_COLOR", None)
        for reporter_class in (RichReporter, _AllRich):
            stream = io.StringIO()
            reporter = reporter_class(stream, ReportContext(color=color))
            for result in results:
                reporter.page(result)
            texts.append(stream.getvalue())
    return texts[0], texts[1]


def test_every_character_taken_for_one_cell_is_one_cell_in_rich() -> None:
    chars = [chr(n) for n in range(0x110000) if chr(n) != "\n" and ONE_CELL.fullmatch(chr(n))]
    assert len(chars) > 1000
    assert [c for c in chars if cell_len(c) != 1] == []
    assert [c for c in chars if c.isspace() and c not in " \xa0"] == []


# Text of one-cell characters and spaces (words of every length, to fill lines exactly),
# and text with the characters that are not: wide (CJK, emoji), joining and zero-width
# ones, and other spaces, which the quick layout must leave to rich.
_ONE_CELL_TEXT = st.lists(st.text(st.sampled_from(list("aeiou rst'’“”–—…£€→│\xa0")), min_size=1, max_size=20),
                          max_size=60).map(" ".join)
_ANY_CHARACTER = st.sampled_from(list("aeiou rst'’“”–—…£€→│\xa0漢⚠\ufe0f\u0301\u200b\u2003\t"))
_WORDS = st.one_of(
    _ONE_CELL_TEXT,
    st.lists(st.one_of(st.text(_ANY_CHARACTER, min_size=1, max_size=12),
                       st.text(st.sampled_from("abcxyz"), min_size=90, max_size=260)),
             max_size=30).map(" ".join),
)


@st.composite
def _findings(draw) -> tuple[Finding, str]:
    line = draw(st.sampled_from([1, 9, 12345, 1234567]))
    column = draw(st.integers(1, 300))
    source_line = draw(_WORDS)
    match = draw(st.none() | st.text(_ANY_CHARACTER, max_size=40))
    finding = Finding("page.html", line, column, line, column + draw(st.integers(0, 200)),
                      draw(st.sampled_from(["links.vague-text", "readability." + "x" * 100])),
                      draw(st.sampled_from(list(Severity))), draw(_WORDS) or "m", match,
                      draw(st.none() | _WORDS))
    return finding, source_line


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_findings(), min_size=1, max_size=4), st.sampled_from(["page.html", "a/" * 70 + "p.html",
                                                                       "dir with space/" * 12 + "p.md",
                                                                       "漢字.html"]),
       st.none() | st.floats(1, 30), st.sampled_from(TERMINALS))
def test_the_quick_layout_is_rich_s_layout(findings: list[tuple[Finding, str]], path: str,
                                           reading_age: float | None, terminal) -> None:
    lines = {}
    for finding, source_line in findings:
        lines.setdefault(finding.line, source_line)
    result = PageResult(path, tuple(f for f, _ in findings), lines=lines, reading_age=reading_age)
    quick, rich = _reports([result], terminal)
    assert quick == rich


def _checked(paths: list[Path]) -> list[PageResult]:
    return list(check_paths([str(p) for p in paths], load_builtin(), CheckOptions(source_lines=True)))


@pytest.mark.parametrize("terminal", TERMINALS)
def test_the_example_pages_and_a_page_with_long_lines_and_wide_characters(tmp_path: Path, terminal) -> None:
    page = tmp_path / "long.html"
    wide = "<p>In order to utilise the 漢字 form ⚠️ please click here.</p>"
    page.write_text("<title>T</title>\n" * 12000 + "<p>In order to utilise the form, " + "x" * 300
                    + " please click here.</p>\n" + wide, encoding="utf-8")
    quick, rich = _reports(_checked([*example_pages(), page]), terminal)
    assert quick == rich
    assert ("\x1b[1;31m" in quick) if terminal[0] else ("^^^" in quick and "\x1b" not in quick)
    if terminal[1] != "40":  # (at 40 columns, the long lines are wrapped or cut)
        assert "Suggestion: " in quick and "12001:" in quick and "漢字" in quick


@needs_corpus()
@pytest.mark.parametrize("terminal", [TERMINALS[0], TERMINALS[2]])
def test_the_corpus(terminal) -> None:
    quick, rich = _reports(_checked(corpus_pages()), terminal)
    assert quick == rich


def test_consoles_that_do_not_use_escape_codes_are_left_to_rich() -> None:
    assert escape_codes(Console(file=io.StringIO(), force_terminal=True, color_system=None)) is None
    assert escape_codes(Console(file=io.StringIO(), force_terminal=True, legacy_windows=True,
                                color_system="windows")) is None
    codes = escape_codes(Console(file=io.StringIO(), force_terminal=True, color_system="truecolor"))
    assert codes is not None and codes(("bold red",)) == ("\x1b[1;31m", "\x1b[0m")


@pytest.mark.parametrize("terminal", TERMINALS)
def test_rich_lays_out_only_what_the_quick_layout_cannot(terminal) -> None:
    """(Else the comparisons above would hold however little the quick layout did.)"""
    simple = Finding("page.html", 3, 4, 3, 9, "links.vague-text", Severity.WARNING, "Say where the link goes. " * 6,
                     "click", "Apply for a permit")
    wide = Finding("page.html", 5, 1, 5, 3, "links.vague-text", Severity.ERROR, "Replace '漢字'.", "漢字")
    lines = {3: "<p>To apply, click here.</p>", 5: "漢字 here"}
    color, columns, colorterm, term = terminal
    with mock.patch.dict(os.environ, {"COLUMNS": columns, "COLORTERM": colorterm, "TERM": term}):
        reporter = RichReporter(io.StringIO(), ReportContext(color=color))
    printed = []
    reporter.console.print = lambda *args, **kwargs: printed.append(args)  # type: ignore[method-assign]
    reporter.page(PageResult("page.html", (simple,), lines=lines, reading_age=12.0))
    assert printed == [] and "links.vague-text" in reporter.stream.getvalue()
    reporter.page(PageResult("page.html", (simple, wide), lines=lines))
    assert len(printed) == 1  # the finding with wide characters, by rich
