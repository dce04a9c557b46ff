"""Loaders: bytes of an HTML or Markdown page -> Document."""

from __future__ import annotations

import os

from ..document import Document
from ..errors import InputError
from .decoding import decode

#: File endings we check, and the format each one means.
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def format_of(path: str) -> str | None:
    return FORMATS.get(os.path.splitext(path)[1].lower())


def load_bytes(data: bytes, path: str, fmt: str, content_selector: str | None = None,
               charset: str | None = None) -> Document:
    """Decode and parse one page. Raises InputError for what cannot be checked."""
    text, _encoding = decode(data, path, html=fmt == "html", declared=charset)
    if fmt == "html":
        from .html import load_html

        return load_html(path, text, content_selector)
    from .markdown import load_markdown

    return load_markdown(path, text)


#: Pages larger than this are not checked unless the user raises the limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def too_large(path: str, size: int, limit: int) -> InputError:
    return InputError(path, f"is too large to check ({size / 1048576:.1f} MB; the limit is"
                            f" {limit / 1048576:g} MB, change it with --max-page-size)")


def load_file(path: str, content_selector: str | None = None, fmt: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    fmt = fmt or format_of(path)
    if fmt is None:
        raise InputError(path, "is not an HTML or Markdown file (expected .html, .htm, .md or .markdown)")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise too_large(path, os.fstat(handle.fileno()).st_size, max_bytes)
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except PermissionError:
        raise InputError(path, "cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    return load_bytes(data, path, fmt, content_selector)
