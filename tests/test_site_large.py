"""Large sites stay usable (issue 14, item 6): long lists are split into part pages, anchors lead
to the part that holds them, the navigation does not list every unit, bulky tables stay out of
the search index. A small generated repository stands in for a national one: the rows per page
(`pages.PAGE_ROWS`) and the navigation's unit limit are lowered so that it passes both, as a
national repository passes the defaults (docs/site.md "Large sites"; the national figures are
in benchmarks/README.md)."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.site_helpers import REPO, broken_links, build, html_pages
from tracker.site import pages

sys.path.insert(0, str(REPO / "benchmarks"))
import generate_province as gp  # noqa: E402

pytestmark = pytest.mark.slow

UNITS = 10  # 6 departments are added by the generator: 16 units
ROWS = 8  # rows per page, lowered from PAGE_ROWS
NAV_LIMIT = 4  # units in the navigation, lowered from NAV_UNIT_LIMIT
# With ROWS = 8 no page holds more than about 8 rows of any list: a bound that the same
# repository's ledger (256 rows, ~150 kB) and task pages passed before lists were split. The
# filing forms (file/<unit>) are one unit's pages whatever the size of the site: not bounded.
BOUND = 70_000
PART = re.compile(r"_[a-z]+_[0-9]+\.html$")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("large") / "repo"
    gp.generate(out, n_units=UNITS, n_villages=UNITS * 40, seed=1, git=False)
    return out


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("large") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "PAGE_ROWS", ROWS)
        mp.setattr(pages, "NAV_UNIT_LIMIT", NAV_LIMIT)
        build(repo, out, date(2025, 12, 31), provenance=False)
    return out


def test_split_keeps_groups_together_and_gives_a_heavy_item_a_page() -> None:
    items = ["a1", "a2", "b1", "b2", "b3", "c1"]
    assert pages.split(items, 4, group=lambda x: x[0]) == [["a1", "a2"], ["b1", "b2", "b3", "c1"]]
    # A group larger than a page is cut; a short list is one page.
    assert pages.split(items, 2, group=lambda x: x[0]) == [["a1", "a2"], ["b1", "b2"],
                                                           ["b3", "c1"]]
    assert pages.split(items, 10) == [items]
    assert pages.split([], 10) == [[]]
    assert pages.split([5, 1, 1], 3, weight=lambda x: x) == [[5], [1, 1]]
    # The first page may be smaller (a page that shows the first part of several lists).
    assert pages.split(list(range(7)), 3, first=1) == [[0], [1, 2, 3], [4, 5, 6]]


def test_no_page_passes_the_bound_and_long_lists_were_split(site: Path) -> None:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")
             if not p.relative_to(site).as_posix().startswith("repo/")}
    forms = {p for p in sizes if p.startswith("file/") and not p.startswith("file/index")}
    over = {p: n for p, n in sizes.items() if n > BOUND and p not in forms}
    assert over == {}
    parts = {PART.sub("", p) for p in sizes if PART.search(p)}
    for base in ("ledger", "index", "units/index", "file/index", "tasks/1.1",
                 "targets/village-service-points", "archive/2025-Q3/index",
                 "archive/2025-Q3/targets/village-service-points", "archive/2025-Q3/units/index"):
        assert any(p == base for p in parts), base
    # Every list kind was split: ledger rows, a task's units and timeline, a target's units,
    # each list of the overview.
    names = {m.group(0) for p in sizes if (m := PART.search(p))}
    kinds = {re.sub(r"_[0-9]+\.html$", "", n) for n in names}
    assert {"_rows", "_units", "_timeline", "_matrix", "_problems", "_filings"} <= kinds


def test_links_and_anchors_resolve_across_part_pages(site: Path) -> None:
    assert broken_links(site) == []
    # A figure on a unit page links to the ledger part that holds its filing's row.
    unit = (site / "units/u010.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="\.\./(ledger[^"#]*\.html)#f-u010-2025-Q3"', unit))
    assert len(links) == 1 and links != {"ledger.html"}
    held = (site / links.pop()).read_text(encoding="utf-8")
    assert 'id="f-u010-2025-Q3"' in held
    # The overview's matrix cell leads to the part of the target page with the unit's row.
    home = (site / "index.html").read_text(encoding="utf-8")
    cell = re.search(r'href="(targets/village-service-points[^"#]*\.html)#u-u001"', home)
    assert cell
    # Each part page has a pager back to the first page of its list.
    part = (site / "ledger_rows_2.html").read_text(encoding="utf-8")
    assert 'class="tk-pager"' in part and 'href="ledger.html#rows"' in part


def test_the_navigation_lists_no_unit_page(site: Path) -> None:
    html = html_pages(site)
    for path in ("index.html", "ledger_rows_2.html", "units/u001.html", "tasks/1.1.html",
                 "archive/2025-Q3/index.html"):
        start = html[path].index("md-nav--primary")
        nav = html[path][start:html[path].index('class="md-content"', start)]
        # Pages, not the table of contents of this one (Material puts it in the navigation).
        links = [x for x in re.findall(r'href="([^"]+)"', nav) if not x.startswith("#")]
        # The lists, targets (7) and tasks (11), the fixed pages (snapshots: only the top
        # level): no unit, no part page. A national site's navigation has the same links.
        assert 5 < len(links) < 40, (path, len(links))
        assert not [x for x in links if re.search(r"units/u\d+|file/u\d+|_[a-z]+_\d", x)], path


def test_bulky_tables_stay_out_of_the_search_index(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    # Part pages, snapshots and forms are out; unit pages keep their name and headings.
    assert not [loc for loc in docs if PART.search(loc.split("#")[0])
                or loc.startswith(("archive/", "texts/", "file/u"))]
    assert docs["units/u001.html"]["title"]
    # The per-unit tables (a unit's figures, a task's per-unit progress) are not indexed,
    # nor the date bar every page carries.
    assert docs["units/u001.html#targets"]["text"] == ""
    assert docs["tasks/1.1.html#latest"]["text"] == ""
    assert "其他日期" not in docs["index.html"]["text"]
    # The plan's words are.
    assert "\u200b" in docs["tasks/1.1.html#text"]["text"]
