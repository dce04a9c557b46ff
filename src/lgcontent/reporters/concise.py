"""``concise``: one line a finding, ``path:line:col: severity rule message``."""

from __future__ import annotations

from ..findings import PageResult
from .base import Reporter, one_line


class ConciseReporter(Reporter):
    name = "concise"

    def page(self, result: PageResult) -> None:
        for f in result.findings:
            self.stream.write(
                f"{one_line(f.path)}:{f.line}:{f.column}: {f.severity.label} {f.rule} {one_line(f.message)}\n"
            )
