"""Fingerprints: a finding's identity that survives edits elsewhere on the page.

A fingerprint hashes the page path, the rule, the text the finding covers and how
many identical findings came before it on the page. Line numbers are left out, so
adding a paragraph above a problem does not make the problem look new. Used by
baselines and by the GitLab and SARIF reports.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable

from .findings import Finding


def _context(finding: Finding) -> str:
    return " ".join((finding.match or "").split())


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One fingerprint for each finding, in order. Findings must be in page order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.path.replace("\\", "/"), finding.rule, _context(finding))
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        result.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return result
