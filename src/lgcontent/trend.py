"""What changed since an earlier run: read its JSON report and compare counts.

Managers ask "is the site getting better?". ``--compare previous.json`` answers
with the JSON report of the earlier run (``--format json``), which CI jobs keep
anyway; nothing else needs storing between runs.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .findings import SEVERITY_NAMES
from .summary import Summary


class CompareError(Exception):
    """The earlier report cannot be used; the message names the file and why."""


@dataclass(frozen=True)
class RunCounts:
    """The figures of one run that a trend compares."""

    pages: int
    pages_with_findings: int
    by_severity: dict[str, int]
    median_reading_age: float | None
    by_rule: Counter[str]
    by_page: dict[str, int]  # findings on each page checked (0 for a clean page)


@dataclass(frozen=True)
class Change:
    """One figure before and after; lower is better for every figure we compare."""

    name: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return (self.after or 0) - (self.before or 0)


@dataclass(frozen=True)
class Trend:
    previous: str  # the earlier report's file name, as given
    totals: list[Change]
    better_rules: list[Change]
    worse_rules: list[Change]
    better_pages: list[Change]
    worse_pages: list[Change]
    new_pages: int
    gone_pages: int


def load_previous(path: str) -> RunCounts:
    """Counts from an lgcontent JSON report; CompareError when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CompareError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CompareError(f"{path}: is not JSON ({exc}); give a report written by --format json") from None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("findings"), list) \
            or not isinstance(data.get("summary"), dict):
        raise CompareError(f"{path}: is not a JSON report of lgcontent (written by --format json)")
    summary = data["summary"]
    try:
        by_rule = Counter(str(f["rule"]) for f in data["findings"])
        by_page = {str(p["path"]): int(p["findings"]) for p in data.get("pages", [])}
        counts = RunCounts(
            pages=int(summary["pages"]),
            pages_with_findings=int(summary["pages_with_findings"]),
            by_severity={name: int(summary.get(name, 0)) for name in SEVERITY_NAMES},
            median_reading_age=_number(summary.get("median_reading_age")),
            by_rule=by_rule,
            by_page=by_page,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CompareError(f"{path}: is not a JSON report of lgcontent: a field is missing or wrong"
                           f" ({exc})") from None
    return counts


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def counts_of(summary: Summary) -> RunCounts:
    """The same figures for the run that has just finished."""
    return RunCounts(
        pages=summary.pages,
        pages_with_findings=summary.pages_with_findings,
        by_severity={s.label: n for s, n in summary.counts.items()},
        median_reading_age=summary.median_reading_age,
        by_rule=Counter(summary.by_rule),
        by_page={p.path: p.findings for p in summary.page_stats},
    )


def _changes(before: dict[str, int], after: dict[str, int]) -> list[Change]:
    names = sorted(set(before) | set(after))
    return [Change(n, before.get(n, 0), after.get(n, 0)) for n in names if before.get(n, 0) != after.get(n, 0)]


def compare(previous: RunCounts, now: RunCounts, previous_name: str, limit: int = 15) -> Trend:
    """Figures before and after, and the rules and pages that changed most each way."""
    totals = [
        Change("findings", sum(previous.by_severity.values()), sum(now.by_severity.values())),
        *(Change(name + "s", previous.by_severity.get(name, 0), now.by_severity.get(name, 0))
          for name in SEVERITY_NAMES),
        Change("pages with findings", previous.pages_with_findings, now.pages_with_findings),
        Change("median reading age", previous.median_reading_age, now.median_reading_age),
    ]
    rules = _changes(dict(previous.by_rule), dict(now.by_rule))
    shared = set(previous.by_page) & set(now.by_page)
    pages = _changes({p: previous.by_page[p] for p in shared}, {p: now.by_page[p] for p in shared})
    return Trend(
        previous=previous_name,
        totals=totals,
        better_rules=sorted((c for c in rules if c.delta < 0), key=lambda c: (c.delta, c.name))[:limit],
        worse_rules=sorted((c for c in rules if c.delta > 0), key=lambda c: (-c.delta, c.name))[:limit],
        better_pages=sorted((c for c in pages if c.delta < 0), key=lambda c: (c.delta, c.name))[:limit],
        worse_pages=sorted((c for c in pages if c.delta > 0), key=lambda c: (-c.delta, c.name))[:limit],
        new_pages=len(set(now.by_page) - set(previous.by_page)),
        gone_pages=len(set(previous.by_page) - set(now.by_page)),
    )
