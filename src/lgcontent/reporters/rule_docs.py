"""Describe rules for people (``lgcontent rules``, ``explain``) and for tools (JSON)."""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from ..packs import Example, Rule
from .base import printable


def rule_as_dict(rule: Rule) -> dict[str, object]:
    def examples(items: tuple[Example, ...]) -> list[object]:
        return [e.text if e.format == "markdown" else {e.format: e.text} for e in items]

    return {
        "id": rule.id,
        "pack": rule.pack,
        "kind": rule.kind,
        "severity": rule.level.label,
        "enabled": rule.enabled,
        "summary": rule.summary,
        "message": rule.message,
        "why": rule.why,
        "source": rule.source,
        "link": rule.link,
        "fix": rule.fix,
        "scope": sorted(rule.scope) if rule.text_based else None,
        "formats": sorted(rule.formats),
        "options": rule.options,
        "examples": {"fail": examples(rule.fail_examples), "pass": examples(rule.pass_examples)},
    }


def rules_as_json(rules: list[Rule]) -> str:
    return json.dumps({"version": 1, "rules": [rule_as_dict(r) for r in rules]}, indent=2,
                      ensure_ascii=False)


class _SafeText:
    """Writes text from rule files with control characters escaped (packs are shared)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write("\n".join(printable(line) for line in text.split("\n")))


def rules_table(rules: list[Rule], out: TextIO) -> None:
    out = _SafeText(out)
    id_width = max((len(r.id) for r in rules), default=4)
    pack_width = max((len(r.pack) for r in rules), default=4)
    out.write(f"{'RULE'.ljust(id_width)}  {'PACK'.ljust(pack_width)}  {'SEVERITY'.ljust(10)}  SUMMARY\n")
    for rule in rules:
        off = "" if rule.enabled else " (off by default)"
        out.write(f"{rule.id.ljust(id_width)}  {rule.pack.ljust(pack_width)}  {rule.level.label.ljust(10)}"
                  f"  {rule.summary}{off}\n")
    packs = sorted({r.pack for r in rules})
    out.write(f"\n{len(rules)} rules in {len(packs)} packs: {', '.join(packs)}.\n"
              "Run 'lgcontent explain RULE' to read about one.\n")


def _para(out: TextIO, heading: str, body: str) -> None:
    out.write(f"\n{heading}\n")
    for paragraph in body.strip().split("\n\n"):
        out.write(textwrap.fill(" ".join(paragraph.split()), width=78, initial_indent="  ",
                                subsequent_indent="  ") + "\n")


def explain_rule(rule: Rule, out: TextIO) -> None:
    out = _SafeText(out)
    out.write(f"{rule.id}  ({rule.level.label}{'' if rule.enabled else ', off by default'})\n")
    out.write(f"{rule.summary}\n")
    _para(out, "Why it matters", rule.why)
    if rule.fix:
        _para(out, "How to fix it", rule.fix)
    source = rule.source + (f"\n\n{rule.link}" if rule.link else "")
    _para(out, "Source", source)
    for title, items in (("Flagged, for example", rule.fail_examples),
                         ("Fine, for example", rule.pass_examples)):
        out.write(f"\n{title}\n")
        for example in items:
            label = "" if example.format == "markdown" else f"({example.format}) "
            lines = (label + example.text.strip()).splitlines() or [""]
            out.write(f"  - {lines[0]}\n" + "".join(f"    {line}".rstrip() + "\n" for line in lines[1:]))
    details = [f"kind: {rule.kind}", f"pack: {rule.pack}", f"defined in: {rule.path}"]
    if rule.text_based:
        details.append("checks: " + ", ".join(sorted(rule.scope)))
    out.write("\n" + "\n".join(details) + "\n")
