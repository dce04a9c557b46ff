"""metadata: check the page title, description and language."""

from __future__ import annotations

import re
from typing import Iterator

from ..document import Document, MetaField
from .base import Hit, Kind, Option, boolean, compile_checked, one_of, positive_int, regex, require_one

FIELDS = ("title", "description", "lang")
FIELD_NAMES = {"title": "page title", "description": "meta description", "lang": "page language"}


class Metadata(Kind):
    name = "metadata"
    text_based = False
    options = {
        "field": Option(one_of(*FIELDS), required=True),
        "required": Option(boolean, default=False, help="flag the page when the field is missing or empty"),
        "max_length": Option(positive_int, help="most characters, counting spaces"),
        "min_length": Option(positive_int, help="fewest characters, counting spaces"),
        "pattern": Option(regex, help="flag a value that matches this regular expression"),
        "require": Option(regex, help="flag a value that does not match this regular expression"),
        "same_as_title": Option(boolean, default=False,
                                help="flag a value that repeats the page title (for descriptions)"),
        "ignore_case": Option(boolean, default=False),
    }
    placeholders = frozenset({"match", "field", "value", "length", "max_length", "min_length"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        require_one(values, ("required", "max_length", "min_length", "pattern", "require", "same_as_title"),
                    self.name)
        flags = re.IGNORECASE if values["ignore_case"] else 0
        self.pattern = compile_checked("pattern", values["pattern"], flags) if values["pattern"] else None
        self.require = compile_checked("require", values["require"], flags) if values["require"] else None

    def check_document(self, doc: Document) -> Iterator[Hit]:
        key = self.values["field"]
        field: MetaField | None = getattr(doc, key)
        value = field.value.strip() if field else ""
        params = {"field": FIELD_NAMES[key], "value": value, "match": value, "length": len(value),
                  "max_length": self.values["max_length"], "min_length": self.values["min_length"]}
        if not value:
            if self.values["required"]:
                anchor = field.start if field else 0
                yield Hit(anchor, anchor + 1, params, has_match=False)
            return
        assert field is not None
        if self._fires(value, doc):
            yield Hit(field.start, field.end, params)

    def _fires(self, value: str, doc: Document) -> bool:
        v = self.values
        if v["max_length"]:
            return len(value) > v["max_length"]
        if v["min_length"]:
            return len(value) < v["min_length"]
        if self.pattern is not None:
            return self.pattern.search(value) is not None
        if self.require is not None:
            return self.require.search(value) is None
        if v["same_as_title"]:
            return doc.title is not None and _words(value) == _words(doc.title.value)
        return False


def _words(value: str) -> list[str]:
    return re.findall(r"\w+", value.lower())
