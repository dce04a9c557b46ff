"""Random pages never crash the loaders, and every finding points inside the file."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgcontent.document import HARD_BREAK, SourceText, Suppression
from lgcontent.engine import check_document
from lgcontent.findings import Finding, Severity
from lgcontent.kinds import base
from lgcontent.kinds.base import QUOTED, _atoms, phrase_matcher, trie_regex
from lgcontent.errors import InputError
from lgcontent.packs import load_builtin
from lgcontent.reporters import json_report
from lgcontent.reporters.json_report import findings_json
from lgcontent.spans import SpanSet
from lgcontent.suppressions import SuppressionMap
from lgcontent.text import _SENTENCE_END_RE, WORD_RE, sentences, syllables

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


# The quotation regex as first written, with its "not after a letter" test before the
# straight quote; the one in use puts the mark first so the engine can skip ahead.
_QUOTED_AS_WRITTEN = re.compile(r"“[^”]{1,300}”|\"[^\"]{1,300}\"|‘[^’]{1,300}’|(?<!\w)'[^'\n]{1,100}'(?!\w)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1_ '\"“”‘’\n.", max_size=40))
def test_quoted_text_is_found_where_it_was_before(text: str) -> None:
    assert [m.span() for m in QUOTED.finditer(text)] == [m.span() for m in _QUOTED_AS_WRITTEN.finditer(text)]


# The sentence stop pattern as first written; the one in use starts with a character class
# so the engine can skip ahead.
_SENTENCE_END_AS_WRITTEN = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab .!?…\n\t\"'”’)]", max_size=30))
def test_sentence_stops_are_found_where_they_were_before(text: str) -> None:
    assert ([m.span() for m in _SENTENCE_END_RE.finditer(text)]
            == [m.span() for m in _SENTENCE_END_AS_WRITTEN.finditer(text)])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "é", "1", "_", "'", "’", ".", "-", "&", "!", "?", "…", "\n", " ",
                                 "\t", "\"", ")", "e.g", "Mr", "no", "3.5"]), max_size=30).map("".join))
def test_a_blocks_words_are_its_sentences_words(text: str) -> None:
    # Readability counts add up sentences' words and syllables: none may be lost or counted twice.
    found = sentences(text)
    assert sum(s.words for s in found) == len(WORD_RE.findall(text))
    assert sum(s.syllables for s in found) == sum(map(syllables, WORD_RE.findall(text)))
    assert [s.has_words for s in found] == [any(c.isalnum() for c in s.text) for s in found]


def _phrase_regex_as_first_written(phrases: list[str]) -> re.Pattern[str]:
    body = trie_regex(_atoms(phrase, False) for phrase in phrases)
    left = r"\b(?<![\-’'])" if all(p.strip()[:1].isalnum() for p in phrases) else r"(?<![\w\-’'])"
    return re.compile(rf"{left}(?:{body})(?![\w’]|-\w|'\w)")


_WORDISH = st.text(alphabet="ab-’' .", min_size=1, max_size=5).filter(lambda w: w.strip())


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDISH, min_size=1, max_size=12), st.text(alphabet="ab-’' .\n_1", max_size=40),
       st.sampled_from([0, base.FEW_FIRST_CHARACTERS]))
def test_phrase_lists_match_where_they_did_before(phrases: list[str], text: str, few: int) -> None:
    # Short lists put the "not after a word" test after each first character, so the engine
    # can skip ahead; long lists keep it in front. Either way the matches must not move.
    saved, base.FEW_FIRST_CHARACTERS = base.FEW_FIRST_CHARACTERS, few
    try:
        found = phrase_matcher(phrases).finditer(text)
    finally:
        base.FEW_FIRST_CHARACTERS = saved
    assert [m.span() for m in found] == [m.span() for m in _phrase_regex_as_first_written(phrases).finditer(text)]


_SPAN = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(sorted).map(tuple)


@settings(max_examples=500, deadline=None)
@given(st.lists(_SPAN, max_size=12), _SPAN)
def test_a_span_set_covers_what_one_of_its_spans_covers(spans: list[tuple[int, int]], probe: tuple[int, int]) -> None:
    expected = any(s <= probe[0] and probe[1] <= e for s, e in spans)
    assert SpanSet(spans).covers(*probe) == expected


def _silenced_as_first_written(table: SuppressionMap, used: set[int], names: tuple[str, ...], line: int) -> bool:
    """The lookup as first written: every range of ``table`` asked in turn, in order."""
    def covers(rules: tuple[str, ...]) -> bool:
        return not rules or any(name in rules for name in names)
    for s in table._next_line.get(line, ()):
        if covers(s.rules):
            used.add(id(s))
            return True
    for first, last, s in table._ranges:
        if first <= line and (last is None or line <= last) and covers(s.rules):
            used.add(id(s))
            return True
    return False


_RULE_NAMES = ["a.x", "a.y", "b.z", "a", "b", "pack"]
_COMMENT = st.builds(
    lambda action, rules, line: Suppression(action, tuple(rules), line, line),
    st.sampled_from(["disable", "enable", "disable-next-line"]),
    st.lists(st.sampled_from(_RULE_NAMES), max_size=2, unique=True), st.integers(1, 30))
_QUERY = st.tuples(st.sampled_from([("a.x", "a", "pack"), ("a.y", "a", "pack"), ("b.z", "b", "pack")]),
                   st.integers(1, 35))


@settings(max_examples=500, deadline=None)
@given(st.lists(_COMMENT, max_size=12), st.lists(_QUERY, max_size=20))
def test_suppressions_silence_and_get_credit_as_before(comments: list[Suppression], queries) -> None:
    # Ranges are looked up by line now, not asked in turn; the same findings must be
    # silenced, with the credit (for --report-unused-suppressions) going to the same comment.
    indexed, used = SuppressionMap(comments), set()
    for names, line in queries:
        assert indexed.silenced(names, line) == _silenced_as_first_written(indexed, used, names, line), (names, line)
    assert indexed.unused() == [s for s in indexed._disables if id(s) not in used]


def _any_finding(data) -> Finding:
    """A finding with every field drawn at random, whatever fields are added later."""
    values = {}
    for spec in dataclasses.fields(Finding):
        optional = "None" in str(spec.type)
        kind = {"int": st.integers(1, 10**6), "Severity": st.sampled_from(list(Severity))}.get(
            str(spec.type).split(" |")[0], st.text(max_size=20) | st.none() if optional else st.text(max_size=20))
        values[spec.name] = data.draw(kind, label=spec.name)
    return Finding(**values)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_finding_survives_pickling_for_worker_processes(data) -> None:
    # Every field, whatever is added later, must come back from a --jobs worker.
    finding = _any_finding(data)
    assert pickle.loads(pickle.dumps(finding)) == finding


def test_a_page_result_from_a_worker_survives_pickling_whole() -> None:
    """Checked and Placed are pickled as their fields (pickled.py): every field, none left
    at its default, comes back."""
    from lgcontent.checked import Checked
    from lgcontent.site import Placed, SitePage

    title = Placed("Bins", 1, 8, 1, 12, "<title>Bins</title>", "")
    link = Placed("the guide", 9, 3, 9, 30, "[the guide](gone.md)", "/site/gone.md")
    finding = Finding("a.md", 2, 1, 2, 5, "r.one", Severity.ERROR, "M.", "x", "y")
    checked = Checked("a.md", (finding,), ("a note",), {2: "x y"}, 120, 9.5, "Bins",
                      SitePage("a.md", title, link, [link]), False)
    assert all(getattr(checked, f.name) != f.default for f in dataclasses.fields(Checked)
               if f.default is not dataclasses.MISSING)
    again = pickle.loads(pickle.dumps(checked))
    assert again == checked and type(again.site.title) is Placed and again.site.links == [link]
    assert Checked.__reduce__(checked) == (Checked, tuple(getattr(checked, f.name) for f in dataclasses.fields(Checked)))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_json_report_writes_findings_as_json_dumps_would(data) -> None:
    # The report writes findings out by hand for speed, quoting each repeated string once:
    # it must be json.dumps's text, whichever strings were quoted before.
    findings = [_any_finding(data) for _ in range(data.draw(st.integers(0, 4), label="count"))]
    findings += data.draw(st.lists(st.sampled_from(findings), max_size=3), label="repeats") if findings else []
    expected = ",\n  ".join(json.dumps(f.to_dict(), ensure_ascii=False) for f in findings)
    assert findings_json(findings) == expected
    assert findings_json(findings) == expected  # again, now that every string is kept quoted


def test_the_json_report_quotes_long_and_many_strings_without_keeping_them(monkeypatch) -> None:
    monkeypatch.setattr(json_report, "MOST_QUOTED", 3)
    long_match = "word " * json_report.LONGEST_QUOTED
    findings = [Finding("a.md", n, 1, n, 2, f"rule-{n}", Severity.WARNING, f"Message {n}.", long_match)
                for n in range(1, 8)]
    expected = ",\n  ".join(json.dumps(f.to_dict(), ensure_ascii=False) for f in findings)
    assert findings_json(findings) == expected
    assert len(json_report._QUOTED) <= 3
    assert long_match not in json_report._QUOTED


# Every character str.isspace() accepts, which is what the regex \s matches.
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(["a", "é", HARD_BREAK, *_SPACES]), max_size=6),
                          st.booleans()), max_size=8),
       st.booleans(), st.booleans())
def test_normalised_text_is_the_regex_collapse_with_every_offset_in_place(pieces, keep_newlines, gaps) -> None:
    # normalised() collapses white space with str.split: it must give what the regex gave,
    # and each character must point at the raw character it stands for (a collapsed run at
    # its first character). Without gaps or references the raw text is one run; with them,
    # several. A reference (as '&amp;' for '&') gives all its characters one span.
    raw, at, behind_raw = SourceText(), 0, []
    for piece, reference in pieces:
        if reference and piece:
            raw.append(piece, at, at + 5)
            behind_raw += [(at, at + 5)] * len(piece)
            at += 5
        else:
            raw.append(piece, at)
            behind_raw += [(k, k + 1) for k in range(at, at + len(piece))]
            at += len(piece)
        at += 1 if gaps else 0
    tidy = raw.normalised(keep_newlines)
    text = raw.text
    first, last = len(text) - len(text.lstrip()), len(text.rstrip())
    collapse = (lambda run: "\n" if keep_newlines and HARD_BREAK in run.group() else " ")
    assert tidy.text == re.sub(r"\s{2,}|[^\S ]", collapse, text[first:last])
    behind = []  # the raw index behind each normalised character
    position = first
    for run in re.finditer(r"\s{2,}|[^\S ]", text[:last]):
        if run.start() >= first:
            behind += [*range(position, run.start()), run.start()]
            position = run.end()
    behind += range(position, last)
    assert [tidy.start_of(i) for i in range(len(tidy))] == [behind_raw[k][0] for k in behind]
    assert [tidy.end_of(i) for i in range(len(tidy))] == [behind_raw[k][1] for k in behind]


def test_each_rule_list_and_page_gets_its_own_rules_and_counts() -> None:
    """The engine and page_counts remember the last rule list and page they saw: another
    list, the same list grown, or another page is worked out afresh."""
    from lgcontent.packs import find_rule
    from lgcontent.readability import page_counts

    page = load("# Bins\n\nPlease utilise the form. Put the bin out by 7am.\n")
    other = load("# Tips\n\nThe tip is shut on Sunday and we will not collect bins then at all.\n")
    rules = [find_rule(RULES, "plain-english.please")]
    assert {f.rule for f in check_document(page, rules)} == {"plain-english.please"}
    rules.append(find_rule(RULES, "plain-english.words-to-avoid"))
    assert {f.rule for f in check_document(page, rules)} == {"plain-english.please", "plain-english.words-to-avoid"}
    assert {f.rule for f in check_document(page, RULES)} >= {"plain-english.please", "metadata.description-missing"}
    assert {f.rule for f in check_document(page, rules[1:])} == {"plain-english.words-to-avoid"}
    assert page_counts(page.blocks).words == 10 and page_counts(other.blocks).words == 15
    assert page_counts(page.blocks).words == 10


def test_last_seen_makes_again_for_another_list_or_a_changed_length() -> None:
    from lgcontent.last_seen import LastSeen

    made = []
    last: LastSeen[int] = LastSeen()
    first, second = [1, 2], [1, 2]
    assert last.get(first, lambda: made.append("first") or 1) == 1
    assert last.get(first, lambda: made.append("again") or 9) == 1  # the same list: kept
    assert last.get(second, lambda: made.append("second") or 2) == 2  # an equal list is another
    second.append(3)
    assert last.get(second, lambda: made.append("grown") or 3) == 3
    assert made == ["first", "second", "grown"]
