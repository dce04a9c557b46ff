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


def _others_as_first_written(members: list[tuple[str, Placed]], path: str) -> tuple[int, str]:
    """How site-duplicate named a page's duplicates before it counted them: the list of
    every other member, made again for each member."""
    others = [p for p, _ in members if p != path]
    return len(others), ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")


def test_duplicates_are_counted_and_named_as_before_however_many_share_a_title() -> None:
    from lgcontent.kinds.site import SiteDuplicate

    titles = {"Bins": 1, "Parking": 2, "Council Tax": 4, "Home": 3000}
    index = SiteIndex()
    for title, pages in titles.items():
        for n in range(pages):
            index.pages.append(SitePage(f"/site/{title}/{n}.html", title=Placed(f" {title.upper()} ", 1, 1, 1, 9, None)))
    index.pages.append(SitePage("/site/Parking/0.html", title=Placed("parking", 1, 1, 1, 9, None)))  # the same page twice
    found = list(SiteDuplicate({"field": "title"}).check_site(index))
    groups: dict[str, list[tuple[str, Placed]]] = {}
    for page in index.pages:
        groups.setdefault(page.title.text.strip().casefold(), []).append((page.path, page.title))
    expected = [(path, _others_as_first_written(members, path))
                for members in groups.values() if len(members) > 1 for path, _ in members]
    assert [(path, (params["count"], params["others"])) for path, _, params in found] == expected
    assert len(found) == 3 + 4 + 3000
    assert found[-1][2]["others"].endswith(" and 2996 more") and found[3][2]["count"] == 3
    parking = [params for path, _, params in found if path == "/site/Parking/0.html"]
    assert [(p["count"], p["others"]) for p in parking] == [(1, "/site/Parking/1.html")] * 2
