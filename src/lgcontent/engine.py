"""Run rules over a Document: route blocks by scope, apply suppressions, make Findings.

The engine knows nothing of terminals or file formats: it takes a Document and
rules, and returns Findings with exact 1-based positions.
"""

from __future__ import annotations

from typing import Iterable

from .document import Document
from .findings import Finding
from .kinds import Hit
from .packs import Rule
from .suppressions import SuppressionMap


class _SafeParams(dict):
    """Message values; a value a hit did not supply shows as empty, never crashes."""

    def __missing__(self, key: str) -> str:
        return ""


def _finding(doc: Document, rule: Rule, hit: Hit) -> Finding:
    line, column = doc.position(hit.start)
    end_line, end_column = doc.position(max(hit.end, hit.start))
    message = rule.message.format_map(_SafeParams(hit.params))
    match = doc.source[hit.start:hit.end] if hit.has_match and hit.end > hit.start else None
    return Finding(
        path=doc.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=rule.id,
        severity=rule.level,
        message=message,
        match=match,
        suggestion=hit.suggestion,
    )


def _hits(doc: Document, rule: Rule) -> Iterable[Hit]:
    checker = rule.checker
    if not checker.text_based:
        yield from checker.check_document(doc)
        return
    for block in doc.blocks:
        if block.kind in rule.scope:
            yield from checker.check_block(block)


def check_document(doc: Document, rules: Iterable[Rule]) -> list[Finding]:
    """All findings of ``rules`` on ``doc``, in source order, suppressions applied."""
    silenced = SuppressionMap(doc.suppressions)
    findings: dict[tuple[str, int, int], Finding] = {}
    for rule in rules:
        if doc.format not in rule.formats:
            continue
        for hit in _hits(doc, rule):
            finding = _finding(doc, rule, hit)
            if silenced.silenced((rule.id, rule.group, rule.pack), finding.line):
                continue
            findings.setdefault((rule.id, hit.start, hit.end), finding)
    return sorted(findings.values(), key=Finding.sort_key)
