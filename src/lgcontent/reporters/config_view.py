"""``lgcontent config``: the configuration in use, each value with where it came from."""

from __future__ import annotations

import json
from typing import TextIO

from .base import printable


def _line(out: TextIO, text: str, origin: str) -> None:
    out.write(printable(f"{text:<58}  # {origin}") + "\n")


def show_config(plan, out: TextIO) -> None:
    config = plan.config
    out.write(f"# configuration file: {config.path or 'none found (the defaults apply)'}\n")
    out.write(f"# rules that run: {len(plan.base)} of {len(plan.all_rules)}\n")
    packs_on = sorted({r.pack for r in plan.base})
    _line(out, f"packs: {', '.join(packs_on)}", "defaults and settings below")
    for key in ("extends", "enable", "disable"):
        values = getattr(config, key)
        out.write(f"{key}:{'' if values else ' []'}\n")
        for v in values:
            _line(out, f"  - {v.value}", v.origin)
    for key in ("severity", "options"):
        values = getattr(config, key)
        out.write(f"{key}:{'' if values else ' {}'}\n")
        for name, v in values.items():
            shown = v.value if key == "severity" else json.dumps(v.value, ensure_ascii=False)
            _line(out, f"  {name}: {shown}", v.origin)
    out.write("vocabulary:\n")
    out.write(f"  accept:{'' if config.accept else ' []'}\n")
    for v in config.accept:
        _line(out, f"    - {v.value}", v.origin)
    out.write(f"  reject:{'' if config.reject else ' {}'}\n")
    for term, v in config.reject.items():
        _line(out, f"    {term}: {v.value or '(avoid)'}", v.origin)
    out.write(f"overrides:{'' if config.overrides else ' []'}\n")
    for o in config.overrides:
        _line(out, f"  - files: {[f.value for f in o.files]}", o.origin)
        for key in ("enable", "disable"):
            for v in getattr(o, key):
                _line(out, f"    {key}: {v.value}", v.origin)
        for name, v in o.severity.items():
            _line(out, f"    severity {name}: {v.value}", v.origin)
        for name, v in o.options.items():
            _line(out, f"    options {name}: {json.dumps(v.value)}", v.origin)
    for key, default in (("fail_on", "error"), ("max_warnings", None), ("content_selector", None), ("cache", False)):
        value = getattr(config, key)
        if value is not None:
            _line(out, f"{key}: {_yaml_word(value.value)}", value.origin)
        else:
            _line(out, f"{key}: {_yaml_word(default) if default is not None else '(not set)'}", "default")


def _yaml_word(value: object) -> object:
    """true and false as a configuration file writes them."""
    return json.dumps(value) if isinstance(value, bool) else value
