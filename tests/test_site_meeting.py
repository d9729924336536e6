"""The site a 督办 meeting runs on (issue 10), on a strict build of examples/demo: the overview
(unit × target matrix, 红黄灯清单 with since when, 临期, 待审核销号, filings, 本期变化), who has
reported on each task, the charts, the snapshots of past period ends, and the labels that
separate the plan's words from this tool's settings. Every figure is checked against the
status engine (or the CLI), not against a copy of the page."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.site_helpers import (
    DEMO,
    DEMO_AS_OF,
    build,
    html_pages,
    main_content,
    search_index,
    text_of,
)
from tracker import status as engine
from tracker.cli import cli
from tracker.delta import diff
from tracker.periods import periods_between
from tracker.repository import load
from tracker.site.pages import fmt_num

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meeting") / "site"
    build(DEMO, out)
    return out


@pytest.fixture(scope="module")
def repo():  # type: ignore[no-untyped-def]
    loaded = load(DEMO)
    assert loaded.repo is not None
    return loaded.repo


@pytest.fixture(scope="module")
def payload(repo):  # type: ignore[no-untyped-def]
    return engine.to_json(engine.compute(repo, DEMO_AS_OF), repo.plan)


def period_ends(repo, as_of: date) -> list[tuple[date, str]]:  # type: ignore[no-untyped-def]
    plan = repo.plan
    return [(p.end, str(p)) for p in periods_between(plan.info.start, min(as_of, plan.info.end),
                                                      plan.reporting.cadence)]


def section(html: str, anchor: str) -> str:
    """The part of a page from the heading `id="anchor"` to the next h2."""
    start = html.index(f'id="{anchor}"')
    nxt = html.find("<h2", start)
    return html[start:nxt if nxt > 0 else len(html)]


def home(site: Path) -> str:
    return main_content((site / "index.html").read_text(encoding="utf-8"))


# --- the overview ---------------------------------------------------------------------------


def test_matrix_has_every_unit_goal_with_its_light_and_figures(site: Path, repo, payload) -> None:  # type: ignore[no-untyped-def]
    matrix = section(home(site), "matrix")
    unit_rows = [r for r in payload["targets"] if r["scope"] != "city"]
    assert unit_rows
    units = {r["scope"] for r in unit_rows}
    targets = {r["target"] for r in unit_rows}
    assert set(re.findall(r'<tr id="m-([^"]+)"', matrix)) == units
    headers = re.findall(r'<th class="tk-cell-head"><a href="targets/([^"]+)\.html"', matrix)
    assert set(headers) == targets and len(headers) == len(targets)
    for r in unit_rows:
        row = re.search(rf'<tr id="m-{r["scope"]}">(.*?)</tr>', matrix, re.S)
        assert row
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        cell = cells[1 + headers.index(r["target"])]
        label = engine.label("target", r["status"])
        assert label in cell, (r, cell)
        assert f'{fmt_num(r["actual"])} / {fmt_num(r["goal"])}' in text_of(cell)
        assert f'targets/{r["target"]}.html#u-{r["scope"]}' in cell
    # The case: 南浔区 is behind on transfer centres, and the overview says so.
    nanxun = next(r for r in unit_rows if r["scope"] == "nanxun" and r["target"] == "transfer-centres")
    assert engine.light("target", nanxun["status"]) != "green"
    assert "量化指标(各单位)" in text_of(section(home(site), "overview"))


def test_red_and_yellow_list_is_complete_with_since_when(site: Path, repo, payload) -> None:  # type: ignore[no-untyped-def]
    listed = section(home(site), "problems")
    rows = re.findall(r'<tr data-kind="(target|task)" data-key="([^"]+)">(.*?)</tr>', listed, re.S)
    got = {(kind, key) for kind, key, _ in rows}
    want = {("target", f'{r["target"]}|{r["scope"]}') for r in payload["targets"]
            if engine.light("target", r["status"]) in ("red", "yellow")}
    want |= {("task", r["task"]) for r in payload["tasks"]
             if engine.light("task", r["status"]) in ("red", "yellow")}
    assert want and got == want
    # Red before yellow.
    lights = [re.search(r"tk-(red|yellow)", body).group(1) for _, _, body in rows]  # type: ignore[union-attr]
    assert lights == sorted(lights, key=lambda light: light != "red")
    # "Since when", computed here independently: walk back over the period ends while the
    # engine's light was not green.
    days = [d for d, _ in period_ends(repo, DEMO_AS_OF)]
    if days[-1] != DEMO_AS_OF:
        days.append(DEMO_AS_OF)
    statuses = [engine.compute(repo, d) for d in days]
    for kind, key, body in rows:
        since = None
        for day, st in zip(reversed(days), reversed(statuses), strict=True):
            if kind == "target":
                target, scope = key.split("|")
                row = st.target(target, scope)
            else:
                row = st.task(key)
            if row is None or engine.light(kind, row.status) == "green":
                break
            since = day
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        assert text_of(cells[-1]) == (since.isoformat() if since else "—"), (kind, key)
        if kind == "target":
            target, scope = key.split("|")
            r = next(x for x in payload["targets"] if x["target"] == target and x["scope"] == scope)
            assert f'{fmt_num(r["actual"])} / {fmt_num(r["expected"])}' in text_of(cells[3])


def test_due_soon_pending_review_and_filings(site: Path, repo) -> None:  # type: ignore[no-untyped-def]
    # 2024-10-15: transfer centres (deadline 2024-12-31) are within the 90-day window.
    day = date(2024, 10, 15)
    out = site.parent / "due-soon"
    build(DEMO, out, as_of=day, provenance=False)
    page = main_content((out / "index.html").read_text(encoding="utf-8"))
    data = engine.to_json(engine.compute(repo, day), repo.plan)
    soon = section(page, "due-soon")
    rows = re.findall(r"<tr>(.*?)</tr>", soon[soon.index("<tbody>"):], re.S)
    want = [r for r in data["targets"] if r["due_soon"]] + [r for r in data["tasks"] if r["due_soon"]]
    assert want and len(rows) == len(want)
    pending = section(page, "pending-review")
    for r in data["tasks"]:
        if r["status"] == "pending_review":
            assert f'href="tasks/{r["task"]}.html"' in pending and r["claimed_on"] in pending
    filings = section(page, "filings")
    for r in data["filings"]:
        if r["status"] in ("missing", "upcoming"):
            assert re.search(rf'>{r["period"]}</td><td data-label="单位"><a href="units/{r["unit"]}\.html"',
                             filings), r


def test_changes_since_the_previous_period_end_are_the_delta(site: Path, repo) -> None:  # type: ignore[no-untyped-def]
    changes = section(home(site), "changes")
    previous = date(2024, 3, 31)
    delta = diff(engine.compute(repo, previous), engine.compute(repo, DEMO_AS_OF))
    assert not delta.is_empty()
    assert f"--since {previous.isoformat()} --as-of {DEMO_AS_OF.isoformat()}" in text_of(changes)
    text = text_of(changes)
    for m in delta.targets:
        assert f"{m.old_actual} → {m.new_actual}" in text
    assert len(re.findall(r'<td data-label="指标"', changes)) == len(delta.targets)
    # A period falling due (— → 待报送) and a filing then arriving on time are counted; every
    # other filing move is listed.
    due = sum(1 for m in delta.filings if (m.old, m.new) == (None, "upcoming"))
    on_time = sum(1 for m in delta.filings if (m.old, m.new) == ("upcoming", "on_time"))
    assert due and on_time
    assert f"按时收到 {on_time} 份" in text and f"新进入待报送 {due} 个" in text
    assert len(re.findall(r'<td data-label="期次"', changes)) == len(delta.filings) - due - on_time
    assert f"收到的报送({len(delta.arrived)} 份)" in text
    for s in delta.arrived:
        assert f'ledger.html#f-{s.unit}-{s.period}' in changes
    for m in delta.closed:
        assert f'tasks/{m.task}.html' in changes


# --- tasks: who has reported ------------------------------------------------------------------


def test_tasks_name_the_units_that_have_not_reported(site: Path, repo, payload) -> None:  # type: ignore[no-untyped-def]
    index = main_content((site / "tasks/index.html").read_text(encoding="utf-8"))
    for r in payload["tasks"]:
        task = repo.plan.tasks[r["task"]]
        reported = {f.unit for f in repo.filings if f.as_of <= DEMO_AS_OF and task.id in f.tasks}
        silent = [u for u in task.units if u not in reported]
        assert len(silent) == r["units"] - r["units_reporting"]
        row = re.search(rf'<tr id="task-{re.escape(task.id)}">(.*?)</tr>', index, re.S)
        assert row
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        assert text_of(cells[6]) == f'{r["units_reporting"]}/{r["units"]}'
        assert re.findall(r'href="\.\./units/([^"]+)\.html"', cells[7]) == silent
        page = main_content((site / f"tasks/{task.id}.html").read_text(encoding="utf-8"))
        line = re.search(r'<p class="tk-reporting">(.*?)</p>', page, re.S).group(1)  # type: ignore[union-attr]
        assert f'{r["units_reporting"]}/{r["units"]}' in text_of(line)
        for u in silent:
            assert repo.plan.label(u) in text_of(line)


# --- charts -----------------------------------------------------------------------------------


def test_target_and_unit_pages_chart_every_unit_and_target(site: Path, repo, payload) -> None:  # type: ignore[no-untyped-def]
    for t in repo.plan.targets.values():
        page = main_content((site / f"targets/{t.id}.html").read_text(encoding="utf-8"))
        panels = re.findall(r'<figure class="tk-panel-box">(.*?)</figure>', page, re.S)
        assert len(panels) == len(t.reported_by)
        for unit, panel in zip(t.reported_by, panels, strict=True):
            assert f'href="../units/{unit}.html"' in panel
            has_goal = any(r["target"] == t.id and r["scope"] == unit for r in payload["targets"])
            # An expected curve (dashed) exactly where the unit has a goal of its own.
            assert ('stroke-dasharray="4 3"' in panel) == has_goal, (t.id, unit)
    unit_page = main_content((site / "units/nanxun.html").read_text(encoding="utf-8"))
    charts = section(unit_page, "charts")
    reported = [t for t in repo.plan.targets.values() if "nanxun" in t.reported_by]
    assert len(re.findall(r'<svg class="tk-panel"', charts)) == len(reported)


# --- time travel ------------------------------------------------------------------------------


def test_a_snapshot_per_period_end_equal_to_status_as_of(site: Path, repo) -> None:  # type: ignore[no-untyped-def]
    ends = period_ends(repo, DEMO_AS_OF)
    for _day, period in ends:
        for page in ("index", "targets/index", "tasks/index", "units/index",
                     *(f"targets/{t}" for t in repo.plan.targets)):
            assert (site / f"archive/{period}/{page}.html").is_file(), (period, page)
    # The numbers of a snapshot are `tracker status --as-of` that day (the CLI's JSON).
    for day, period in (ends[0], ends[len(ends) // 2], ends[-2]):
        result = CliRunner().invoke(cli, ["status", "--root", str(DEMO), "--as-of",
                                          day.isoformat(), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        snap = main_content((site / f"archive/{period}/index.html").read_text(encoding="utf-8"))
        assert f"截至 {day.isoformat()}" in text_of(snap)
        city = section(snap, "targets")
        for r in data["targets"]:
            if r["scope"] != "city":
                continue
            row = re.search(rf'<tr>\s*<td class="tk-name"><a href="targets/{r["target"]}\.html">'
                            r"(.*?)</tr>", city, re.S)
            assert row, (period, r["target"])
            cells = [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]
            assert cells[1] == fmt_num(r["actual"])
            assert cells[4] == fmt_num(r["expected"])
            assert engine.label("target", r["status"]) in cells[6]
        for r in data["targets"]:
            if r["scope"] == "city":
                continue
            page = main_content((site / f"archive/{period}/targets/{r['target']}.html")
                                .read_text(encoding="utf-8"))
            row = re.search(rf'<tr id="u-{r["scope"]}">(.*?)</tr>', page, re.S)
            assert row
            cells = [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
            assert cells[1].split(" ")[0] == fmt_num(r["actual"])
            assert cells[3] == fmt_num(r["expected"])


def test_every_page_says_its_date_and_links_to_other_dates(site: Path, repo) -> None:  # type: ignore[no-untyped-def]
    periods = [p for _, p in period_ends(repo, DEMO_AS_OF)]
    for path, html in html_pages(site).items():
        if path == "404.html":
            continue
        body = main_content(html)
        bar = re.search(r'<div class="tk-datebar"[^>]*>(.*?)</div>', body, re.S)
        assert bar, path
        assert "本页" in text_of(bar.group(1)), path
        links = re.findall(r'href="([^"]+)"', bar.group(1))
        if path.startswith("file/"):
            continue  # the filing forms (issue 13) say their date; a form has no other dates
        # Live pages: every snapshot; a snapshot: the live page and every other snapshot.
        assert len(links) == len(periods), path
    live = main_content((site / "targets/transfer-centres.html").read_text(encoding="utf-8"))
    for p in periods:
        assert f'href="../archive/{p}/targets/transfer-centres.html"' in live
    snap_html = (site / f"archive/{periods[0]}/targets/transfer-centres.html").read_text(
        encoding="utf-8")
    # A demo snapshot's banner names the snapshot's date, not the live site's.
    first_end = period_ends(repo, DEMO_AS_OF)[0][0].isoformat()
    assert f'class="tk-demo-banner">演示数据(虚构),截至 {first_end}' in snap_html
    snap = main_content(snap_html)
    assert 'href="../../../targets/transfer-centres.html">最新' in snap
    assert f'href="../../{periods[1]}/targets/transfer-centres.html"' in snap
    # Pages a snapshot does not carry link to the snapshot's overview.
    task = main_content((site / "tasks/1.1.html").read_text(encoding="utf-8"))
    assert f'href="../archive/{periods[0]}/index.html"' in task


def test_snapshots_stay_out_of_the_nav_and_the_search_index(site: Path) -> None:
    home_html = (site / "index.html").read_text(encoding="utf-8")
    nav = home_html[home_html.index("md-sidebar--primary"):home_html.index("md-sidebar--secondary")]
    assert "archive/" not in nav and "texts/" not in nav
    locations = [d["location"] for d in search_index(site)[1]]
    assert locations and not [x for x in locations if x.startswith(("archive/", "texts/"))]


# --- honest labels ----------------------------------------------------------------------------


def test_settings_and_inferences_are_labelled_as_such(site: Path, repo) -> None:  # type: ignore[no-untyped-def]
    overview = text_of(home(site))
    assert "判定依据" in overview and overview.count("原文未规定 · 本工具设定") >= 5
    method = text_of(main_content((site / "methodology.html").read_text(encoding="utf-8")))
    for what in ("报送周期", "报送期限", "预警阈值", "临期预警", "销号方式", "基期",
                 "须按期报送的单位"):
        assert re.search(rf"{what}.{{0,80}}原文未规定 · 本工具设定", method), what
    inferred = [t for t in repo.plan.tasks.values() if t.units_source == "inferred"]
    assert {t.id for t in inferred} == {"S.1", "S.2", "S.3", "S.4"}
    for t in inferred:
        page = text_of(main_content((site / f"tasks/{t.id}.html").read_text(encoding="utf-8")))
        assert "原文未列明 · 由计划维护人员推定" in page
        assert "计划维护人员的说明(不是原文)" in page and t.note[:20] in page
    plain = text_of(main_content((site / "tasks/1.1.html").read_text(encoding="utf-8")))
    assert "推定" not in plain and "原文未规定时限" in plain  # no task of this plan has a date
    target = text_of(main_content((site / "targets/transfer-centres.html").read_text(encoding="utf-8")))
    assert "原文未给基期值" in target


def test_a_setting_the_plan_states_is_labelled_as_the_plans(tmp_path: Path) -> None:
    from tests.conftest import copy_base

    root = copy_base(tmp_path / "repo")
    tasks = root / "plan/tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("  end: ", "  from_text: [cadence]\n  end: ", 1), encoding="utf-8")
    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30), provenance=False)
    method = main_content((out / "methodology.html").read_text(encoding="utf-8"))
    reporting = text_of(section(method, "reporting"))
    assert re.search(r"报送周期:.{0,30}\(计划原文\)", reporting), reporting
    assert re.search(r"天内报送.{0,40}原文未规定 · 本工具设定", reporting), reporting


def test_no_archive_builds_no_snapshots_and_links_to_none(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--root", str(DEMO), "--as-of", str(DEMO_AS_OF),
                                      "--out", str(out), "--no-provenance", "--no-archive"])
    assert result.exit_code == 0, result.stderr
    assert not (out / "archive").exists()
    for path, html in html_pages(out).items():
        assert "archive/" not in html, path
    assert "本页显示截至 2024-06-30" in text_of(home(out))
