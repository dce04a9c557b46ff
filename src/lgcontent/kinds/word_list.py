"""word-list: flag listed words or phrases (whole words, any case)."""

from __future__ import annotations

from typing import Iterator

from ..document import Block
from .base import (
    Hit,
    Kind,
    Option,
    block_hit,
    boolean,
    excluded_spans,
    inside,
    phrase_matcher,
    text_list,
)


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
        self.exceptions = phrase_matcher(values["exceptions"]) if values["exceptions"] else None

    def check_block(self, block: Block) -> Iterator[Hit]:
        text = block.text
        excluded = None
        for found in self.pattern.finditer(text):
            if excluded is None:
                excluded = excluded_spans(self.exceptions, text)
            if not inside(found.span(), excluded):
                yield block_hit(block, *found.span())
