"""What every reporter shares: one interface, and terminal-safe text."""

from __future__ import annotations

import re
from typing import ClassVar, TextIO

from ..findings import PageResult
from ..runner import Summary

# C0 and C1 control characters (not tab), DEL, and the bidirectional overrides that can
# make text display in a different order from how it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Page text made safe for a terminal: control characters shown as escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Page text on one line: line breaks become spaces."""
    return printable(text).replace("\n", " ").replace("\t", " ")


class Reporter:
    """Receives each page's result as it is ready, then the summary."""

    name: ClassVar[str]
    #: Whether the report may use colour and terminal styling.
    styled: ClassVar[bool] = False

    def __init__(self, stream: TextIO, *, color: bool | None = None) -> None:
        self.stream = stream
        self.color = color

    def page(self, result: PageResult) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        """Called once after the last page."""
