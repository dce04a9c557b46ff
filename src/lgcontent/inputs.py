"""Expand the paths a user gave into the pages to check, in a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

from .errors import InputError
from .loaders import FORMATS, format_of
from .loaders.url import is_web_address

STDIN = "-"


@dataclass(frozen=True, slots=True)
class PageSource:
    """One page to check: a file, or standard input (path ``-``)."""

    path: str


def _walk(folder: str) -> list[str]:
    """Every page file below ``folder``, sorted by path, following folder links once each.

    Hidden folders (``.git``) and ``node_modules`` are passed over.
    """
    seen: set[tuple[int, int]] = set()
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        stat = os.stat(root)
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            dirs[:] = []
            continue
        seen.add(key)
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
        found.extend(os.path.join(root, name) for name in files
                     if os.path.splitext(name)[1].lower() in FORMATS)
    return sorted(found, key=lambda path: os.path.normpath(path).split(os.sep))


def expand(paths: list[str]) -> Iterator[PageSource | InputError]:
    """Pages named by ``paths`` (files, folders or ``-``), or an error for each bad one."""
    for path in paths:
        if path == STDIN:
            yield PageSource(STDIN)
        elif is_web_address(path):
            yield PageSource(path)
        elif os.path.isdir(path):
            pages = _walk(path)
            yield from (PageSource(page) for page in pages)
            if not pages:
                yield InputError(path, "has no HTML or Markdown files (.html, .htm, .md, .markdown)")
        elif os.path.exists(path) or os.path.islink(path):
            if format_of(path) is None:
                yield InputError(path, "is not an HTML or Markdown file"
                                 " (expected .html, .htm, .md or .markdown)")
            else:
                yield PageSource(path)
        else:
            yield InputError(path, "no such file or folder")
