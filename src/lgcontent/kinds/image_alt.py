"""image-alt: flag images whose alt text is missing, a placeholder or too long."""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ..document import Document, Image
from .base import Hit, Kind, Option, OptionError, compile_checked, one_of, positive_int, regex, text_list

_FILENAME = re.compile(r"\.(?:jpe?g|png|gif|svg|webp|bmp|tiff?|avif)$", re.IGNORECASE)


class ImageAlt(Kind):
    name = "image-alt"
    text_based = False
    options = {
        "check": Option(one_of("missing", "placeholder", "too-long", "pattern"), required=True),
        "pattern": Option(regex, help="with check: pattern, flag images whose alt text or file name matches"),
        "placeholders": Option(text_list, default=(), help="alt texts that describe nothing"),
        "max_length": Option(positive_int, help="most characters of alt text (with check: too-long)"),
    }
    placeholders = frozenset({"match", "src", "alt", "length", "max_length"})

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        if values["check"] == "too-long" and not values["max_length"]:
            raise OptionError("max_length", "check: too-long needs max_length")
        if values["check"] == "pattern" and not values["pattern"]:
            raise OptionError("pattern", "check: pattern needs pattern")
        self.pattern = compile_checked("pattern", values["pattern"], re.IGNORECASE) if values["pattern"] else None
        self.placeholder_texts = {p.strip().lower() for p in values["placeholders"]}

    def _fires(self, image: Image) -> bool:
        check = self.values["check"]
        alt = image.alt
        if check == "missing":
            return alt is None and not image.labelled
        if check == "pattern":
            assert self.pattern is not None
            return bool(self.pattern.search(alt or "") or self.pattern.search(image.src))
        if alt is None or not alt.strip():
            return False
        if check == "too-long":
            return len(alt.strip()) > self.values["max_length"]
        plain = alt.strip().lower()
        name = posixpath.basename(image.src.split("?", 1)[0]).lower()
        return plain in self.placeholder_texts or bool(_FILENAME.search(plain)) or plain == name

    def check_document(self, doc: Document) -> Iterator[Hit]:
        for image in doc.images:
            if self._fires(image):
                alt = image.alt or ""
                yield Hit(image.start, image.end,
                          {"match": alt, "src": image.src, "alt": alt, "length": len(alt.strip()),
                           "max_length": self.values["max_length"]})
