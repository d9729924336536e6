"""Page generation without MkDocs: from a status dict of exactly SPEC's "Machine output" shape
(no extra fields), charts, and the templates' own rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tests.conftest import copy_base
from tracker.provenance import disabled
from tracker.repository import load
from tracker.site import charts, pages
from tracker.site.build import history_dates
from tracker.site.pages import TEMPLATES, fmt_num, fmt_pct

# SPEC's machine output, and nothing more: the site must not depend on the engine's extras.
SPEC_STATUS = {
    "as_of": "2024-06-30",
    "plan": "sample-plan",
    "targets": [
        {"target": "stations", "scope": "city", "actual": 5, "expected": 3.9, "goal": 16,
         "deadline": "2025-12-31", "status": "on_track"},
        {"target": "stations", "scope": "east", "actual": 3, "expected": 2.4, "goal": 10,
         "deadline": "2025-12-31", "status": "on_track"},
        {"target": "stations", "scope": "west", "actual": 2, "expected": 1.5, "goal": 6,
         "deadline": "2025-12-31", "status": "lagging"},
        {"target": "centres", "scope": "city", "actual": 1, "expected": 0.5, "goal": 2,
         "deadline": "2025-12-31", "status": "on_track"},
    ],
    "tasks": [{"task": "1.1", "lead": "office", "status": "in_progress"},
              {"task": "1.2", "lead": "east", "status": "done"},
              {"task": "S.1", "lead": None, "status": "not_started"}],
    "filings": [{"unit": "east", "period": "2024-Q1", "due": "2024-04-10", "status": "on_time",
                 "reported_on": "2024-04-08"},
                {"unit": "west", "period": "2024-Q1", "due": "2024-04-10", "status": "late",
                 "reported_on": "2024-04-20"}],
    "index": [{"unit": "east", "score": 42.5, "rank": 1}, {"unit": "west", "score": 12.0, "rank": 2}],
}


def _content(tmp_path: Path) -> pages.SiteContent:
    root = copy_base(tmp_path / "repo")
    loaded = load(root)
    assert loaded.repo is not None
    return pages.generate(loaded.repo, SPEC_STATUS, disabled())


def test_generates_every_page_from_the_spec_shape(tmp_path: Path) -> None:
    content = _content(tmp_path)
    paths = [p.path for p in content.pages]
    assert paths[0] == "index"
    for expected in ("targets/stations", "tasks/1.1", "tasks/S.1", "units/east", "ledger",
                     "methodology", "downloads"):
        assert expected in paths
    body = {p.path: p.body for p in content.pages}
    assert "42.5" in body["index"] and "逾期报送" in body["index"]
    # Without a `source`, a unit figure is shown but not linked to a ledger row.
    assert '<td class="tk-n">3</td>' in body["targets/stations"]
    assert not content.demo and content.banner == ""


def test_every_page_has_footer_and_no_raw_newline_from_data(tmp_path: Path) -> None:
    content = _content(tmp_path)
    for page in content.pages:
        assert 'class="tk-footer"' in page.body
        assert "数据截至 2024-06-30" in page.body


def test_markdown_headings_in_templates_hold_literal_text_only() -> None:
    # Data goes into HTML blocks (escaped); a Markdown line must never interpolate data.
    for template in TEMPLATES.glob("*.html"):
        for line in template.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                assert "{{" not in line and "{%" not in line, (template.name, line)
                assert re.fullmatch(r"#{2,3} [^{}<>]+ \{#[a-z-]+\}", line), (template.name, line)


def test_chart_is_deterministic_svg_with_text() -> None:
    args = dict(title="村级<服务>站", unit_label="个",
                expected=[(date(2024, 1, 1), 0.0), (date(2024, 12, 31), 8.0),
                          (date(2025, 12, 31), 16.0)],
                actual=[(date(2024, 3, 31), 2.0), (date(2024, 6, 30), 5.0)],
                as_of=date(2024, 6, 30), start=date(2024, 1, 1), end=date(2025, 12, 31))
    svg = charts.progress_chart(**args)  # type: ignore[arg-type]
    assert svg == charts.progress_chart(**args)  # type: ignore[arg-type]
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "\n" not in svg
    assert "村级&lt;服务&gt;站" in svg and "<服务>" not in svg
    for text in ("2024年", "2025年", "截至 2024-06-30", "全市实际", "预期进度(直线)", ">16<"):
        assert text in svg
    assert ' id="' not in svg  # no ids: several charts can share a page
    assert re.search(r"\d\.\d{2,}", svg) is None  # fixed one-decimal coordinates


def test_number_formatting() -> None:
    assert fmt_num(None) == "—" and fmt_num(3) == "3" and fmt_num(3.0) == "3"
    assert fmt_num(2.25) == "2.2" or fmt_num(2.25) == "2.3"
    assert fmt_num(687.2) == "687.2"
    assert fmt_pct(1, 3) == "33.3%" and fmt_pct(None, 3) == "—" and fmt_pct(1, 0) == "—"
    assert charts.nice_max(916 * 1.05) == 1000 and charts.nice_max(0) == 1.0


def test_history_dates_are_period_ends_then_as_of(tmp_path: Path) -> None:
    loaded = load(copy_base(tmp_path / "repo"))
    assert loaded.repo is not None
    days = history_dates(loaded.repo, date(2024, 8, 15))
    assert days == [date(2024, 3, 31), date(2024, 6, 30), date(2024, 8, 15)]
    assert history_dates(loaded.repo, date(2023, 5, 1)) == []


def test_v2_codes_show_their_labels_and_lights(tmp_path: Path) -> None:
    """待审核销号 and 待报送 are yellow; 临期 is a blue light beside the status; a per-unit
    minimum's city row says how many units met it."""
    status = {
        **SPEC_STATUS,
        "targets": [
            {**SPEC_STATUS["targets"][0], "due_soon": True},
            *SPEC_STATUS["targets"][1:3],
            {**SPEC_STATUS["targets"][3], "status": "off_track", "units_met": 1, "units": 2},
        ],
        "tasks": [{"task": "1.1", "lead": "office", "status": "pending_review",
                   "due_soon": True},
                  *SPEC_STATUS["tasks"][1:]],
        "filings": [*SPEC_STATUS["filings"],
                    {"unit": "east", "period": "2024-Q2", "due": "2024-07-10",
                     "status": "upcoming", "reported_on": None}],
    }
    root = copy_base(tmp_path / "repo")
    loaded = load(root)
    assert loaded.repo is not None
    content = pages.generate(loaded.repo, status, disabled())
    body = {p.path: p.body for p in content.pages}
    blue = re.compile(r'<span class="tk-status tk-blue"[^>]*>临期</span>')
    station = body["targets/stations"]
    assert '<span class="tk-status tk-green">' in station and blue.search(station)
    assert not blue.search(body["targets/centres"])
    assert "达标 1/2 个单位" in body["targets/centres"]
    task = body["tasks/1.1"]
    assert '<span class="tk-status tk-yellow">待审核销号' in task
    assert "临期" in task
    assert '<span class="tk-status tk-yellow">待报送' in body["units/east"]


def test_relative_links_equal_posixpath_relpath() -> None:
    import itertools
    import posixpath

    folders = ["", "targets", "texts", "archive/2024-Q1", "archive/2024-Q1/targets",
               "archive/2023-Q4/targets", "repo/evidence/东区"]
    paths = ["index.html", "targets/x.html", "archive/2024-Q1/index.html",
             "archive/2024-Q1/targets/x.html", "texts/a.html", "repo/evidence/东区/a.pdf",
             "archive/2023-Q4/units/index.html"]
    for folder, path in itertools.product(folders, paths):
        assert pages.relative(folder, path) == posixpath.relpath(path, folder or "."), (folder, path)


def test_a_line_break_from_data_in_a_page_stops_the_build() -> None:
    import pytest

    headings = frozenset({"## 指标 {#targets}"})
    pages.check_blocks('<div class="a">x</div>\n\n## 指标 {#targets}\n\n<p>y</p>\n', headings, "p")
    for forged in ("<div>a\n\n# 标题</div>", "<div>a\n\n[x](javascript:alert(1))</div>",
                   "<div>a\n\n## 别的 {#x}</div>"):
        with pytest.raises(pages.PageStructureError):
            pages.check_blocks(forged, headings, "p")


def test_raw_html_blocks_are_stashed_with_the_same_output() -> None:
    import markdown

    from tracker.site import mkdocs_backend

    source = ('<div class="tk-lead">\n<p>*不是强调* [不是](链接) `不是代码`</p>\n</div>\n\n'
              "## 标题 {#h}\n\n<table>\n<tr><td>| a |</td></tr>\n</table>\n")
    plain = markdown.Markdown(extensions=["attr_list", "toc"]).convert(source)
    stashed = markdown.Markdown(extensions=["attr_list", "toc", mkdocs_backend.RawHtmlBlocks()]
                                ).convert(source)
    assert [line for line in stashed.splitlines() if line.strip()] == \
        [line for line in plain.splitlines() if line.strip()]
    assert '<h2 id="h">标题</h2>' in stashed and "*不是强调*" in stashed


def test_the_search_plugin_reads_each_page_without_its_excluded_blocks() -> None:
    from material.plugins.search.plugin import Parser

    from tracker.site.mkdocs_backend import search_view

    page = ('<h2 id="a">甲</h2>\n<div class="tk-block" data-search-exclude>\n<p>表前</p>\n'
            '<div class="tk-table-wrap"><table><tr><td>表内</td></tr></table></div>\n'
            '<p>表后说明</p>\n</div>\n<p>留下</p>\n'
            '<nav class="tk-pager" data-search-exclude><p>第 1 页</p></nav>'
            '<DIV data-search-exclude>大写</DIV>尾'
            # The words inside an attribute's value (data) are not the attribute: kept.
            '<a title="x data-search-exclude">链接</a>')
    assert search_view(page) == ('<h2 id="a">甲</h2>\n\n<p>留下</p>\n尾'
                                 '<a title="x data-search-exclude">链接</a>')

    def indexed(html: str) -> str:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return "".join("".join(section.text) for section in parser.data)

    # Material's parser lets an excluded block's rest through once a nested element of the
    # same tag closes (its elements compare by tag name); the view keeps the block out whole.
    assert "表后说明" in indexed(page)
    assert "表后说明" not in indexed(search_view(page))
    assert "留下" in indexed(search_view(page)) and "尾" in indexed(search_view(page))
    # A page with nothing marked is given as it is; so is one whose marked block never closes.
    plain = "<p>没有标记</p>"
    assert search_view(plain) is plain
    unclosed = "<p>a</p><div data-search-exclude><p>b</p>"
    assert search_view(unclosed) == unclosed
