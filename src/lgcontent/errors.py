"""Errors that reach the user as one line naming the file (and line) at fault."""

from __future__ import annotations


class LgcontentError(Exception):
    """Any problem the user can fix: bad input, bad rule, bad option."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class InputError(LgcontentError):
    """A page that cannot be read or checked."""


class RuleError(LgcontentError):
    """A rule file that does not load or does not validate."""
