"""substitution: flag words or phrases that have a better replacement."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from .base import (
    Hit,
    Kind,
    Option,
    block_hit,
    exceptions_matcher,
    match_case,
    matches_outside,
    phrase_key,
    phrase_matcher,
    text_list,
    text_map,
)
from .prefilter import first_word_filter


class Substitution(Kind):
    name = "substitution"
    options = {
        "swap": Option(text_map, required=True, help="word or phrase -> what to write instead"),
        "exceptions": Option(text_list, default=(), help="phrases in which a word is fine"),
    }
    placeholders = frozenset({"match", "suggestion"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        self.swap = {phrase_key(k): v for k, v in values["swap"].items()}
        self.pattern = phrase_matcher(list(values["swap"]))
        self.exceptions = exceptions_matcher(values)
        self.prefilter = first_word_filter(values["swap"], case_sensitive=False)
        self.hit_pattern = (self.pattern.source, True)

    def check_block(self, block: Block) -> Iterator[Hit]:
        for found in matches_outside(self.pattern, self.exceptions, block.text):
            replacement = self.swap.get(phrase_key(found.group()))
            if replacement is not None:
                yield block_hit(block, *found.span(), suggestion=match_case(replacement, found.group()))
