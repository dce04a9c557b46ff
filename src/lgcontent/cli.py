"""The command line: a thin Click layer over packs, runner and reporters.

Exit status: 0 nothing at or above the failing level, 1 findings at or above
it, 2 a usage, rule or input error (always with a one-line message).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__, speedups
from .errors import LgcontentError
from .findings import SEVERITY_NAMES, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
REPORT_FORMATS = ("rich", "concise", "json", "junit", "sarif", "github", "gitlab", "html")
FAIL_ON = (*SEVERITY_NAMES, "never")


def _error(message: str, label: str = "error") -> None:
    """One line on stderr; names and text from files are shown with control characters escaped."""
    from .reporters.base import one_line

    click.echo(f"lgcontent: {label}: {one_line(message)}", err=True)


def _catalogue_or_exit(extra_packs: tuple[str, ...]):
    from .packs import builtin_rules_dir, load_catalogue

    try:
        return load_catalogue([builtin_rules_dir(), *(Path(p) for p in extra_packs)])
    except LgcontentError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


_EPILOG = """\b
Common tasks:
  lgcontent check page.html             check one page
  lgcontent check export/               check every page in a folder
  lgcontent check guide.md --format concise
  cat page.md | lgcontent check - --stdin-format markdown
  lgcontent rules                       list every rule
  lgcontent explain links.vague-text    why a rule exists and how to fix it
  lgcontent init                        write a starter lgcontent.yml
  lgcontent config                      show the configuration in use
"""


class _OutputClosed(Exception):
    """Standard output was closed before the report was written (piped into ``head``)."""


class _Commands(click.Group):
    """The command group. click would end the run with status 1 when the output is
    closed early, which means "findings" here; a closed pipe is passed on instead."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _OutputClosed() from exc


@click.group(cls=_Commands, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="lgcontent",
                      message="%(prog)s, version %(version)s (" + speedups.describe() + ")")
def cli() -> None:
    """Check council web pages against the LocalGov Digital Content Standard:
    plain English, readability, clear link text and sound page structure."""


@cli.command(epilog="""\b
Examples:
  lgcontent check examples/
  lgcontent check page.html guide.md docs/
  lgcontent check export/ --format json > findings.json
  lgcontent check page.html --format concise --fail-on warning
  lgcontent check export/ --output junit:report.xml --output sarif:report.sarif
  lgcontent check export/ --format html --output report.html --compare last-run.json
  lgcontent check export/ --write-baseline .lgcontent-baseline.json
  lgcontent check export/ --baseline .lgcontent-baseline.json
  lgcontent check page.html --content-selector "#content"
  cat page.md | lgcontent check - --stdin-format markdown
""")
@click.argument("paths", nargs=-1, metavar="PATH|URL...")
@click.option("--crawl", "crawl_start", metavar="URL",
              help="Check every page reached by following links from URL, on the same site."
                   " Example: --crawl https://www.example.gov.uk/")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL",
              help="Check every page listed in this sitemap (or sitemap index, .xml or .xml.gz). Repeatable.")
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True,
              help="With --crawl or --sitemap: stop after this many pages.")
@click.option("--max-depth", type=click.IntRange(min=0), default=10, show_default=True,
              help="With --crawl: how many links away from the start page to go.")
@click.option("--include", "include", multiple=True, metavar="REGEX",
              help="With --crawl: only follow addresses matching this regular expression. Repeatable.")
@click.option("--exclude", "exclude", multiple=True, metavar="REGEX",
              help="With --crawl: do not follow addresses matching this regular expression. Repeatable."
                   " Example: --exclude '/search'.")
@click.option("--ignore-robots", is_flag=True, help="With --crawl: fetch pages that robots.txt asks robots to avoid.")
@click.option("--delay", type=click.FloatRange(min=0), default=0.5, show_default=True, metavar="SECONDS",
              help="With web addresses: wait this long between requests to one site.")
@click.option("--concurrency", type=click.IntRange(min=1, max=16), default=4, show_default=True,
              help="With --crawl: how many pages to fetch at once.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20, show_default=True, metavar="SECONDS",
              help="With web addresses: give up on a page that takes longer than this to arrive.")
@click.option("--max-page-size", type=click.FloatRange(min=0.001), default=20, show_default=True,
              metavar="MB", help="Do not check pages (files or web pages) larger than this many megabytes.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check files in N processes at once (default: one for each processor)."
                   " Example: --jobs 1.")
@click.option("--cache/--no-cache", "use_cache", default=None,
              help="Keep each file's result, and reuse it while the file, the rules and the settings"
                   " stay the same: a second run over a large, mostly unchanged folder takes a fraction"
                   " of the time. Kept in $LGCONTENT_CACHE_DIR (default ~/.cache/lgcontent)."
                   " Default: off, unless the configuration says cache: true.")
@click.option("--quiet", "-q", is_flag=True, help="Do not show a progress bar.")
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="rich",
              show_default=True, help="Report style: rich (for people), concise (one line a finding),"
              " json, junit, sarif, github (Actions annotations), gitlab (Code Quality) or html"
              " (a one-file report for managers, with charts).")
@click.option("--output", "outputs", multiple=True, metavar="[FORMAT:]FILE",
              help="Write a report to FILE. With FORMAT: an extra report in that format; without:"
                   " the --format report goes to FILE instead of the terminal. Repeatable."
                   " Example: --output junit:report.xml.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit with status 1 when there are findings this serious or worse (default: error,"
              " or fail_on in the configuration). Example: --fail-on warning.")
@click.option("--max-warnings", type=click.IntRange(min=0), metavar="N",
              help="Also exit with status 1 when there are more than N warnings. Example: --max-warnings 0.")
@click.option("--baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Leave out findings recorded in this baseline file: report and fail only on new ones.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record every finding of this run in FILE, for later runs with --baseline.")
@click.option("--compare", "compare_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="In the html report, show what got better and worse since an earlier run, given its"
                   " JSON report (--format json). Example: --compare last-run.json.")
@click.option("--report-unused-suppressions", is_flag=True,
              help="Report lgcontent-disable comments that silence nothing.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the configuration from FILE instead of looking for lgcontent.yml,"
                   " .lgcontent.yml or pyproject.toml.")
@click.option("--statistics", is_flag=True,
              help="Add counts by rule and by page, and the pages that need the most work.")
@click.option("--stdin-format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="What standard input holds, when a PATH is '-'.")
@click.option("--content-selector", metavar="CSS",
              help="Check only the part of each HTML page matching this CSS selector, instead of"
                   " <main>. Example: --content-selector '#content'.")
@click.option("--pack", "packs", multiple=True, metavar="DIR", type=click.Path(),
              help="Also load rules from this folder of packs (or one pack folder). Repeatable.")
@click.option("--enable", "enable", multiple=True, metavar="NAME",
              help="Turn on a pack, group or rule that is off by default. Repeatable."
                   " Example: --enable govuk.")
@click.option("--disable", "disable", multiple=True, metavar="NAME",
              help="Turn off a pack, group or rule. Repeatable. Example: --disable readability.")
@click.option("--set", "settings", multiple=True, metavar="RULE.OPTION=VALUE",
              help="Change a rule's option for this run. Repeatable."
                   " Example: --set readability.page-reading-age.max=11.")
@click.option("--color/--no-color", default=None,
              help="Force colour on or off (default: colour on a terminal, off with NO_COLOR set).")
def check(paths: tuple[str, ...], crawl_start: str | None, sitemaps: tuple[str, ...], max_pages: int,
          max_depth: int, include: tuple[str, ...], exclude: tuple[str, ...], ignore_robots: bool,
          delay: float, concurrency: int, timeout: float, max_page_size: float, jobs: int | None,
          use_cache: bool | None, quiet: bool, fmt: str, outputs: tuple[str, ...], fail_on: str | None,
          max_warnings: int | None, baseline: str | None, write_baseline: str | None, compare_path: str | None,
          report_unused_suppressions: bool, config_path: str | None, statistics: bool,
          stdin_format: str, content_selector: str | None, packs: tuple[str, ...], enable: tuple[str, ...],
          disable: tuple[str, ...], settings: tuple[str, ...], color: bool | None) -> None:
    """Check HTML and Markdown pages, and folders of them (.html .htm .md .markdown).

    Use '-' as a PATH to read one page from standard input. Give web addresses to
    check pages as published, or use --crawl or --sitemap for a whole site.
    """
    from .reporters.base import ReportContext
    from .runner import CheckOptions
    from .summary import Summary

    if baseline and write_baseline:
        raise click.UsageError("use --baseline or --write-baseline, not both")
    plan = _plan_or_exit(config_path, list(paths), packs, enable, disable, settings)
    config = plan.config
    content_selector = content_selector or (config.content_selector.value if config.content_selector else None)
    if content_selector is not None:
        _check_selector(content_selector)
    fail_on = fail_on or (config.fail_on.value if config.fail_on else "error")
    if max_warnings is None and config.max_warnings is not None:
        max_warnings = config.max_warnings.value
    known_prints = _baseline_or_exit(baseline)
    previous = _previous_or_exit(compare_path, fmt, outputs)
    context = ReportContext(rules=tuple(plan.base), fail_on=None if fail_on == "never" else Severity.parse(fail_on),
                            statistics=statistics, color=color, previous=previous, previous_name=compare_path)
    options = CheckOptions(stdin_format=stdin_format, content_selector=content_selector,
                           read_stdin=sys.stdin.buffer.read, baseline=known_prints, accept=plan.accept,
                           report_unused_suppressions=report_unused_suppressions)
    summary = Summary()
    recorder = None
    if write_baseline:
        from .baseline import BaselineWriter

        recorder = BaselineWriter(Path(write_baseline))
    if not paths and not crawl_start and not sitemaps:
        raise click.UsageError("give at least one PATH or web address, or --crawl or --sitemap")
    web = _WebChoices(crawl_start, sitemaps, max_pages, max_depth, include, exclude, not ignore_robots,
                      delay, concurrency, timeout, int(max_page_size * 1024 * 1024))
    options.max_bytes = web.max_bytes
    options.jobs = jobs or os.cpu_count() or 1
    if use_cache is None:
        use_cache = bool(config.cache.value) if config.cache is not None else False
    if use_cache:
        from .cachedir import cache_folder

        options.cache = cache_folder()
    sources, crawl_report = _sources(paths, web, options)
    _collect_garbage_less_often()
    remaining = (lambda: crawl_report.remaining) if crawl_report is not None else (lambda: None)
    with _Reports(fmt, outputs, context) as reports, \
            _progress(quiet, bool(crawl_start or sitemaps), remaining) as progress:
        from .runner import check_sources

        options.source_lines = any(reporter.shows_lines for reporter in reports.reporters)
        if recorder is None and not options.baseline and all(r.name == "json" for r in reports.reporters):
            # --jobs workers write the findings out: the JSON report is all that reads them
            from .reporters.json_report import findings_json_utf8

            options.write_findings = findings_json_utf8

        for result in check_sources(sources, plan.rules_for, options):
            summary.add(result)
            progress(summary)
            if result.error is not None:
                _error(f"{result.path}: {result.error}")
            for note in result.notes:
                _error(f"{result.path}: {note}", label="note")
            if recorder is not None:
                recorder.add(result)
            reports.page(result)
        reports.finish(summary)
    _crawl_notes(crawl_report)
    if options.cache_problem is not None:
        _error(options.cache_problem, label="warning")
    if options.fetcher is not None:
        options.fetcher.close()
    if recorder is not None:
        _write_or_exit(recorder.write, write_baseline)
        click.echo(f"lgcontent: wrote {len(recorder.entries)} findings to the baseline {write_baseline}",
                   err=True)
    sys.exit(_exit_status(summary, context, max_warnings, recorder is not None))


@dataclass(frozen=True)
class _WebChoices:
    crawl: str | None
    sitemaps: tuple[str, ...]
    max_pages: int
    max_depth: int
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    robots: bool
    delay: float
    concurrency: int
    timeout: float
    max_bytes: int


def _compile_patterns(patterns: tuple[str, ...], option: str) -> list:
    import re

    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise click.BadParameter(f"'{pattern}' is not a valid regular expression: {exc}",
                                     param_hint=option) from None
    return compiled


def _sources(paths: tuple[str, ...], web: _WebChoices, options):
    """Pages to check: files and addresses given, then a sitemap's pages, then a crawl's."""
    import itertools
    import os

    from .inputs import expand
    from .loaders.url import is_web_address
    from .site import SiteIndex

    folders = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    wants_web = web.crawl or web.sitemaps or any(is_web_address(p) for p in paths)
    if wants_web:
        from .loaders.url import Fetcher, FetchLimits

        limits = FetchLimits(read_timeout=web.timeout, connect_timeout=min(10.0, web.timeout),
                             max_bytes=web.max_bytes)
        options.fetcher = Fetcher(limits, delay=web.delay)
    if folders or web.crawl or web.sitemaps:
        options.site = SiteIndex(roots=folders)
    sources = [list(expand(list(paths)))]
    report = None
    if web.sitemaps:
        sources.append(_sitemap_pages(web, options))
    if web.crawl:
        from .crawl import CrawlOptions, CrawlReport, crawl

        report = CrawlReport()
        crawl_options = CrawlOptions(web.max_pages, web.max_depth, _compile_patterns(web.include, "--include"),
                                     _compile_patterns(web.exclude, "--exclude"), web.robots, web.concurrency)
        sources.append(_crawl_pages(crawl(options.fetcher, web.crawl, crawl_options, report), report, options))
    if len(sources) == 1:
        return sources[0], report  # a plain list of files can be checked in parallel
    return itertools.chain(*sources), report


def _sitemap_pages(web: _WebChoices, options):
    from .errors import InputError
    from .inputs import PageSource
    from .crawl import sitemap_urls

    errors: list[tuple[str, str]] = []
    urls: list[str] = []
    for sitemap in web.sitemaps:
        urls += sitemap_urls(options.fetcher, sitemap, errors)
    for url, message in errors:
        yield InputError(url, message)
    seen = set()
    for url in urls:
        if url not in seen and len(seen) < web.max_pages:
            seen.add(url)
            yield PageSource(url)


def _crawl_pages(pages, report, options):
    """Pages from a crawl; after the last, the crawl's broken links go to the site index."""
    yield from pages
    if options.site is not None:
        options.site.broken_urls |= report.broken


def _crawl_notes(report) -> None:
    if report is None:
        return
    if report.disallowed:
        _error(f"{report.disallowed} page(s) were not checked because robots.txt asks robots to avoid them"
               " (use --ignore-robots to check them)", label="note")
    if report.over_limit:
        _error(f"the crawl stopped at --max-pages; {report.over_limit} page(s) found were not checked",
               label="note")
    if report.not_pages:
        _error(f"{report.not_pages} link(s) to documents, images and other files that are not web pages"
               " were not checked", label="note")


class _progress:
    """A progress bar on standard error for crawls and sitemaps, when it is a terminal."""

    def __init__(self, quiet: bool, wanted: bool, remaining) -> None:
        self.active = wanted and not quiet and sys.stderr.isatty()
        self.remaining = remaining  # () -> pages still to check, or None when unknown
        self._progress = None

    def __enter__(self):
        if not self.active:
            return lambda summary: None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("checking"), BarColumn(), TextColumn("{task.completed} pages done"),
                                  TextColumn("{task.fields[left]}"), TextColumn("{task.fields[findings]} findings"),
                                  TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
        self._progress.start()
        task = self._progress.add_task("pages", total=None, findings=0, left="")

        def update(summary) -> None:
            done = summary.pages + len(summary.unchecked)
            left = self.remaining()
            self._progress.update(task, completed=done, total=done + left if left is not None else None,
                                  findings=summary.findings, left=f"{left} left" if left is not None else "")

        return update

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def _exit_status(summary, context, max_warnings: int | None, wrote_baseline: bool) -> int:
    if summary.unchecked:
        return EXIT_ERROR
    if wrote_baseline:
        return EXIT_OK  # the point of a baseline is to accept today's findings
    if context.fail_on is not None and summary.worst_at_least(context.fail_on):
        return EXIT_FINDINGS
    if max_warnings is not None and summary.counts[Severity.WARNING] > max_warnings:
        return EXIT_FINDINGS
    return EXIT_OK


def _baseline_or_exit(path: str | None) -> frozenset[str]:
    if not path:
        return frozenset()
    from .baseline import read_baseline

    try:
        return read_baseline(Path(path))
    except LgcontentError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _previous_or_exit(path: str | None, fmt: str, outputs: tuple[str, ...]):
    """The earlier run that --compare names, read before any page is checked."""
    if not path:
        return None
    if fmt != "html" and not any(_output_spec(spec, fmt)[0] == "html" for spec in outputs):
        raise click.UsageError("--compare shows its results in the html report: add --format html"
                               " or --output html:FILE")
    from .trend import CompareError, load_previous

    try:
        return load_previous(path)
    except CompareError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _write_or_exit(write, path: str) -> None:
    try:
        write()
    except OSError as exc:
        _error(f"{path}: cannot be written: {exc.strerror or exc}")
        sys.exit(EXIT_ERROR)


class _Reports:
    """The reports of one run: the main one, and any --output files (written atomically)."""

    def __init__(self, fmt: str, outputs: tuple[str, ...], context) -> None:
        self.fmt, self.outputs, self.context = fmt, outputs, context
        self.reporters: list = []
        self.files: list = []

    def __enter__(self) -> "_Reports":
        from .files import AtomicFile
        from .reporters import reporter_class

        main_to_stdout = True
        for spec in self.outputs:
            fmt, path = _output_spec(spec, self.fmt)
            main_to_stdout &= not (fmt == self.fmt and spec == path)
            try:
                handle = AtomicFile(Path(path))
            except OSError as exc:
                self.__exit__(None, None, None)
                _error(f"{path}: cannot be written: {exc.strerror or exc}")
                sys.exit(EXIT_ERROR)
            self.files.append(handle)
            self.reporters.append(reporter_class(fmt)(handle.stream, self.context))
        if main_to_stdout:
            _use_replacement_on_unencodable(sys.stdout)
            self.reporters.insert(0, reporter_class(self.fmt)(sys.stdout, self.context))
        return self

    def page(self, result) -> None:
        for reporter in self.reporters:
            reporter.page(result)

    def finish(self, summary) -> None:
        for reporter in self.reporters:
            reporter.finish(summary)
        sys.stdout.flush()
        for handle in self.files:
            handle.commit()
        self.files = []

    def __exit__(self, exc_type, exc, tb) -> None:
        for handle in self.files:  # only left when the run did not finish
            handle.discard()


def _output_spec(spec: str, default_fmt: str) -> tuple[str, str]:
    """'junit:report.xml' -> ('junit', 'report.xml'); 'report.xml' -> (default, 'report.xml')."""
    fmt, colon, path = spec.partition(":")
    if colon and fmt in REPORT_FORMATS and path:
        return fmt, path
    if colon and fmt.isalpha() and len(fmt) > 1 and fmt not in REPORT_FORMATS:
        raise click.BadParameter(f"unknown report format '{fmt}' (formats: {', '.join(REPORT_FORMATS)})",
                                 param_hint="--output")
    return default_fmt, spec


def _plan_or_exit(config_path: str | None, paths: list[str], packs: tuple[str, ...] = (),
                  enable: tuple[str, ...] = (), disable: tuple[str, ...] = (), settings: tuple[str, ...] = (),
                  with_installed: bool = False):
    """Configuration, packs and command-line choices, made into the rules for each page."""
    from .config import ConfigError, load_config
    from .packs import builtin_rules_dir, installed_pack_dirs, parse_setting
    from .plan import CommandLine, RulePlan, build_plan

    try:
        config = load_config(config_path, paths)
        command_line = CommandLine(enable, disable)
        plan = build_plan([builtin_rules_dir(), *(Path(p) for p in packs)], installed_pack_dirs, config,
                          command_line, with_installed)
        if settings:  # --set names rules, so it is read once the rules are known
            for text in settings:
                rule_id, key, value = parse_setting(text, plan.all_rules)
                command_line.settings.setdefault(rule_id, {})[key] = value
            plan = RulePlan(plan.catalogue, config, command_line)
        return plan
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    except LgcontentError as exc:
        if exc.path in (*enable, *disable) or any(exc.path == s for s in settings) or exc.path == "--set":
            option = "--set" if exc.path in settings or exc.path == "--set" else "--enable/--disable"
            raise click.BadParameter(exc.message if option == "--set" else str(exc), param_hint=option) from None
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _check_selector(selector: str) -> None:
    import soupsieve

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        raise click.BadParameter(f"not a valid CSS selector: {exc.args[0]}",
                                 param_hint="--content-selector") from None


def _use_replacement_on_unencodable(stream) -> None:
    """Never crash on a character the terminal's encoding lacks."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


@cli.command(name="rules", epilog="""\b
Examples:
  lgcontent rules
  lgcontent rules --format json
  lgcontent rules --format markdown --output docs/rules.md
""")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="table (for people), json (every field of every rule) or"
              " markdown (the rule reference).")
@click.option("--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE instead of the terminal. Example: --output docs/rules.md.")
@click.option("--pack", "packs", multiple=True, metavar="DIR", type=click.Path(),
              help="Also list rules from this folder of packs. Repeatable.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the configuration from FILE instead of looking for one.")
def rules_command(fmt: str, output: str | None, packs: tuple[str, ...], config_path: str | None) -> None:
    """List every rule: id, pack, severity and what it checks.

    The table and JSON include installed packs and your configuration's packs and
    vocabulary; the Markdown reference covers the built-in packs and any --pack.
    """
    import io

    from .reporters.rule_docs import rules_as_json, rules_as_markdown, rules_table

    if fmt == "markdown":
        text = rules_as_markdown(_catalogue_or_exit(packs))
    else:
        plan = _plan_or_exit(config_path, [], packs, with_installed=True)
        active = {r.id for r in plan.base}
        if fmt == "json":
            text = rules_as_json(plan.all_rules, active) + "\n"
        else:
            buffer = io.StringIO()
            rules_table(plan.all_rules, buffer, active)
            text = buffer.getvalue()
    if output:
        from .files import write_atomically

        try:
            write_atomically(Path(output), text)
        except OSError as exc:
            _error(f"{output}: cannot be written: {exc.strerror or exc}")
            sys.exit(EXIT_ERROR)
    else:
        click.echo(text, nl=False)


@cli.command(epilog="""\b
Examples:
  lgcontent explain links.vague-text
  lgcontent explain plain-english.words-to-avoid
""")
@click.argument("rule_id", metavar="RULE")
@click.option("--pack", "packs", multiple=True, metavar="DIR", type=click.Path(),
              help="Also look in this folder of packs. Repeatable.")
def explain(rule_id: str, packs: tuple[str, ...]) -> None:
    """Explain one rule: why it matters, its source, examples and how to fix it."""
    from .packs import did_you_mean, find_rule
    from .reporters.rule_docs import explain_rule

    rules = _plan_or_exit(None, [], packs, with_installed=True).all_rules
    rule = find_rule(rules, rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, (r.id for r in rules)) or " Run 'lgcontent rules' to list them."
        _error(f"there is no rule called '{rule_id}'.{hint}")
        sys.exit(EXIT_ERROR)
    explain_rule(rule, sys.stdout)


@cli.command(name="config", epilog="""\b
Examples:
  lgcontent config
  lgcontent config --config house/lgcontent.yml
""")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the configuration from FILE instead of looking for one.")
def config_command(paths: tuple[str, ...], config_path: str | None) -> None:
    """Show the configuration that applies, and where each value comes from.

    With PATHs, the configuration is looked for from them, as 'check' would.
    """
    from .reporters.config_view import show_config

    plan = _plan_or_exit(config_path, list(paths), with_installed=True)
    show_config(plan, sys.stdout)


STARTER_CONFIG = """\
# lgcontent configuration. Every setting is optional; delete what you do not need.
# Reference: run 'lgcontent rules' for rule names, and see README.md.

# Packs to use as well as the defaults (localgov and wcag): a built-in pack such
# as govuk, a folder of your own rules, or an installed pack.
extends: []
#  - govuk
#  - ./house-style

# Turn packs, groups or rules on or off.
enable: []
disable: []
#  - readability.paragraph-reading-age

# Make a rule, group or pack more or less serious: error, warning or suggestion.
severity: {}
#  links.vague-text: error
#  formatting: suggestion

# Change rules' options, for example a shorter sentence limit or a higher reading age.
options: {}
#  readability.sentence-length: {max_words: 20}
#  readability.page-reading-age: {max: 11}

# Your house style's words. Accepted terms are never flagged; rejected terms are.
vocabulary:
  accept: []
  #  - Barsetshire
  #  - Council Tax
  reject: {}
  #  waste management: bins and recycling

# Different settings for some pages (globs from this file's folder).
overrides: []
#  - files: ["legal/**"]
#    disable: [readability]

# When to fail a CI run: error, warning, suggestion or never.
fail_on: error

# Keep each file's result for later runs, so only changed files are checked again
# (as --cache does; --no-cache turns it off for one run).
cache: false
"""


@cli.command(epilog="""\b
Examples:
  lgcontent init
  lgcontent init --force
""")
@click.option("--force", is_flag=True, help="Replace an existing lgcontent.yml.")
def init(force: bool) -> None:
    """Write a commented starter lgcontent.yml in this folder."""
    from .files import write_atomically

    target = Path("lgcontent.yml")
    if target.exists() and not force:
        _error(f"{target} already exists; use --force to replace it")
        sys.exit(EXIT_ERROR)
    _write_or_exit(lambda: write_atomically(target, STARTER_CONFIG), str(target))
    click.echo(f"Wrote {target}. Run 'lgcontent config' to see the settings in use.")


def _collect_garbage_less_often() -> None:
    """Python looks for reference cycles every 700 new objects, walking the rules and
    patterns each time; a check makes millions of short-lived objects without cycles.
    Setting aside what start-up made (gc.freeze, which also keeps forked workers' memory
    shared) and looking less often saves about 3% of a run, and memory stays the same."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def main() -> None:
    """Entry point: the commands, plus a clean exit on a closed pipe, Ctrl-C or a fault."""
    try:
        # Not click's standalone mode: it turns Ctrl-C into "Aborted!" and status 1.
        status = cli.main(prog_name="lgcontent", standalone_mode=False)
        sys.exit(status if isinstance(status, int) else 0)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _error("interrupted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (BrokenPipeError, _OutputClosed):  # output piped into `head`, say: nothing more to write
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # what a shell reports for a process ended by SIGPIPE
    except Exception as exc:  # a fault of ours: one line, not a traceback
        if os.environ.get("LGCONTENT_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set LGCONTENT_DEBUG=1 to see"
               " the traceback, and please report it)")
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
