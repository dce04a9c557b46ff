"""readability: flag blocks or pages that score past a readability limit.

Scores come from :mod:`lgcontent.readability` (offline; see there for formulas).
"""

from __future__ import annotations

from typing import Iterator

from .. import readability as scores
from ..document import Block, Document
from ..text import sentences
from .base import Hit, Kind, Option, OptionError, block_hit, number, one_of, positive_int


class Readability(Kind):
    name = "readability"
    options = {
        "metric": Option(one_of(*scores.METRICS), default="reading-age"),
        "max": Option(number, help="flag when the score is above this"),
        "min": Option(number, help="flag when the score is below this"),
        "per": Option(one_of("block", "page"), default="block"),
        "min_words": Option(positive_int, default=20,
                            help="ignore text shorter than this: scores of a few words mean little"),
    }
    placeholders = frozenset({"match", "value", "limit", "metric", "words"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        if (values["max"] is None) == (values["min"] is None):
            raise OptionError("max", "kind readability needs exactly one of: max, min")
        self.formula, _ = scores.METRICS[values["metric"]]
        # A page-level rule reads the whole page; a block-level one each block.
        self.text_based = values["per"] == "block"

    def _breaks_limit(self, value: float) -> bool:
        """Compare the score as the message shows it: rounded to a whole number."""
        if self.values["max"] is not None:
            return round(value) > self.values["max"]
        return round(value) < self.values["min"]

    def _params(self, value: float, counts: scores.TextCounts) -> dict:
        limit = self.values["max"] if self.values["max"] is not None else self.values["min"]
        return {"value": f"{value:.0f}", "limit": f"{limit:g}", "metric": self.values["metric"],
                "words": counts.words}

    def check_block(self, block: Block) -> Iterator[Hit]:
        counts = scores.count(block.text)
        if counts.words < self.values["min_words"]:
            return
        value = self.formula(counts)
        if self._breaks_limit(value):
            first = sentences(block.text)[0]
            yield block_hit(block, first.start, first.end, **self._params(value, counts))

    def check_document(self, doc: Document) -> Iterator[Hit]:
        counts = scores.page_counts(doc.blocks)
        if counts.words < self.values["min_words"]:
            return
        value = self.formula(counts)
        if self._breaks_limit(value):
            start = doc.body_start()
            yield Hit(start, start + 1, self._params(value, counts), has_match=False)
