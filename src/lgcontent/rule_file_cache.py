"""Rule, pack and configuration files parsed in earlier runs, kept in the cache folder.

Parsing the packs' YAML, with the line of every key, is the largest part of start-up:
about 45 ms of the quarter of a second a one-page run (the pre-commit hook) takes.
Read back with marshal, the same data takes about 2 ms, and PyYAML is not imported.

An entry is found by the file's text, so an edited file is parsed again; the cache
file's name covers this code, yamlfile.py, PyYAML's and marshal's versions. Files with
values marshal cannot keep (YAML dates) are parsed every time. A cache that cannot be
read or written is no loss: the files are parsed as before. Errors are never kept.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
from functools import cache
from pathlib import Path
from typing import Any

from . import yamlfile
from .cachedir import cache_folder, prune, read_kept_dict, store
from .yamlfile import LineMap, load_yaml

#: Entries kept at most (the newest): several projects' packs, many times over.
MOST_ENTRIES = 2000
#: Cache files kept, one for each version of this code.
KEEP = 4


@cache  # (a run may load the catalogue twice: see plan.build_plan)
def _code_key() -> str:
    recipe = (Path(yamlfile.__file__).read_bytes() + Path(__file__).read_bytes() + _pyyaml_version()
              + f" {marshal.version}".encode())
    return hashlib.sha256(recipe).hexdigest()[:16]


def _pyyaml_version() -> bytes:
    """PyYAML's ``__init__.py``, which sets its version, read without importing PyYAML
    (that takes longer than the rest of loading the rules from this cache)."""
    spec = importlib.util.find_spec("yaml")
    if spec is not None and spec.origin:
        try:
            return Path(spec.origin).read_bytes()
        except OSError:
            pass
    import yaml

    return yaml.__version__.encode()


class ParsedFiles:
    """Parsed YAML by text, read from the cache file on first use, written by :meth:`save`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_folder() / f"rule-files-{_code_key()}.marshal"
        self._entries: dict[bytes, bytes] | None = None
        self._changed = False

    def _read(self) -> dict[bytes, bytes]:
        if self._entries is None:
            self._entries = read_kept_dict(self.path)
        return self._entries

    def load(self, text: str, file: str) -> tuple[Any, LineMap]:
        """:func:`yamlfile.load_yaml`, from the cache when this text was parsed before."""
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        entries = self._read()
        kept = entries.get(key)
        if kept is not None:
            try:
                data, lines = marshal.loads(kept)
                return data, LineMap.of(lines)
            except (ValueError, EOFError, TypeError):
                pass  # damaged: parse it again
        data, lines = load_yaml(text, file)
        try:  # (marshalled now: whoever reads the data may change it)
            entries[key] = marshal.dumps((data, lines.recorded()))
            self._changed = True
        except ValueError:
            pass
        return data, lines

    def save(self) -> None:
        """Write the cache file if any file was parsed afresh."""
        if not self._changed or self._entries is None:
            return
        newest = list(self._entries.items())[-MOST_ENTRIES:]
        store(self.path, marshal.dumps(dict(newest)))
        prune(self.path.parent, "rule-files-*.marshal", KEEP)
        self._changed = False
