"""Find the pages of a site: from a sitemap, or by following links from a start page.

A crawl stays on the start page's host, obeys robots.txt (unless told not to),
waits between requests to the host, fetches a few pages at a time, and stops at
--max-pages and --max-depth. Pages come out in the order they were found, so a
report is the same from one run to the next.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .loaders.decoding import decode
from .loaders.url import NOT_PAGES, Fetched, Fetcher, normalise

_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ROBOTS_META = re.compile(r"""<meta[^>]+name\s*=\s*["']?robots["']?[^>]*content\s*=\s*["']?[^"'>]*nofollow""",
                          re.IGNORECASE)
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass
class CrawlOptions:
    max_pages: int = 500
    max_depth: int = 10
    include: list[re.Pattern[str]] = field(default_factory=list)
    exclude: list[re.Pattern[str]] = field(default_factory=list)
    robots: bool = True
    concurrency: int = 4


@dataclass
class CrawlReport:
    """What a crawl left out, for the notes at the end of a run."""

    disallowed: int = 0  # by robots.txt
    not_pages: int = 0  # links to files that are not web pages
    over_limit: int = 0  # found after --max-pages was reached
    broken: set[str] = field(default_factory=set)  # internal URLs that answered 404 or 410
    remaining: int = 0  # pages found and not yet checked, for the progress bar


class Robots:
    """robots.txt for each host, fetched once."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._parsers: dict[str, RobotFileParser | None] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._parsers:
            fetched = self.fetcher.fetch(origin + "/robots.txt")
            parser = None
            if fetched.error is None and fetched.body:
                parser = RobotFileParser()
                parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
            self._parsers[origin] = parser
        parser = self._parsers[origin]
        return parser is None or parser.can_fetch("lgcontent", url)


def page_links(fetched: Fetched) -> list[str]:
    """Absolute addresses of the links on a fetched page (without #fragments)."""
    try:
        text, _ = decode(fetched.body, fetched.url, html=True, declared=fetched.charset)
    except Exception:  # a page we cannot read has no links to follow
        return []
    if _ROBOTS_META.search(text[:20000]):
        return []
    base = fetched.final_url or fetched.url
    found = []
    for m in _HREF.finditer(text):
        href = next(g for g in m.groups() if g is not None).strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        import html as html_module

        target = normalise(urljoin(base, html_module.unescape(href)))
        if urlsplit(target).scheme in ("http", "https"):
            found.append(target)
    return found


def _wanted(url: str, options: CrawlOptions) -> bool:
    if options.include and not any(p.search(url) for p in options.include):
        return False
    return not any(p.search(url) for p in options.exclude)


def crawl(fetcher: Fetcher, start: str, options: CrawlOptions, report: CrawlReport) -> Iterator[Fetched]:
    """Every page reached from ``start`` on the same host, in the order found."""
    start = normalise(start)
    host = urlsplit(start).netloc.lower()
    robots = Robots(fetcher) if options.robots else None
    seen = {start}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    pending: deque[tuple[str, int, Future[Fetched]]] = deque()
    issued = 0
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        while queue or pending:
            while queue and len(pending) < options.concurrency * 2 and issued < options.max_pages:
                url, depth = queue.popleft()
                if robots is not None and not robots.allowed(url):
                    report.disallowed += 1
                    continue
                pending.append((url, depth, pool.submit(fetcher.fetch, url)))
                issued += 1
            if not pending:
                report.over_limit += len(queue)
                queue.clear()
                break
            url, depth, future = pending.popleft()
            report.remaining = min(len(queue) + len(pending), max(0, options.max_pages - issued) + len(pending))
            fetched = future.result()
            if fetched.status in (404, 410) and url != start:
                report.broken.add(url)
                continue
            if fetched.error is None and fetched.format is None:
                report.not_pages += 1
                continue
            yield fetched
            if fetched.error is not None or depth >= options.max_depth:
                continue
            for link in page_links(fetched):
                if link in seen or urlsplit(link).netloc.lower() != host:
                    continue
                seen.add(link)
                if NOT_PAGES.search(urlsplit(link).path):
                    report.not_pages += 1
                elif _wanted(link, options):
                    queue.append((link, depth + 1))


def _xml_root(data: bytes):
    """Parse XML without DTDs, entities or network access (no billion laughs)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=False)
    return etree.fromstring(data, parser)


def _gunzip(data: bytes) -> bytes:
    """Unzip a .gz sitemap, refusing one that would grow past the size limit."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, MAX_SITEMAP_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError(f"unzips to more than {MAX_SITEMAP_BYTES:,} bytes")
    return out


def sitemap_urls(fetcher: Fetcher, url: str, errors: list[tuple[str, str]], depth: int = 0) -> list[str]:
    """Page addresses listed by a sitemap, following sitemap indexes (3 levels at most)."""
    fetched = fetcher.fetch(url)
    if fetched.error is not None:
        errors.append((url, fetched.error))
        return []
    data = fetched.body
    try:
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data)
        root = _xml_root(data)
    except (ValueError, OSError, gzip.BadGzipFile, zlib.error) as exc:
        errors.append((url, f"is not a readable sitemap: {exc}"))
        return []
    except Exception as exc:  # lxml's XMLSyntaxError and friends
        errors.append((url, f"is not valid sitemap XML: {exc}"))
        return []
    name = root.tag.rsplit("}", 1)[-1]
    locs = [el.text.strip() for el in root.iter()
            if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "loc" and el.text]
    if name == "sitemapindex":
        if depth >= 3:
            errors.append((url, "sitemap indexes nest more than 3 deep"))
            return []
        pages: list[str] = []
        for child in locs:
            pages += sitemap_urls(fetcher, urljoin(url, child), errors, depth + 1)
        return pages
    if name != "urlset":
        errors.append((url, f"is not a sitemap (its root element is <{name}>)"))
        return []
    if not locs:
        errors.append((url, "lists no pages"))
    return [normalise(urljoin(url, loc)) for loc in locs]
