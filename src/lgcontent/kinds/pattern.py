"""pattern: flag text matching a regular expression."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Iterator

from ..document import Block
from .base import (
    Hit,
    Kind,
    LowerCasePattern,
    Option,
    block_hit,
    boolean,
    compile_checked,
    exceptions_matcher,
    has_capitals,
    matches_outside,
    regex,
    text,
    text_list,
)
from .prefilter import Literals, literal_filter


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
        source = values["pattern"]
        # An all-lower-case pattern can search a lower-cased copy of the text without
        # IGNORECASE, which is several times faster (escapes such as \S do not count).
        if values["ignore_case"] and not has_capitals(source):
            self.pattern = LowerCasePattern(source)
        else:
            self.pattern = compile_checked("pattern", source, re.IGNORECASE if values["ignore_case"] else 0)
        self.exceptions = exceptions_matcher(values)
        self.hit_pattern = (source, values["ignore_case"])

    @cached_property
    def prefilter(self) -> Literals | None:  # type: ignore[override]
        """Worked out only when asked: with Hyperscan, most runs never need it."""
        return literal_filter(self.values["pattern"], self.values["ignore_case"])

    def check_block(self, block: Block) -> Iterator[Hit]:
        for found in matches_outside(self.pattern, self.exceptions, block.text):
            yield block_hit(block, *found.span(), suggestion=self.values["suggestion"])
