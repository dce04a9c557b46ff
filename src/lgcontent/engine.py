"""Run rules over a Document: route blocks by scope, apply suppressions, make Findings.

The engine knows nothing of terminals or file formats: it takes a Document and
rules, and returns Findings with exact 1-based positions.
"""

from __future__ import annotations

import re
from typing import Iterable

from .document import Block, Document
from .findings import Finding, Severity
from .kinds import Hit
from .kinds.multiscan import MultiScan
from .kinds.prefilter import Screen
from .last_seen import LastSeen
from .packs import Rule
from .spans import SpanSet
from .suppressions import SuppressionMap
from .timelimit import TimeLimitExceeded, time_limit


class _SafeParams(dict):
    """Message values; a value a hit did not supply shows as empty, never crashes."""

    def __missing__(self, key: str) -> str:
        return ""


def _finding(doc: Document, rule: Rule, hit: Hit) -> Finding:
    start, end = hit.start, hit.end
    line, column, end_line, end_column = doc.lines.positions(start, end)
    try:
        message = rule.message.format_map(hit.params)
    except KeyError:  # a value the hit did not supply (seldom: no copy of the values otherwise)
        message = rule.message.format_map(_SafeParams(hit.params))
    match = doc.source[start:end] if hit.has_match and end > start else None
    # (positional: a page can have thousands of findings)
    return Finding(doc.path, line, column, end_line, end_column, rule.id, rule.level, message, match,
                   hit.suggestion)


def _hits(doc: Document, rule: Rule, blocks: list[Block]) -> Iterable[Hit]:
    """Where ``rule`` (not a site-wide one: see site_findings) fires on ``doc``; text
    rules look only at ``blocks``."""
    checker = rule.checker
    if not checker.text_based:
        yield from checker.check_document(doc)
        return
    for block in blocks:
        if block.kind in rule.scope:
            yield from checker.check_block(block)


_SCANS: list[MultiScan] = []
#: Whether a Hyperscan database may be compiled when none is cached (see :func:`prepare`).
_may_compile = True
#: Compiling costs about as much as Hyperscan saves on this many pages: fewer pages are
#: checked with the quick tests alone unless a compiled database is in the cache.
PAGES_WORTH_COMPILING = 100


def _outgrown(scan: MultiScan | None) -> bool:
    """Whether ``scan`` was made without a database for a small run, and this run is big
    enough to compile one: then it is made again."""
    return scan is not None and _may_compile and scan.could_compile


def _scan_for(patterns: set[tuple[str, bool]]) -> MultiScan:
    """A Hyperscan pass that covers ``patterns``: one made for a larger rule list (see
    :func:`prepare`) serves each page format's part of it."""
    for scan in _SCANS:
        if patterns <= scan.patterns and not _outgrown(scan):
            return scan
    if len(_SCANS) > 8:
        _SCANS.clear()
    _SCANS.append(MultiScan(sorted(patterns), compile=_may_compile))
    return _SCANS[-1]


class _Screens:
    """The combined quick tests of a rule list: one Hyperscan pass for the rules whose
    patterns it can run (by pattern number, the rules of each), the quick tests for the rest."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules  # kept so that the ids in the cache key stay theirs
        scanned = {n: r.checker.hit_pattern for n, r in enumerate(rules)
                   if r.checker.text_based and r.checker.hit_pattern is not None}
        self.scan = _scan_for(set(scanned.values())) if scanned else None
        self.rules_of: dict[int, list[int]] = {}
        for n, pattern in scanned.items():
            if self.scan is not None and pattern in self.scan.numbers:
                self.rules_of.setdefault(self.scan.numbers[pattern], []).append(n)
        in_scan = {n for ns in self.rules_of.values() for n in ns}
        self.screen = Screen([(n, r.checker.prefilter) for n, r in enumerate(rules)
                              if n not in in_scan and r.checker.text_based and r.checker.prefilter is not None])
        self.keys = self.screen.keys | in_scan  # the rules that get only the blocks passed

    def keys_for(self, text: str) -> set[int]:
        keys = self.screen.keys_for(text) if self.screen.keys else set()
        if self.rules_of:
            for number in self.scan.numbers_for(text):
                keys.update(self.rules_of.get(number, ()))
        return keys


_SCREENS: dict[tuple[tuple[int, int], ...], _Screens] = {}


def _screens(rules: list[Rule]) -> _Screens:
    """The quick tests of a rule list, made once for each distinct list."""
    key = tuple((id(r), id(r.checker)) for r in rules)  # (not the quick tests: made only when needed)
    made = _SCREENS.get(key)
    if made is None or _outgrown(made.scan):
        if len(_SCREENS) > 64:
            _SCREENS.clear()
        _SCREENS[key] = _Screens(rules)
    return _SCREENS[key]


def prepare(rules: list[Rule], pages: int) -> None:
    """Make the quick tests for a run of ``pages`` pages now: one Hyperscan database for
    all ``rules`` (before worker processes fork, so that they share it), then each page
    format's share of it. A database is compiled only for enough pages to repay it."""
    global _may_compile
    _may_compile = pages >= PAGES_WORTH_COMPILING
    _scan_for({r.checker.hit_pattern for r in rules if r.checker.text_based and r.checker.hit_pattern is not None})
    for page_format in ("html", "markdown"):
        _screens(_page_rules(rules, page_format))


def _page_rules(rules: Iterable[Rule], page_format: str) -> list[Rule]:
    """The rules that look at each page of this format (site-wide rules run once, later)."""
    return [rule for rule in rules if page_format in rule.formats and not rule.checker.site_based]


#: For the rule list the last page was checked with, each page format's rules (see
#: :func:`_page_rules`) and their quick tests: a run checks page after page with one list,
#: so they are worked out once, not for every page.
_FOR_RULES: LastSeen[dict[str, tuple[list[Rule], _Screens]]] = LastSeen()


def _rules_and_screens(rules: Iterable[Rule], page_format: str) -> tuple[list[Rule], _Screens]:
    if not isinstance(rules, list):
        page_rules = _page_rules(rules, page_format)
        return page_rules, _screens(page_rules)
    by_format = _FOR_RULES.get(rules, dict)
    made = by_format.get(page_format)
    if made is None or _outgrown(made[1].scan):
        page_rules = _page_rules(rules, page_format)
        made = by_format[page_format] = (page_rules, _screens(page_rules))
    return made


def _blocks_by_rule(doc: Document, rules: list[Rule], screens: _Screens) -> list[list[Block]]:
    """For each rule, the blocks it may match: all of them unless it has a quick test."""
    result = [[] if n in screens.keys else doc.blocks for n in range(len(rules))]
    for block in doc.blocks:
        for n in screens.keys_for(block.text):
            result[n].append(block)
    return result


UNUSED_SUPPRESSION = "suppressions.unused"


def _time_budget(doc: Document) -> float:
    """Seconds the rules may take on one page: generous, growing with the page's size."""
    return 20.0 + len(doc.source) / 100_000


def accepted_spans(doc: Document, accept: re.Pattern[str]) -> list[tuple[int, int]]:
    """Source spans of the accepted vocabulary on the page (block text, title, description)."""
    spans = []
    for block in doc.blocks:
        spans += [block.content.span(*m.span()) for m in accept.finditer(block.text)]
    for field in (doc.title, doc.description):
        if field is not None and field.end - field.start == len(field.value):
            spans += [(field.start + m.start(), field.start + m.end()) for m in accept.finditer(field.value)]
    return spans


def _unused(doc: Document, silenced: SuppressionMap) -> list[Finding]:
    result = []
    for comment in silenced.unused():
        line, column, end_line, end_column = doc.lines.positions(comment.start, comment.end)
        names = f" for {', '.join(comment.rules)}" if comment.rules else ""
        result.append(Finding(doc.path, line, column, end_line, end_column, UNUSED_SUPPRESSION,
                              Severity.WARNING, f"This lgcontent-{comment.action} comment{names} does not"
                              " silence anything. Remove it, or check the rule names.",
                              doc.source[comment.start:comment.end]))
    return result


def check_document(doc: Document, rules: Iterable[Rule], accept: re.Pattern[str] | None = None,
                   report_unused: bool = False) -> list[Finding]:
    """All findings of ``rules`` on ``doc``, in source order, suppressions applied.

    Findings inside ``accept`` matches (a house style's accepted terms) are left out.
    With ``report_unused``, suppression comments that silenced nothing become findings.
    """
    silenced = SuppressionMap(doc.suppressions) if doc.suppressions else None  # (most pages have none)
    spans = accepted_spans(doc, accept) if accept is not None else []
    accepted = SpanSet(spans) if spans else None  # (None: nothing to test at each hit)
    findings: dict[tuple[str, int, int], Finding] = {}
    for_format, screens = _rules_and_screens(rules, doc.format)
    # A text rule whose quick tests passed over every block has nothing to do.
    todo = [(rule, rule_blocks) for rule, rule_blocks in zip(for_format, _blocks_by_rule(doc, for_format, screens))
            if rule_blocks or not rule.checker.text_based]
    done = 0
    while done < len(todo):
        # One timer for the page: a rule whose pattern backtracks without end is stopped,
        # reported in a note, and the other rules still run.
        try:
            with time_limit(_time_budget(doc)):
                while done < len(todo):
                    rule, rule_blocks = todo[done]
                    for hit in _hits(doc, rule, rule_blocks):
                        if accepted is not None and hit.has_match and accepted.covers(hit.start, hit.end):
                            continue
                        finding = _finding(doc, rule, hit)
                        if silenced is not None and silenced.silenced((rule.id, rule.group, rule.pack),
                                                                      finding.line):
                            continue
                        findings.setdefault((rule.id, hit.start, hit.end), finding)
                    done += 1
        except TimeLimitExceeded:
            if done == len(todo):
                break  # the time ran out just as the last rule finished
            stopped, _ = todo[done]
            done += 1
            doc.incomplete = True
            doc.notes.append(f"the rule {stopped.id} took too long on this page and was stopped;"
                             " its findings here are missing")
    result = list(findings.values())
    if report_unused and silenced is not None:
        result += _unused(doc, silenced)
    return sorted(result, key=Finding.sort_key)


def site_findings(index, rules: Iterable[Rule]) -> dict[str, list[Finding]]:
    """Findings of the site-wide rules, by page path, in page order."""
    result: dict[str, list[Finding]] = {}
    for rule in rules:
        if not rule.checker.site_based:
            continue
        for path, placed, params in rule.checker.check_site(index):
            message = rule.message.format_map(_SafeParams(params))
            result.setdefault(path, []).append(Finding(
                path, placed.line, placed.column, placed.end_line, placed.end_column, rule.id, rule.level,
                message, placed.match))
    order = {page.path: n for n, page in enumerate(index.pages)}
    return {path: sorted(found, key=Finding.sort_key)
            for path, found in sorted(result.items(), key=lambda kv: order.get(kv[0], 0))}
