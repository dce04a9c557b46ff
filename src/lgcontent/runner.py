"""Check pages one at a time: load, run the rules, yield each page's result.

Results stream out in input order, so a report can be written while a large
folder is still being checked, and no page's problem stops the others.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from . import regex_cache
from .checked import Checked
from .document import LineIndex
from .engine import check_document, prepare, site_findings
from .errors import InputError
from .findings import Finding, PageResult, WrittenFindings
from .fingerprints import fingerprints
from .inputs import STDIN, PageSource, expand
from .loaders import DEFAULT_MAX_BYTES, format_of, load_bytes, load_file, too_large
from .loaders.decoding import decode
from .loaders.url import Fetched, is_web_address
from .site import SiteIndex, summarise
from .packs import Rule
from .readability import page_counts, reading_age

if TYPE_CHECKING:  # the results cache (and SQLite) is loaded only for runs that use it
    from .results_cache import ResultsCache

#: Below this many words a page's reading age says little, so none is given.
MIN_WORDS_FOR_READING_AGE = 50


@dataclass
class CheckOptions:
    stdin_format: str = "markdown"
    stdin_name: str = "<stdin>"
    content_selector: str | None = None
    read_stdin: Callable[[], bytes] | None = None
    #: Fingerprints of findings to leave out (from --baseline).
    baseline: frozenset[str] = field(default_factory=frozenset)
    accept: re.Pattern[str] | None = None  # the house style's accepted terms
    report_unused_suppressions: bool = False
    fetcher: Any = None  # a loaders.url.Fetcher, made when the first web address comes
    site: SiteIndex | None = None  # set to run site-wide rules over a folder or crawl
    max_bytes: int = DEFAULT_MAX_BYTES  # larger pages are reported, not checked
    jobs: int = 1  # processes that check files at once
    source_lines: bool = True  # copy out the source line of each finding, for reports that show it
    #: The cache folder, to keep each file's result and reuse it while nothing it depends on
    #: changes (--cache); None: check every page.
    cache: Path | None = None
    cache_problem: str | None = None  # set when the cache could not be used, saying why
    #: Writes a page's findings as the report does, when that report is the only one and
    #: no baseline is read or written: --jobs workers then send the text and counts
    #: (WrittenFindings), not the findings, for the main process to pass on.
    write_findings: Callable[[Sequence[Finding]], str | bytes] | None = None


def _fetch_page(url: str, options: CheckOptions, fetched: Fetched | None = None):
    """Fetch a web page (unless a crawl already has) and load it; its path is the URL."""
    if fetched is None:
        if options.fetcher is None:
            from .loaders.url import Fetcher

            options.fetcher = Fetcher()
        fetched = options.fetcher.fetch(url)
    if fetched.error is not None:
        raise InputError(url, fetched.error)
    if fetched.format is None:
        kind = fetched.content_type or "no content type"
        raise InputError(url, f"is not a web page ({kind})")
    return load_bytes(fetched.body, url, fetched.format, options.content_selector, fetched.charset)


def _check_one(path: str, rules_for: Callable[[str], list[Rule]], options: CheckOptions,
               fetched: Fetched | None = None) -> PageResult:
    checked = _inspect(path, rules_for, options, fetched)
    return checked if isinstance(checked, PageResult) else _result(checked, options)


def _check_file(path: str, rules_for: Callable[[str], list[Rule]], options: CheckOptions,
                cache: ResultsCache | None) -> PageResult:
    """A file's result: kept in the cache from an earlier run, or checked (and kept)."""
    data, key = _cache_key(path, rules_for, options, cache)
    if key is None:
        return _check_one(path, rules_for, options)
    assert cache is not None
    kept = cache.get(key, path)
    if kept is not None:
        assert data is not None
        return _kept_result(kept, data, rules_for, options)
    checked = _inspect(path, rules_for, options, data=data)
    if isinstance(checked, PageResult):
        return checked
    cache.put(key, cache.keepable(checked))
    return _result(checked, options)


def _cache_key(path: str, rules_for: Callable[[str], list[Rule]], options: CheckOptions,
               cache: ResultsCache | None) -> tuple[bytes | None, bytes | None]:
    """A file's bytes and the key of its result (None, None: not a file the cache can serve)."""
    if cache is None or not cache.usable or path == STDIN or is_web_address(path) or format_of(path) is None:
        return None, None
    data = cache.read_page(path, options.max_bytes)
    return (data, cache.key(path, data, rules_for(path))) if data is not None else (None, None)


def _inspect(path: str, rules_for: Callable[[str], list[Rule]], options: CheckOptions,
             fetched: Fetched | None = None, data: bytes | None = None) -> Checked | PageResult:
    """Load and check one page: what it holds before a baseline is applied, or an error.
    ``data``: a file's bytes, already read (the results cache keys them)."""
    try:
        if path == STDIN:
            if options.read_stdin is None:
                raise InputError(options.stdin_name, "standard input is not available")
            data = options.read_stdin()
            if len(data) > options.max_bytes:
                raise too_large(options.stdin_name, len(data), options.max_bytes)
            doc = load_bytes(data, options.stdin_name, options.stdin_format, options.content_selector)
        elif is_web_address(path):
            doc = _fetch_page(path, options, fetched)
        elif data is not None:
            doc = load_bytes(data, path, format_of(path) or "html", options.content_selector)
        else:
            doc = load_file(path, options.content_selector, max_bytes=options.max_bytes)
        findings = check_document(doc, rules_for(path), options.accept, options.report_unused_suppressions)
        site = summarise(doc, options.site.roots) if options.site is not None else None
    except InputError as exc:
        return PageResult(path if path != STDIN else options.stdin_name, error=exc.message)
    except RecursionError:
        return PageResult(path, error="is nested too deeply to check")
    except MemoryError:
        return PageResult(path, error="is too large to check in the memory available")
    except Exception as exc:  # a fault of ours must not stop the other pages
        return PageResult(path, error=f"could not be checked because of a fault in lgcontent"
                          f" ({type(exc).__name__}: {exc}); please report it")
    lines = _lines_of(findings, doc.lines, doc.source) if options.source_lines else {}
    counts = page_counts(doc.blocks)
    age = reading_age(counts) if counts.words >= MIN_WORDS_FOR_READING_AGE else None
    return Checked(doc.path, tuple(findings), tuple(doc.notes), lines, counts.words, age,
                   doc.title.value if doc.title else None, site, not doc.incomplete)


def _lines_of(findings: Iterable[Finding], index: LineIndex, source: str) -> dict[int, str]:
    """The source line each finding starts on, by line number."""
    lines = {}
    for finding in findings:
        if finding.line not in lines:
            start, end = index.line_span(finding.line)
            lines[finding.line] = source[start:end]
    return lines


def _kept_result(kept: Checked, data: bytes, rules_for: Callable[[str], list[Rule]],
                 options: CheckOptions) -> PageResult:
    """The result of a page the cache kept. The cache does not keep source lines (a third of
    its size): reports that show them take them from the page's bytes, read for its key,
    decoded as the loader decodes them."""
    if options.source_lines and kept.findings:
        try:
            text, _ = decode(data, kept.path, html=format_of(kept.path) == "html")
        except InputError:  # (the page was read this way before; if it cannot be now, check it)
            return _check_one(kept.path, rules_for, options)
        kept = replace(kept, lines=_lines_of(kept.findings, LineIndex(text), text))
    return _result(kept, options)


def _result(checked: Checked, options: CheckOptions, written: WrittenFindings | None = None) -> PageResult:
    """What to report of a checked page: the findings the baseline does not have (or,
    from a worker, its findings written out: then there is no baseline)."""
    if options.site is not None and checked.site is not None:
        options.site.add(checked.site)
    findings, prints = _outside_baseline(list(checked.findings), options.baseline)
    # (the lines of the findings reported, in the order they first come)
    lines = {f.line: checked.lines[f.line] for f in findings} if options.source_lines else {}
    return PageResult(checked.path, tuple(findings), notes=checked.notes, lines=lines,
                      words=checked.words, reading_age=checked.reading_age, known_fingerprints=prints,
                      in_baseline=len(checked.findings) - len(findings), title=checked.title, written=written)


def check_paths(paths: Iterable[str], rules: list[Rule] | Callable[[str], list[Rule]],
                options: CheckOptions) -> Iterator[PageResult]:
    """One result per page (or per bad input), in the order the paths expand.

    ``rules`` is a list, or a function giving the rules for a page's path. When a
    folder is among the paths, site-wide rules run over its pages at the end.
    """
    paths = list(paths)
    if options.site is None and any(os.path.isdir(p) for p in paths):
        options.site = SiteIndex(roots=[os.path.abspath(p) for p in paths if os.path.isdir(p)])
    yield from check_sources(list(expand(paths)), rules, options)


def check_sources(sources: Iterable[PageSource | InputError | Fetched],
                  rules: list[Rule] | Callable[[str], list[Rule]], options: CheckOptions) -> Iterator[PageResult]:
    """Check pages from files, standard input, web addresses or a crawl, then the site."""
    rules_for = rules if callable(rules) else (lambda _path: rules)
    if isinstance(sources, list) and sources:
        first = sources[0]
        prepare(rules_for(first.url if isinstance(first, Fetched) else first.path), len(sources))
    cache = None
    if options.cache is not None:
        from .results_cache import ResultsCache

        cache = ResultsCache(options.cache, _settings(options))
    try:
        if options.jobs > 1 and isinstance(sources, list) and _all_files(sources) and len(sources) >= MIN_FOR_POOL:
            yield from _check_in_processes(sources, rules_for, options, cache)
        else:
            for item in sources:
                if isinstance(item, InputError):
                    yield PageResult(item.path, error=item.message)
                elif isinstance(item, PageSource):
                    yield _check_file(item.path, rules_for, options, cache)
                else:
                    yield _check_one(item.url, rules_for, options, item)
    finally:
        if cache is not None:
            cache.close()
            options.cache_problem = cache.problem
    regex_cache.save()  # the patterns the pages needed compiled (word lists' are compiled on first use)
    if options.site is not None:
        yield from _site_results(options.site, rules_for, options)


def _settings(options: CheckOptions) -> str:
    """The options that change a page's result, for the results cache's keys."""
    accept = None if options.accept is None else [options.accept.pattern, options.accept.flags]
    roots = sorted(options.site.roots) if options.site is not None else None
    return json.dumps([accept, options.content_selector, options.report_unused_suppressions, roots])


#: Fewer files than this are checked in this process: starting workers would cost more.
MIN_FOR_POOL = 16
_WORKER: tuple[Callable[[str], list[Rule]], CheckOptions, ResultsCache | None] | None = None


def _all_files(sources: list) -> bool:
    return all(isinstance(s, InputError) or isinstance(s, PageSource) and s.path != STDIN
               and not is_web_address(s.path) for s in sources)


def _work(path: str) -> tuple[Checked | PageResult, tuple[bytes, bytes | None] | None, WrittenFindings | None]:
    """In a worker process: check one file; hand back what it holds, for the results cache
    its key (from the bytes the check read) and kept form (made here, in parallel), and
    its findings written out when the report asks for that (see CheckOptions)."""
    assert _WORKER is not None
    rules_for, options, cache = _WORKER
    data, key = _cache_key(path, rules_for, options, cache)
    checked = _inspect(path, rules_for, options, data=data)
    if isinstance(checked, PageResult):
        return checked, None, None
    entry = (key, cache.keepable(checked)) if key is not None and cache is not None else None
    if checked.site is not None and options.site is not None:  # (only what the parent keeps: less to send)
        checked = replace(checked, site=options.site.needed(checked.site))
    written = None
    if options.write_findings is not None and checked.findings and not options.baseline:
        written = WrittenFindings.of(checked.findings, options.write_findings(checked.findings))
        checked = replace(checked, findings=())
    return checked, entry, written


def _check_in_processes(sources: list, rules_for: Callable[[str], list[Rule]], options: CheckOptions,
                        cache: ResultsCache | None) -> Iterator[PageResult]:
    """Check files in forked worker processes; results come back in input order, and a
    worker that dies (out of memory, say) costs only the page it was checking. Files
    whose results the cache keeps are not sent to the workers."""
    from .workers import run_in_workers

    global _WORKER
    kept: dict[int, bytes] = {}  # the keys of the files whose results are in the cache, by index
    files = []
    for index, item in enumerate(sources):
        if isinstance(item, PageSource):
            _, key = _cache_key(item.path, rules_for, options, cache)
            if key is not None and cache is not None and cache.has(key):
                kept[index] = key
            else:
                files.append(item.path)
    _WORKER = (rules_for, options, cache)  # forked workers inherit the rules: nothing is pickled
    regex_cache.save()  # (so that each worker's own save keeps the patterns compiled so far)
    if len(files) >= MIN_FOR_POOL:
        # Small chunks keep every worker busy to the end (pages differ a lot in size).
        results = run_in_workers(_work, files, options.jobs, max(1, min(8, len(files) // (options.jobs * 16))),
                                 _lost, finish=regex_cache.save)  # (patterns compiled in the workers)
    else:  # the cache keeps nearly every result: starting workers would cost more than they save
        results = (_work(path) for path in files)
    try:
        for index, item in enumerate(sources):
            if isinstance(item, InputError):
                yield PageResult(item.path, error=item.message)
            elif index in kept:
                assert cache is not None
                key = kept.pop(index)
                checked = None if options.source_lines else cache.get(key, item.path)
                # Read again when the report shows source lines (see _kept_result), or when the
                # result has gone from the cache since, or was damaged: checked here if so.
                yield _result(checked, options) if checked else _check_file(item.path, rules_for, options, cache)
            else:
                checked, entry, written = next(results)
                if isinstance(checked, PageResult):
                    yield checked
                    continue
                if entry is not None and cache is not None:
                    cache.put(*entry)
                yield _result(checked, options, written)
    finally:
        results.close()  # stops the workers at once if the caller stopped early
        _WORKER = None


def _lost(path: str, reason: str) -> tuple[PageResult, None, None]:
    """The result for a page whose worker process stopped while checking it."""
    return PageResult(path, error=f"could not be checked: {reason}. This can happen when memory runs out;"
                      " if it happens again, please report it"), None, None


def _outside_baseline(findings: list[Finding],
                      baseline: frozenset[str]) -> tuple[list[Finding], tuple[str, ...] | None]:
    """The findings that the baseline does not already record, and with a baseline their
    fingerprints (without one, they are worked out only if a report asks)."""
    if not baseline:
        return findings, None
    kept = [(f, p) for f, p in zip(findings, fingerprints(findings)) if p not in baseline]
    return [f for f, _ in kept], tuple(p for _, p in kept)


def _site_results(index: SiteIndex, rules_for: Callable[[str], list[Rule]], options: CheckOptions) -> Iterator[PageResult]:
    site_rules = {r.id: r for page in index.pages[:1] for r in rules_for(page.path) if r.checker.site_based}
    # The rule ids each list of rules holds: pages share a few lists (see plan.Plan.rules_for).
    # (Each list is kept with its ids, so that its id() is not reused for another while here.)
    ids_of: dict[int, tuple[list[Rule], set[str]]] = {}
    for path, found in site_findings(index, list(site_rules.values())).items():
        rules = rules_for(path)
        if id(rules) not in ids_of:
            ids_of[id(rules)] = (rules, {r.id for r in rules})
        allowed = ids_of[id(rules)][1]
        mine = [f for f in found if f.rule in allowed]
        found, prints = _outside_baseline(mine, options.baseline)
        if mine:  # even when the baseline has them all: the summary counts those left out
            yield PageResult(path, tuple(found), known_fingerprints=prints, site=True,
                             in_baseline=len(mine) - len(found))
