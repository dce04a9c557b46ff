"""substitution: flag words or phrases that have a better replacement."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from .base import (
    Hit,
    Kind,
    Option,
    block_hit,
    excluded_spans,
    inside,
    match_case,
    phrase_key,
    phrase_matcher,
    text_list,
    text_map,
)


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
        self.exceptions = phrase_matcher(values["exceptions"]) if values["exceptions"] else None

    def check_block(self, block: Block) -> Iterator[Hit]:
        text = block.text
        excluded = None
        for found in self.pattern.finditer(text):
            if excluded is None:
                excluded = excluded_spans(self.exceptions, text)
            if inside(found.span(), excluded):
                continue
            replacement = self.swap.get(phrase_key(found.group()))
            if replacement is None:
                continue
            yield block_hit(block, *found.span(), suggestion=match_case(replacement, found.group()))
