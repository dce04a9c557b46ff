"""Baselines: record today's findings so that CI fails only on new ones.

A baseline file lists fingerprints (see :mod:`lgcontent.fingerprints`), which do
not include line numbers, so editing one part of a page does not bring back the
findings recorded elsewhere on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import LgcontentError
from .files import write_atomically
from .findings import PageResult

VERSION = 1


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints in a baseline file. Raises LgcontentError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LgcontentError(str(path), "no such baseline file (make one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LgcontentError(str(path), f"cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise LgcontentError(str(path), f"is not a baseline file: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise LgcontentError(str(path), f"is not a version {VERSION} lgcontent baseline file")
    prints = [item.get("fingerprint") for item in data["findings"] if isinstance(item, dict)]
    if len(prints) != len(data["findings"]) or not all(isinstance(p, str) for p in prints):
        raise LgcontentError(str(path), "has a finding without a fingerprint")
    return frozenset(prints)


class BaselineWriter:
    """Collects every finding of a run, then writes the baseline file in one go."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[dict[str, object]] = []

    def add(self, result: PageResult) -> None:
        for finding, fingerprint in zip(result.findings, result.fingerprints):
            self.entries.append({"fingerprint": fingerprint, "path": finding.path, "rule": finding.rule,
                                 "line": finding.line, "message": finding.message})

    def write(self) -> None:
        data = {"version": VERSION, "tool": "lgcontent", "findings": self.entries}
        write_atomically(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
