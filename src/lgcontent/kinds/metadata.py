"""metadata: check the page title, description and language."""

from __future__ import annotations

import re
from typing import Iterator

from ..document import Document, MetaField
from .base import Hit, Kind, Option, boolean, one_of, positive_int, regex, require_one

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
        "pattern": Option(regex, help="flag a value that does not match this regular expression"),
    }
    placeholders = frozenset({"match", "field", "value", "length", "max_length", "min_length"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        require_one(values, ("required", "max_length", "min_length", "pattern"), self.name)
        self.pattern = re.compile(values["pattern"]) if values["pattern"] else None

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
        too_long = self.values["max_length"] and len(value) > self.values["max_length"]
        too_short = self.values["min_length"] and len(value) < self.values["min_length"]
        mismatch = self.pattern is not None and not self.pattern.search(value)
        if too_long or too_short or mismatch:
            yield Hit(field.start, field.end, params)
