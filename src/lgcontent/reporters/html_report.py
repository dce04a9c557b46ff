"""``html``: one self-contained page for people who manage a site's content.

It opens from an email or a shared drive with no network: styles, script and
charts are inline, and a Content-Security-Policy forbids every request. The top
of the page says in a sentence and a few figures how the site stands; then come
charts, a table of pages that sorts and filters, each page's findings, and what
each rule means.

Pages' findings are written to a temporary file as they arrive and copied in at
the end, so memory holds only one small record a page. A browser cannot open a file
of a whole large site's findings (10,000 pages made 165 MB, which Chromium took a
minute and a half and 1.4 GB to open), so the report lists the findings of the failing
pages and those with the most findings, up to MAX_FINDINGS_IN_REPORT, and says the
JSON report has every one.
"""

from __future__ import annotations

import html
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources

from .. import __version__
from ..findings import Finding, PageResult, Severity
from ..packs import Rule
from ..summary import Summary
from ..trend import Change, Trend, compare, counts_of
from .base import ReportContext, Reporter, printable
from .html_charts import Bar, columns, horizontal_bars

_SEVERITIES = sorted(Severity, reverse=True)
_COLOURS = {Severity.ERROR: "#a4262c", Severity.WARNING: "#b35900", Severity.SUGGESTION: "#1d4f91"}
_GOOD, _OVER = "#1e6b34", "#b35900"
_EXCERPT = 70  # characters of context either side of a finding
# Findings listed for one page, and in the whole report: enough to act on, few enough
# that a browser opens the report of a large site in seconds (10,000 findings take about
# 6 MB; the table of pages takes about 0.4 KB a page). The JSON report lists them all.
MAX_FINDINGS_SHOWN = 100
MAX_FINDINGS_IN_REPORT = 10_000
DEFAULT_READING_AGE_TARGET = 9


def esc(text: str) -> str:
    """Page text shown literally: markup escaped, control characters made visible."""
    return html.escape(printable(text))


def _asset(name: str) -> str:
    return (resources.files(__package__) / "html_assets" / name).read_text(encoding="utf-8")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(slots=True)
class _Section:
    """One page's findings, written to the temporary file: where, and how it ranks."""

    anchor: str
    start: int  # byte offsets in the temporary file
    end: int
    rows: int  # findings listed in it
    failing: bool
    findings: int

    def rank(self) -> tuple[bool, int]:
        """Failing pages first, then those with the most findings."""
        return not self.failing, -self.findings


@dataclass
class _PageRecord:
    path: str
    title: str | None
    words: int
    reading_age: float | None
    counts: Counter[Severity] = field(default_factory=Counter)
    failing: bool = False
    anchors: list[str] = field(default_factory=list)  # ids of its findings sections

    @property
    def state(self) -> str:
        return "failing" if self.failing else "findings" if sum(self.counts.values()) else "clean"


class HtmlReporter(Reporter):
    name = "html"
    shows_lines = True

    def __init__(self, stream, context: ReportContext = ReportContext()) -> None:
        super().__init__(stream, context)
        self.rules = {rule.id: rule for rule in context.rules}
        self.records: dict[str, _PageRecord] = {}
        self.by_pack: dict[str, Counter[Severity]] = {}  # findings by pack and severity
        self.target = self._reading_age_target()
        self.details = tempfile.TemporaryFile("w+b")
        self.sections: list[_Section] = []
        self.shown: set[str] = set()  # anchors of the sections the report lists (chosen at the end)

    # -- collecting ---------------------------------------------------------------------
    def page(self, result: PageResult) -> None:
        if result.error is not None:
            return  # listed from the summary's unchecked pages
        record = self.records.get(result.path)
        if record is None:
            record = _PageRecord(result.path, result.title, result.words, result.reading_age)
            self.records[result.path] = record
        for finding in result.findings:
            record.counts[finding.severity] += 1
            record.failing |= self.context.fails(finding.severity)
            self.by_pack.setdefault(self._pack_of(finding.rule), Counter())[finding.severity] += 1
        if result.findings:
            anchor = f"page-{len(self.sections) + 1}"
            record.anchors.append(anchor)
            start = self.details.tell()
            self.details.write(self._page_section(anchor, record, result).encode("utf-8"))
            self.sections.append(_Section(anchor, start, self.details.tell(),
                                          min(len(result.findings), MAX_FINDINGS_SHOWN),
                                          any(self.context.fails(f.severity) for f in result.findings),
                                          len(result.findings)))

    def _page_section(self, anchor: str, record: _PageRecord, result: PageResult) -> str:
        heading = esc(result.path) + (" (across the site)" if result.site else "")
        counts = ", ".join(_plural(n, s.label) for s in _SEVERITIES if (n := sum(
            1 for f in result.findings if f.severity is s)))
        meta = []
        if record.title:
            meta.append(f"Title: “{esc(record.title)}”")
        if not result.site:
            meta.append(_plural(record.words, "word"))
            if record.reading_age is not None:
                meta.append(f"reading age {record.reading_age:.0f}")
        shown = result.findings[:MAX_FINDINGS_SHOWN]
        rows = "".join(self._finding_row(f, result.lines.get(f.line)) for f in shown)
        more = len(result.findings) - len(shown)
        if more:
            meta.append(f"the first {len(shown):,} findings are shown here, and {more:,} more are in the"
                        " JSON report (--format json)")
        return (f'<details class="page" id="{anchor}"><summary><h3>{heading}</h3> ({counts})</summary>'
                f'<p class="meta">{" · ".join(meta)}</p>'
                f'<table><caption class="visually-hidden">Findings on {heading}</caption><thead><tr>'
                f'<th scope="col">Line</th><th scope="col">Severity</th><th scope="col">What to change</th>'
                f'<th scope="col">Where</th><th scope="col">Rule</th></tr></thead><tbody>{rows}</tbody></table>'
                f'</details>\n')

    def _finding_row(self, finding: Finding, line: str | None) -> str:
        rule = self.rules.get(finding.rule)
        advice = esc(finding.message)
        if finding.suggestion:
            advice += f"<br>Suggestion: <strong>{esc(finding.suggestion)}</strong>"
        elif rule is not None and rule.fix:
            advice += f"<br>How to fix: {esc(rule.fix)}"
        rule_cell = (f'<a href="#rule-{html.escape(finding.rule)}">{esc(finding.rule)}</a>' if rule is not None
                     else esc(finding.rule))
        label = finding.severity.label
        return (f'<tr><td class="num">{finding.line}:{finding.column}</td>'
                f'<td><span class="sev {label}">{label.capitalize()}</span></td>'
                f'<td>{advice}</td><td><span class="excerpt">{_excerpt(finding, line)}</span></td>'
                f'<td>{rule_cell}</td></tr>')

    # -- writing ------------------------------------------------------------------------
    def _choose_sections(self) -> list[_Section]:
        """The sections the report lists, in page order: those of the failing pages and
        the pages with the most findings, until MAX_FINDINGS_IN_REPORT findings."""
        room = MAX_FINDINGS_IN_REPORT
        for section in sorted(self.sections, key=_Section.rank):
            if section.rows > room:
                break
            room -= section.rows
            self.shown.add(section.anchor)
        return [section for section in self.sections if section.anchor in self.shown]

    def finish(self, summary: Summary) -> None:
        chosen = self._choose_sections()
        trend = None
        if self.context.previous is not None:
            trend = compare(self.context.previous, counts_of(summary), self.context.previous_name or "")
        write = self.stream.write
        write(self._head())
        write(self._overview(summary))
        write(self._charts(summary))
        if trend is not None:
            write(self._trend(trend))
        write(self._pages_table())
        write('<section aria-labelledby="findings-heading"><h2 id="findings-heading">Findings page by page</h2>')
        if self.sections:
            write("<p>Open a page to see each finding, the text it is about and what to change.</p>")
            if len(chosen) < len(self.sections):
                listed = sum(section.rows for section in chosen)
                write(f"<p>So that this file stays small enough to open, it lists the findings of"
                      f" {_plural(len(chosen), 'page')} ({_plural(listed, 'finding')}): those that fail"
                      f" first, then those with the most findings. The JSON report (--format json) lists"
                      f" every finding on every page.</p>")
            for section in chosen:
                self.details.seek(section.start)
                write(self.details.read(section.end - section.start).decode("utf-8"))
        else:
            write("<p>No findings on any page.</p>")
        write("</section>")
        write(self._unchecked(summary))
        write(self._rules_section(summary))
        write(self._foot())
        self.details.close()

    def _head(self) -> str:
        policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
        return ('<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<title>Content quality report: lgcontent</title>'
                f'<style>{_asset("report.css")}</style></head><body>'
                '<a class="skip" href="#main">Skip to the report</a>'
                '<header><h1>Content quality report</h1>'
                f'<p>Checked against the LocalGov Digital Content Standard by lgcontent {__version__},'
                f' {datetime.now(timezone.utc).strftime("%d %B %Y at %H:%M UTC")}.</p></header>'
                '<nav aria-label="Report sections"><ul><li><a href="#overview-heading">Overview</a></li>'
                '<li><a href="#charts-heading">Charts</a></li>'
                + ('<li><a href="#trend-heading">Since last time</a></li>' if self.context.previous else "")
                + '<li><a href="#pages-heading">Pages</a></li>'
                '<li><a href="#findings-heading">Findings</a></li><li><a href="#rules-heading">Rules</a></li>'
                '</ul></nav><main id="main">')

    def _reading_age_target(self) -> float:
        """The reading age the page-level readability rule asks for (9 unless changed)."""
        for rule in self.context.rules:
            values = rule.checker.values
            if rule.kind == "readability" and values.get("per") == "page" and \
                    values.get("metric") == "reading-age" and values.get("max") is not None:
                return float(values["max"])
        return DEFAULT_READING_AGE_TARGET

    def _failing_kinds(self) -> str:
        """What makes a page fail, in words: findings at or above --fail-on."""
        level = self.context.fail_on
        return {Severity.ERROR: "errors", Severity.WARNING: "errors or warnings"}.get(level, "findings")

    def _overview(self, summary: Summary) -> str:
        pages = len(self.records)
        passing = sum(1 for r in self.records.values() if not (r.failing if self.context.fail_on else r.counts))
        median = summary.median_reading_age
        worst_pages = summary.worst_by_reading_age(1)
        worst = self.records.get(worst_pages[0].path) if worst_pages else None
        target = self.target
        sentence = (f"{passing:,} of {_plural(pages, 'page')} pass (no {self._failing_kinds()}). "
                    f"There are {_plural(summary.findings, 'finding')}: "
                    + ", ".join(_plural(summary.counts[s], s.label) for s in _SEVERITIES) + ".")
        if median is not None:
            verdict = "within" if round(median) <= target else "above"
            sentence += f" The median reading age is {median:.0f}, {verdict} the target of {target:g}."
        if summary.unchecked:
            sentence += f" {_plural(len(summary.unchecked), 'page')} could not be checked."
        cards = [("good", f"{passing:,}", f"pages pass of {pages:,} checked")]
        cards += [(s.label, f"{summary.counts[s]:,}", s.label + "s") for s in _SEVERITIES]
        if median is not None:
            cards.append(("good" if round(median) <= target else "warning", f"{median:.0f}",
                          f"median reading age (target {target:g})"))
        if worst is not None:
            cards.append(("good" if round(worst.reading_age or 0) <= target else "warning",
                          f"{worst.reading_age:.0f}", f"worst reading age: {esc(_short_name(worst))}"))
        cards_html = "".join(f'<li class="card {kind}"><span class="value">{value}</span>'
                             f'<span class="label">{label}</span></li>' for kind, value, label in cards)
        return ('<section aria-labelledby="overview-heading"><h2 id="overview-heading">Overview</h2>'
                f'<p class="headline">{sentence}</p><ul class="cards">{cards_html}</ul>'
                f'{self._by_pack()}</section>')

    def _pack_of(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return rule.pack if rule is not None else "lgcontent"

    def _level_of(self, rule_id: str) -> Severity:
        rule = self.rules.get(rule_id)
        return rule.level if rule is not None else Severity.WARNING  # unused suppressions are warnings

    def _by_pack(self) -> str:
        if not self.by_pack:
            return ""
        head = "".join(f'<th scope="col" class="num">{s.label.capitalize()}s</th>' for s in _SEVERITIES)
        rows = "".join(f'<tr><th scope="row">{esc(pack)}</th>'
                       + "".join(f'<td class="num">{counts[s]:,}</td>' for s in _SEVERITIES)
                       + f'<td class="num">{sum(counts.values()):,}</td></tr>'
                       for pack, counts in sorted(self.by_pack.items()))
        return (f'<table><caption>Findings by severity and pack</caption><thead><tr><th scope="col">Pack</th>'
                f'{head}<th scope="col" class="num">All</th></tr></thead><tbody>{rows}</tbody></table>')

    def _charts(self, summary: Summary) -> str:
        top = summary.by_rule.most_common(12)
        rule_bars = [Bar(rule_id, n, _COLOURS[self._level_of(rule_id)],
                         f"{self._pack_of(rule_id)}, {self._level_of(rule_id).label}") for rule_id, n in top]
        shown = f"the {len(top)} most common of {len(summary.by_rule)}" if len(summary.by_rule) > len(top) else "all"
        by_rule = horizontal_bars(
            "chart-rules", "Findings by rule", f"Findings for {shown} rules that found something. The most"
            f" common: {top[0][0]}, {top[0][1]:,} findings." if top else "No findings.",
            ("Rule", "Findings"), rule_bars, legend="Bar colour shows the rule's severity:" + "".join(
                f'<span class="swatch" style="background:{_COLOURS[s]}"></span>{s.label}' for s in _SEVERITIES))
        target = self.target
        ages = [r.reading_age for r in self.records.values() if r.reading_age is not None]
        low, high = int(target), int(target) + 8
        bins = Counter(min(max(round(a), low), high) for a in ages)
        age_bars = [Bar(f"{age} or under" if age == low else f"{age} or over" if age == high else str(age),
                        bins[age], _GOOD if age <= target else _OVER) for age in range(low, high + 1)]
        within = sum(1 for a in ages if round(a) <= target)
        short = len(self.records) - len(ages)
        by_age = columns(
            "chart-ages", "Pages by reading age",
            f"{within:,} of {len(ages):,} pages with enough text to score are at or under the target reading"
            f" age of {target:g}." + (f" {short:,} pages are too short to score." if short else ""),
            ("Reading age", "Pages"), age_bars, "Reading age in years (UK)")
        if not by_rule and not by_age:
            return ""
        return ('<section aria-labelledby="charts-heading"><h2 id="charts-heading">Charts</h2>'
                f'<div class="charts">{by_rule}{by_age}</div></section>')

    def _trend(self, trend: Trend) -> str:
        def cell(change: Change) -> str:
            if change.before is None or change.after is None:
                return "<td>no figure</td>"
            delta = change.delta
            if abs(delta) < 0.05:
                return "<td>no change</td>"
            word, css = ("better", "better") if delta < 0 else ("worse", "worse")
            figure = f"{delta:+,.0f}" if float(delta).is_integer() else f"{delta:+.1f}"
            return f'<td><span class="{css}">{word}</span> ({figure})</td>'

        def number(value: float | None) -> str:
            return "–" if value is None else f"{value:,.0f}" if float(value).is_integer() else f"{value:.1f}"

        def table(caption: str, what: str, changes: list[Change], link_pages: bool = False) -> str:
            if not changes:
                return f"<p>{esc(caption)}: none.</p>"
            rows = "".join(f'<tr><th scope="row">{self._page_link(c.name) if link_pages else esc(c.name)}</th>'
                           f'<td class="num">{number(c.before)}</td><td class="num">{number(c.after)}</td>{cell(c)}</tr>'
                           for c in changes)
            return (f'<table><caption>{esc(caption)}</caption><thead><tr><th scope="col">{what}</th>'
                    '<th scope="col" class="num">Before</th><th scope="col" class="num">Now</th>'
                    f'<th scope="col">Change</th></tr></thead><tbody>{rows}</tbody></table>')

        moved = []
        if trend.new_pages:
            moved.append(f"{_plural(trend.new_pages, 'page')} checked now that were not before")
        if trend.gone_pages:
            moved.append(f"{_plural(trend.gone_pages, 'page')} checked before that are not now")
        return ('<section aria-labelledby="trend-heading"><h2 id="trend-heading">Since last time</h2>'
                f'<p>Compared with the earlier report {esc(trend.previous)}. Fewer findings and a lower reading'
                f' age are better.{" " + "; ".join(moved) + "." if moved else ""}</p>'
                + table("Overall", "Figure", trend.totals)
                + table("Rules with fewer findings", "Rule", trend.better_rules)
                + table("Rules with more findings", "Rule", trend.worse_rules)
                + table("Pages with fewer findings", "Page", trend.better_pages, link_pages=True)
                + table("Pages with more findings", "Page", trend.worse_pages, link_pages=True)
                + "</section>")

    def _page_link(self, path: str) -> str:
        """The page's address, a link to its findings when the report lists them."""
        record = self.records.get(path)
        anchors = [anchor for anchor in record.anchors if anchor in self.shown] if record is not None else []
        if not anchors:
            return esc(path)
        return f'<a href="#{anchors[0]}">{esc(path)}</a>'

    def _pages_table(self) -> str:
        headers = [("Page", "text"), ("Title", "text"), ("Title length", "number"), ("Words", "number"),
                   ("Reading age", "number"), *((f"{s.label.capitalize()}s", "number") for s in _SEVERITIES),
                   ("All findings", "number")]
        head = "".join(f'<th scope="col"{" class=num" if kind == "number" else ""} data-type="{kind}">'
                       f'<button type="button">{name}</button></th>' for name, kind in headers)
        rows = []
        for record in self.records.values():
            age = f"{record.reading_age:.0f}" if record.reading_age is not None else "–"
            title = record.title or ""
            cells = [f'<th scope="row">{self._page_link(record.path)}</th>', f"<td>{esc(title)}</td>",
                     _number_cell(len(title) if record.title is not None else None),
                     _number_cell(record.words),
                     _number_cell(record.reading_age, age),
                     *(_number_cell(record.counts[s]) for s in _SEVERITIES),
                     _number_cell(sum(record.counts.values()))]
            rows.append(f'<tr data-state="{record.state}">{"".join(cells)}</tr>')
        opens = ("A page’s address opens its findings." if len(self.shown) == len(self.sections)
                 else "Where a page’s address is a link, it opens the page’s findings.")
        return ('<section aria-labelledby="pages-heading"><h2 id="pages-heading">Pages</h2>'
                f'<p>Select a column heading to sort. {opens}</p>'
                '<div class="controls"><div><label for="page-filter">Filter by address or title</label>'
                '<input type="search" id="page-filter"></div><div><label for="page-show">Show</label>'
                '<select id="page-show"><option value="all">All pages</option>'
                f'<option value="failing">Pages that fail (with {self._failing_kinds()})</option>'
                '<option value="findings">Pages with any findings</option>'
                '<option value="clean">Pages with no findings</option></select></div></div>'
                '<p id="pages-status" role="status" aria-live="polite"></p>'
                f'<table id="pages-table"><caption>Every page checked ({len(self.records):,})</caption>'
                f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')

    def _unchecked(self, summary: Summary) -> str:
        if not summary.unchecked:
            return ""
        items = "".join(f"<li><code>{esc(path)}</code>: {esc(message)}</li>" for path, message in summary.unchecked)
        return ('<section aria-labelledby="unchecked-heading"><h2 id="unchecked-heading">Pages not checked</h2>'
                f"<ul>{items}</ul></section>")

    def _rules_section(self, summary: Summary) -> str:
        found = [self.rules[r] for r in sorted(summary.by_rule) if r in self.rules]
        parts = ['<section aria-labelledby="rules-heading"><h2 id="rules-heading">What the rules mean</h2>']
        if not found:
            parts.append("<p>No rule found anything.</p>")
        for rule in found:
            parts.append(_rule_entry(rule, summary.by_rule[rule.id]))
        parts.append("</section>")
        return "".join(parts)

    def _foot(self) -> str:
        return (f'</main><footer><p>Made by lgcontent {__version__}. This report is one file: it works offline'
                f' and you can attach it to an email.</p></footer><script>{_asset("report.js")}</script>'
                '</body></html>\n')


def _short_name(record: _PageRecord) -> str:
    """A page's title, or the end of its address: enough to recognise it in a card."""
    if record.title and record.title.strip():
        return record.title.strip()
    return record.path.rstrip("/").rsplit("/", 1)[-1] or record.path


def _number_cell(value: float | None, shown: str | None = None) -> str:
    """A table cell that sorts by its exact value whatever it shows ("1,133", "–")."""
    if shown is None:
        shown = "–" if value is None else f"{value:,}"
    return f'<td class="num" data-value="{"" if value is None else value}">{shown}</td>'


def _rule_entry(rule: Rule, count: int) -> str:
    source = esc(rule.source)
    if rule.link:
        source = f'<a href="{html.escape(rule.link)}">{source}</a>'
    fix = f"<p><strong>How to fix:</strong> {esc(rule.fix)}</p>" if rule.fix else ""
    return (f'<div class="rule" id="rule-{html.escape(rule.id)}"><h3>{esc(rule.id)}</h3>'
            f'<p><strong>{esc(rule.summary)}</strong> ({rule.level.label}, pack {esc(rule.pack)},'
            f' {_plural(count, "finding")} in this report)</p><p>{esc(rule.why)}</p>{fix}'
            f'<p class="meta">Source: {source}</p></div>')


def _excerpt(finding: Finding, line: str | None) -> str:
    """The finding's line, cut down around it, with the text it is about marked."""
    if not line:
        return esc(finding.match or "")
    start = min(max(finding.column - 1, 0), len(line))
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = min(max(end, start), len(line))
    before, marked, after = line[max(0, start - _EXCERPT):start], line[start:end], line[end:end + _EXCERPT]
    lead = "…" if start > _EXCERPT else ""
    tail = "…" if end + _EXCERPT < len(line) else ""
    text = f"{lead}{esc(before)}<mark>{esc(marked)}</mark>{esc(after)}{tail}" if marked else \
        f"{lead}{esc(before)}{esc(after)}{tail}"
    return text.replace("\n", " ")
