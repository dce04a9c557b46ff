"""What checking one page found, before a baseline picks which findings to report.

The runner makes one for each page it checks, and the results cache keeps it: a
baseline, the formats asked for and the reports do not change it, so a kept one
serves any later run that checks the same page with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding
from .pickled import pickled_as_fields
from .site import SitePage


@pickled_as_fields  # (--jobs workers send one for every page)
@dataclass(frozen=True, slots=True)
class Checked:
    path: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    #: The source line each finding starts on, by line number (for reports that show them).
    lines: dict[int, str] = field(default_factory=dict)
    words: int = 0  # words of prose checked on the page
    reading_age: float | None = None  # UK reading age of the whole page, None when too short
    title: str | None = None
    site: SitePage | None = None  # what site-wide rules need, when they run
    complete: bool = True  # False when a rule was stopped for taking too long
