"""Where lgcontent keeps what it can work out again: compiled pattern databases and
regular expressions, parsed rule and configuration files, and the results cache.
$LGCONTENT_CACHE_DIR, else the user's cache folder."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_folder() -> Path:
    chosen = os.environ.get("LGCONTENT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lgcontent"


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is no loss."""
    import tempfile  # only when something new is kept

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_kept_dict(path: Path) -> dict:
    """The dictionary a cache file keeps (marshal), or an empty one when the file is
    missing, unreadable, damaged or holds something else: a lost cache is no loss."""
    import marshal  # (the same module every cache file here is written with)

    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently used files matching ``pattern``."""
    try:
        kept = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[keep:]:
            old.unlink()
    except OSError:
        pass
