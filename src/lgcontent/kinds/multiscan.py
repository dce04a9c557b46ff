"""One Hyperscan pass over a block tells which pattern rules may match it.

Python's regex engine scans text slowly, and some 45 rules each scan every block
that passes their quick test (kinds/prefilter.py). Hyperscan runs all the rules'
patterns together over a block in one pass, in compiled code. It cannot run
Python's patterns exactly (lookbehinds, back-references), so it runs loosened
ones (kinds/relaxed.py) that match wherever the originals can: a block it passes
over cannot match, and only the blocks it names are searched with Python's engine.
Findings are exactly those of the full search.

Compiling the patterns costs a few tenths of a second, so the compiled database is
kept in the user's cache folder, keyed by the patterns themselves. When Hyperscan
is not installed, or a pattern cannot be loosened, the quick tests do the job alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Iterable

from . import relaxed as relaxed_module
from ..cachedir import cache_folder, prune, store
from .relaxed import relaxed

try:  # a compiled library with wheels for the usual platforms; optional all the same
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None


class MultiScan:
    """The loosened forms of many patterns, scanned in one pass over each block.

    Each pattern, a (regex, ignore case) pair, gets a number: ``numbers`` maps those
    it answers for to theirs (those it was given, less any it cannot run), and
    ``numbers_for`` says which of them may match a text.
    """

    def __init__(self, patterns: Iterable[tuple[str, bool]], compile: bool = True) -> None:
        patterns = list(patterns)
        self.patterns = frozenset(patterns)
        self.numbers: dict[tuple[str, bool], int] = {}
        #: Whether compiling would give a database this one lacks (none was cached).
        self.could_compile = False
        if hyperscan is None or not patterns:
            return
        found = _database(patterns, compile)
        if found is not None:
            self._database, kept = found
            self.numbers = {pattern: n for n, pattern in enumerate(patterns) if n in kept}
            self._scratch = hyperscan.Scratch(self._database)
        self.could_compile = found is None and not compile

    def numbers_for(self, text: str) -> set[int]:
        """The numbers of the patterns that may match ``text``."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: Hyperscan reads only valid UTF-8
            return set(self.numbers.values())
        found: set[int] = set()
        self._database.scan(data, match_event_handler=_collect, context=found, scratch=self._scratch)
        return found


def _collect(key: int, _start: int, _end: int, _flags: int, found: set[int]) -> None:
    found.add(key)


def _flags() -> int:
    return hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH


def _cache_key(patterns: list[tuple[str, bool]]) -> str:
    """Names the database for these patterns, as loosened and compiled by this code
    (relaxed.py and this file), for this Hyperscan: a change to any makes a new file."""
    recipe = Path(relaxed_module.__file__).read_bytes() + Path(__file__).read_bytes()
    return hashlib.sha256(repr((hyperscan.__version__, patterns)).encode() + recipe).hexdigest()[:32]


def _database(patterns: list[tuple[str, bool]], compile: bool):
    """The compiled database for ``patterns`` and the numbers of those it answers for
    (the others cannot be loosened, or Hyperscan refuses them): from the cache, or
    (if ``compile``) compiled and cached. None when there is neither."""
    path = cache_folder() / f"multiscan-{_cache_key(patterns)}.db"
    try:
        header, _, data = path.read_bytes().partition(b"\n")
        found = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK), {int(n) for n in header.split()}
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: pruning keeps the newest
        return found
    except (OSError, ValueError, hyperscan.error):
        pass
    if not compile:
        return None
    loose = {}
    for number, (source, ignore_case) in enumerate(patterns):
        pattern = relaxed(source, ignore_case)
        if pattern is not None:
            loose[number] = pattern.encode()
    database = _compile(loose)  # takes out of ``loose`` what Hyperscan refuses
    if database is None:
        return None
    store(path, " ".join(map(str, sorted(loose))).encode() + b"\n" + hyperscan.dumpb(database))
    prune(path.parent, "multiscan-*.db", KEEP)
    return database, set(loose)


def _compiled(patterns: dict[int, bytes]):
    """A database for ``patterns`` (by number); raises hyperscan.error if refused."""
    numbers = sorted(patterns)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=[patterns[n] for n in numbers], ids=numbers, flags=[_flags()] * len(numbers))
    return database


def _compile(loose: dict[int, bytes]):
    """Compile all the patterns; if Hyperscan refuses some, compile without them."""
    while loose:
        try:
            return _compiled(loose)
        except hyperscan.error:
            refused = [n for n, pattern in loose.items() if not _compiles(pattern)]
            if not refused:
                return None
            for n in refused:
                del loose[n]
    return None


def _compiles(pattern: bytes) -> bool:
    try:
        _compiled({0: pattern})
        return True
    except hyperscan.error:
        return False


#: Databases kept in the cache folder; each set of rules (and each version of
#: lgcontent) has its own, so old ones are deleted, least recently used first.
KEEP = 8
