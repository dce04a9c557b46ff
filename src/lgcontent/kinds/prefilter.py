"""Quick tests that rule out most blocks before a rule's regular expression runs.

Python's regex engine scans text slowly (tens of MB a second) when a pattern starts
with ``\\b`` or a lookbehind, and about 60 regex rules each scan every block. Yet
most blocks cannot match most rules: a date rule needs a month name, a phrase list
needs one of its first words. Finding that out with ``in``, a set lookup or a plain
literal search costs a fraction of the full search.

Every test here is conservative: it answers "cannot match" only when that is
certain, and "may match" otherwise, so findings are exactly those of the full search.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _casefix, _constants as sre, _parser  # type: ignore[attr-defined]
from typing import Callable, Iterable

from .. import regex_cache
from .base import trie_regex

# -- case folding as the regex engine sees it --------------------------------------------

# Under IGNORECASE the engine treats some letters as the same beyond simple lower case
# ('ſ' and 's', 'ı' and 'i', 'ς' and 'σ'). Map each such class to one of its members.
_CLASSES = {chr(k): min(chr(k), *map(chr, v)) for k, v in _casefix._EXTRA_CASES.items()}
_FOLD = str.maketrans(_CLASSES)
_DOTTED_I = str.maketrans({"\u0130": "i"})  # 'İ'.lower() is two characters; the engine's is 'i'
# A combining mark that folds to a letter would join two words: leave such text unfiltered.
_UNSAFE = "\u0345"

# The caches below need to hold one page's blocks while each rule passes over them;
# a few thousand entries do that without holding many pages in memory.


@lru_cache(maxsize=2048)
def folded(text: str) -> str | None:
    """``text`` in lower case, with letters the engine treats as equal made equal.

    None when the text holds a character for which no safe folding exists.
    """
    if text.isascii():
        return text.lower()
    if _UNSAFE in text:
        return None
    return text.translate(_DOTTED_I).lower().translate(_FOLD)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=2048)
def folded_words(text: str) -> frozenset[str] | None:
    """The distinct words of ``text``, folded (see :func:`folded`)."""
    view = folded(text)
    return None if view is None else frozenset(_WORD.findall(view))


@lru_cache(maxsize=2048)
def exact_words(text: str) -> frozenset[str]:
    """The distinct words of ``text`` as written."""
    return frozenset(_WORD.findall(text))


# -- phrase lists: one of the first words must be there ----------------------------------

class FirstWords:
    """Passes a block that holds one of ``words``: the first words of a phrase list.

    A phrase matcher only matches at the start of a word and never inside a longer
    one, so a match starts with a whole word of the block equal to the phrase's first.
    """

    __slots__ = ("words", "case_sensitive")

    def __init__(self, words: frozenset[str], case_sensitive: bool) -> None:
        self.words, self.case_sensitive = words, case_sensitive

    def __call__(self, text: str) -> bool:
        if self.case_sensitive:
            return not self.words.isdisjoint(exact_words(text))
        found = folded_words(text)
        return found is None or not self.words.isdisjoint(found)


def first_word_filter(phrases: Iterable[str], case_sensitive: bool) -> FirstWords | None:
    """The test for a phrase list; None when a phrase starts with a sign or a space."""
    firsts = set()
    for phrase in phrases:
        spoken = " ".join(phrase.split())
        head = _WORD.match(spoken if case_sensitive else (folded(spoken) or ""))
        if head is None or not spoken[:1].isalnum():
            return None
        firsts.add(head.group())
    return FirstWords(frozenset(firsts), case_sensitive)


# -- regular expressions: a literal every match contains ---------------------------------

_MAX_CLASS = 40  # a character class larger than this is no use as a filter
_MAX_STRINGS = 64  # nor is a set of more alternatives than this
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _class_chars(items: list) -> set[str] | None:
    """The characters of a small, plain character class ([abc], [0-9])."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] <= 26:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # negated classes, categories such as \d, wide ranges
    return chars if len(chars) <= _MAX_CLASS else None


def _exact(op, av) -> set[str] | None:
    """Every string the item can match, when that is a short list (else None)."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        return _class_chars(av)
    if op is sre.SUBPATTERN and not (av[1] or av[2]):
        return _exact_sequence(av[3].data)
    if op is sre.BRANCH:
        return _any_of(av[1], _exact_sequence)
    return None


def _any_of(alternatives: list, strings_of: Callable[[list], set[str] | None]) -> set[str] | None:
    """The strings of every alternative of a branch together (None if one has none)."""
    found: set[str] = set()
    for alternative in alternatives:
        strings = strings_of(alternative.data)
        if strings is None:
            return None
        found |= strings
    return found if len(found) <= _MAX_STRINGS else None


def _exact_sequence(items: list) -> set[str] | None:
    result = {""}
    for op, av in items:
        strings = _exact(op, av)
        if strings is None or len(result) * len(strings) > _MAX_STRINGS:
            return None
        result = {a + b for a in result for b in strings}
    return result


def _needed(op, av) -> set[str] | None:
    """Strings one of which any match of the item contains (None: no such list)."""
    exact = _exact(op, av)
    if exact is not None:
        return exact
    if op is sre.SUBPATTERN and not (av[1] or av[2]):
        return _needed_in_sequence(av[3].data)
    if op is sre.ATOMIC_GROUP:
        return _needed_in_sequence(av.data)
    if op in _REPEATS and av[0] >= 1:
        return _needed_in_sequence(av[2].data)
    if op is sre.BRANCH:
        return _any_of(av[1], _needed_in_sequence)
    return None  # lookarounds, anchors, \w, ., back-references: no constraint


def _rarer(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The better filter of two: longer shortest string, then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _needed_in_sequence(items: list) -> set[str] | None:
    """Like :func:`_needed` for a sequence: runs of exact items are joined up first."""
    best: set[str] | None = None
    run: set[str] = {""}
    for op, av in items:
        exact = _exact(op, av)
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            run = {a + b for a in run for b in exact}
            continue
        best = _rarer(best, run if run != {""} else None)
        run = {""}
        if exact is not None:
            run = exact
        else:
            best = _rarer(best, _needed(op, av))
    return _rarer(best, run if run != {""} else None)


def required_literals(source: str, ignore_case: bool) -> tuple[frozenset[str] | None, bool]:
    """Strings one of which every match of the pattern contains (None when there is no
    useful list), and whether the pattern ignores case (then the strings are folded)."""
    try:
        tree = _parser.parse(source, re.IGNORECASE if ignore_case else 0)
    except re.error:
        return None, ignore_case
    ignoring = bool(tree.state.flags & re.IGNORECASE)
    strings = _needed_in_sequence(tree.data)
    if not strings or "" in strings:
        return None, ignoring
    if ignoring:
        folded_strings = {folded(s) for s in strings}
        return (None if None in folded_strings else frozenset(filter(None, folded_strings))), True
    return frozenset(strings), False


class Literals:
    """Passes a block that holds one of ``strings`` (searched in the folded text when
    ``folding``): literals that every match of a pattern contains."""

    __slots__ = ("strings", "folding", "_search")

    def __init__(self, strings: frozenset[str], folding: bool) -> None:
        self.strings, self.folding = strings, folding
        self._search = regex_cache.compile(_alternatives(strings)).search

    def __call__(self, text: str) -> bool:
        view = folded(text) if self.folding else text
        return view is None or self._search(view) is not None


def _alternatives(strings: Iterable[str]) -> str:
    """A regex for any of ``strings`` (the longest, where several start at one place)."""
    return trie_regex(map(re.escape, string) for string in strings)


def literal_filter(source: str, ignore_case: bool) -> Literals | None:
    """The test for a pattern; None when no literal is sure to be in every match."""
    literals, ignoring = required_literals(source, ignore_case)
    return None if literals is None else Literals(literals, ignoring)


Prefilter = FirstWords | Literals


# -- all of a rule list's tests in one pass ---------------------------------------------

# Characters so common that a combined search would stop at nearly every one of them:
# a rule whose literals include one of these is tested on its own instead.
_COMMON = frozenset(" \t\n.,;:-–—()'’\"0123456789") | frozenset("abcdefghijklmnopqrstuvwxyz")


class Screen:
    """The prefilters of many rules, run as one pass over each block.

    Rule by rule, a quick test is still one Python call per block and rule, which for
    some 50 rules costs more than the tests themselves. Here the first words of every
    phrase list share one dictionary, and the literals of most patterns one regex (for
    each way of treating case), so a block costs a few calls however many rules there are.
    """

    def __init__(self, filters: list[tuple[int, Prefilter]]) -> None:
        self.words: dict[bool, dict[str, set[int]]] = {True: {}, False: {}}  # by case_sensitive
        literals: dict[bool, dict[str, set[int]]] = {True: {}, False: {}}  # by folding
        self.alone: list[tuple[int, Prefilter]] = []  # tested one by one
        self.folded_keys: set[int] = set()  # rules that must run on text that cannot be folded
        self.keys = frozenset(key for key, _ in filters)
        for key, test in filters:
            if isinstance(test, FirstWords):
                for word in test.words:
                    self.words[test.case_sensitive].setdefault(word, set()).add(key)
                if not test.case_sensitive:
                    self.folded_keys.add(key)
            elif any(len(s) == 1 and s.lower() in _COMMON for s in test.strings):
                self.alone.append((key, test))
            else:
                for string in test.strings:
                    literals[test.folding].setdefault(string, set()).add(key)
                if test.folding:
                    self.folded_keys.add(key)
        # Where several literals start at one place the longest is found, and the others
        # there are its beginnings: each literal stands for the rules of all its prefixes.
        self.literals = {
            folding: (regex_cache.compile(_alternatives(found)).search,
                      {s: set().union(*(keys for p, keys in found.items() if s.startswith(p))) for s in found})
            for folding, found in literals.items() if found
        }

    def keys_for(self, text: str) -> set[int]:
        """The rules that may match ``text``."""
        keys = {key for key, test in self.alone if test(text)}
        view = folded(text) if (self.words[False] or True in self.literals) else text
        if view is None:
            keys |= self.folded_keys
        for case_sensitive, index in self.words.items():
            if index and (case_sensitive or view is not None):
                words = exact_words(text) if case_sensitive else folded_words(text)
                for word in index.keys() & (words or ()):
                    keys |= index[word]
        for folding, (search, implied) in self.literals.items():
            searched = view if folding else text
            if searched is None:
                continue
            found = search(searched)
            while found is not None:  # from one place past each find: overlapping ones count too
                keys |= implied[found.group()]
                found = search(searched, found.start() + 1)
        return keys
