"""list-structure: flag bulleted and numbered lists that break the list rules.

Checks: ``lead-in`` (a list straight after a heading or at the top, with no line
to introduce it), ``single-item``, ``too-many-items``, ``item-pattern`` (an item
whose text matches ``pattern``, such as one ending in a full stop), ``item-require``
(an item whose text does not match ``pattern``) and ``one-sentence``.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Iterator, NamedTuple

from .. import regex_cache
from ..document import Block, Document
from ..last_seen import LastSeen
from ..text import sentences
from .base import Hit, Kind, Option, OptionError, block_hit, boolean, one_of, positive_int, regex

CHECKS = ("lead-in", "single-item", "too-many-items", "item-pattern", "item-require", "one-sentence")


class ListStructure(Kind):
    name = "list-structure"
    text_based = False
    options = {
        "check": Option(one_of(*CHECKS), required=True),
        "numbered": Option(boolean, help="true: numbered lists only; false: bulleted lists only"),
        "pattern": Option(regex, help="for item-pattern and item-require"),
        "max_items": Option(positive_int, help="for too-many-items"),
    }
    placeholders = frozenset({"match", "items", "max_items", "sentences"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        check = values["check"]
        if check in ("item-pattern", "item-require") and not values["pattern"]:
            raise OptionError("pattern", f"check: {check} needs pattern")
        if check == "too-many-items" and not values["max_items"]:
            raise OptionError("max_items", "check: too-many-items needs max_items")
        self.pattern = regex_cache.compile(values["pattern"]) if values["pattern"] else None

    def _wanted(self, ordered: bool) -> bool:
        numbered = self.values["numbered"]
        return numbered is None or numbered == ordered

    def check_document(self, doc: Document) -> Iterator[Hit]:
        check = self.values["check"]
        lists = _list_items(doc)
        for list_id, first in lists.firsts:
            info = doc.lists[list_id]
            if not self._wanted(info.ordered):
                continue
            block = doc.blocks[first]
            params = {"items": info.items, "max_items": self.values["max_items"]}
            if check == "lead-in":
                before = doc.blocks[first - 1] if first else None
                if before is None or before.kind == "heading":
                    yield _first_words(block, params)
            elif check == "single-item" and info.items == 1:
                yield _first_words(block, params)
            elif check == "too-many-items" and info.items > self.values["max_items"]:
                yield _first_words(block, params)
        if check in ("item-pattern", "item-require", "one-sentence"):
            yield from self._items(doc, lists.items, check)

    def _items(self, doc: Document, items: list[tuple[tuple[int, int], Block]], check: str) -> Iterator[Hit]:
        for (list_id, _), block in items:
            if not self._wanted(doc.lists[list_id].ordered):
                continue
            text = block.text
            if check == "one-sentence":
                found = [s for s in sentences(text) if s.has_words]
                if len(found) > 1:
                    yield block_hit(block, found[1].start, found[1].end, sentences=len(found))
                continue
            assert self.pattern is not None
            found_match = self.pattern.search(text)
            if check == "item-pattern" and found_match:
                begin, end = found_match.span()
                yield block_hit(block, begin, max(end, begin + 1))
            elif check == "item-require" and not found_match:
                yield block_hit(block, len(text) - 1, len(text))


class _ListItems(NamedTuple):
    """Where a page's lists are, found once for all the list rules (six in the packs)."""

    firsts: list[tuple[int, int]]  # (list, index of its first block), in page order
    items: list[tuple[tuple[int, int], Block]]  # ((list, item), the item's last block), in source order


_LISTS: LastSeen[_ListItems] = LastSeen()


def _list_items(doc: Document) -> _ListItems:
    """The lists of ``doc``: found once for the page's blocks (see :class:`LastSeen`)."""
    return _LISTS.get(doc.blocks, lambda: _find_list_items(doc.blocks))


def _find_list_items(blocks: list[Block]) -> _ListItems:
    firsts: dict[int, int] = {}  # list -> index of its first block
    last_item_block: dict[tuple[int, int], Block] = {}
    for index, block in enumerate(blocks):
        if block.list_item is None:
            continue
        firsts.setdefault(block.list_item[0], index)
        last_item_block[block.list_item] = block
    return _ListItems(sorted(firsts.items(), key=itemgetter(1)),
                      sorted(last_item_block.items(), key=lambda kv: kv[1].content.start_of(0)))


def _first_words(block: Block, params: dict) -> Hit:
    """A hit on the first few words of the list, where it starts."""
    text = block.text
    end = len(" ".join(text.split()[:6]))
    return block_hit(block, 0, max(1, min(end, len(text))), **params)
