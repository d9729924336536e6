"""A strict build of examples/demo: every page kind, its figures against the status JSON,
offline and Chinese settings, the demo banner, links, downloads, reproducibility, and the
guarantee that a failed build leaves the previous site untouched."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.site_helpers import (
    DEMO,
    DEMO_AS_OF,
    broken_links,
    build,
    engine_under_test,
    html_pages,
    main_content,
    parse_links,
    search_index,
    text_of,
)
from tracker import status as engine
from tracker.cli import cli
from tracker.diagnostics import RULES
from tracker.repository import load
from tracker.site import build as site_build
from tracker.site import mkdocs_backend, pages
from tracker.site.pages import fmt_num

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO, out)
    return out


@pytest.fixture(scope="module")
def demo_repo():  # type: ignore[no-untyped-def]
    loaded = load(DEMO)
    assert loaded.repo is not None
    return loaded.repo


@pytest.fixture(scope="module")
def payload(demo_repo):  # type: ignore[no-untyped-def]
    return engine.to_json(engine.compute(demo_repo, DEMO_AS_OF), demo_repo.plan)


def row_cells(html: str, row_id_or_text: str) -> list[str]:
    """The visible text of each cell of the first table row containing `row_id_or_text`."""
    for tr in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        if row_id_or_text in tr:
            return [text_of(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
    raise AssertionError(f"no row with {row_id_or_text!r}")


def test_every_page_kind_exists(demo_site: Path, demo_repo) -> None:  # type: ignore[no-untyped-def]
    plan = demo_repo.plan
    expected = ["index.html", "ledger.html", "methodology.html", "downloads.html",
                "targets/index.html", "tasks/index.html", "units/index.html", "404.html"]
    expected += [f"targets/{t}.html" for t in plan.targets]
    expected += [f"tasks/{t}.html" for t in plan.tasks]
    expected += [f"units/{u}.html" for u in plan.units]
    for path in expected:
        assert (demo_site / path).is_file(), path
    for ext in ("json", "csv", "xlsx"):
        assert (demo_site / f"downloads/status-{DEMO_AS_OF}.{ext}").stat().st_size > 0
    assert (demo_site / ".tracker-site").is_file()


def test_a_small_site_splits_no_list(demo_site: Path) -> None:
    # Lists are split into part pages only past PAGE_ROWS rows (docs/site.md "Large sites"):
    # the demo's pages are what they always were, with no pager.
    paths = [p.relative_to(demo_site).with_suffix("").as_posix()
             for p in demo_site.rglob("*.html")]
    assert [p for p in paths if pages.part_base(p) != p] == []
    assert not [p for p in demo_site.rglob("*.html") if 'class="tk-pager"' in p.read_text("utf-8")]


def test_home_figures_match_status(demo_site: Path, demo_repo, payload) -> None:  # type: ignore[no-untyped-def]
    home = main_content((demo_site / "index.html").read_text(encoding="utf-8"))
    plan = demo_repo.plan
    city_table = home[home.index('id="targets"'):home.index('id="index"')]
    for row in payload["targets"]:
        if row["scope"] != "city":
            continue
        cells = row_cells(city_table, f'href="targets/{row["target"]}.html"')
        assert cells[0] == plan.targets[row["target"]].title
        assert cells[1] == fmt_num(row["actual"])
        assert cells[4] == fmt_num(row["expected"])
        assert engine.label("target", row["status"]) in cells[6]
    # The traffic-light counts are the status's.
    lights = {"green": 0, "yellow": 0, "red": 0, "grey": 0}
    for row in payload["targets"]:
        if row["scope"] == "city":
            lights[engine.light("target", row["status"])] += 1
    card = re.search(r'<div class="tk-card">.*?</div>\s*</div>', home, re.S)
    assert card
    assert f"绿灯 {lights['green']}" in text_of(card.group(0))
    # Index ranking, in rank order, with the engine's scores.
    ranking = home[home.index('id="index"'):]
    for r in payload["index"]:
        cells = row_cells(ranking, f'href="units/{r["unit"]}.html"')
        assert cells[0] == str(r["rank"]) and cells[2] == fmt_num(r["score"])
    # The demo's missing filing (nantaihu 2024-Q1) is listed.
    missing = [r for r in payload["filings"] if r["status"] == "missing"]
    assert any(r["unit"] == "nantaihu" and r["period"] == "2024-Q1" for r in missing)
    section = home[home.index('id="filings"'):home.index('id="changes"')]
    assert "2024-Q1" in section and "南太湖新区" in text_of(section) and "未报送" in section


def test_target_pages_match_status_and_link_to_filings(demo_site: Path, payload) -> None:  # type: ignore[no-untyped-def]
    for row in payload["targets"]:
        html = main_content(
            (demo_site / f"targets/{row['target']}.html").read_text(encoding="utf-8"))
        if row["scope"] == "city":
            line = text_of(re.search(r'<p class="tk-status-line">.*?</p>', html, re.S).group(0))
            assert f"实际 {fmt_num(row['actual'])}" in line
            assert "<svg" in html and "</svg>" in html
            continue
        cells = row_cells(html, f'href="../units/{row["scope"]}.html"')
        assert cells[1] == fmt_num(row["actual"])
        assert cells[2] == fmt_num(row["goal"])
        assert cells[3] == fmt_num(row["expected"])
        assert engine.label("target", row["status"]) in cells[4]
        if row.get("source"):
            anchor = f'../ledger.html#f-{row["scope"]}-{row["source"]["period"]}'
            assert f'href="{anchor}" class="tk-figure-link">{fmt_num(row["actual"])}<' in html


def test_unit_task_and_ledger_pages(demo_site: Path, demo_repo, payload) -> None:  # type: ignore[no-untyped-def]
    # Unit page: index score, its tasks (lead and supporting), its filing record.
    nanxun = main_content((demo_site / "units/nanxun.html").read_text(encoding="utf-8"))
    score = next(r for r in payload["index"] if r["unit"] == "nanxun")
    assert f"{fmt_num(score['score'])} 分,第 {score['rank']} 名" in text_of(nanxun)
    for task in demo_repo.plan.tasks_of("nanxun"):
        assert f'href="../tasks/{task.id}.html"' in nanxun
    record = nanxun[nanxun.index('id="filings"'):]
    for r in payload["filings"]:
        if r["unit"] == "nanxun":
            assert engine.label("filing", r["status"]) in row_cells(record, f">{r['period']}<")[2]
    # Task page: the plan's own words, lead unit, status, and the progress timeline.
    task = demo_repo.plan.tasks["1.2"]
    html = main_content((demo_site / "tasks/1.2.html").read_text(encoding="utf-8"))
    assert task.text[:40] in html
    status = next(r for r in payload["tasks"] if r["task"] == "1.2")
    assert engine.label("task", status["status"]) in html
    for word in ("进展情况", "存在问题", "下步措施"):
        assert word in html
    # Ledger: one row per filing with as_of ≤ D, anchored for the links that cite it.
    ledger = main_content((demo_site / "ledger.html").read_text(encoding="utf-8"))
    visible = [f for f in demo_repo.filings if f.as_of <= DEMO_AS_OF]
    ids = re.findall(r'<tr id="(f-[^"]+)"', ledger)
    assert sorted(ids) == sorted(f"f-{f.unit}-{f.period}" for f in visible)
    amended = next(f for f in visible if f.revision > 1)
    cells = row_cells(ledger, f'id="f-{amended.unit}-{amended.period}"')
    assert f"第 {amended.revision} 版" in cells[4] and amended.amendment_reason[:20] in cells[4]


def test_methodology_from_plan_and_rules(demo_site: Path, demo_repo) -> None:  # type: ignore[no-untyped-def]
    html = main_content((demo_site / "methodology.html").read_text(encoding="utf-8"))
    th = demo_repo.plan.thresholds
    assert th.points is not None  # the Huzhou plan judges by points behind 序时进度
    assert f"落后序时进度不到 {fmt_num(th.points[0])} 个百分点" in text_of(html)
    assert f"落后 {fmt_num(th.points[1])} 个百分点及以上" in text_of(html)
    assert f"{th.warn_days} 天以内" in text_of(html)
    assert "待审核销号" in text_of(html)  # closure: review
    assert "本工具设定" in text_of(html)
    assert f"{demo_repo.plan.reporting.due_days} 天内报送" in text_of(html)
    for rule in RULES:
        assert f"<code>{rule}</code>" in html


def test_demo_banner_on_every_page(demo_site: Path) -> None:
    for path, html in html_pages(demo_site).items():
        assert 'class="tk-demo-banner">演示数据(虚构)' in html, path


def test_chinese_and_offline(demo_site: Path) -> None:
    for path, html in html_pages(demo_site).items():
        assert '<html lang="zh"' in html, path
        for tag, _attr, value in parse_links(html).refs:
            external = value.startswith(("http://", "https://", "//"))
            # Only evidence links the reader clicks may leave the site; nothing is loaded.
            if external:
                assert tag == "a" and value.startswith("https://"), f"{path}: {tag} {value}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    config, _docs = search_index(demo_site)
    assert config["lang"] == ["zh"]


@pytest.mark.skipif(engine_under_test() != "mkdocs", reason="MkDocs' search index (docs/site.md, "
                    "Generators: Zensical segments Chinese in the browser)")
def test_mkdocs_segments_chinese_with_jieba_and_prunes_the_theme(demo_site: Path) -> None:
    # jieba segmented the Chinese (zero-width spaces between words) at build time.
    _config, docs = search_index(demo_site)
    hits = [d["location"] for d in docs if "\u200b冷链\u200b" in d["text"]]
    assert hits and all(h.startswith("tasks/1.2.html") for h in hits)
    # Theme files the site never loads are pruned.
    assert not list(demo_site.rglob("*.map"))
    assert not (demo_site / "assets/javascripts/lunr/wordcut.js").exists()
    assert (demo_site / "assets/javascripts/lunr/min/lunr.zh.min.js").exists()


@pytest.mark.skipif(engine_under_test() != "mkdocs", reason="MkDocs' search plugin")
def test_an_excluded_block_stays_out_of_the_search_index_but_not_out_of_the_page(
        demo_site: Path) -> None:
    # The overview's list of missing and late filings is kept out of search (a block marked
    # data-search-exclude), its explanation after the table too; the page shows both.
    _config, docs = search_index(demo_site)
    by_location = {d["location"]: d for d in docs}
    filings = by_location["index.html#filings"]
    assert filings["title"] and filings["text"] == ""
    # The cut ends where the block ends: the sections after it are indexed as before.
    assert " 916 " in by_location["index.html#targets"]["text"]  # (the plan's 916 villages)
    assert "列出全部未报送和待报送的期次" in (demo_site / "index.html").read_text(encoding="utf-8")


def test_links_resolve(demo_site: Path) -> None:
    assert broken_links(demo_site) == []


def test_evidence_is_shipped_and_linked(demo_site: Path) -> None:
    shipped = sorted(p.relative_to(demo_site).as_posix() for p in (demo_site / "repo").rglob("*")
                     if p.is_file())
    assert shipped and all(p.startswith("repo/evidence/") for p in shipped)
    for rel in shipped:
        source = DEMO / rel[len("repo/"):]
        assert (demo_site / rel).read_bytes() == source.read_bytes()


def test_downloads_are_the_status(demo_site: Path, payload) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((demo_site / f"downloads/status-{DEMO_AS_OF}.json").read_text("utf-8"))
    assert data == payload
    csv = (demo_site / f"downloads/status-{DEMO_AS_OF}.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbfkind,id,scope")
    downloads = main_content((demo_site / "downloads.html").read_text(encoding="utf-8"))
    for ext in ("json", "csv", "xlsx"):
        assert f'href="downloads/status-{DEMO_AS_OF}.{ext}"' in downloads


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    # Both builds here, back to back: the footer names the HEAD commit, which moves when
    # someone commits in a shared working tree between a module fixture and this test.
    once, again = tmp_path / "once", tmp_path / "again"
    build(DEMO, once)
    build(DEMO, again)
    first = {p.relative_to(once): p.read_bytes() for p in once.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [str(p) for p in first if first[p] != second[p]]
    assert different == []


def test_many_units_keep_unit_pages_out_of_the_nav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "NAV_UNIT_LIMIT", 3)
    out = tmp_path / "site"
    build(DEMO, out)  # strict: pages outside the nav must not warn
    home = (out / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('md-sidebar--primary'):home.index('md-sidebar--secondary')]
    assert 'units/index.html' in nav and "units/anji.html" not in nav
    assert (out / "units/anji.html").is_file()
    # The filing pages follow the same rule.
    assert 'file/index.html' in nav and "file/anji.html" not in nav
    assert 'href="anji.html"' in (out / "file/index.html").read_text(encoding="utf-8")
    assert 'href="anji.html"' in (out / "units/index.html").read_text(encoding="utf-8")


def test_failed_build_keeps_the_old_site(
    demo_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(DEMO, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(content, work, site_dir, as_of, say=None):  # type: ignore[no-untyped-def]
        site_dir.mkdir(parents=True)
        (site_dir / "index.html").write_text("half a site")
        raise mkdocs_backend.SiteBuildError("simulated failure")

    monkeypatch.setattr(site_build.engine(engine_under_test()), "render", broken)
    with pytest.raises(mkdocs_backend.SiteBuildError):
        build(DEMO, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folders left


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--out", str(out),
                                      "--as-of", str(DEMO_AS_OF)])
    assert result.exit_code == 2
    assert (out / "notes.txt").read_text() == "keep me"


def test_cli_build_and_progress_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["build", "--root", str(DEMO), "--out", str(out), "--as-of", str(DEMO_AS_OF),
              "--no-provenance"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert site_build.engine(engine_under_test()).NAME in result.stderr and "完成" in result.stderr
    ledger = (out / "ledger.html").read_text(encoding="utf-8")
    assert "关闭了来源追溯" in ledger


def test_serve_builds_and_serves_on_localhost() -> None:
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--root", str(DEMO), "--port", "0",
         "--as-of", str(DEMO_AS_OF), "--no-provenance"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8",
    )
    try:
        assert proc.stderr is not None
        url = ""
        for line in proc.stderr:
            if "tracker serve: http://" in line:
                url = line.split()[2]
                break
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "index.html", timeout=10) as response:
            html = response.read().decode("utf-8")
        assert "<title>首页 - " in html and "tk-demo-banner" in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


def test_data_errors_build_nothing(tmp_path: Path) -> None:
    from tests.conftest import copy_base

    root = copy_base(tmp_path / "repo")
    filing = root / "submissions/west/2024-Q1.yaml"
    filing.write_text(filing.read_text(encoding="utf-8").replace("as_of: 2024-03-31",
                                                                  "as_of: 2024-02-30"),
                      encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "2024-Q1.yaml" in result.stderr and "未生成网站" in result.stderr
    assert not out.exists()


def test_default_output_from_a_relative_root(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`tracker build` run the way the README says: relative --root, default --out."""
    import shutil

    shutil.copytree(DEMO.parent.parent / "plan", tmp_path / "plan")
    shutil.copytree(DEMO, tmp_path / "examples" / "demo", ignore=shutil.ignore_patterns("site"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["build", "--root", "examples/demo", "--as-of", str(DEMO_AS_OF), "--no-provenance"])
    assert result.exit_code == 0, result.output
    site = tmp_path / "examples" / "demo" / "site"
    for page in ("index.html", "ledger.html", "methodology.html"):
        assert (site / page).is_file(), page
    assert search_index(site)[1]


def test_each_periods_report_is_a_download(demo_site: Path, demo_repo) -> None:  # type: ignore[no-untyped-def]
    """Every period whose filings were due before the site's date has its 督办通报 (.docx),
    the same bytes as `tracker report`, listed newest first on the downloads page."""
    from tracker.report.run import document, render

    names = sorted(p.name for p in (demo_site / "downloads").glob("report-*.docx"))
    assert names == [f"report-{y}-Q{q}.docx" for y in (2022, 2023) for q in (1, 2, 3, 4)] + [
        "report-2024-Q1.docx"]  # 2024-Q2's filings are due 2024-07-10, after the site's date
    for name in names:  # each period's statuses (shared between periods in the build)
        period = name[len("report-"):-len(".docx")]
        made = (demo_site / "downloads" / name).read_bytes()
        assert made == render(document(demo_repo, period), "docx"), period
    page = main_content((demo_site / "downloads.html").read_text(encoding="utf-8"))
    links = re.findall(r'href="(downloads/report-[^"]+)"', page)
    assert links[0] == "downloads/report-2024-Q1.docx" and len(links) == len(names)
    assert "2024年第一季度督办通报" in page


def test_each_long_step_says_now_and_then_how_far_it_is(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A national build spends minutes in each of three steps — the statuses, the pages, the
    generator — and a step that prints nothing for five minutes looks hung. Each says how far
    it is, indented under its own line, every 15 seconds (here: at every item, so that every
    count shows), up to its total."""
    from tracker.site import progress

    monkeypatch.setattr(progress, "EVERY", 0.0)
    said: list[str] = []
    result = site_build.execute(site_build.BuildSettings(
        root=DEMO, out=tmp_path / "site", as_of=DEMO_AS_OF, provenance=False,
        progress=said.append))
    repo = load(DEMO).repo
    assert repo is not None
    dates, pages = len(site_build.history_dates(repo, DEMO_AS_OF)), result.pages

    def step(start: str) -> list[str]:
        """The indented lines under the step line that starts with `start`."""
        at = next(i for i, line in enumerate(said) if line.startswith(start))
        lines = []
        for line in said[at + 1:]:
            if not line.startswith("  "):
                break
            lines.append(line)
        return lines

    assert step("计算状态") == [f"  已计算 {n}/{dates} 个日期的状态" for n in range(1, dates + 1)]
    made = step("生成页面")
    assert made[-1] == f"  已生成 {pages} 个页面" and len(made) > 10
    counts = [int(line.split()[1]) for line in made]
    assert counts == sorted(counts)
    mkdocs = step("MkDocs 构建")
    assert mkdocs[0] == f"  MkDocs 已处理 1/{pages} 个页面"
    assert f"  MkDocs 已处理 {pages}/{pages} 个页面" in mkdocs
    assert mkdocs[-1] == f"  MkDocs 已输出 {pages}/{pages} 个页面"
    assert len(mkdocs) == 2 * pages


def test_a_ticker_keeps_quiet_between_its_lines() -> None:
    """A province's steps take seconds: no line at all; a long step: one line per interval,
    however many items it counts in between."""
    from tracker.site import progress

    clock = [100.0]
    said: list[str] = []
    tick = progress.Ticker(said.append, "{done}/{total}", 1000, every=15, clock=lambda: clock[0])
    for done in range(1, 1001):
        clock[0] += 0.125  # 125 s in all (a step of 1/8 s adds up exactly)
        tick(done)
    assert said == [f"  {n}/1000" for n in range(120, 1001, 120)]


def test_the_generator_runs_after_the_repository_is_let_go(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At national scale the loaded repository and the timeline are most of the memory; the
    generator (which holds a whole site of its own) runs only after they are released, and the
    period reports still reach the site."""
    import gc
    import weakref

    import tracker.repository as repository

    seen: dict[str, object] = {}
    real_load, real_render = repository.load, mkdocs_backend.render

    def load_and_watch(*args, **kwargs):  # type: ignore[no-untyped-def]
        loaded = real_load(*args, **kwargs)
        seen["repo"] = weakref.ref(loaded.repo)
        return loaded

    def render_and_look(*args, **kwargs):  # type: ignore[no-untyped-def]
        gc.collect()
        seen["alive_at_render"] = seen["repo"]() is not None  # type: ignore[operator]
        return real_render(*args, **kwargs)

    monkeypatch.setattr(repository, "load", load_and_watch)
    monkeypatch.setattr(mkdocs_backend, "render", render_and_look)
    out = tmp_path / "site"
    result = site_build.execute(site_build.BuildSettings(root=DEMO, out=out, as_of=DEMO_AS_OF,
                                                         provenance=False, archive=False))
    assert seen["alive_at_render"] is False
    assert result.pages > 0 and (out / "index.html").is_file()
    assert list(out.glob("downloads/*.docx")), "the period reports are in the site"


def test_the_reports_are_made_from_the_timelines_statuses(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The 督办通报 and the workbook are made from the statuses the build's timeline computes
    anyway — no period end's status is computed twice (the only extra one is the day before
    the plan, the first 通报's "previous period") — and nothing of them is left in memory when
    the generator runs. The files are the bytes report_data and workbook_bytes make over
    freshly computed statuses, and no second process makes them."""
    import gc
    import weakref

    from tracker.report.data import dates_of, parse_period
    from tracker.site import downloads

    computed: list[date] = []
    real_compute = engine._compute  # (every status computation goes through it)
    seen: dict[str, object] = {}
    real_side, real_render = downloads.SideFiles, mkdocs_backend.render

    def compute_and_count(plan, filings, day, *args, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(day)
        return real_compute(plan, filings, day, *args, **kwargs)

    def side_and_watch(*args, **kwargs):  # type: ignore[no-untyped-def]
        side = real_side(*args, **kwargs)
        seen["side"] = weakref.ref(side)
        return side

    def render_and_look(*args, **kwargs):  # type: ignore[no-untyped-def]
        gc.collect()
        seen["side_alive"] = seen["side"]() is not None  # type: ignore[operator]
        return real_render(*args, **kwargs)

    from tracker import background

    monkeypatch.delenv("TRACKER_PARALLEL", raising=False)
    # (a fork would be allowed here, even from a test process that runs threads)
    monkeypatch.setattr(background, "_can_fork", lambda: sys.platform == "linux")
    monkeypatch.setattr(engine, "_compute", compute_and_count)
    monkeypatch.setattr(downloads, "SideFiles", side_and_watch)
    monkeypatch.setattr(mkdocs_backend, "render", render_and_look)
    out = tmp_path / "site"
    said: list[str] = []
    site_build.execute(site_build.BuildSettings(root=DEMO, out=out, as_of=DEMO_AS_OF,
                                                progress=said.append))
    repo = load(DEMO).repo
    assert repo is not None
    periods = [period for period, _, _ in downloads.report_links(repo, DEMO_AS_OF)]
    first = min(periods, key=lambda p: parse_period(repo.plan, p))
    before_the_first = dates_of(repo.plan, parse_period(repo.plan, first)).previous
    assert before_the_first < repo.plan.info.start
    assert sorted(computed) == sorted([*site_build.history_dates(repo, DEMO_AS_OF),
                                       before_the_first])
    assert seen["side_alive"] is False
    assert any("生成各期督办通报 9 份、Excel 台账…" in line for line in said)
    assert not any("第二个进程" in line for line in said)
    # The same bytes as over freshly computed statuses (report_data, workbook_bytes).
    monkeypatch.setattr(engine, "_compute", real_compute)
    reports = downloads.report_data(repo, periods)
    xlsx = downloads.workbook_bytes(repo, engine.compute(repo, DEMO_AS_OF), DEMO_AS_OF.isoformat())
    assert xlsx is not None and len(reports) == 9
    made = {str(p.relative_to(out)): p.read_bytes() for p in (out / "downloads").iterdir()
            if p.suffix in (".docx", ".xlsx")}
    assert made == {**dict(reports), f"downloads/status-{DEMO_AS_OF}.xlsx": xlsx}
