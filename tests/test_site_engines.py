"""The second generator (issue 14, item 5): `tracker build --engine zensical` builds the same
site as MkDocs.

The demo and a province-like repository (generate_province, more units than the navigation
lists) are built with both engines and compared page by page: the same page paths, titles,
banner, visible text of every article, links, navigation (compact on snapshots and filing
texts) and search entries. Then what holds for Zensical on its own: offline, the evidence
`.md` links (which Zensical would rewrite), byte-identical rebuilds, a strict failure that
leaves the old site, a clear exit 2 when Zensical is not installed, and a real headless
Chromium on one page (no request leaves the server; Chinese search finds a word inside a
sentence). The hostile-text tests of test_site_escape run against both engines there.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from tests.site_helpers import (
    DEMO,
    DEMO_AS_OF,
    broken_links,
    build,
    html_pages,
    main_content,
    parse_links,
    text_of,
)
from tracker.cli import cli
from tracker.site import zensical_backend
from tracker.site.build import MARKER
from tracker.site.mkdocs_backend import SiteBuildError
from tracker.site.pages import NAV_UNIT_LIMIT

pytestmark = pytest.mark.slow

ENGINES = ("mkdocs", "zensical")
PROVINCE_UNITS = NAV_UNIT_LIMIT + 3  # unit and filing pages drop out of the navigation


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import generate_province
    finally:
        sys.path.pop(0)
    root = tmp_path_factory.mktemp("province") / "repo"
    generate_province.main([str(root), "--units", str(PROVINCE_UNITS),
                            "--villages", str(PROVINCE_UNITS * 12), "--no-git"])
    return root


@pytest.fixture(scope="module", params=["demo", "province"])
def sites(request, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The same repository built by each engine: {engine: site folder}."""
    if request.param == "demo":
        root, as_of, provenance = DEMO, DEMO_AS_OF, True
    else:
        from datetime import date

        root, as_of, provenance = request.getfixturevalue("province"), date(2025, 12, 31), False
    folder = tmp_path_factory.mktemp(f"engines-{request.param}")
    built = {}
    for engine in ENGINES:
        built[engine] = folder / engine
        build(root, built[engine], as_of=as_of, provenance=provenance, engine=engine)
    return built


def _title(html: str) -> str:
    m = re.search(r"<title>(.*?)</title>", html, re.S)
    assert m
    return m[1]


def _banner(html: str) -> str:
    m = re.search(r'<div class="tk-demo-banner">(.*?)</div>', html, re.S)
    return m[1] if m else ""


def _target(page: str, href: str) -> str:
    """Where a link on `page` leads, as a site path (`./x.html` and `x.html` are the same)."""
    if urlsplit(href).scheme or href.startswith("#"):
        return href
    path, _, fragment = unquote(href).partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return f"{path}#{fragment}" if fragment else path


def _nav(page: str, html: str) -> list[str]:
    """Where the links of the primary navigation (the left sidebar) lead."""
    start = html.index('data-md-type="navigation"')
    end = html.index('data-md-type="toc"', start)
    return [_target(page, v) for tag, _attr, v in parse_links(html[start:end]).refs if tag == "a"]


def _search_locations(site: Path) -> set[str]:
    mkdocs = site / "search" / "search_index.json"
    if mkdocs.exists():
        return {d["location"] for d in json.loads(mkdocs.read_text("utf-8"))["docs"]}
    items = json.loads((site / "search.json").read_text("utf-8"))["items"]
    return {d["location"] for d in items}


def _article_links(page: str, html: str) -> list[str]:
    # Zensical's evidence links carry the '.' of '.md' percent-encoded: the same file.
    return [_target(page, v) for _tag, _attr, v in parse_links(main_content(html)).refs]


def test_same_pages_titles_and_banner(sites: dict[str, Path]) -> None:
    mkdocs, zensical = html_pages(sites["mkdocs"]), html_pages(sites["zensical"])
    assert sorted(zensical) == sorted(mkdocs)
    for path, html in zensical.items():
        assert _title(html) == _title(mkdocs[path]), path
        banner = _banner(html)
        assert banner.startswith("演示数据(虚构)"), path  # both repositories say demo: true
        assert banner == _banner(mkdocs[path]), path  # a snapshot's banner names its own date


def test_same_text_links_and_navigation_on_every_page(sites: dict[str, Path]) -> None:
    mkdocs, zensical = html_pages(sites["mkdocs"]), html_pages(sites["zensical"])
    compact = 0
    for path, html in zensical.items():
        other = mkdocs[path]
        assert text_of(main_content(html)) == text_of(main_content(other)), path
        assert _article_links(path, html) == _article_links(path, other), path
        assert _nav(path, html) == _nav(path, other), path
        if path.startswith(("archive/", "texts/")):
            compact += 1
            assert len(_nav(path, html)) < len(_nav("index.html", zensical["index.html"])), path
    assert compact > 0


def test_same_search_entries(sites: dict[str, Path]) -> None:
    locations = _search_locations(sites["zensical"])
    assert locations == _search_locations(sites["mkdocs"])
    pages = {loc.split("#")[0] for loc in locations}
    assert "index.html" in pages
    assert not [p for p in pages if p.startswith(("archive/", "texts/"))]
    config = json.loads((sites["zensical"] / "search.json").read_text("utf-8"))["config"]
    assert config["lang"] == ["zh"]


def test_offline_and_links(sites: dict[str, Path]) -> None:
    site = sites["zensical"]
    for path, html in html_pages(site).items():
        assert '<html lang="zh"' in html, path
        for tag, _attr, value in parse_links(html).refs:
            if value.startswith(("http://", "https://", "//")):
                # Only evidence links the reader clicks leave the site; nothing is loaded, and
                # there is no "made with" link.
                assert tag == "a" and value.startswith("https://"), f"{path}: {tag} {value}"
                assert "zensical.org" not in value, path
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.read_text("utf-8")), css
    # Only one stylesheet variant is shipped.
    assert sorted(p.name for p in (site / "assets/stylesheets").iterdir()) == ["classic"]
    assert broken_links(site) == []


def test_evidence_md_files_are_linked_as_shipped(sites: dict[str, Path]) -> None:
    site = sites["zensical"]
    shipped = {p.relative_to(site).as_posix() for p in (site / "repo").rglob("*.md")} \
        if (site / "repo").is_dir() else set()
    if not shipped:
        pytest.skip("no Markdown evidence in this repository")
    linked = set()
    for path, html in html_pages(site).items():
        for _tag, _attr, value in parse_links(html).refs:
            if "repo/" in value and value.endswith("%2Emd"):
                target = (site / path).parent / unquote(value)
                linked.add(target.resolve().relative_to(site.resolve()).as_posix())
        assert not re.search(r'href="[^"]*repo/[^"]*\.html"', html), path
    assert linked and linked <= shipped


def test_two_zensical_builds_are_byte_identical(tmp_path: Path) -> None:
    once, again = tmp_path / "once", tmp_path / "again"
    build(DEMO, once, engine="zensical")
    build(DEMO, again, engine="zensical")
    first = {p.relative_to(once): p.read_bytes() for p in once.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [str(p) for p in first if first[p] != second[p]] == []


def test_keep_md_links_touches_only_relative_md_links() -> None:
    body = ('<a href="../repo/a/b.md">x</a> <a href="../repo/c.md#s">y</a> '
            '<a href="https://x.org/a.md">z</a> <a href="t.html">t</a> <p>a.md &#34;b.md&#34;</p> '
            '<img src="d.md"> <a href="/abs.md">a</a> <a href="e.md.pdf">p</a>')
    assert zensical_backend.keep_md_links(body) == (
        '<a href="../repo/a/b%2Emd">x</a> <a href="../repo/c%2Emd#s">y</a> '
        '<a href="https://x.org/a.md">z</a> <a href="t.html">t</a> <p>a.md &#34;b.md&#34;</p> '
        '<img src="d%2Emd"> <a href="/abs.md">a</a> <a href="e.md.pdf">p</a>')
    same = '<p>nothing to change</p>'
    assert zensical_backend.keep_md_links(same) is same


def test_a_strict_failure_keeps_the_old_site_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(DEMO, out, engine="zensical")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # Zensical's own link check reports every link to a Markdown evidence file as a missing
    # page (evidence is not part of its sources): a real strict failure of Zensical.
    monkeypatch.setattr(zensical_backend, "VALIDATION", {"invalid_links": True})
    with pytest.raises(SiteBuildError) as failed:
        build(DEMO, out, engine="zensical")
    message = failed.value.format_message()
    assert message.startswith("Zensical 构建失败(严格模式):")
    assert re.search(r"tasks/[^ ]+\.md:\d+:\d+ Warning: page does not exist", message), message
    assert "原有的站点没有被改动" in message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_without_zensical_installed_exit_2_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "zensical", None)  # import zensical → ImportError
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--out", str(out),
                                      "--engine", "zensical"])
    assert result.exit_code == 2, result.output
    assert "没有安装 Zensical" in result.output
    assert "pip install 'tracker[zensical]'" in result.output
    assert "Traceback" not in result.output and not out.exists()
    # The same from the environment, as CI would set it.
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--out", str(out)],
                                env={"TRACKER_ENGINE": "zensical"})
    assert result.exit_code == 2 and "没有安装 Zensical" in result.output


def test_cli_engine_option(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--out", str(out),
                                      "--as-of", DEMO_AS_OF.isoformat(), "--no-archive",
                                      "--engine", "zensical"])
    assert result.exit_code == 0, result.output
    assert "Zensical 构建" in result.output and re.search(r"\(Zensical [0-9.]+ 秒\)", result.output)
    assert (out / MARKER).is_file() and (out / "search.json").is_file()
    assert not (out / "search").exists()  # MkDocs' search folder: not this engine's
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--out", str(out),
                                      "--engine", "hugo"])
    assert result.exit_code == 2 and "'hugo' is not one of 'mkdocs', 'zensical'" in result.output


# --- a real browser on the Zensical site -----------------------------------------------------

from tests.test_site_browser import CHROMIUM, serving  # noqa: E402 - one server for all


@pytest.fixture(scope="module")
def served_zensical(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("zensical-browser") / "site"
    build(DEMO, site, engine="zensical")
    with serving(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.skipif(os.environ.get("TRACKER_SKIP_BROWSER") == "1", reason="TRACKER_SKIP_BROWSER=1")
def test_in_chromium_offline_banner_and_chinese_search(served_zensical: str) -> None:
    from tests.test_site_browser import ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium, or TRACKER_SKIP_BROWSER=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            requests: list[str] = []

            def opened(path: str):  # type: ignore[no-untyped-def]
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("request", lambda r: requests.append(r.url))
                page.goto(served_zensical + path)
                page.wait_for_load_state("networkidle")
                return page, errors

            page, errors = opened("tasks/1.1.html")
            assert page.locator(".tk-demo-banner").first.inner_text().startswith("演示数据(虚构)")
            assert errors == []
            # An evidence file named *.md opens as the file that was filed (a plain-text page,
            # for which the browser may also ask the server for /favicon.ico: not the site's).
            link = page.locator('a[href*="repo/"][href$="%2Emd"]').first
            with page.expect_response(lambda r: "repo/" in r.url) as response:
                link.click()
            assert response.value.status == 200
            page.close()
            page, errors = opened("index.html")
            # “冷链” appears only inside a sentence of task 1.2's text: “…,拓展冷链物流功能,…”.
            hrefs = _search(page, "冷链")
            assert hrefs and any("tasks/1.2.html" in h for h in hrefs), hrefs
            assert errors == []
            outside = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")
                       and urlsplit(u).hostname != "127.0.0.1"]
            assert outside == []
        finally:
            browser.close()


def _search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.locator(SEARCH_OPEN).first.click()
    box = page.locator(SEARCH_INPUT).first
    results = page.locator(SEARCH_RESULT)
    for _ in range(5):
        box.fill("")
        page.keyboard.type(query)
        page.keyboard.press("End")
        try:
            results.first.wait_for(state="attached", timeout=5000)
            break
        except Exception:  # noqa: BLE001 - the search worker may still be loading
            continue
    return results.evaluate_all("els => els.map(e => e.getAttribute('href'))")


# Zensical's search is a dialog in a shadow root (Playwright's CSS selectors pierce it).
SEARCH_OPEN = ".md-search__button"
SEARCH_INPUT = "dialog input[role=combobox]"
SEARCH_RESULT = "dialog ol[role=listbox] a[role=option]"
