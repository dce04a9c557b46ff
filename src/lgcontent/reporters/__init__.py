"""Reporters by format name. The CLI looks a format up here; it never branches on it."""

from __future__ import annotations

import importlib

from .base import Reporter

# Module and class of each reporter, imported only when asked for (Rich is slow to import).
_REPORTERS = {
    "rich": ("rich_report", "RichReporter"),
    "concise": ("concise", "ConciseReporter"),
    "json": ("json_report", "JsonReporter"),
    "junit": ("junit", "JUnitReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "github": ("github", "GitHubReporter"),
    "gitlab": ("gitlab", "GitLabReporter"),
    "html": ("html_report", "HtmlReporter"),
}

FORMATS = tuple(_REPORTERS)


def reporter_class(name: str) -> type[Reporter]:
    module_name, class_name = _REPORTERS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, class_name)
