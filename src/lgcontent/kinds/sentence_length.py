"""sentence-length: flag sentences with more words than the limit."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from ..text import sentences
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
            if sentence.words > limit:
                yield block_hit(block, sentence.start, sentence.end, words=sentence.words, max_words=limit)
