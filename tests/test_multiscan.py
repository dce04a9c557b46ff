"""The Hyperscan screen (kinds/multiscan.py) never hides a finding.

It runs loosened copies of the rules' patterns (kinds/relaxed.py); a block it
passes over must be one where the rule's own search finds nothing. Checked on
generated text (the rules' own failing examples, with letters changed to ones that
case-folding treats specially), on the examples and on the corpus.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import corpus_pages, engine_findings, example_pages, needs_corpus
from lgcontent import engine
from lgcontent.document import Block, SourceText
from lgcontent.kinds import multiscan
from lgcontent.kinds.multiscan import MultiScan
from lgcontent.kinds.relaxed import LAST_CASED, relaxed, same_letter
from lgcontent.packs import builtin_rules_dir, load_catalogue

pytestmark = pytest.mark.skipif(multiscan.hyperscan is None, reason="hyperscan is not installed here")

RULES = load_catalogue([builtin_rules_dir()]).rules  # every pack, on or off
SCANNED = [r for r in RULES if r.checker.text_based and r.checker.hit_pattern is not None]


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> MultiScan:
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LGCONTENT_CACHE_DIR", str(folder))
        return MultiScan(r.checker.hit_pattern for r in SCANNED)


def test_every_built_in_pattern_is_scanned(scan):
    assert len(SCANNED) >= 40
    assert {r.checker.name for r in SCANNED} == {"pattern", "substitution", "word-list"}
    assert scan.numbers.keys() == {r.checker.hit_pattern for r in SCANNED}


# The rules' failing examples, with some letters changed: case flipped, or swapped
# for letters the regex engine folds specially, or apostrophes and dashes swapped.
_EXAMPLES = sorted({e.text for r in SCANNED for e in r.fail_examples})
_SWAPS = {"s": "ſ", "k": "\u212a", "i": "ı", "I": "İ", "'": "’", "’": "'", "-": "–", " ": "\n",
          "e": "é", "σ": "ς", "a": "A", "S": "s"}


def _changed(text: str, picks: list[tuple[int, str]]) -> str:
    chars = list(text)
    for position, how in picks:
        if not chars:
            break
        at = position % len(chars)
        if how == "case":
            chars[at] = chars[at].swapcase()
        elif how == "swap":  # every such letter, so that whole words change
            chars = [_SWAPS.get(c, c) if c == chars[at] else c for c in chars]
        else:
            chars[at] = how + chars[at]
    return "".join(chars)


texts = st.builds(_changed, st.sampled_from(_EXAMPLES),
                  st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["case", "swap", "swap", "ſ", "\u0345", "£"])),
                           max_size=6))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
@example(text="Click here to pay")
@example(text="Clic\u212a here to pay")  # the Kelvin sign is a k to str.lower()
def test_a_block_the_scan_passes_over_has_no_findings(scan, text):
    block = Block("paragraph", SourceText(text, 0))
    may = scan.numbers_for(text)
    for rule in SCANNED:
        if scan.numbers[rule.checker.hit_pattern] not in may:
            assert list(rule.checker.check_block(block)) == [], (rule.id, text)


def test_the_scan_passes_over_most_blocks_that_do_not_match(scan):
    quiet = "Put your bin out by 7am on the day we collect it. Leave the lid closed."
    assert len(scan.numbers_for(quiet)) <= 2
    assert scan.numbers_for("We will utilise the bins.")  # 'utilise' is on a list


@pytest.mark.parametrize("source, ignore_case, text", [
    (r"\bsk\b", True, "ſK"),  # long s and the Kelvin sign fold to s and k
    (r"istanbul", True, "İstanbul"),
    (r"[^k]x", True, "Ax"),  # a negated class of a letter with special cases
    (r"a{,3}b", False, "aab"),  # Python's {,3} (Hyperscan would read it as literal text)
    (r"(?<=\d)\s?%", False, "5 %"),
    (r"(\w)\1", False, "éé"),  # a back-reference, and a non-ASCII word letter
    (r"(?i:abc)D", False, "ABCD"),
    (r"\d{2}", False, "٣٤"),  # Arabic-Indic digits are \d to Python
])
def test_loosened_patterns_match_where_python_does(source, ignore_case, text):
    assert re.search(source, text, re.IGNORECASE if ignore_case else 0)
    loose = relaxed(source, ignore_case)
    assert loose is not None
    database = multiscan.hyperscan.Database()
    database.compile(expressions=[loose.encode()], flags=[multiscan._flags()])
    found = []
    database.scan(text.encode(), match_event_handler=lambda *args: found.append(args))
    assert found, (source, loose)


def test_no_letter_after_the_last_cased_one_changes_case():
    import _sre

    assert all(_sre.unicode_tolower(c) == c and chr(c).lower() == chr(c)
               for c in range(LAST_CASED + 1, sys.maxunicode + 1))


def test_same_letter_knows_the_special_cases():
    assert {ord("s"), ord("S"), 0x17F} <= same_letter(ord("s"))
    assert 0x212A in same_letter(ord("k"))
    assert same_letter(ord("1")) == {ord("1")}


def test_the_database_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(tmp_path))
    patterns = [(r"\butilise\b", True), (r"x?", False)]  # the second can match nothing
    assert MultiScan(patterns, compile=False).numbers == {}  # nothing cached yet
    first = MultiScan(patterns)
    assert first.numbers == {patterns[0]: 0}
    cached = list(tmp_path.glob("multiscan-*.db"))
    assert len(cached) == 1
    again = MultiScan(patterns, compile=False)  # from the file: the same answers
    assert again.numbers == {patterns[0]: 0} and again.numbers_for("Utilise it") == {0}
    cached[0].write_bytes(b"0\nnot a database")
    rebuilt = MultiScan(patterns)
    assert rebuilt.numbers == {patterns[0]: 0} and rebuilt.numbers_for("UTILISE") == {0}


def test_text_that_is_not_valid_unicode_is_passed_to_every_rule(scan):
    assert scan.numbers_for("utilise \ud800") == set(scan.numbers.values())


def test_the_cache_keeps_only_the_newest_databases(tmp_path, monkeypatch):
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(tmp_path))
    for n in range(multiscan.KEEP + 3):
        MultiScan([(rf"\bword{n}\b", True)])
    assert len(list(tmp_path.glob("multiscan-*.db"))) == multiscan.KEEP
    assert MultiScan([(r"\bword10\b", True)], compile=False).numbers  # the newest is there


def test_an_unwritable_cache_folder_costs_only_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(blocked / "cache"))
    assert MultiScan([(r"\butilise\b", True)]).numbers_for("utilise") == {0}


def _findings(paths):
    return engine_findings(paths, [r for r in RULES if r.checker.text_based])


def _same_without_hyperscan(paths, monkeypatch):
    monkeypatch.setattr(engine, "_may_compile", True)
    fast = _findings(paths)
    assert any(scan.numbers for scan in engine._SCANS)  # Hyperscan did the screening
    monkeypatch.setattr(multiscan, "hyperscan", None)
    engine._SCREENS.clear(), engine._SCANS.clear()
    try:
        assert _findings(paths) == fast
    finally:
        engine._SCREENS.clear(), engine._SCANS.clear()
    return fast


def test_examples_give_the_same_findings_without_hyperscan(monkeypatch):
    assert len(_same_without_hyperscan(example_pages(), monkeypatch)) > 10


@needs_corpus()
def test_corpus_gives_the_same_findings_without_hyperscan(monkeypatch):
    assert len(_same_without_hyperscan(corpus_pages()[1::3], monkeypatch)) > 1000


def test_a_long_running_process_compiles_once_a_run_is_big_enough(tmp_path, monkeypatch):
    # A run of a few pages screens without a database (compiling one would cost more);
    # a later, bigger run in the same process must not be left with that one.
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(tmp_path))
    engine._SCREENS.clear(), engine._SCANS.clear()
    rules = [r for r in RULES if r.checker.text_based]
    try:
        engine.prepare(rules, 1)
        assert not engine._screens(rules).scan.numbers
        engine.prepare(rules, engine.PAGES_WORTH_COMPILING)
        assert engine._screens(rules).scan.numbers
        assert list(tmp_path.glob("multiscan-*.db"))
    finally:
        engine._SCREENS.clear(), engine._SCANS.clear()
