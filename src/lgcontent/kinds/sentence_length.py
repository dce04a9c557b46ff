"""sentence-length: flag sentences with more words than the limit."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from ..text import WORD_RE, sentences
from .base import Hit, Kind, Option, block_hit, positive_int


class SentenceLength(Kind):
    name = "sentence-length"
    options = {"max_words": Option(positive_int, default=25, help="most words a sentence may have")}
    placeholders = frozenset({"match", "words", "max_words"})

    def check_block(self, block: Block) -> Iterator[Hit]:
        limit = self.values["max_words"]
        text = block.text
        if len(text) < limit * 2:
            return  # too short to hold a long sentence
        for sentence in sentences(text):
            if len(sentence.text) <= 2 * limit:
                continue  # more words than the limit need a space after each of them
            count = len(WORD_RE.findall(text, sentence.start, sentence.end))
            if count > limit:
                yield block_hit(block, sentence.start, sentence.end, words=count, max_words=limit)
