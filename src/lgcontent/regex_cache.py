"""Regular expressions compiled in earlier runs, kept in the cache folder.

Compiling the packs' patterns is a large part of start-up: about 30 ms of the 170 ms a
one-page run (the pre-commit hook) takes, and the word lists' long patterns, compiled
when a page first needs them, about 20 ms more on a whole site. CPython compiles a
pattern in two steps: in Python, it parses the pattern and writes the matcher's code (a
list of numbers: ``re._parser``, ``re._compiler``); in C, ``_sre.compile`` makes the
pattern object from that code. This module keeps the code, so a later run does only the
quick second step. The C step checks the code it is given, so a damaged cache file can
give an error, never a wrong pattern; an error, or a Python without these parts, means
the pattern is compiled as usual. The cache file's name covers the Python version, the
matcher's version (``_sre.MAGIC``) and this file.

A pattern kept here was also tried already on text that makes a badly written pattern
backtrack for ever (see :func:`lgcontent.kinds.base.compile_checked`), so a later run
need not try it again: :func:`was_tried` and :func:`tried`.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any

from .cachedir import cache_folder, prune, read_kept_dict, store

try:  # CPython's own parts (3.11 and later); without them, patterns are compiled as usual
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python
    _sre = None

#: Patterns kept at most (the newest): those of several projects' packs.
MOST_ENTRIES = 3000
#: Cache files kept, one for each Python and version of this code.
KEEP = 4

# An entry: (flags, code, groups, group index, index group), what _sre.compile takes,
# and whether the pattern was tried for endless backtracking.
_Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...], bool]


class _Cache:
    def __init__(self) -> None:
        self.path: Path | None = None
        self.entries: dict[tuple[str, int], _Entry] | None = None
        self.changed = False
        self.compiled: dict[tuple[str, int], re.Pattern[str]] = {}

    def read(self) -> dict[tuple[str, int], _Entry]:
        if self.entries is None:
            self.path = cache_folder() / f"regex-{_code_key()}.marshal"
            self.entries = _read(self.path)
        return self.entries


def _read(path: Path) -> dict[tuple[str, int], _Entry]:
    """The entries of the cache file that have the shape of one (none if it is unreadable)."""
    return {key: entry for key, entry in read_kept_dict(path).items()
            if isinstance(key, tuple) and len(key) == 2 and isinstance(entry, tuple) and len(entry) == 6}


_CACHE = _Cache()


def _code_key() -> str:
    recipe = Path(__file__).read_bytes() + repr((sys.version, getattr(_sre, "MAGIC", None),
                                                  getattr(_sre, "CODESIZE", None), marshal.version)).encode()
    return hashlib.sha256(recipe).hexdigest()[:16]


def _code_of(source: str, flags: int) -> _Entry:
    """What ``re._compiler.compile`` hands ``_sre.compile`` (raises re.error as it does)."""
    parsed = _parser.parse(source, flags)
    code = list(map(int, _compiler._code(parsed, flags)))  # (plain numbers: the opcodes are int subclasses)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup), False)


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, from the code kept in an earlier run where there is some."""
    flags = int(flags)
    key = (source, flags)
    made = _CACHE.compiled.get(key)
    if made is not None:
        return made
    if _sre is None or flags & re.DEBUG:
        return re.compile(source, flags)
    entries = _CACHE.read()
    entry = entries.get(key)
    made = None
    if entry is not None:
        try:
            made = _sre.compile(source, *entry[:5])
        except (RuntimeError, TypeError, ValueError, OverflowError):  # a damaged entry
            made = None
    if made is None:
        entry = _code_of(source, flags)
        made = _sre.compile(source, *entry[:5])
        entries[key] = entry
        _CACHE.changed = True
    if len(_CACHE.compiled) >= MOST_ENTRIES:
        _CACHE.compiled.clear()
    _CACHE.compiled[key] = made
    return made


def was_tried(source: str, flags: int) -> bool:
    """Whether the pattern was tried for endless backtracking, in this run or a kept one."""
    entry = _CACHE.read().get((source, int(flags))) if _sre is not None else None
    return entry is not None and entry[5] is True


def tried(source: str, flags: int) -> None:
    """Note that the pattern (compiled with :func:`compile`) passed that trial."""
    entries = _CACHE.read() if _sre is not None else {}
    entry = entries.get((source, int(flags)))
    if entry is not None and entry[5] is not True:
        entries[(source, int(flags))] = (*entry[:5], True)
        _CACHE.changed = True


def save() -> None:
    """Add the patterns compiled afresh (or newly tried) to the cache file, if any were."""
    if not _CACHE.changed or _CACHE.entries is None or _CACHE.path is None:
        return
    # Added to what is there now: another process (a --jobs worker, another run) may have
    # kept patterns since this one read the file.
    merged = _read(_CACHE.path)
    for key, entry in _CACHE.entries.items():
        if key not in merged or entry[5] is True:
            merged[key] = entry
    newest = dict(list(merged.items())[-MOST_ENTRIES:])
    try:
        data = marshal.dumps(newest)
    except ValueError:
        return
    store(_CACHE.path, data)
    prune(_CACHE.path.parent, "regex-*.marshal", KEEP)
    _CACHE.changed = False
