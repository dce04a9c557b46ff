"""What a whole run found: counts for the footer, the JSON summary and --statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .findings import RULE_OF, SEVERITY_OF, PageResult, Severity


@dataclass(frozen=True, slots=True)
class PageStats:
    path: str
    findings: int
    reading_age: float | None


@dataclass
class Summary:
    """Counts gathered page by page (small records only: memory stays flat)."""

    pages: int = 0
    pages_with_findings: int = 0
    counts: Counter[Severity] = field(default_factory=lambda: Counter({s: 0 for s in Severity}))
    unchecked: list[tuple[str, str]] = field(default_factory=list)
    by_rule: Counter[str] = field(default_factory=Counter)
    page_stats: list[PageStats] = field(default_factory=list)
    in_baseline: int = 0  # findings left out because the baseline already has them

    def add(self, result: PageResult) -> None:
        if result.error is not None:
            self.unchecked.append((result.path, result.error))
            return
        self.in_baseline += result.in_baseline
        count = result.finding_count
        if not result.site:
            self.pages += 1
            if count:
                self.pages_with_findings += 1
        if result.written is not None:  # counted already, by the worker that wrote them
            self.counts.update(result.written.severities)
            self.by_rule.update(result.written.rules)
        else:
            self.counts.update(map(SEVERITY_OF, result.findings))
            self.by_rule.update(map(RULE_OF, result.findings))
        if result.site:
            return
        self.page_stats.append(PageStats(result.path, count, result.reading_age))

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    @property
    def median_reading_age(self) -> float | None:
        ages = [p.reading_age for p in self.page_stats if p.reading_age is not None]
        return _median(ages) if ages else None

    def worst_at_least(self, level: Severity) -> bool:
        return any(n for s, n in self.counts.items() if s >= level)

    def worst_by_findings(self, n: int = 10) -> list[PageStats]:
        ranked = sorted((p for p in self.page_stats if p.findings), key=lambda p: (-p.findings, p.path))
        return ranked[:n]

    def worst_by_reading_age(self, n: int = 10) -> list[PageStats]:
        aged = [p for p in self.page_stats if p.reading_age is not None]
        return sorted(aged, key=lambda p: (-(p.reading_age or 0), p.path))[:n]

    def statistics(self) -> dict[str, object]:
        """The --statistics section of the JSON report."""
        def page(p: PageStats) -> dict[str, object]:
            age = round(p.reading_age, 1) if p.reading_age is not None else None
            return {"path": p.path, "findings": p.findings, "reading_age": age}

        return {
            "by_rule": dict(sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_page": {p.path: p.findings for p in self.page_stats if p.findings},
            "worst_by_findings": [page(p) for p in self.worst_by_findings()],
            "worst_by_reading_age": [page(p) for p in self.worst_by_reading_age()],
        }


def _median(values: list[float]) -> float:
    """The middle value (the mean of the middle two for an even count), as
    statistics.median gives it, without loading that module on every run."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

