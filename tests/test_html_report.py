"""The HTML report: one self-contained, accessible file, tested as HTML and in a browser.

The browser tests open the report in Debian's Chromium through Playwright, with
every request recorded: the report must render, sort and filter with no network
and no console errors. A screenshot of each report is saved in test-artifacts/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import CORPUS, EXAMPLES, ROOT, needs_corpus, run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("LGCONTENT_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_report(tmp_path: Path, *paths: str, extra: tuple[str, ...] = ()) -> tuple[Path, object]:
    report = tmp_path / "report.html"
    result = run("check", *paths, "--format", "html", "--output", str(report), "--quiet", *extra)
    assert result.exit_code in (0, 1), result.output
    return report, result


def parse(report: Path):
    return lxml_html.fromstring(report.read_bytes())


# -- the file itself -------------------------------------------------------------------

def test_report_is_one_self_contained_file(tmp_path):
    report, result = make_report(tmp_path, str(EXAMPLES))
    assert result.exit_code == 1  # the bad examples have errors, as in every other format
    text = report.read_text(encoding="utf-8")
    tree = parse(report)
    assert not tree.xpath("//link | //script[@src] | //img[@src] | //iframe | //object | //embed")
    assert "@import" not in text and "url(" not in text
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy
    # every link inside the report goes somewhere that exists
    ids = set(tree.xpath("//@id"))
    assert len(ids) == len(tree.xpath("//@id")), "ids must be unique"
    for href in tree.xpath("//a/@href"):
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(("https://", "http://")), href  # a rule's source, for a person to follow


def test_report_structure_is_accessible(tmp_path):
    report, _ = make_report(tmp_path, str(EXAMPLES))
    tree = parse(report)
    assert tree.xpath("/html/@lang") == ["en-GB"]
    assert len(tree.xpath("//h1")) == 1
    assert tree.xpath("//header") and tree.xpath("//nav[@aria-label]") and tree.xpath("//main[@id='main']")
    assert tree.xpath("//a[@class='skip']/@href") == ["#main"]
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), "headings must not skip a level"
    for table in tree.xpath("//table"):
        assert table.xpath("caption"), "every table has a caption"
        assert table.xpath(".//th[@scope='col']"), "every table has column headers"
    for svg in tree.xpath("//svg"):
        assert svg.get("role") == "img"
        labelled = svg.get("aria-labelledby").split()
        assert all(tree.xpath(f"//*[@id='{i}']") for i in labelled)
        # the same figures as a table beside the chart
        assert svg.getparent().xpath(".//details/table")
    for control in tree.xpath("//input | //select"):
        assert tree.xpath(f"//label[@for='{control.get('id')}']"), "every control has a label"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_contrast():
    css = (ROOT / "src/lgcontent/reporters/html_assets/report.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("text", "muted", "link", "error", "warning", "suggestion", "good"):
        assert contrast(colours[name], "#ffffff") >= 4.5, name  # text on white (1.4.3)
        assert contrast(colours[name], colours["soft"]) >= 4.5, name  # text on the header rows
    from lgcontent.reporters import html_report

    for fill in (*html_report._COLOURS.values(), html_report._GOOD, html_report._OVER):
        assert contrast(fill, "#ffffff") >= 3, fill  # chart bars against the page (1.4.11)


def test_page_text_is_shown_literally(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text("<html><head><title>Fees &lt;script&gt;alert(1)&lt;/script&gt;</title></head><body><main>"
                    "<h1>Fees</h1>\n<p>Please utilise &lt;img src=x onerror=alert(1)&gt; to pay\u202e now.</p>"
                    "</main></body></html>", encoding="utf-8")
    report, _ = make_report(tmp_path, str(page))
    text = report.read_text(encoding="utf-8")
    tree = parse(report)
    assert not tree.xpath("//img") and len(tree.xpath("//script")) == 1  # only the report's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in text  # excerpts show the source as written
    assert "\u202e" not in text and "\\u202e" in text  # a bidi override is shown, not obeyed


def test_page_table_and_findings(tmp_path):
    report, _ = make_report(tmp_path, str(EXAMPLES))
    tree = parse(report)
    rows = tree.xpath("//table[@id='pages-table']/tbody/tr")
    pages = sorted(p.name for p in EXAMPLES.rglob("*") if p.suffix in (".html", ".md"))
    assert sorted(Path(r.xpath("string(th)")).name for r in rows) == pages
    headers = [h.text_content() for h in tree.xpath("//table[@id='pages-table']/thead//th")]
    assert headers[:5] == ["Page", "Title", "Title length", "Words", "Reading age"]
    bad = next(r for r in rows if r.xpath("string(th)").endswith("bins-bad.html"))
    assert bad.get("data-state") == "failing"
    anchor = bad.xpath("th/a/@href")[0][1:]
    section = tree.xpath(f"//details[@id='{anchor}']")[0]
    cells = section.xpath(".//tbody/tr[1]/td")
    assert re.fullmatch(r"\d+:\d+", cells[0].text_content())
    assert cells[1].text_content() in ("Error", "Warning", "Suggestion")
    assert section.xpath(".//mark"), "the text a finding is about is marked in its excerpt"
    rule_link = cells[4].xpath("a/@href")[0]
    assert tree.xpath(f"//*[@id='{rule_link[1:]}']//h3")  # the rule's explanation is in the report


def test_a_page_with_very_many_findings_lists_the_first_ones(tmp_path, monkeypatch):
    from lgcontent.reporters import html_report

    monkeypatch.setattr(html_report, "MAX_FINDINGS_SHOWN", 3)
    page = tmp_path / "long.md"
    page.write_text("# Fees\n\n" + "Please utilise the form.\n\n" * 5, encoding="utf-8")
    report, _ = make_report(tmp_path, str(page))
    section = parse(report).xpath("//details[@class='page']")[0]
    assert len(section.xpath(".//tbody/tr")) == 3
    total = int(parse(report).xpath("string(//table[@id='pages-table']/tbody/tr/td[last()])"))
    assert total > 3
    assert f"{total - 3:,} more are in the JSON report" in section.text_content()


def _links_all_lead_somewhere(tree) -> None:
    ids = set(tree.xpath("//@id"))
    assert [href for href in tree.xpath("//a/@href") if href.startswith("#") and href[1:] not in ids] == []


def test_a_large_site_lists_the_findings_of_the_pages_that_most_need_work(tmp_path, monkeypatch):
    """A browser cannot open every finding of a large site: the report lists those of the
    failing pages, then of the pages with the most findings, up to a limit."""
    from lgcontent.reporters import html_report

    site = tmp_path / "site"
    site.mkdir()
    (site / "error.html").write_text("<html><head><title>Bins</title></head><body><h1>Bins</h1>"
                                     "<p>Click here.</p></body></html>", encoding="utf-8")  # no lang: an error
    (site / "few.md").write_text("# Fees\n\nPlease utilise the form.\n", encoding="utf-8")
    (site / "many.md").write_text("# Fees\n\n" + "Please utilise the form.\n\n" * 10, encoding="utf-8")
    report, _ = make_report(tmp_path, str(site), extra=("--output", f"json:{tmp_path / 'all.json'}"))
    everything = parse(report)
    assert len(everything.xpath("//details[@class='page']")) == 5  # three pages, two with a site-wide finding
    assert "stays small enough" not in everything.text_content()
    _links_all_lead_somewhere(everything)

    findings = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["findings"]
    on_page = {name: sum(1 for f in findings if f["path"].endswith(name) and f["rule"] != "site.duplicate-title")
               for name in ("error.html", "few.md", "many.md")}
    assert on_page["error.html"] < on_page["few.md"] < on_page["many.md"]
    monkeypatch.setattr(html_report, "MAX_FINDINGS_IN_REPORT", on_page["error.html"] + on_page["many.md"])
    report, _ = make_report(tmp_path, str(site))
    tree = parse(report)
    listed = [section.xpath("string(summary/h3)") for section in tree.xpath("//details[@class='page']")]
    assert [Path(path).name for path in listed] == ["error.html", "many.md"]  # failing first, then the most
    total = on_page["error.html"] + on_page["many.md"]
    assert f"lists the findings of 2 pages ({total} findings)" in tree.text_content()
    rows = {Path(row.xpath("string(th)")).name: row for row in tree.xpath("//table[@id='pages-table']/tbody/tr")}
    assert rows["error.html"].xpath("th/a") and rows["many.md"].xpath("th/a") and not rows["few.md"].xpath("th/a")
    _links_all_lead_somewhere(tree)


def test_overview_figures_match_the_json_report(tmp_path):
    report, _ = make_report(tmp_path, str(EXAMPLES), extra=("--output", f"json:{tmp_path / 'r.json'}"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    tree = parse(report)
    headline = tree.xpath("string(//p[@class='headline'])")
    summary = data["summary"]
    passing = sum(1 for p in data["pages"] if not any(
        f["severity"] == "error" for f in data["findings"] if f["path"] == p["path"]))
    assert headline.startswith(f"{passing} of {summary['pages']} pages pass")
    for name in ("error", "warning", "suggestion"):
        assert f"{summary[name]:,} {name}" in headline
    assert f"median reading age is {summary['median_reading_age']:.0f}" in headline
    packs = tree.xpath("//table[caption='Findings by severity and pack']/tbody/tr")
    columns = {"Errors": "error", "Warnings": "warning", "Suggestions": "suggestion"}
    headers = [h.text_content() for h in tree.xpath("//table[caption='Findings by severity and pack']//thead//th")]
    for index, header in enumerate(headers[1:4], start=1):
        total = sum(int(row.xpath("td")[index - 1].text_content().replace(",", "")) for row in packs)
        assert total == summary[columns[header]], header


def test_compare_shows_what_got_better_and_worse(tmp_path):
    pages = tmp_path / "site"
    pages.mkdir()
    shutil.copy(EXAMPLES / "bins-bad.html", pages / "bins.html")
    shutil.copy(EXAMPLES / "parking-good.md", pages / "parking.md")
    before = tmp_path / "before.json"
    assert run("check", str(pages), "--format", "json", "--output", str(before)).exit_code == 1
    shutil.copy(EXAMPLES / "bins-good.html", pages / "bins.html")  # the bins page fixed
    shutil.copy(EXAMPLES / "parking-bad.md", pages / "parking.md")  # the parking page made worse
    report, _ = make_report(tmp_path, str(pages), extra=("--compare", str(before)))
    tree = parse(report)
    trend = tree.xpath("//section[@aria-labelledby='trend-heading']")[0]

    def rows(caption):
        table = trend.xpath(f".//table[caption='{caption}']")[0]
        return {r.xpath("string(th)"): [c.text_content() for c in r.xpath("td")] for r in table.xpath("tbody/tr")}

    better, worse = rows("Pages with fewer findings"), rows("Pages with more findings")
    assert list(better) == [str(pages / "bins.html")] and list(worse) == [str(pages / "parking.md")]
    assert better[str(pages / "bins.html")][2].startswith("better")
    assert worse[str(pages / "parking.md")][2].startswith("worse")
    assert "errors" in rows("Overall")


@pytest.mark.parametrize("content, message", [
    ("not json", "is not JSON"),
    ('{"version": 1, "findings": []}', "is not a JSON report of lgcontent"),
    ('{"version": 1, "findings": [{"rule": "x"}], "summary": {"pages": "many"}}', "a field is missing or wrong"),
])
def test_compare_with_a_bad_file_is_a_clear_error(tmp_path, content, message):
    previous = tmp_path / "previous.json"
    previous.write_text(content, encoding="utf-8")
    result = run("check", str(EXAMPLES), "--format", "html", "--output", str(tmp_path / "r.html"),
                 "--compare", str(previous))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and str(previous) in errors[0] and message in errors[0]
    assert not (tmp_path / "r.html").exists()


def test_compare_needs_an_html_report(tmp_path):
    previous = tmp_path / "previous.json"
    previous.write_text("{}", encoding="utf-8")
    result = run("check", str(EXAMPLES), "--compare", str(previous))
    assert result.exit_code == 2 and "--compare" in result.output and "html" in result.output
    result = run("check", str(EXAMPLES), "--compare", str(tmp_path / "missing.json"),
                 "--output", f"html:{tmp_path / 'r.html'}")
    assert result.exit_code == 2 and "missing.json: cannot be read" in result.stderr


# -- in a real browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("LGCONTENT_REQUIRE_BROWSER"):
            pytest.fail("Chromium is needed for the browser tests: .ci/run installs it with apt-get")
        pytest.skip("Chromium is not installed (on Debian: apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Visit:
    """A page opened from file, with every request and console message it made."""

    def __init__(self, browser, report: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 1400}, offline=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: msg.type in ("error", "warning") and self.problems.append(msg.text))
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        self.page.goto(report.as_uri())
        self.page.wait_for_load_state("load")

    def visible_rows(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#pages-table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent)")

    def column(self, name: str) -> list[str]:
        """The shown rows' cells in the column headed ``name``."""
        headers = self.page.eval_on_selector_all("#pages-table thead th", "ths => ths.map(t => t.textContent)")
        index = headers.index(name)
        return self.page.eval_on_selector_all(
            "#pages-table tbody tr", f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{index}].textContent)")

    def close(self) -> None:
        self.context.close()


def screenshot(visit: Visit, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    visit.page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000  # a real picture, not an empty page
    return path


def _numbers(values: list[str]) -> list[float]:
    return [float(v.replace(",", "")) if v not in ("–", "") else float("-inf") for v in values]


def check_in_browser(browser, report: Path, shot: str) -> Visit:
    visit = Visit(browser, report)
    page = visit.page
    assert page.title() == "Content quality report: lgcontent"
    assert page.locator("h1").inner_text() == "Content quality report"
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#chart-ages-caption").is_visible()
    total = len(visit.visible_rows())
    assert page.locator("#pages-status").inner_text() == f"Showing {total} of {total} pages."
    screenshot(visit, shot)
    # Keyboard: the first Tab reaches the skip link; sorting works from the keyboard too.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.locator("#pages-table thead th", has_text="Words").locator("button").focus()
    page.keyboard.press("Enter")
    assert page.locator("#pages-table thead th", has_text="Words").get_attribute("aria-sort") == "ascending"

    # Sort by all findings: first click lowest first, second click highest first.
    header = page.locator("#pages-table thead th", has_text="All findings")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    findings = _numbers(visit.column("All findings"))
    assert findings == sorted(findings)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    findings = _numbers(visit.column("All findings"))
    assert findings == sorted(findings, reverse=True) and findings[0] > 0
    # Sort by page address, as text.
    page.locator("#pages-table thead th", has_text="Page").first.locator("button").click()
    addresses = [a.lower() for a in visit.column("Page")]
    assert addresses == sorted(addresses)

    # Filter: pages with no findings, then by words in the address.
    without_findings = _numbers(visit.column("All findings")).count(0)
    page.select_option("#page-show", "clean")
    clean = _numbers(visit.column("All findings"))
    assert len(clean) == without_findings and all(n == 0 for n in clean)
    page.select_option("#page-show", "failing")
    failing = visit.visible_rows()
    assert failing and len(failing) < total
    page.select_option("#page-show", "all")
    word = Path(visit.column("Page")[0]).stem[:5]
    page.fill("#page-filter", word)
    shown = visit.visible_rows()
    assert shown
    assert all(word.lower() in (a + " " + t).lower() for a, t in zip(visit.column("Page"), visit.column("Title")))
    assert page.locator("#pages-status").inner_text() == f"Showing {len(shown)} of {total} pages."
    page.fill("#page-filter", "no page has this in its address")
    assert visit.visible_rows() == []
    page.fill("#page-filter", "")

    # A page's address opens its findings.
    link = page.locator("#pages-table tbody tr:not([data-state=clean]) th a").first
    target = link.get_attribute("href")[1:]
    link.click()
    assert page.locator(f"details#{target}").evaluate("d => d.open")
    assert page.locator(f"details#{target} tbody tr").count() > 0


    assert visit.problems == [], visit.problems
    assert visit.requests == [report.as_uri()], "the report must make no requests of its own"
    return visit


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_violations(visit: Visit) -> list[str]:
    """What axe-core (the engine behind most accessibility checkers) finds against WCAG 2.2
    AA, with every page's findings opened so that they are checked too."""
    from axe_playwright_python.sync_playwright import Axe

    visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = Axe().run(visit.page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [f"{v['id']} ({v['impact']}): {v['help']}, {len(v['nodes'])} places, first:"
            f" {v['nodes'][0]['html'][:120]}" for v in results.response["violations"]]


def test_examples_report_in_a_browser(browser, tmp_path):
    report, _ = make_report(tmp_path, str(EXAMPLES))
    visit = check_in_browser(browser, report, "html-report-examples.png")
    visit.page.select_option("#page-show", "clean")
    assert visit.visible_rows(), "the good examples pass with no findings"
    assert accessibility_violations(visit) == []
    visit.close()


def test_report_with_a_trend_passes_an_accessibility_check(browser, tmp_path):
    previous = tmp_path / "previous.json"
    run("check", str(EXAMPLES / "bins-bad.html"), "--format", "json", "--output", str(previous))
    report, _ = make_report(tmp_path, str(EXAMPLES), extra=("--compare", str(previous)))
    visit = Visit(browser, report)
    assert visit.page.locator("#trend-heading").is_visible()
    assert accessibility_violations(visit) == []
    assert visit.problems == []
    # The check does find problems: a form field with no label is one.
    visit.page.evaluate("document.querySelector('main').appendChild(document.createElement('input'))")
    assert any(v.startswith("label") for v in accessibility_violations(visit))
    visit.close()


@needs_corpus()
def test_corpus_report_in_a_browser(browser, tmp_path):
    previous = tmp_path / "previous.json"
    run("check", str(EXAMPLES), "--format", "json", "--output", str(previous))
    report, _ = make_report(tmp_path, str(CORPUS), extra=("--compare", str(previous)))
    visit = check_in_browser(browser, report, "html-report-corpus.png")
    assert visit.page.locator("#trend-heading").is_visible()
    visit.close()
