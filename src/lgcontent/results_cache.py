"""Remember what checking a page found, so that an unchanged page is not checked again.

A council site is checked night after night with few of its pages changed. With
``--cache``, each page's result is kept under a key made of everything that decides
it: the page's bytes and path, every field of every rule that applies to it, the
options that change findings, and the code of lgcontent and of the libraries that
read pages. Any change to any of them gives another key, so a kept result is never
stale; results not used for 30 days are deleted.

One SQLite file (in the standard library): each write is a transaction, so the file
is never left half written; several runs may share it; and a site of 50,000 pages
makes one file, not 50,000. Results are kept as compressed JSON, never pickled: a
cache folder restored in CI may come from elsewhere, and JSON cannot run code.

A cache that cannot be opened, read or written costs only time: the run goes on
without it and ``problem`` says why, for the command line to tell the user once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .checked import Checked
from .findings import Finding, Severity
from .site import Placed, SitePage

#: The results file, in the cache folder.
FILE_NAME = "results.sqlite"
#: Changed whenever the kept form changes, so old entries are never misread.
SCHEMA = 3
#: Results not used for this long are deleted.
KEEP_SECONDS = 30 * 24 * 3600
#: Results made by other code (an earlier version of lgcontent, say) go sooner: a new
#: version would keep a second copy of a whole site's results for a month.
KEEP_OTHER_CODE_SECONDS = 7 * 24 * 3600
#: A result's last use is written again only when older than this (a run that finds
#: every page unchanged should not rewrite every entry).
TOUCH_SECONDS = 24 * 3600
#: New results are written this many at a time, so memory stays small on a large site.
BATCH = 200
#: How long to wait for another run (or program) to finish writing the file.
WAIT_SECONDS = 30.0
#: Libraries that decide what a page is read as (Markdown, front matter, --content-selector).
_READERS = ("markdown_it", "yaml", "bs4", "soupsieve")


def _part(value: str | bytes) -> bytes:
    """One part of a key, with its length, so that no two lists of parts run together."""
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return len(data).to_bytes(8, "big") + data


def _installed(path: Path) -> str:
    """A file's size and time of change: new whenever it is edited or installed again."""
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


#: lgcontent's modules: Python, and compiled extensions (Linux and macOS, Windows).
_CODE_SUFFIXES = (".py", ".so", ".pyd")


@lru_cache(maxsize=1)
def code_signature() -> bytes:
    """lgcontent's own code (every module, compiled ones too, so an edited checkout or
    a rebuilt extension counts as new code, and whether the compiled speed-ups run),
    Python's version, and the libraries that read pages (found, not imported: asking
    for their versions would cost more than a page)."""
    from importlib.util import find_spec

    from . import __version__
    from .text import COMPILED

    digest = hashlib.blake2b(digest_size=20)
    digest.update(_part(f"schema {SCHEMA}; lgcontent {__version__}; Python {sys.version}; compiled {COMPILED}"))
    package = Path(__file__).resolve().parent
    for module in sorted(path for path in package.rglob("*") if path.suffix in _CODE_SUFFIXES):
        digest.update(_part(f"{module.relative_to(package).as_posix()} {_installed(module)}"))
    for name in _READERS:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(_part(f"{name} {_installed(Path(origin)) if origin and Path(origin).is_file() else 'absent'}"))
    return digest.digest()


def _plain(value: Any) -> Any:
    """JSON for what YAML options can hold beyond JSON's own types (sets, tuples, enums)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(_plain, value), key=repr)
    if isinstance(value, tuple):
        return list(value)
    return repr(value)


def rules_signature(rules: Iterable[Any]) -> bytes:
    """Every field of the rules that can change a finding (all but their examples, file
    and compiled checker, which is built from the kind and the options)."""
    fields = [[rule.id, rule.pack, rule.group, rule.kind, int(rule.level), rule.summary, rule.message,
               rule.why, rule.source, rule.link, rule.fix, sorted(rule.scope), sorted(rule.formats),
               rule.enabled, rule.options] for rule in rules]
    text = json.dumps(fields, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def read_page(path: str, max_bytes: int) -> bytes | None:
    """A file's bytes for its key; None when it cannot be read or is over the limit (the
    check itself then reports why)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    return data if len(data) <= max_bytes else None


def _placed(item: Placed | None) -> list | None:
    if item is None:
        return None
    return [item.text, item.line, item.column, item.end_line, item.end_column, item.match, item.target]


def _unplaced(item: list | None) -> Placed | None:
    return None if item is None else Placed(*item)


def encode(checked: Checked) -> bytes:
    """The kept form: everything but the findings' source lines, which the page gives again."""
    site = checked.site
    data = {
        "findings": [[f.line, f.column, f.end_line, f.end_column, f.rule, int(f.severity), f.message, f.match,
                      f.suggestion] for f in checked.findings],
        "notes": list(checked.notes),
        "words": checked.words,
        "reading_age": checked.reading_age,
        "title": checked.title,
        "site": None if site is None else {"title": _placed(site.title), "description": _placed(site.description),
                                           "links": [_placed(link) for link in site.links]},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


_SEVERITY = {int(level): level for level in Severity}  # (a dictionary is quicker than calling the enum)


def keepable(checked: Checked) -> bytes | None:
    """The kept form of a result; None when a rule was stopped on the page, since another
    run may give it time to finish."""
    return encode(checked) if checked.complete else None


def decode(value: bytes, path: str) -> Checked:
    """The kept result, for the page at ``path`` (raises ValueError and the like when damaged)."""
    data = json.loads(zlib.decompress(value).decode("utf-8", "surrogatepass"))
    findings = tuple(Finding(path, line, column, end_line, end_column, rule, _SEVERITY[severity], message, match,
                             suggestion)
                     for line, column, end_line, end_column, rule, severity, message, match, suggestion
                     in data["findings"])
    site = data["site"]
    page = None if site is None else SitePage(path, _unplaced(site["title"]), _unplaced(site["description"]),
                                              [Placed(*link) for link in site["links"]])
    return Checked(path, findings, tuple(data["notes"]), {}, data["words"], data["reading_age"], data["title"],
                   page)


class ResultsCache:
    """Kept results, by key. ``settings`` names the options that change findings."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.location = folder / FILE_NAME
        self.problem: str | None = None  # what went wrong with the cache file, if anything did
        self._code = code_signature()
        self._base = self._code + _part(settings)
        self._rules: dict[int, tuple[list, bytes]] = {}
        self._new: list[tuple[bytes, bytes, bytes, int]] = []
        self._used: list[bytes] = []
        self._db: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                raise  # locked, read-only, out of space...: the file itself may be sound
            except sqlite3.DatabaseError as exc:  # not a database, or damaged: it holds nothing to lose
                self.problem = (f"the results cache {self.location} was damaged ({exc}), so it was"
                                " emptied and started afresh")
                self.location.unlink()
                self._db = self._open()
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.location, timeout=WAIT_SECONDS, isolation_level=None)
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                self._start_afresh(db)
        except sqlite3.Error:
            db.close()
            raise
        return db

    @staticmethod
    def _start_afresh(db: sqlite3.Connection) -> None:
        """Make the table (a file kept in another form by another version is emptied)."""
        db.execute("BEGIN IMMEDIATE")
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # (another run may just have)
            db.execute("DROP TABLE IF EXISTS results")
            db.execute("CREATE TABLE results (key BLOB PRIMARY KEY, value BLOB NOT NULL, used INTEGER NOT NULL,"
                       " code BLOB NOT NULL) WITHOUT ROWID")
            db.execute(f"PRAGMA user_version = {SCHEMA}")
        db.execute("COMMIT")

    # (here too, so the runner needs this module only when it makes a cache)
    read_page = staticmethod(read_page)
    keepable = staticmethod(keepable)

    @property
    def usable(self) -> bool:
        return self._db is not None

    def _give_up(self, exc: Exception) -> None:
        """Go on without the cache; a file found damaged is deleted, for the next run to
        start afresh, rather than reported again on every run."""
        damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
        self.problem = (f"the results cache could not be used, so pages were checked without it"
                        f" ({self.location}: {exc}{'; it has been deleted, to start afresh' if damaged else ''})")
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        if damaged:
            try:
                self.location.unlink()
            except OSError:
                pass

    def key(self, path: str, data: bytes, rules: list) -> bytes:
        """The key of a page's result: its path as given (findings name it), its bytes and rules,
        the settings and the code."""
        known = self._rules.get(id(rules))
        if known is None or known[0] is not rules:
            known = self._rules[id(rules)] = (rules, rules_signature(rules))
        digest = hashlib.blake2b(self._base, digest_size=24)
        for part in (known[1], path, data):
            digest.update(_part(part))
        return digest.digest()

    def has(self, key: bytes) -> bool:
        return self._query("SELECT 1 FROM results WHERE key = ?", key) is not None

    def get(self, key: bytes, path: str) -> Checked | None:
        """The kept result for ``key``, or None (none kept, or damaged: checked again)."""
        row = self._query("SELECT value, used FROM results WHERE key = ?", key)
        if row is None:
            return None
        try:
            checked = decode(row[0], path)
        except (ValueError, TypeError, KeyError, IndexError, zlib.error):
            return None  # damaged: the page is checked again, and its new result replaces this one
        if time.time() - row[1] > TOUCH_SECONDS:
            self._used.append(key)
            if len(self._used) >= BATCH:
                self.flush()
        return checked

    def _query(self, sql: str, key: bytes) -> tuple | None:
        if self._db is None:
            return None
        try:
            return self._db.execute(sql, (key,)).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None

    def put(self, key: bytes, value: bytes | None) -> None:
        """Keep a result made by :func:`keepable` (written with the next batch)."""
        if self._db is None or value is None:
            return
        self._new.append((key, value, int(time.time()), self._code))
        if len(self._new) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the new results and the last use of those read, in one transaction."""
        if self._db is None or not (self._new or self._used):
            return
        now = int(time.time())
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO results (key, value, used, code) VALUES (?, ?, ?, ?)", self._new)
            self._db.executemany("UPDATE results SET used = ? WHERE key = ?", [(now, key) for key in self._used])
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._give_up(exc)
        self._new, self._used = [], []

    def close(self) -> None:
        """Write what is left, and delete results not used for KEEP_SECONDS (made by other
        code: KEEP_OTHER_CODE_SECONDS)."""
        self.flush()
        if self._db is None:
            return
        try:
            now = int(time.time())
            self._db.execute("DELETE FROM results WHERE used < ? OR (used < ? AND code != ?)",
                             (now - KEEP_SECONDS, now - KEEP_OTHER_CODE_SECONDS, self._code))
            self._db.close()
        except sqlite3.Error as exc:
            self._give_up(exc)
        self._db = None
