"""inline-format: flag bold, italic or underlined text.

With ``whole_block``, flag only a short paragraph that is all bold (or italic):
text dressed up as a heading instead of being marked up as one.
"""

from __future__ import annotations

from typing import Iterator

from ..document import Document
from ..text import words
from .base import Hit, Kind, Option, boolean, one_of, positive_int


class InlineFormat(Kind):
    name = "inline-format"
    text_based = False
    options = {
        "mark": Option(one_of("bold", "italic", "underline"), required=True),
        "whole_block": Option(boolean, default=False,
                              help="only when the formatting covers a whole short paragraph"),
        "max_words": Option(positive_int, default=12, help="with whole_block: longest such paragraph"),
    }
    placeholders = frozenset({"match", "text"})

    def check_document(self, doc: Document) -> Iterator[Hit]:
        marks = [m for m in doc.marks if m.kind == self.values["mark"]]
        if not self.values["whole_block"]:
            for mark in marks:
                yield Hit(mark.start, mark.end, {"match": mark.text, "text": mark.text})
            return
        spans = {(m.start, m.end): m for m in marks}
        links = {(link.start, link.end) for link in doc.links}
        for block in doc.blocks:
            if block.kind != "paragraph" or not block.text:
                continue
            span = block.content.source_span()
            mark = spans.get(span)
            if mark is None or span in links:
                continue  # not all bold, or a bold link (a link is not a heading)
            text = block.text
            if len(words(text)) <= self.values["max_words"] and not text.endswith((".", ":", "?", "!")):
                yield Hit(mark.start, mark.end, {"match": text, "text": text})
