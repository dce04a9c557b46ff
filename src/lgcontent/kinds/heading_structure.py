"""heading-structure: flag headings that break the page outline."""

from __future__ import annotations

from typing import Iterator

from ..document import Document
from .base import Hit, Kind, Option, one_of

CHECKS = ("skipped-level", "multiple-h1", "empty")


class HeadingStructure(Kind):
    name = "heading-structure"
    text_based = False
    options = {"check": Option(one_of(*CHECKS), required=True)}
    placeholders = frozenset({"match", "level", "previous", "expected", "text"})

    def check_document(self, doc: Document) -> Iterator[Hit]:
        check = self.values["check"]
        previous = 0
        h1_seen = False
        for heading in doc.headings:
            params = {"match": heading.text, "text": heading.text, "level": heading.level,
                      "previous": previous, "expected": previous + 1}
            if check == "skipped-level" and previous and heading.level > previous + 1:
                yield Hit(heading.start, heading.end, params)
            elif check == "multiple-h1" and heading.level == 1:
                if h1_seen:
                    yield Hit(heading.start, heading.end, params)
                h1_seen = True
            elif check == "empty" and not heading.text.strip():
                yield Hit(heading.start, heading.end, params, has_match=False)
            previous = heading.level
