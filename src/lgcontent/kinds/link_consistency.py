"""link-consistency: flag links on one page that disagree with each other.

``same-text-different-target``: one link text used for different addresses.
``repeated-target``: the same address linked more than once in the text.
"""

from __future__ import annotations

from typing import Iterator

from ..document import Document, Link
from .base import Hit, Kind, Option, one_of
from .link_text import normalise_link_text


def _target(link: Link) -> str:
    return link.href.strip().rstrip("/").lower()


class LinkConsistency(Kind):
    name = "link-consistency"
    text_based = False
    options = {"check": Option(one_of("same-text-different-target", "repeated-target"), required=True)}
    placeholders = frozenset({"match", "text", "href", "first_href", "count"})

    def check_document(self, doc: Document) -> Iterator[Hit]:
        seen: dict[str, Link] = {}
        check = self.values["check"]
        for link in doc.links:
            target = _target(link)
            if not any(ch.isalnum() for ch in link.text) or not target or target.startswith("#"):
                continue
            key = normalise_link_text(link.name) if check == "same-text-different-target" else target
            first = seen.setdefault(key, link)
            if first is link:
                continue
            if check == "same-text-different-target" and _target(first) != target \
                    or check == "repeated-target":
                yield Hit(link.start, link.end, {"match": link.text, "text": link.text, "href": link.href,
                                                 "first_href": first.href})
