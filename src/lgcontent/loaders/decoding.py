"""Turn a file's bytes into text, the way a browser would.

Order: a byte order mark; for HTML, a ``<meta charset>`` (or http-equiv) in the
first 1024 bytes; strict UTF-8; then Windows-1252, which the HTML standard uses
for labels such as ISO-8859-1 and for pages that say nothing. Bytes that still
cannot be decoded become U+FFFD, so a broken export never stops a run.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.IGNORECASE
)

# WHATWG Encoding Standard: these labels all mean Windows-1252.
_WINDOWS_1252_LABELS = {
    "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii",
    "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252",
}


def _normalise_label(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    if label in ("utf-16", "utf-16le", "utf-16be"):
        return "utf-8"  # HTML: a meta tag can never truly declare UTF-16
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KB, and no UTF-16/32 byte order mark."""
    head = data[:8192]
    return b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS)


def decode(data: bytes, path: str, *, html: bool, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raise InputError for binary data.

    ``declared`` is a charset from an HTTP Content-Type header: it comes after a
    byte order mark and before the page's own ``<meta charset>``, as in browsers.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    if looks_binary(data):
        raise InputError(path, "looks like a binary file, not a web page (it contains NUL bytes)")
    if declared:
        encoding = _normalise_label(declared)
        if encoding:
            return data.decode(encoding, errors="replace"), encoding
    if html:
        found = _META_CHARSET.search(data[:1024])
        if found:
            encoding = _normalise_label(found.group(1).decode("ascii", "replace"))
            if encoding:
                return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
