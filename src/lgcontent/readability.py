"""Readability scores, computed offline from our own sentence and word split.

Why not textstat: its English syllable counter loads NLTK's CMU dictionary and
downloads it on first use, which breaks the promise that lgcontent never touches
the network unless given a URL, and its import costs about 0.3 s on every run.
The formulas are short and public, so they live here, fed by
:func:`lgcontent.text.syllables` (a cached, offline estimate).

Formulas (Flesch 1948; Kincaid et al. 1975):

* Flesch-Kincaid grade = 0.39 x words/sentences + 11.8 x syllables/words - 15.59
* Flesch reading ease = 206.835 - 1.015 x words/sentences - 84.6 x syllables/words
* UK reading age = US grade + 5 (a US grade 4 reader is about 9 years old).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, NamedTuple

from .document import Block
from .last_seen import LastSeen
from .text import sentence_totals, sentences


class TextCounts(NamedTuple):
    """A tuple, not a dataclass: one is made for every block, and tuples are made fastest."""

    sentences: int
    words: int
    syllables: int


EMPTY = TextCounts(0, 0, 0)


@lru_cache(maxsize=8192)
def count(text: str) -> TextCounts:
    """Sentences, words and syllables of one block of text."""
    n_sentences, n_words, n_syllables = sentence_totals(sentences(text))
    return TextCounts(n_sentences, n_words, n_syllables) if n_words else EMPTY


def page_counts(blocks: Iterable[Block]) -> TextCounts:
    """Counts for a whole page's prose: every block except headings (worked out once for
    a page's list of blocks: the page-wide readability rules and the report each ask)."""
    if isinstance(blocks, list):
        return _PAGE.get(blocks, lambda: _page_counts(blocks))
    return _page_counts(blocks)


def _page_counts(blocks: Iterable[Block]) -> TextCounts:
    found = [count(block.text) for block in blocks if block.kind != "heading"]
    return TextCounts(*map(sum, zip(*found))) if found else EMPTY


_PAGE: LastSeen[TextCounts] = LastSeen()


def flesch_kincaid_grade(c: TextCounts) -> float:
    if not c.words:
        return 0.0
    return 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59


def flesch_reading_ease(c: TextCounts) -> float:
    if not c.words:
        return 100.0
    return 206.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words


def reading_age(c: TextCounts) -> float:
    """UK reading age in years: the Flesch-Kincaid US grade plus 5."""
    return max(5.0, flesch_kincaid_grade(c) + 5.0)


def words_per_sentence(c: TextCounts) -> float:
    return c.words / c.sentences if c.sentences else 0.0


#: Metrics a readability rule can name, and whether a higher value is harder.
METRICS = {
    "reading-age": (reading_age, True),
    "flesch-kincaid-grade": (flesch_kincaid_grade, True),
    "flesch-reading-ease": (flesch_reading_ease, False),
    "words-per-sentence": (words_per_sentence, True),
}
