"""What the site index keeps of each page for the site-wide rules."""

from __future__ import annotations

from pathlib import Path

from lgcontent.site import Placed, SiteIndex, SitePage


def _link(target: str) -> Placed:
    return Placed("the guide", 3, 1, 3, 10, "[the guide](x)", target)


def test_only_links_to_missing_files_are_kept_and_every_web_link(tmp_path: Path) -> None:
    # Most pages link to the same few pages, which are there: keeping those links would
    # make memory grow with every page of a large site, for nothing to report.
    (tmp_path / "apply.html").write_text("<p>Apply</p>")
    there, missing = _link(str(tmp_path / "apply")), _link(str(tmp_path / "gone"))
    web = _link("https://example.org/council/bins")
    page = SitePage(str(tmp_path / "page.html"), links=[there, missing, web])
    index = SiteIndex(roots=[str(tmp_path)])
    index.add(page)
    assert index.pages[0].links == [missing, web]
    # The page's own record, which the results cache keeps, is left whole.
    assert page.links == [there, missing, web]
    index.broken_urls.add("https://example.org/council/bins")  # a crawl finds this out at its end
    assert [index.link_is_broken(link.target) for link in index.pages[0].links] == [True, True]
