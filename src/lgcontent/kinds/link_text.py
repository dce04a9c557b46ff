"""link-text: flag links whose text does not say where they go."""

from __future__ import annotations

import re
import string
from typing import Iterator

from ..document import Document, Link
from .base import Hit, Kind, Option, boolean, compile_checked, regex, require_one, text_list

_EDGE_PUNCTUATION = string.punctuation + "“”‘’…–—»«›‹→ \t\n"


def normalise_link_text(text_: str) -> str:
    return " ".join(text_.lower().replace("’", "'").split()).strip(_EDGE_PUNCTUATION)


class LinkText(Kind):
    name = "link-text"
    text_based = False
    options = {
        "phrases": Option(text_list, help="whole link texts to flag (case and edge punctuation ignored)"),
        "pattern": Option(regex, help="flag link text matching this regular expression"),
        "require": Option(regex, help="flag link text that does not match this regular expression"),
        "empty": Option(boolean, default=False, help="flag links with no text and no image alt text"),
        "href": Option(regex, help="only check links whose address matches this"),
        "in_heading": Option(boolean, default=False, help="only check links inside headings"),
        "skip_lists": Option(boolean, default=False,
                             help="leave out links in list items, such as a page's contents list"),
        "ignore_case": Option(boolean, default=True),
    }
    placeholders = frozenset({"match", "text", "href"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        if not values["in_heading"]:
            require_one(values, ("phrases", "pattern", "require", "empty"), self.name)
        flags = re.IGNORECASE if values["ignore_case"] else 0
        self.phrases = {normalise_link_text(p) for p in values["phrases"] or ()}
        self.pattern = compile_checked("pattern", values["pattern"], flags) if values["pattern"] else None
        self.require = compile_checked("require", values["require"], flags) if values["require"] else None
        self.href = compile_checked("href", values["href"], re.IGNORECASE) if values["href"] else None

    def _fires(self, link: Link) -> bool:
        if self.values["in_heading"]:
            if not link.in_heading:
                return False
            if not any(self.values[k] for k in ("phrases", "pattern", "require", "empty")):
                return True  # any link in a heading
        text_ = link.name.strip()
        if self.values["empty"]:
            return not text_
        if not text_:
            return False  # empty links are the "empty" check's business
        if self.phrases:
            return normalise_link_text(text_) in self.phrases
        if self.pattern is not None:
            return self.pattern.search(text_) is not None
        assert self.require is not None
        return self.require.search(text_) is None

    def check_document(self, doc: Document) -> Iterator[Hit]:
        for link in doc.links:
            if self.href is not None and not self.href.search(link.href):
                continue
            if self.values["skip_lists"] and link.in_list:
                continue
            if self._fires(link):
                yield Hit(link.start, link.end, {"match": link.text, "text": link.name, "href": link.href},
                          has_match=bool(link.text.strip()))
