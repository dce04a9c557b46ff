"""``json``: the machine-readable report whose shape DESIGN.md promises.

Written as it goes, one finding at a time, so memory stays flat on big sites.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from json.encoder import encode_basestring  # what json.dumps(..., ensure_ascii=False) quotes strings with
from typing import Iterable

from ..findings import Finding, PageResult, Severity
from ..summary import Summary
from .base import ReportContext, Reporter

VERSION = 1
_SEVERITIES = {severity: encode_basestring(severity.label) for severity in Severity}


#: Most strings :class:`_Quoted` keeps, and the longest: a few MB at most, however many
#: pages a run has (a long sentence, quoted as a finding's match, is seldom seen twice).
MOST_QUOTED = 10_000
LONGEST_QUOTED = 200


class _Quoted(dict):
    """JSON literals (``null`` for None) of the strings findings repeat: a site's hundreds
    of thousands of findings share a few thousand rule ids, messages, matches and
    suggestions (and each page's path), and quoting each once instead of at every
    finding takes about a quarter off writing them. Emptied when full, so memory stays
    flat."""

    def __missing__(self, text: str | None) -> str:
        if text is not None and len(text) > LONGEST_QUOTED:
            return encode_basestring(text)
        if len(self) >= MOST_QUOTED:
            self.clear()
        quoted = self[text] = "null" if text is None else encode_basestring(text)
        return quoted


_QUOTED = _Quoted()


def findings_json(findings: Iterable[Finding]) -> str:
    """``json.dumps(f.to_dict(), ensure_ascii=False)`` for each finding, joined by a comma
    and a new line, written out by hand: four times faster, on a big site's hundreds of
    thousands of findings (a test holds the two to the same text)."""
    quoted, severities = _QUOTED, _SEVERITIES
    return ",\n  ".join([
        f'{{"path": {quoted[f.path]}, "line": {f.line}, "column": {f.column}, '
        f'"end_line": {f.end_line}, "end_column": {f.end_column}, "rule": {quoted[f.rule]}, '
        f'"severity": {severities[f.severity]}, "message": {quoted[f.message]}, '
        f'"match": {quoted[f.match]}, "suggestion": {quoted[f.suggestion]}}}' for f in findings])


def findings_json_utf8(findings: Iterable[Finding]) -> bytes | str:
    """What :func:`findings_json` writes, as UTF-8: a ``--jobs`` worker sends this (see
    ``WrittenFindings``), and the main process passes the bytes straight to the report's
    file, neither decoding them from the worker's message nor encoding them again. Text
    that holds a lone surrogate stays text, for the report's stream to deal with."""
    text = findings_json(findings)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


def _utf8_bytes_under(stream) -> io.BufferedIOBase | None:
    """The byte stream under a text stream that writes exactly the UTF-8 of its text (new
    lines unchanged), so that bytes written to it read the same; None for any other."""
    buffer, encoding = getattr(stream, "buffer", None), getattr(stream, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        return buffer if codecs.lookup(encoding).name == "utf-8" else None
    except LookupError:
        return None


class JsonReporter(Reporter):
    name = "json"

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self._first = True
        self._pages: list[dict[str, object]] = []
        self._bytes_out = _utf8_bytes_under(stream)
        self._text_pending = True  # text written to the stream and perhaps not yet to _bytes_out
        self.stream.write('{"version": %d, "findings": [' % VERSION)

    def page(self, result: PageResult) -> None:
        if result.error is None and not result.site:
            age = round(result.reading_age, 1) if result.reading_age is not None else None
            self._pages.append({"path": result.path, "words": result.words, "reading_age": age,
                                "findings": result.finding_count})
        if not result.finding_count:
            return
        separator = "\n  " if self._first else ",\n  "
        self._first = False
        # (written already by a --jobs worker, as findings_json_utf8 writes them: see WrittenFindings)
        written = result.written.text if result.written is not None else findings_json(result.findings)
        if isinstance(written, str) or self._bytes_out is None:
            self.stream.write(separator)
            self.stream.write(written if isinstance(written, str) else written.decode("utf-8"))
            self._text_pending = True
        else:
            if self._text_pending:  # (the text stream holds text that comes first)
                self.stream.flush()
                self._text_pending = False
            self._bytes_out.write(separator.encode())
            self._bytes_out.write(written)

    def finish(self, summary: Summary) -> None:
        median = summary.median_reading_age
        data = {
            "pages": summary.pages,
            "pages_with_findings": summary.pages_with_findings,
            "findings": summary.findings,
            **{s.label: summary.counts[s] for s in sorted(Severity, reverse=True)},
            "unchecked": len(summary.unchecked),
            "median_reading_age": round(median, 1) if median is not None else None,
        }
        unchecked = [{"path": p, "message": m} for p, m in summary.unchecked]
        self.stream.write("\n]" if not self._first else "]")
        self.stream.write(', "pages": ' + json.dumps(self._pages, ensure_ascii=False))
        self.stream.write(', "unchecked": ' + json.dumps(unchecked, ensure_ascii=False))
        if summary.in_baseline:
            data["in_baseline"] = summary.in_baseline
        self.stream.write(', "summary": ' + json.dumps(data))
        if self.context.statistics:
            self.stream.write(', "statistics": ' + json.dumps(summary.statistics(), ensure_ascii=False))
        self.stream.write("}\n")
