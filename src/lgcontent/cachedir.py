"""Where lgcontent keeps what it can work out again: compiled pattern databases and
the results cache. $LGCONTENT_CACHE_DIR, else the user's cache folder."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    chosen = os.environ.get("LGCONTENT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lgcontent"
