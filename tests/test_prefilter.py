"""The quick block tests of kinds/prefilter.py never hide a finding.

A prefilter may only say "cannot match" when the rule's full search would find
nothing. These tests check that for every built-in rule that has one, on generated
text full of the letters that case-folding treats specially, and on whole pages.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_pages, engine_findings, example_pages, needs_corpus
from lgcontent import engine
from lgcontent.kinds.base import Kind
from lgcontent.kinds.prefilter import Screen, first_word_filter, literal_filter, required_literals
from lgcontent.packs import builtin_rules_dir, load_catalogue
from lgcontent.document import Block, SourceText


RULES = load_catalogue([builtin_rules_dir()]).rules  # every pack, on or off
FILTERED = [r for r in RULES if r.checker.text_based and r.checker.prefilter is not None]

# Words the rules look for, mixed with letters that fold in unusual ways.
_PIECES = [
    "the", "Council", "council", "will", "be", "must", "not", "per cent", "%", "£", "5", "12", "2024",
    "2023/24", "January", "march", "am", "pm", ":", ".", ",", "-", "–", "!", "?", "&", "(", ")",
    "(s)", "[1]", "e.g.", "I.E.", "FAQ", "click", "here", "please", "utilise", "red", "button",
    "residents", "should", "ſ", "ı", "İ", "K", "ς", "σ", "Σ", "\u0345", "ß", "’", "'", "\u2028",
    "Form", "A1", "Tel", "07700", "12,000", "10000", "1st", "of", "behaviour", "color",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=12).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "", "\n", "  "]), min_size=len(words), max_size=len(words))
    .map(lambda gaps: "".join(w + g for w, g in zip(words, gaps))))


def _block(text: str) -> Block:
    return Block("paragraph", SourceText(text, 0))


def test_most_phrase_and_pattern_rules_have_a_prefilter():
    names = {r.checker.name for r in FILTERED}
    assert {"pattern", "substitution", "word-list"} <= names
    patterns = [r for r in RULES if r.checker.name == "pattern" and "heading" not in r.id]
    assert sum(r.checker.prefilter is not None for r in patterns) >= 0.8 * len(patterns)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_a_rejected_block_has_no_findings(text):
    block = _block(text)
    for rule in FILTERED:
        if not rule.checker.prefilter(text):
            assert list(rule.checker.check_block(block)) == [], (rule.id, text)


SCREEN = Screen([(n, r.checker.prefilter) for n, r in enumerate(FILTERED)])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_the_combined_screen_passes_what_each_test_passes(text):
    # One pass for all rules must agree with the rules' own tests, block by block.
    assert SCREEN.keys_for(text) == {n for n, r in enumerate(FILTERED) if r.checker.prefilter(text)}


@pytest.mark.parametrize("source, ignore_case, expected", [
    (r"\b(?:will|must)\s+be\b", False, {"will", "must"}),
    (r"£\d+", False, {"£"}),
    (r"(?<=\d)\s?%|\bper cent\b", False, {"%", "per cent"}),
    (r"\bFAQs?\b", True, {"faq"}),
    (r"(?:[Ee]\.[Gg]\.)", False, {"E.G.", "E.g.", "e.G.", "e.g."}),
    (r"\w+ing\b", False, {"ing"}),
    (r"\b\w+\b", False, None),  # nothing literal: no filter
    (r"colou?r", False, {"colo"}),
    (r"x?", False, None),  # can match nothing at all
])
def test_required_literals(source, ignore_case, expected):
    found, _ = required_literals(source, ignore_case)
    assert (set(found) if found is not None else None) == expected


def test_ignore_case_filters_fold_letters_as_the_regex_engine_does():
    # Under IGNORECASE, 'ſ' (long s) matches 's' and 'K' (Kelvin) matches 'k'.
    may = literal_filter("sk", ignore_case=True)
    assert re.search("sk", "ſK", re.IGNORECASE)
    assert may("ſK")
    assert not may("no match here")
    # 'İ' is one character to the regex engine, whose lower case is 'i'.
    may = literal_filter("istanbul", ignore_case=True)
    assert re.search("istanbul", "İstanbul", re.IGNORECASE)
    assert may("İstanbul")


def test_first_word_filter():
    may = first_word_filter(["in order to", "utilise"], case_sensitive=False)
    assert may("You can Utilise this")
    assert may("IN ORDER TO apply")
    assert not may("Apply online today")
    assert not may("Be utilised")  # 'utilised' is another word: the phrase cannot match
    assert first_word_filter(["£5 fee"], case_sensitive=False) is None
    exact = first_word_filter(["Council"], case_sensitive=True)
    assert exact("The Council said") and not exact("the council said")


def _findings(paths):
    return engine_findings(paths, [r for r in RULES if r.checker.text_based])


def _same_without_prefilters(paths, monkeypatch):
    with_filters = _findings(paths)
    for rule in FILTERED:  # the quick tests, and the Hyperscan screen (kinds/multiscan.py)
        monkeypatch.setattr(rule.checker, "prefilter", None)
        monkeypatch.setattr(rule.checker, "hit_pattern", None)
    assert all(r.checker.prefilter is None for r in FILTERED)
    engine._SCREENS.clear()  # the engine keeps each rule list's tests: make them again
    try:
        assert _findings(paths) == with_filters
    finally:
        engine._SCREENS.clear()
    return with_filters


def test_examples_give_the_same_findings_without_prefilters(monkeypatch):
    assert len(_same_without_prefilters(example_pages(), monkeypatch)) > 10


@needs_corpus()
def test_corpus_gives_the_same_findings_without_prefilters(monkeypatch):
    assert len(_same_without_prefilters(corpus_pages()[::3], monkeypatch)) > 1000


def test_kind_has_no_prefilter_by_default():
    assert Kind.prefilter is None
