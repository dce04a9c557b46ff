"""pattern: flag text matching a regular expression."""

from __future__ import annotations

import re
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
    regex,
    text,
    text_list,
)


class Pattern(Kind):
    name = "pattern"
    options = {
        "pattern": Option(regex, required=True, help="Python regular expression to flag"),
        "ignore_case": Option(boolean, default=False),
        "suggestion": Option(text, help="what to write instead, if there is one answer"),
        "exceptions": Option(text_list, default=(), help="phrases in which a match is fine"),
    }
    placeholders = frozenset({"match", "suggestion"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        self.pattern = re.compile(values["pattern"], re.IGNORECASE if values["ignore_case"] else 0)
        self.exceptions = phrase_matcher(values["exceptions"]) if values["exceptions"] else None

    def check_block(self, block: Block) -> Iterator[Hit]:
        text_ = block.text
        excluded = None
        for found in self.pattern.finditer(text_):
            if found.end() == found.start():
                continue  # an empty match points at nothing
            if excluded is None:
                excluded = excluded_spans(self.exceptions, text_)
            if not inside(found.span(), excluded):
                yield block_hit(block, *found.span(), suggestion=self.values["suggestion"])
