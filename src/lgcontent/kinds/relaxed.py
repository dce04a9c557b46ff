"""A Python regular expression rewritten as a looser one that Hyperscan can run.

The looser pattern matches wherever the original can (and sometimes where it
cannot): lookarounds, word boundaries and anchors are dropped, a back-reference
becomes "anything", every character class keeps all its members and gains every
character it might hold (any non-ASCII character for ``\\w``, ``\\d`` or ``\\s``),
and under IGNORECASE each letter stands for every character Python's engine
treats as the same letter. So a block the looser pattern misses cannot match the
original: that is all a quick screen needs (see :mod:`lgcontent.kinds.multiscan`).

The pattern is rebuilt from Python's own parse of it, so Python's syntax (such
as ``{,3}``) never reaches Hyperscan, whose syntax differs in places.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _casefix, _constants as sre, _parser  # type: ignore[attr-defined]

import _sre  # type: ignore[import-not-found]

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
#: Bounded repeats above this are written as unbounded: Hyperscan pays for large bounds.
_MAX_BOUND = 64
#: A class range wider than this is not spelled out character by character.
_MAX_RANGE = 512
_ANYTHING = r"[\x{0}-\x{10FFFF}]"
#: No code point after this one has a lower case of its own (Adlam, U+1E900, has the
#: last cased letters); a test checks it against this Python's Unicode tables.
LAST_CASED = 0x1EFFF


class Unsupported(Exception):
    """The pattern holds something this module cannot loosen safely."""


@lru_cache(maxsize=1)
def _lower_to_others() -> dict[int, frozenset[int]]:
    """For each lower-case code point, the other code points that lower-case to it
    (as the regex engine lower-cases one character, and as str.lower does)."""
    found: dict[int, set[int]] = {}
    for code in range(LAST_CASED + 1):
        for lower in {_sre.unicode_tolower(code), *map(ord, chr(code).lower()[:1])}:
            if lower != code:
                found.setdefault(lower, set()).add(code)
    return {k: frozenset(v) for k, v in found.items()}


def same_letter(code: int) -> set[int]:
    """Every code point that IGNORECASE (or searching lower-cased text) lets stand
    for ``code``: its upper and lower case, and the special cases such as 'ſ' for 's'."""
    lowers = {code, _sre.unicode_tolower(code), *map(ord, chr(code).lower()[:1])}
    result = set(lowers)
    for lower in lowers:
        result |= _lower_to_others().get(lower, frozenset())
        result |= set(_casefix._EXTRA_CASES.get(lower, ()))
    for member in list(result):
        result |= set(_casefix._EXTRA_CASES.get(member, ()))
    return result


@lru_cache(maxsize=16)
def _category_ascii(category) -> frozenset[int]:
    """The ASCII members of a category (\\w, \\d, \\s...) as Python matches them in text."""
    pattern = re.compile("[" + _CATEGORY_SOURCE[category] + "]")
    return frozenset(c for c in range(128) if pattern.match(chr(c)))


_CATEGORY_SOURCE = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}


def _code(code: int) -> str:
    return f"\\x{{{code:x}}}"


def _class_of(codes: set[int], non_ascii: bool) -> str:
    """A Hyperscan class of ``codes`` (and every non-ASCII character if ``non_ascii``)."""
    if non_ascii:
        codes = {c for c in codes if c < 128}
    parts = [_code(c) for c in sorted(codes)]
    if non_ascii:
        parts.append(r"\x{80}-\x{10FFFF}")
    if not parts:
        raise Unsupported("an empty class")
    return "[" + "".join(parts) + "]"


def _set(items: list, ignoring: bool) -> str:
    """A character class (IN), loosened."""
    negated = bool(items) and items[0][0] is sre.NEGATE
    sure: set[int] = set()  # members for certain
    wide = False  # holds non-ASCII characters not listed in ``sure``
    for op, av in items[1:] if negated else items:
        if op is sre.LITERAL:
            sure.add(av)
        elif op is sre.RANGE:
            low, high = av
            if high - low > _MAX_RANGE:
                sure.update(range(low, min(high, 127) + 1))
                wide = True
            else:
                sure.update(range(low, high + 1))
        elif op is sre.CATEGORY:
            if av not in _CATEGORY_SOURCE:
                raise Unsupported(f"category {av}")
            sure |= _category_ascii(av)
            wide = True
        else:
            raise Unsupported(f"class item {op}")
    if negated:
        # Anything but the members: leave out only members that are sure and, under
        # IGNORECASE, have no other case (a letter's other case may still match).
        excluded = {c for c in sure if not ignoring or same_letter(c) == {c}}
        return "[^" + "".join(_code(c) for c in sorted(excluded)) + "]" if excluded else _ANYTHING
    if ignoring:  # Hyperscan is caseless here: only the special partners need adding
        sure = set().union(*(({c} if _plain_case(c) else same_letter(c)) for c in sure)) if sure else sure
    return _class_of(sure, wide)


def _plain_case(code: int) -> bool:
    """Whether Hyperscan's own caseless mode covers every other case of ``code``."""
    char = chr(code)
    return char.isascii() and same_letter(code) == {code, ord(char.lower()), ord(char.upper())}


def _item(op, av, ignoring: bool) -> str:
    if op is sre.LITERAL:
        if not ignoring or _plain_case(av):  # in ignoring parts Hyperscan is caseless too
            return _code(av)
        return _class_of(same_letter(av), False)
    if op is sre.NOT_LITERAL:
        return _ANYTHING if ignoring and same_letter(av) != {av} else "[^" + _code(av) + "]"
    if op is sre.ANY:
        return _ANYTHING
    if op is sre.IN:
        return _set(av, ignoring)
    if op is sre.CATEGORY:
        return _set([(op, av)], ignoring)
    if op is sre.BRANCH:
        return "(?:" + "|".join(_sequence(branch.data, ignoring) for branch in av[1]) + ")"
    if op is sre.SUBPATTERN:
        _number, add, remove, pattern = av
        inner = (ignoring or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
        return _group(_sequence(pattern.data, inner), inner, ignoring)
    if op is sre.ATOMIC_GROUP:
        return "(?:" + _sequence(av.data, ignoring) + ")"
    if op in _REPEATS:
        low, high, pattern = av
        body = "(?:" + _sequence(pattern.data, ignoring) + ")"
        low = min(low, _MAX_BOUND)
        if high is sre.MAXREPEAT or high > _MAX_BOUND:
            return f"{body}{{{low},}}"
        return f"{body}{{{low},{high}}}"
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return ""  # zero-width: dropping it only lets more through
    if op is sre.GROUPREF:
        return _ANYTHING + "*"
    if op is sre.GROUPREF_EXISTS:
        _number, yes, no = av
        return "(?:" + _sequence(yes.data, ignoring) + "|" + (_sequence(no.data, ignoring) if no else "") + ")"
    raise Unsupported(f"regex item {op}")


def _group(body: str, inner: bool, outer: bool) -> str:
    """A group, switching Hyperscan's caseless mode on or off when it changes."""
    if inner == outer:
        return "(?:" + body + ")"
    return ("(?i:" if inner else "(?-i:") + body + ")"


def _sequence(items: list, ignoring: bool) -> str:
    return "".join(_item(op, av, ignoring) for op, av in items)


def relaxed(source: str, ignore_case: bool) -> str | None:
    """The looser pattern for Hyperscan, or None when it cannot be made safely."""
    try:
        tree = _parser.parse(source, re.IGNORECASE if ignore_case else 0)
        ignoring = bool(tree.state.flags & re.IGNORECASE)
        return _group(_sequence(tree.data, ignoring), ignoring, False)
    except (Unsupported, re.error, RecursionError):
        return None
