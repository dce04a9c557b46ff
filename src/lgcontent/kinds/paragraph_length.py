"""paragraph-length: flag blocks with more sentences than the limit."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from ..text import sentences
from .base import Hit, Kind, Option, block_hit, positive_int


class ParagraphLength(Kind):
    name = "paragraph-length"
    options = {
        "max_sentences": Option(positive_int, default=5, help="most sentences a paragraph may have")
    }
    placeholders = frozenset({"match", "sentences", "max_sentences"})

    def check_block(self, block: Block) -> Iterator[Hit]:
        limit = self.values["max_sentences"]
        found = [s for s in sentences(block.text) if s.has_words]
        if len(found) > limit:
            first = found[0]  # the finding points at the paragraph's first sentence
            yield block_hit(block, first.start, first.end, sentences=len(found), max_sentences=limit)
