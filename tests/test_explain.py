"""`tracker explain`: the arithmetic behind a status, on a small repository with known numbers.

stations at 2024-06-30: segment 2024-01-01 (0) → 2024-12-31 (8), 181 of 365 days, so the city
expects 8 × 181/365 ≈ 3.97; east (10 of the city's 16 villages) expects ≈ 2.48, lagging below
0.8 × that ≈ 1.98. East filed 2 (revision 2 of 2024-Q1): lagging.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.status_helpers import filing_yaml, write_repo
from tracker.cli import cli
from tracker.explain import explain, num
from tracker.repository import load
from tracker.status import compute

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "NO_COLOR": ""}
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


@pytest.fixture
def repo_root(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo", [
        ("east", "2024-Q1", filing_yaml("east", "2024-Q1", revision=2, targets={
            "stations": 2, "centres": 0, "kiosks": 5})),
        ("west", "2024-Q2", filing_yaml("west", "2024-Q2", targets={"stations": 1})),
        ("north", "2024-Q1", filing_yaml("north", "2024-Q1", targets={"stations": 4})),
    ])


def run(*args: str):
    return CliRunner().invoke(cli, ["explain", *args], env=ENV)


def test_unit_explanation_zh(repo_root):
    r = run("stations", "--unit", "east", "--root", str(repo_root), "--as-of", "2024-06-30",
            "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "范围: 东区 (east) · 截至 2024-06-30" in out
    # which filing, which period, which revision
    assert "2 ← submissions/east/2024-Q1.yaml(期次 2024-Q1,第 2 版,as_of 2024-03-31" in out
    assert "单位目标 10(east 的 counts.villages)" in out
    assert "2024-01-01         0  基期" in out and "2024-12-31         8  节点 1" in out
    assert "2025-12-31        16  节点 2" in out
    assert "位于 2024-01-01(0)与 2024-12-31(8)之间:已过 181 天 / 共 365 天" in out
    assert "全市 = 0 + (8 − 0) × 181/365 ≈ 3.97" in out
    assert "东区 = 全市 ≈3.97 × 单位目标 10 ÷ 全市目标 16 ≈ 2.48" in out
    # 序时进度 in whole units: 2.48 villages expected → 2
    assert "序时进度取整数(向下取整,指标按个数计): ⌊2.48⌋ = 2" in out
    assert "滞后阈值 = 0.8 × 序时进度 2 = 1.6(比例模式)" in out
    assert "4. 正常推进 on_track: 2 ≥ 2 → 成立" in out
    assert "结论: 正常推进(on_track)" in out
    assert "6." not in out.split("6. 判定")[1]  # stops at the first rule that holds


def test_city_explanation_en(repo_root):
    r = run("stations", "--root", str(repo_root), "--as-of", "2024-06-30", "--lang", "en")
    out = r.stdout
    assert "Scope: City · as of 2024-06-30" in out
    assert "东区: 2 ← submissions/east/2024-Q1.yaml (period 2024-Q1, revision 2" in out
    assert "北区: 4 ← submissions/north/2024-Q1.yaml" in out
    # west's 2024-Q2 has as_of 2024-06-30 ≤ D: it counts
    assert "西区: 1 ← submissions/west/2024-Q2.yaml" in out
    assert "= 7 (3 of 3 units have filed" in out
    assert "expected in whole units (rounded down: targets count whole things): ⌊3.97⌋ = 3" in out
    assert "4. on_track: 7 ≥ 3 → holds" in out
    assert "Result: on track (on_track)" in out


def test_before_deadline_overdue_and_not_reported(repo_root):
    out = run("kiosks", "--root", str(repo_root), "--as-of", "2026-01-01", "--lang", "en").stdout
    assert "is after the deadline 2025-12-31: expected = goal 100" in out
    assert "3. overdue: 2026-01-01 > 2025-12-31 → holds" in out
    out = run("centres", "--unit", "west", "--root", str(repo_root), "--as-of", "2024-06-30",
              "--lang", "en").stdout
    assert "no filing with as_of ≤ 2024-06-30 reports this target" in out
    assert "1. not_reported: is there a filing with as_of ≤ 2024-06-30? no → holds" in out
    assert "per_unit.min: at least 1 for every reporting unit" in out


def test_unit_without_a_goal(repo_root):
    r = run("stations", "--unit", "north", "--root", str(repo_root), "--as-of", "2024-06-30",
            "--lang", "en")
    assert r.exit_code == 0
    assert "this unit has no goal (counts.villages of north)" in r.stdout
    assert "Result: no unit status (no unit goal)" in r.stdout
    assert "4 ← submissions/north/2024-Q1.yaml" in r.stdout


def test_explanation_agrees_with_status_everywhere():
    repo = load(DEMO).repo
    for day in (date(2022, 6, 30), date(2023, 6, 30), date(2024, 12, 31), date(2026, 1, 1)):
        status = compute(repo, day)
        for row in status.targets:
            unit = None if row.scope == "city" else row.scope
            e = explain(repo.plan, status, row.target, unit)
            assert e.actual == row.actual and e.expected == row.expected and e.goal == row.goal
            assert e.status == row.status
            if row.units_total is None:
                assert e.checks[-1].code == row.status
            else:  # a per-unit minimum: the city takes its units' statuses, listed as short
                assert (e.units_met, e.units_total) == (row.units_met, row.units_total)
                assert len(e.units_short) == row.units_total - row.units_met


def test_explain_matches_json_figures():
    r = run("transfer-centres", "--unit", "changxing", "--root", str(DEMO),
            "--as-of", "2024-06-30", "--lang", "en")
    payload = json.loads(CliRunner().invoke(cli, [
        "status", "--root", str(DEMO), "--as-of", "2024-06-30", "--format", "json"],
        env=ENV).stdout_bytes)
    row = next(t for t in payload["targets"]
               if t["target"] == "transfer-centres" and t["scope"] == "changxing")
    assert f"⌋ = {row['expected']}\n" in r.stdout
    assert f"Result: {row['status'].replace('_', ' ')}" in r.stdout


@pytest.mark.parametrize("args, needle", [
    (("nope",), "village-service-points"),
    (("village-service-points", "--unit", "atlantis"), "nantaihu"),
    (("county-sorting-centres", "--unit", "nantaihu"), "wuxing"),
])
def test_unknown_or_unrelated_ids_exit_2(args, needle):
    r = run(*args, "--root", str(DEMO), "--as-of", "2024-06-30")
    assert r.exit_code == 2 and needle in r.stderr and r.stdout == ""


def test_num_formatting():
    assert num(Fraction(4, 5)) == "0.8" and num(3) == "3" and num(Fraction(1, 3)) == "≈0.33"
    assert num(None) == "—"


def test_a_per_unit_minimum_names_the_units_that_are_short(repo_root):
    out = run("centres", "--root", str(repo_root), "--as-of", "2024-06-30", "--lang", "zh").stdout
    assert "7. 每个单位至少 1(per_unit.min)" in out
    assert "已完成 0/3 个单位" in out
    assert "未完成: 东区 正常推进 0/1, 西区 未报送, 北区 未报送" in out
    assert "结论: 未报送(not_reported)" in out


def test_points_mode_shows_the_gap(tmp_path):
    from tests.status_helpers import TARGETS_YAML, filing_yaml, write_repo

    root = write_repo(tmp_path, [("east", "2025-Q2", filing_yaml(
        "east", "2025-Q2", targets={"kiosks": 60}))], targets_yaml=TARGETS_YAML.replace(
        "  lagging: 0.8\n", "  points: {lagging: 10, off_track: 30}\n"))
    out = run("kiosks", "--root", str(root), "--as-of", "2025-06-30", "--lang", "zh").stdout
    assert "差距 = 100 × (序时进度 74 − 实际 60) ÷ 目标 100 = 14 个百分点" in out
    assert "4. 正常推进 on_track: 14 < 10 → 不成立" in out
    assert "5. 滞后 lagging: 14 < 30 → 成立" in out
