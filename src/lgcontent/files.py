"""Write files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
from pathlib import Path


def _mode_for_new_files() -> int:
    """The permissions a normally created file gets (mkstemp would make it private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class AtomicFile:
    """A file written under a temporary name and renamed into place only when complete.

    Readers never see half a report: a crash or Ctrl-C leaves the old file (or none).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        folder = path.parent if str(path.parent) else Path(".")
        import tempfile  # only when a report goes to a file

        handle, self._temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.chmod(self._temporary, _mode_for_new_files())
        self.stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self._temporary, self.path)

    def discard(self) -> None:
        if not self.stream.closed:
            self.stream.close()
        try:
            os.unlink(self._temporary)
        except OSError:
            pass


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through an AtomicFile: all of it, or nothing."""
    handle = AtomicFile(path)
    try:
        handle.stream.write(text)
        handle.commit()
    except BaseException:
        handle.discard()
        raise
