"""What every rule kind shares: option checking, hits, and phrase matching.

A kind is Python; a rule is YAML that picks a kind and gives it options. Each
kind declares its options (type, default, whether required) and the names it
offers to the rule's message, so a rule file is fully checked when it loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Callable, ClassVar, Iterable, Iterator

from .. import regex_cache
from ..document import Block, Document
from ..spans import SpanSet
from ..timelimit import TimeLimitExceeded, time_limit


class OptionError(Exception):
    """A bad option value; ``key`` names the option at fault."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class Option:
    """One option a kind accepts: how to check it, and its default."""

    check: Callable[[str, Any], Any]
    required: bool = False
    default: Any = None
    help: str = ""


@dataclass(slots=True)
class Hit:
    """A place a rule fires, as source offsets, with values for its message."""

    start: int
    end: int
    params: dict[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    has_match: bool = True  # False when the position is only an anchor (a missing title)


class Kind:
    """Base class: subclasses set ``name``, ``options`` and ``placeholders``."""

    name: ClassVar[str]
    #: True: runs over each prose block in the rule's scope; False: whole page.
    text_based: ClassVar[bool] = True
    #: True: runs once over every page of a folder or crawl (see kinds/site.py).
    site_based: ClassVar[bool] = False
    options: ClassVar[dict[str, Option]] = {}
    placeholders: ClassVar[frozenset[str]] = frozenset()
    #: For text kinds: a quick test of a block's text that is False only when
    #: ``check_block`` would certainly find nothing (see kinds/prefilter.py).
    prefilter: Callable[[str], bool] | None = None
    #: For text kinds: a regex (source, and whether it ignores case) that every hit of
    #: ``check_block`` is a match of, so that one pass of all rules' patterns over a
    #: block can rule it out (see kinds/multiscan.py).
    hit_pattern: tuple[str, bool] | None = None

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def check_block(self, block: Block) -> Iterator[Hit]:
        raise NotImplementedError

    def check_document(self, doc: Document) -> Iterator[Hit]:
        raise NotImplementedError

    @classmethod
    def build(cls, raw: dict[str, Any]) -> "Kind":
        """Check ``raw`` options against the declared ones and make the kind."""
        unknown = sorted(set(raw) - set(cls.options))
        if unknown:
            allowed = ", ".join(sorted(cls.options)) or "none"
            raise OptionError(str(unknown[0]), f"unknown option '{unknown[0]}' for kind"
                              f" {cls.name} (it takes: {allowed})")
        values: dict[str, Any] = {}
        for key, spec in cls.options.items():
            if key in raw:
                values[key] = spec.check(key, raw[key])
            elif spec.required:
                raise OptionError(key, f"kind {cls.name} needs the option '{key}'")
            else:
                values[key] = spec.default
        return cls(values)


# -- option checkers ----------------------------------------------------------------

def positive_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(key, f"'{key}' must be a whole number of 1 or more, not {value!r}")
    return value


def number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise OptionError(key, f"'{key}' must be a number, not {value!r}")
    return float(value)


def boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise OptionError(key, f"'{key}' must be true or false, not {value!r}")
    return value


def text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OptionError(key, f"'{key}' must be some text, not {value!r}")
    return value


def text_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise OptionError(key, f"'{key}' must be a list of words or phrases")
    return tuple(value)


def text_map(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value or not all(
        isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
        for k, v in value.items()
    ):
        raise OptionError(key, f"'{key}' must map each word or phrase to its replacement")
    return dict(value)


# Text that makes a badly written pattern backtrack for ever, such as (a+)+$ or (\w+\s?)*$.
_PROBES = ("a" * 28 + "!", "aA1 " * 9 + "!", " " * 28 + "x", "1" * 28 + "x", "-" * 28 + "x",
           "a." * 14 + "!", "ab" * 14 + "!")
PROBE_SECONDS = 0.5


def has_capitals(source: str) -> bool:
    """Whether a regex has capital letters outside escapes (\\S and \\W do not count):
    without any, ignoring case changes nothing for text already in lower case."""
    return re.search("[A-Z]", re.sub(r"\\.", "", source)) is not None


def regex(key: str, value: Any) -> str:
    """A valid regular expression that does not backtrack without end (as compiled without
    flags: a kind that adds IGNORECASE compiles it with :func:`compile_checked`)."""
    if not isinstance(value, str) or not value:
        raise OptionError(key, f"'{key}' must be a regular expression")
    compile_checked(key, value)  # re caches compiled patterns, so the kind's compile is free
    return value


def compile_checked(key: str, source: str, flags: int = 0) -> re.Pattern[str]:
    """``source`` compiled with ``flags``, and tried on text that makes a badly written
    pattern backtrack for ever. With IGNORECASE it is tried again only when that can change
    what it matches (it has capitals: '(a|A)+$' backtracks only when case is ignored), so a
    rule that does not ignore case never pays for compiling it that way."""
    try:
        pattern = regex_cache.compile(source, flags)
    except re.error as exc:
        raise OptionError(key, f"'{key}' is not a valid regular expression: {exc}") from None
    if flags & re.IGNORECASE and not has_capitals(source):
        return pattern  # tried already without flags, which matches the same way
    if regex_cache.was_tried(source, flags):
        return pattern  # in an earlier run: the same pattern does the same on the same text
    try:
        with time_limit(PROBE_SECONDS):
            for probe in _PROBES:
                pattern.search(probe)
    except TimeLimitExceeded:
        raise OptionError(key, f"'{key}' takes too long on some text: it can backtrack without end"
                          " (as '(a+)+' does). Simplify the nested repeats") from None
    regex_cache.tried(source, flags)
    return pattern


def one_of(*choices: str) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        if value not in choices:
            raise OptionError(key, f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    return check


def require_one(values: dict[str, Any], keys: tuple[str, ...], kind: str) -> None:
    """Exactly one of ``keys`` must be set."""
    given = [k for k in keys if values.get(k) not in (None, False)]
    if len(given) != 1:
        raise OptionError(keys[0], f"kind {kind} needs exactly one of: {', '.join(keys)}")


# -- phrase matching ------------------------------------------------------------------

def _atoms(phrase: str, case_sensitive: bool) -> list[str]:
    """A phrase as regex pieces: any white space between words, either apostrophe."""
    text = " ".join(phrase.split())
    if not case_sensitive:
        text = text.lower()
    return [r"\s+" if ch == " " else "['’]" if ch in "'’" else re.escape(ch) for ch in text]


def trie_regex(sequences: Iterable[Iterable[str]], after_first: str = "") -> str:
    """A regex for any of ``sequences`` of regex pieces, merged into a trie: where
    several start alike the longest is found, in time that does not grow with the list.
    ``after_first`` is written straight after each first piece."""
    trie: dict = {}
    for pieces in sequences:
        node = trie
        for piece in pieces:
            node = node.setdefault(piece, {})
        node[""] = {}
    return _trie_regex(trie, after_first)


def _trie_regex(node: dict, after_piece: str = "") -> str:
    """A regex for a trie of pieces: shared beginnings are written once ('foo(?:bar)?')."""
    ends = "" in node
    branches = [piece + after_piece + _trie_regex(child) for piece, child in sorted(node.items()) if piece != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(branches[0]) > 1 else f"{body}?"
    return body


class TextMatch:
    """A match in the original text (phrase matchers search a lower-cased copy)."""

    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text_: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text_, start, end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start:self._end]


@lru_cache(maxsize=4096)
def _lowered(text_: str) -> str | None:
    """The text in lower case, if that keeps every character in its place."""
    lower = text_.lower()
    return lower if len(lower) == len(text_) else None


class LowerCasePattern:
    """A case-insensitive search done as a case-sensitive one on a lower-cased copy of the
    text, which Python's regex engine runs several times faster than IGNORECASE."""

    def __init__(self, source: str) -> None:
        self.source = source  # written in lower case, compiled without IGNORECASE

    @cached_property
    def lower(self) -> re.Pattern[str]:
        """Compiled on first use: with Hyperscan, a run may never need it."""
        return regex_cache.compile(self.source)

    @cached_property
    def folding(self) -> re.Pattern[str]:
        """The same with IGNORECASE, for text whose lower case is longer: compiled only
        when such text turns up, as compiling it costs more than the rest of start-up."""
        return regex_cache.compile(self.source, re.IGNORECASE)

    def finditer(self, text_: str) -> Iterator[re.Match[str] | TextMatch]:
        lower = _lowered(text_)
        if lower is None:  # rare letters such as 'İ' change length: search the slow way
            return self.folding.finditer(text_)
        return (TextMatch(text_, *m.span()) for m in self.lower.finditer(lower))


class PhraseMatcher:
    """Finds whole words and phrases, case-insensitively unless asked otherwise."""

    def __init__(self, start: str, case_sensitive: bool) -> None:
        """``start``: a regex for how the phrases start, with the test that no letter,
        digit, hyphen or apostrophe comes before them; the test of how they end is added."""
        self.source = rf"{start}(?![\w’]|-\w|'\w)"
        self.case_sensitive = case_sensitive

    @cached_property
    def _search(self) -> re.Pattern[str] | LowerCasePattern:
        """Compiled on first use: a long word list costs more to compile than to build,
        and with Hyperscan most pages never need it (nor, on one page, most rules)."""
        return regex_cache.compile(self.source) if self.case_sensitive else LowerCasePattern(self.source)

    def finditer(self, text_: str) -> Iterator[re.Match[str] | TextMatch]:
        return self._search.finditer(text_)


def phrase_matcher(phrases: tuple[str, ...] | list[str], case_sensitive: bool = False) -> PhraseMatcher:
    """One matcher for any of ``phrases`` as whole words, the longest where several fit.

    The phrases are merged into a trie, so a list of thousands of words becomes one
    regex whose matching time does not grow with the length of the list.
    """
    atoms = [_atoms(phrase, case_sensitive) for phrase in phrases]
    if len({pieces[0] for pieces in atoms}) <= FEW_FIRST_CHARACTERS:
        # Each branch starts with its first character, so the regex engine skips in C to
        # the next place one of them is; the test of what comes before is made just after.
        return PhraseMatcher(trie_regex(atoms, after_first=r"(?<![\w\-’'].)"), case_sensitive)
    body = trie_regex(atoms)
    # (Before a letter or digit, \b is a quicker way of saying "not after a letter or digit".)
    left = r"\b(?<![\-’'])" if all(p.strip()[:1].isalnum() for p in phrases) else r"(?<![\w\-’'])"
    return PhraseMatcher(f"{left}(?:{body})", case_sensitive)


#: Phrase lists that start with at most this many characters are searched by their first
#: character (5 to 15 times faster for one or two; a little slower for many).
FEW_FIRST_CHARACTERS = 9


def phrase_key(found: str) -> str:
    """Normalise matched text for looking it up: lower case, single spaces, plain apostrophe."""
    return " ".join(found.lower().replace("’", "'").split())


# Text in quotation marks is someone else's words, or a term being talked about.
# Every branch starts with its quotation mark (the last one's "not after a letter" test
# comes after it), so the regex engine can skip ahead to the next mark.
QUOTED = re.compile(r"“[^”]{1,300}”|\"[^\"]{1,300}\"|‘[^’]{1,300}’|'(?<!\w')[^'\n]{1,100}'(?!\w)")


def matches_outside(pattern: re.Pattern[str] | PhraseMatcher, exceptions: PhraseMatcher | None,
                    text_: str) -> Iterator[re.Match[str] | TextMatch]:
    """Non-empty matches of ``pattern`` outside quotation marks and ``exceptions``."""
    excluded: SpanSet | None = None
    for found in pattern.finditer(text_):
        if found.end() == found.start():
            continue  # an empty match points at nothing
        if excluded is None:
            spans = [m.span() for m in QUOTED.finditer(text_)]
            if exceptions is not None:
                spans += [m.span() for m in exceptions.finditer(text_)]
            excluded = SpanSet(spans)
        if excluded.covers(found.start(), found.end()):
            continue
        yield found


def exceptions_matcher(values: dict[str, Any]) -> PhraseMatcher | None:
    """The matcher for a rule's ``exceptions`` option, if it has any."""
    return phrase_matcher(values["exceptions"]) if values.get("exceptions") else None


def match_case(suggestion: str, found: str) -> str:
    """Capitalise the suggestion when the matched text starts with a capital."""
    if found[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def block_hit(block: Block, begin: int, end: int, **params: Any) -> Hit:
    """A Hit for ``block.text[begin:end]``."""
    start, stop = block.content.span(begin, end)
    params.setdefault("match", block.text[begin:end])
    return Hit(start, stop, params, params.get("suggestion"))
