"""Words, sentences and syllables, worked out inside one block of prose.

Sentences never cross blocks: a heading, list item or table cell is its own unit,
so a long page is never read as one 150-word "sentence".

Splitting sentences (with their words and syllables) is a large share of every check,
so ``_speedups.c`` does it in C where it was built; the Python here is the reference it
must match, and runs everywhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import speedups

WORD_RE = re.compile(r"[^\W_]+(?:['’.\-&][^\W_]+)*")

# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    """
    e.g eg i.e ie etc mr mrs ms dr prof st no nos vs cf approx dept est fig
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur
    thurs fri sat sun tel ext ref inc ltd co cllr rev gov hon am pm p pp vol
    """.split()
)

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # what str.isalnum() accepts: every word starts with one


def has_letter_or_digit(text: str) -> bool:
    """Whether ``text`` is more than spaces and signs (as fast as a regex search)."""
    return _LETTER_OR_DIGIT.search(text) is not None

_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
# Stops, with closing quotes and brackets, before a space or the end; and line breaks.
# Written to start with one character class, not a repeat or a choice, so that the regex
# engine skips to the next such character in C: twice as fast as
# [.!?…]+["'”’)\]]*(?=\s|$)|\n, which finds the same (a property test holds them alike).
_SENTENCE_END_RE = re.compile(r"[\n.!?…](?:(?<=\n)|[.!?…]*[\"'”’)\]]*(?=\s|$))")


class Sentence(NamedTuple):
    """One sentence of a block, with its words and syllables counted as it is found:
    readability scores and sentence length both need them, and a block's words are
    exactly its sentences' words (no word runs over a sentence's end)."""

    start: int  # index into the block text
    end: int
    text: str
    words: int  # 0 for a "sentence" of signs only, such as "..." or "-"
    syllables: int

    @property
    def has_words(self) -> bool:
        return self.words > 0


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (cached: several rules ask about the same text)."""
    return tuple(WORD_RE.findall(text))


def _ends_sentence(text: str, begin: int, end: int) -> bool:
    """Whether the punctuation ``text[begin:end]`` really closes a sentence."""
    if text[begin] != ".":
        return True  # a line break, or a stop that is not a full stop
    space = max(text.rfind(" ", 0, begin), text.rfind("\n", 0, begin))
    token = text[space + 1:begin].lower().lstrip("(\"'‘“")
    if not token:
        return True
    if token in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial, as in "J. Smith"
    if _DOTTED.fullmatch(token):
        return False  # "e.g", "i.e", "a.m"
    rest = end
    while rest < len(text) and text[rest] == " ":
        rest += 1
    if rest < len(text) and text[rest].islower() and len(token) <= 4:
        return False  # "approx. three weeks": a short word before the stop may be shortened
    return True


def _split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split one block of text into sentences, with their positions, words and
    syllables (the reference for the compiled split_sentences)."""
    result: list[Sentence] = []
    begin = 0
    for stop in _SENTENCE_END_RE.finditer(text):
        if text[stop.start()] == "." and not _ends_sentence(text, stop.start(), stop.end()):
            continue  # only a full stop may belong to an abbreviation
        _append(result, text, begin, stop.end())
        begin = stop.end()
    _append(result, text, begin, len(text))
    return tuple(result)


def _append(result: list[Sentence], text: str, begin: int, end: int) -> None:
    chunk = text[begin:end]
    stripped = chunk.strip()
    if stripped:
        start = begin + len(chunk) - len(chunk.lstrip())
        end = start + len(stripped)
        found = WORD_RE.findall(text, start, end)
        result.append(Sentence(start, end, stripped, len(found), sum(map(syllables, found))))


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables ("period", "media", "actual").
_SPLIT_PAIRS = re.compile(r"(?:[^t]i[ao]|ua|uo|eo(?!u)|ii|iet|ience|ium|ias?$)")
_NOT_SPLIT = re.compile(r"(?:[ct]ia[ln]|[stgn]ion|[cgxl]ious|tia$)")
_SYLLABLE_EXCEPTIONS = {
    "every": 2, "everyone": 3, "everything": 3, "business": 2, "businesses": 3,
    "people": 2, "area": 3, "areas": 3, "idea": 3, "ideas": 3, "being": 2,
    "something": 2, "sometimes": 2, "someone": 2, "somewhere": 2, "council": 2,
    "councils": 2, "towards": 2, "the": 1, "you": 1, "your": 1, "where": 1,
    "there": 1, "here": 1, "were": 1, "once": 1, "whole": 1, "sure": 1, "fire": 2,
    "hour": 2, "hours": 2, "our": 2, "via": 2, "eg": 2, "ie": 2, "email": 2,
    "emails": 2, "online": 2, "website": 2, "websites": 2, "lifetime": 2,
    "evening": 3, "covid": 2, "create": 2, "created": 3, "creates": 2,
    "video": 3, "videos": 3, "science": 2, "quiet": 2, "society": 4,
    "available": 4, "unavailable": 5, "reliable": 4, "responsible": 4,
    "possible": 3, "impossible": 4, "eligible": 4, "ineligible": 5,
}


_NOT_LETTERS = re.compile(r"[^a-z]+")
_NUMBERS = re.compile(r"\d+")
_SOUNDED_LE = re.compile(r"[^aeiouy]le$")
_SOUNDED_ES = re.compile(r"(?:[sxz]|[cs]h|[cgs]|[^aeiouy]l)es$")
_SOUNDED_ED = re.compile(r"[td]ed$")
_SILENT_INNER_E = re.compile(r"[^aeiouy]e(?:ly|ment|ments|ful|ness|less)$")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Estimate the syllables in one English word, offline and quickly.

    Counts vowel groups, then applies the usual English corrections (silent
    "e", "-le", "-ed", "-es", vowel pairs said as two syllables). Numbers and
    mixed tokens count their letter groups plus one a number.
    """
    w = word.lower().strip("'’.")
    if not w:
        return 0
    if w in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w]
    if not w.isalpha():
        parts = [p for p in _NOT_LETTERS.split(w) if p]
        digits = len(_NUMBERS.findall(w))
        return max(1, sum(syllables(p) for p in parts) + digits)
    if w.endswith("s") and w[:-1] in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w[:-1]]
    if len(w) <= 3:
        return 1
    core = w[1:] if w[0] == "y" else w  # a leading y is a consonant ("yes")
    count = len(_VOWEL_GROUPS.findall(core))
    if w.endswith("e"):
        if not w.endswith(("ee", "ye")) and not _SOUNDED_LE.search(w):
            count -= 1
    elif w.endswith("es"):
        if not _SOUNDED_ES.search(w):
            count -= 1
    elif w.endswith("ed"):
        if not _SOUNDED_ED.search(w):
            count -= 1
    if w.endswith(("ly", "ment", "ments", "ful", "ness", "less")) and _SILENT_INNER_E.search(w):
        count -= 1  # "lately", "statement": the inner e is silent
    if not _NOT_SPLIT.search(w):
        count += len(_SPLIT_PAIRS.findall(w))
    return max(1, count)


def _sentence_totals(found: tuple[Sentence, ...]) -> tuple[int, int, int]:
    """Sentences that have words, and the words and syllables of all of them (the
    reference for the compiled sentence_totals)."""
    n_sentences = n_words = n_syllables = 0
    for sentence in found:
        if sentence.words:
            n_sentences += 1
            n_words += sentence.words
            n_syllables += sentence.syllables
    return n_sentences, n_words, n_syllables


_compiled = speedups.load()
if _compiled is not None:
    _compiled.configure(Sentence, syllables, _ends_sentence, _SYLLABLE_EXCEPTIONS, _ABBREVIATIONS)
#: Whether sentences are split by the compiled speed-ups.
COMPILED = _compiled is not None

#: Split one block of text into sentences, with their positions, words and syllables
#: (cached: several rules ask about the same block). In C where it was built.
sentences = lru_cache(maxsize=8192)(_compiled.split_sentences if _compiled is not None else _split_sentences)

#: Of split sentences: how many have words, and their words and syllables. In C where built.
sentence_totals = _compiled.sentence_totals if _compiled is not None else _sentence_totals
