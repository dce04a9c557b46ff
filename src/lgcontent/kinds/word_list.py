"""word-list: flag listed words or phrases (whole words, any case)."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from .base import Hit, Kind, Option, block_hit, boolean, exceptions_matcher, matches_outside, phrase_matcher, text_list
from .prefilter import first_word_filter


class WordList(Kind):
    name = "word-list"
    options = {
        "words": Option(text_list, required=True, help="words or phrases to flag"),
        "exceptions": Option(text_list, default=(), help="phrases in which a listed word is fine"),
        "case_sensitive": Option(boolean, default=False),
    }
    placeholders = frozenset({"match"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        self.pattern = phrase_matcher(values["words"], values["case_sensitive"])
        self.exceptions = exceptions_matcher(values)
        self.prefilter = first_word_filter(values["words"], values["case_sensitive"])
        self.hit_pattern = (self.pattern.source, not values["case_sensitive"])

    def check_block(self, block: Block) -> Iterator[Hit]:
        for found in matches_outside(self.pattern, self.exceptions, block.text):
            yield block_hit(block, *found.span())
