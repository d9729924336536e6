"""An index with nothing to rank (issue 15.7): while no unit has a goal of its own for any of
its components, every score is 0 and every unit "ranks 1"; the dashboards say so in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.site_helpers import build, main_content, text_of
from tracker.cli import cli

ZH = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.fixture
def no_goals(base_repo: Path) -> Path:
    """The base repository without the village counts its index's goals come from."""
    units = base_repo / "plan/units.yaml"
    text = units.read_text("utf-8")
    units.write_text("\n".join(line for line in text.splitlines() if "counts:" not in line) + "\n",
                     "utf-8")
    targets = base_repo / "plan/targets.yaml"  # centres (per_unit min: 1) leaves the index
    targets.write_text(targets.read_text("utf-8").replace(
        "    - {target: centres, weight: 0.4}\n", ""), "utf-8")
    return base_repo


def status(*args: str) -> str:
    result = CliRunner().invoke(cli, ["status", "--as-of", "2024-07-31", *args], env=ZH)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_dashboard_says_there_is_nothing_to_rank(no_goals: Path):
    out = status()
    assert "指数: 示范指数\n暂无排名:还没有单位设定示范指数各分项指标的单位目标" in out
    assert "排名   单位" not in out  # no table of zeros


def test_the_unit_scorecard_says_so_too(no_goals: Path):
    out = status("--unit", "east")
    assert "指数 示范指数: 暂无排名" in out
    assert "排名 1 /" not in out


def test_the_json_keeps_its_index_rows(no_goals: Path):
    payload = json.loads(status("--format", "json"))
    assert [(r["unit"], r["score"]) for r in payload["index"]] == [("east", 0.0), ("west", 0.0)]


def test_with_goals_the_ranking_is_shown(base_repo: Path):
    out = status()
    assert "暂无排名" not in out
    assert "排名   单位" in out


def test_the_site_says_there_is_nothing_to_rank(no_goals: Path, tmp_path: Path):
    build(no_goals, tmp_path / "site", provenance=False)
    home = text_of(main_content((tmp_path / "site/index.html").read_text("utf-8")))
    assert "示范指数暂无排名:还没有单位设定该指数各分项指标的单位目标" in home
    assert "排名 单位 得分" not in home
    units = text_of(main_content((tmp_path / "site/units/index.html").read_text("utf-8")))
    assert "示范指数暂无排名" in units
    east = text_of(main_content((tmp_path / "site/units/east.html").read_text("utf-8")))
    assert "分,第" not in east
