"""`diff(old, new)`, its renderers, and `tracker status --since`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from tests.status_helpers import filing_yaml, make_filing, make_plan, write_repo
from tracker.cli import cli
from tracker.delta import delta_to_json, diff, render_delta_markdown
from tracker.repository import load
from tracker.status import compute

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "NO_COLOR": ""}


def test_no_change_is_empty():
    plan = make_plan()
    s = compute(plan, [make_filing("a", "2024-Q1", value=3)], date(2024, 6, 1))
    delta = diff(s, s)
    assert delta.is_empty()
    assert "没有状态变化" in render_delta_markdown(delta, plan, "zh")
    assert "No status changes" in render_delta_markdown(delta, plan, "en")


def test_moves_between_two_dates():
    plan = make_plan(units={"a": 60, "b": 40})
    filings = [make_filing("a", "2024-Q1", value=5),
               make_filing("a", "2024-Q2", value=30, reported_on=date(2024, 7, 5)),
               make_filing("office", "2024-Q2", progress="done", evidence=True)]
    old, new = compute(plan, filings, date(2024, 4, 30)), compute(plan, filings, date(2024, 7, 31))
    delta = diff(old, new)
    moves = {(m.target, m.scope): (m.old, m.new, m.old_actual, m.new_actual)
             for m in delta.targets}
    assert moves[("t", "a")] == ("off_track", "on_track", 5, 30)
    assert [m.task for m in delta.closed] == ["1.1"]
    assert {(s.unit, s.period) for s in delta.arrived} == {("a", "2024-Q2"), ("office", "2024-Q2")}
    # b never filed: 2024-Q2 became due and is missing; a's on-time 2024-Q2 is not a "move"
    assert {(f.unit, f.period, f.old, f.new) for f in delta.filings} == \
        {("b", "2024-Q2", None, "missing")}


def test_same_date_two_versions_like_a_pull_request():
    """`tracker check` use: base and head data at the same date."""
    plan = make_plan()
    base = [make_filing("a", "2024-Q1", value=5)]
    head = [*base, make_filing("b", "2024-Q1", value=30, reported_on=date(2024, 4, 20))]
    day = date(2024, 5, 1)
    delta = diff(compute(plan, base, day), compute(plan, head, day))
    assert [(f.unit, f.period, f.old, f.new) for f in delta.filings] == \
        [("b", "2024-Q1", "missing", "late")]
    assert [s.path for s in delta.arrived] == ["submissions/b/2024-Q1.yaml"]
    assert ("t", "b", "not_reported") in {(m.target, m.scope, m.old) for m in delta.targets}
    md = render_delta_markdown(delta, plan, "zh")
    assert "| b 区 | 2024-Q1 | 🔴 未报送 | 🟡 逾期报送 |" in md
    assert "`submissions/b/2024-Q1.yaml`" in md
    # an amendment (revision 2) of a merged filing counts as arrived too
    amended = [make_filing("a", "2024-Q1", value=6, revision=2)]
    delta2 = diff(compute(plan, base, day), compute(plan, amended, day))
    assert [(s.path, s.revision) for s in delta2.arrived] == [("submissions/a/2024-Q1.yaml", 2)]


def test_markdown_escapes_pipes_and_uses_lights():
    plan = make_plan()
    plan.targets["t"] = plan.targets["t"]._replace(title="A|B")
    old = compute(plan, [], date(2024, 6, 1))
    new = compute(plan, [make_filing("a", "2024-Q1", value=60)], date(2024, 6, 1))
    md = render_delta_markdown(diff(old, new), plan, "en")
    assert "A\\|B" in md and "⚪ not reported" in md and "🟢" in md


def test_delta_json():
    loaded = load(DEMO)
    repo = loaded.repo
    delta = diff(compute(repo, date(2023, 9, 30)), compute(repo, date(2023, 12, 31)))
    payload = delta_to_json(delta)
    assert payload["since"] == "2023-09-30" and payload["as_of"] == "2023-12-31"
    moved = {(m["target"], m["scope"]): (m["from"], m["to"]) for m in payload["targets"]}
    # changxing is less than 10 points behind before it finishes (the plan's points mode)
    assert moved[("village-service-points", "changxing")] == ("on_track", "done")
    # every unit named on S.2 has claimed it with evidence: awaiting the office's review
    assert {"task": "S.2", "from": "in_progress", "to": "pending_review",
            "closed": False} in payload["tasks"]
    assert len(payload["arrived"]) == 8
    json.dumps(payload)


def test_since_on_the_command_line():
    runner = CliRunner()
    r = runner.invoke(cli, ["status", "--root", str(DEMO), "--since", "2023-09-30",
                            "--as-of", "2023-12-31", "--lang", "zh"], env=ENV)
    assert r.exit_code == 0, r.stderr
    assert "状态变化: 2023-09-30 → 2023-12-31" in r.stdout
    assert "长兴县 · 村级寄递物流末端服务点(配备管理服务人员): ● 正常推进 → ● 已完成" in r.stdout
    assert "任务 S.2 优化政策环境: ● 推进中 → ● 待审核销号" in r.stdout
    assert "submissions/anji/2023-Q3.yaml" in r.stdout
    alias = runner.invoke(cli, ["status", "--root", str(DEMO), "--compare", "2023-09-30",
                                "--as-of", "2023-12-31", "--lang", "zh"], env=ENV)
    assert alias.stdout == r.stdout
    md = runner.invoke(cli, ["status", "--root", str(DEMO), "--since", "2023-09-30",
                             "--as-of", "2023-12-31", "--format", "markdown", "--lang", "en"],
                       env=ENV)
    assert md.stdout.startswith("### Status changes (2023-09-30 → 2023-12-31)")
    focused = runner.invoke(cli, ["status", "--root", str(DEMO), "--since", "2023-09-30",
                                  "--as-of", "2023-12-31", "--unit", "changxing",
                                  "--format", "json"], env=ENV)
    payload = json.loads(focused.stdout_bytes)
    assert {m["scope"] for m in payload["targets"]} == {"changxing"}
    assert [a["unit"] for a in payload["arrived"]] == ["changxing"]


def test_since_after_as_of_and_markdown_without_since_are_usage_errors():
    runner = CliRunner()
    r = runner.invoke(cli, ["status", "--root", str(DEMO), "--since", "2025-01-01",
                            "--as-of", "2024-01-01"], env=ENV)
    assert r.exit_code == 2 and "--since" in r.stderr
    r = runner.invoke(cli, ["status", "--root", str(DEMO), "--format", "markdown"], env=ENV)
    assert r.exit_code == 2


def test_delta_csv(tmp_path):
    root = write_repo(tmp_path, [("east", "2024-Q1", filing_yaml(
        "east", "2024-Q1", targets={"stations": 9, "centres": 1, "kiosks": 5}))])
    r = CliRunner().invoke(cli, ["status", "--root", str(root), "--since", "2024-03-01",
                                 "--as-of", "2024-04-30", "--format", "csv"], env=ENV)
    lines = r.stdout_bytes.decode("utf-8").splitlines()
    assert lines[0] == "kind,id,scope,period,from,to,from_label,to_label"
    assert "target,stations,east,,not_reported,on_track,not reported,on track" in lines
    assert "target,centres,east,,not_reported,done,not reported,done" in lines
    assert "arrived,submissions/east/2024-Q1.yaml,east,2024-Q1,,1,," in lines
