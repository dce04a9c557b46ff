"""What site-wide rules need to know about each page, gathered as pages are checked.

Only small records are kept (titles, descriptions and links with their places),
never whole documents, so memory stays flat on large sites.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urljoin, urlsplit

from .document import Document
from .loaders.url import NOT_PAGES, is_web_address, normalise
from .pickled import pickled_as_fields


@pickled_as_fields  # (--jobs workers send each page's title, description and broken links)
@dataclass(frozen=True, slots=True)
class Placed:
    """A piece of a page (title, description or link) and where it is written."""

    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    match: str | None
    target: str = ""  # for links: the page it points to, as a URL or an absolute file path


@dataclass
class SitePage:
    path: str
    title: Placed | None = None
    description: Placed | None = None
    links: list[Placed] = field(default_factory=list)


@dataclass
class SiteIndex:
    pages: list[SitePage] = field(default_factory=list)
    broken_urls: set[str] = field(default_factory=set)  # from a crawl: answered 404 or 410
    roots: list[str] = field(default_factory=list)  # folders checked: where '/x' links start
    # Whether each file target was found: every page's menu links to the same few pages.
    _found: dict[str, bool] = field(default_factory=dict, repr=False)

    def add(self, page: SitePage) -> None:
        """Keep what the site-wide rules need of a checked page (see :meth:`needed`)."""
        self.pages.append(self.needed(page))

    def needed(self, page: SitePage) -> SitePage:
        """What the site-wide rules need of a page. Of its links to files, only those to
        missing files: the rest could not be reported, and most pages link to the same few
        that are there, so memory grows slowly with the site. (Links to web pages wait for
        the crawl's end, which finds the broken ones.) ``page`` itself is left whole."""
        kept = [link for link in page.links if is_web_address(link.target) or self.link_is_broken(link.target)]
        return page if len(kept) == len(page.links) else replace(page, links=kept)

    def link_is_broken(self, target: str) -> bool:
        if is_web_address(target):
            return target in self.broken_urls
        found = self._found.get(target)
        if found is None:
            found = self._found[target] = any(os.path.exists(candidate) for candidate in _candidates(target))
        return not found


def _candidates(path: str) -> list[str]:
    """Files a link such as /bins may mean in an exported site."""
    return [path, path + ".html", path + ".htm", path + ".md", os.path.join(path, "index.html"),
            os.path.join(path, "index.htm"), os.path.join(path, "index.md")]


def _place(doc: Document, start: int, end: int, text: str, target: str = "") -> Placed:
    line, column, end_line, end_column = doc.lines.positions(start, end)
    return Placed(text, line, column, end_line, end_column, doc.source[start:end] or None, target)


def _file_target(page: str, href: str, roots: list[str]) -> str | None:
    """The absolute file a link in an exported page points to, or None if it leaves the export."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        page_abs = os.path.abspath(page)
        root = next((r for r in roots if page_abs.startswith(r.rstrip(os.sep) + os.sep)), None)
        if root is None:
            return None
        return os.path.normpath(os.path.join(root, path.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(page)), path))


def summarise(doc: Document, roots: list[str]) -> SitePage:
    page = SitePage(doc.path)
    for name in ("title", "description"):
        field_ = getattr(doc, name)
        if field_ is not None and field_.value.strip():
            setattr(page, name, _place(doc, field_.start, field_.end, field_.value))
    web = is_web_address(doc.path)
    for link in doc.links:
        href = link.href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if web:
            target = normalise(urljoin(doc.path, href))
            if urlsplit(target).netloc.lower() != urlsplit(doc.path).netloc.lower():
                continue
        else:
            found = _file_target(doc.path, href, roots)
            if found is None or NOT_PAGES.search(found):
                continue  # off the export, or a document or image: exports often leave those out
            target = found
        page.links.append(_place(doc, link.start, link.end, link.text, target))
    return page
