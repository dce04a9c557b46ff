"""Site-wide kinds: they look across every page of a folder or crawl at once.

``site-duplicate`` flags pages that share a title or description; ``site-broken-link``
flags links to pages missing from an export, or answering 404 in a crawl.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import islice
from typing import Iterator

from ..site import Placed, SiteIndex
from .base import Kind, Option, one_of


class SiteKind(Kind):
    text_based = False
    site_based = True

    def check_site(self, index: SiteIndex) -> Iterator[tuple[str, Placed, dict]]:
        raise NotImplementedError


class SiteDuplicate(SiteKind):
    name = "site-duplicate"
    options = {"field": Option(one_of("title", "description"), required=True)}
    placeholders = frozenset({"match", "value", "count", "others"})

    def check_site(self, index: SiteIndex) -> Iterator[tuple[str, Placed, dict]]:
        groups: dict[str, list[tuple[str, Placed]]] = defaultdict(list)
        for page in index.pages:
            placed = getattr(page, self.values["field"])
            if placed is not None:
                groups[" ".join(placed.text.casefold().split())].append((page.path, placed))
        for members in groups.values():
            if len(members) < 2:
                continue
            paths = [path for path, _ in members]
            times = Counter(paths)
            for path, placed in members:
                # (counted, and the first three named, without listing the others for each
                # member: thousands of pages can share a CMS's default description)
                count = len(paths) - times[path]
                shown = ", ".join(islice((p for p in paths if p != path), 3))
                shown += f" and {count - 3} more" if count > 3 else ""
                yield path, placed, {"match": placed.text, "value": placed.text, "count": count, "others": shown}


class SiteBrokenLink(SiteKind):
    name = "site-broken-link"
    options = {}
    placeholders = frozenset({"match", "text", "target"})

    def check_site(self, index: SiteIndex) -> Iterator[tuple[str, Placed, dict]]:
        for page in index.pages:
            for link in page.links:
                if index.link_is_broken(link.target):
                    yield page.path, link, {"match": link.text, "text": link.text, "target": link.target}
