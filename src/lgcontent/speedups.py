"""The compiled speed-ups (``lgcontent._speedups``, from ``_speedups.c``), if present.

Installing lgcontent builds them where a C compiler is found (``hatch_build.py``);
anywhere else lgcontent runs as plain Python and finds the same, more slowly. Setting
``LGCONTENT_PURE_PYTHON=1`` turns them off, to compare the two or to rule them out.
"""

from __future__ import annotations

import os
from types import ModuleType

#: Set (to anything but an empty string) to run without the compiled speed-ups.
PURE_PYTHON_VARIABLE = "LGCONTENT_PURE_PYTHON"

#: The API of _speedups.c this Python code calls. A module built from older source (an
#: editable install not built again after a pull) has another, and is not used.
API = 2


def _built() -> ModuleType | None:
    try:
        from . import _speedups
    except ImportError:
        return None
    return _speedups


def load() -> ModuleType | None:
    """The compiled module, or None when it was not built, is out of date or is turned off."""
    if os.environ.get(PURE_PYTHON_VARIABLE):
        return None
    module = _built()
    return module if module is not None and getattr(module, "API", None) == API else None


def describe() -> str:
    """How this lgcontent runs, for ``lgcontent --version`` (and so for bug reports)."""
    if load() is not None:
        return "compiled speed-ups"
    if os.environ.get(PURE_PYTHON_VARIABLE):
        return f"plain Python: {PURE_PYTHON_VARIABLE} is set"
    if _built() is not None:
        return "plain Python: the compiled speed-ups were built from other source; install lgcontent again"
    return "plain Python: the compiled speed-ups were not built"
