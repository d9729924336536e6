"""`tracker export --xlsx`: the 督办台账 workbook has the JSON's figures, and is written atomically."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tracker import xlsx_export
from tracker.cli import cli

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "NO_COLOR": ""}
LABEL_ZH = {"not_reported": "未报送", "done": "已完成", "overdue": "逾期未完成",
            "on_track": "正常推进", "lagging": "滞后", "off_track": "严重滞后"}
LIGHT = {"done": "绿灯", "on_track": "绿灯", "lagging": "黄灯", "off_track": "红灯",
         "overdue": "红灯", "not_reported": "灰灯"}


def export(path: Path, as_of: str = "2024-06-30", root: Path = DEMO):
    return CliRunner().invoke(cli, ["export", "--xlsx", str(path), "--root", str(root),
                                    "--as-of", as_of], env=ENV)


def status_json(as_of: str = "2024-06-30") -> dict:
    r = CliRunner().invoke(cli, ["status", "--root", str(DEMO), "--as-of", as_of,
                                 "--format", "json"], env=ENV)
    return json.loads(r.stdout_bytes)


def records(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def day(value) -> str:
    return value.date().isoformat() if isinstance(value, datetime) else value


@pytest.mark.parametrize("as_of", ["2023-12-31", "2024-06-30", "2026-11-29"])
def test_workbook_figures_equal_the_json(tmp_path, as_of):
    out = tmp_path / "台账.xlsx"
    r = export(out, as_of)
    assert r.exit_code == 0, r.stderr
    payload = status_json(as_of)
    wb = load_workbook(out)
    assert wb.sheetnames[:4] == ["指标", "任务", "报送", "指数"]

    targets = records(wb["指标"])
    assert len(targets) == len(payload["targets"])
    for got, want in zip(targets, payload["targets"], strict=True):
        assert got["指标编号"] == want["target"] and got["范围编号"] == want["scope"]
        assert got["实际值"] == want["actual"]
        assert got["序时进度"] == want["expected"]
        assert got["目标值"] == want["goal"]
        assert day(got["完成时限"]) == want["deadline"]
        assert got["状态"] == LABEL_ZH[want["status"]]
        assert got["亮灯"] == LIGHT[want["status"]]
        assert got["临期预警"] == ("临期" if want["due_soon"] else None)
        assert got["达标单位"] == (f"{want['units_met']}/{want['units']}" if "units" in want
                                  else None)

    tasks = records(wb["任务"])
    assert [t["任务编号"] for t in tasks] == [t["task"] for t in payload["tasks"]]
    task_labels = {"done": "已完成/销号", "overdue": "逾期", "in_progress": "推进中",
                   "not_started": "未启动", "pending_review": "待审核销号"}
    assert [t["状态"] for t in tasks] == [task_labels[t["status"]] for t in payload["tasks"]]
    assert [t["已报告单位"] for t in tasks] == [f"{t['units_reporting']}/{t['units']}"
                                           for t in payload["tasks"]]
    assert [day(t["销号申请日期"]) for t in tasks] == [t["claimed_on"] for t in payload["tasks"]]

    filings = records(wb["报送"])
    assert [(f["单位编号"], f["期次"], day(f["截止日期"])) for f in filings] == \
        [(f["unit"], f["period"], f["due"]) for f in payload["filings"]]
    assert [day(f["报送日期"]) for f in filings] == [f["reported_on"] for f in payload["filings"]]

    index = records(wb["指数"])
    assert [(i["单位编号"], i["得分"], i["排名"]) for i in index] == \
        [(i["unit"], i["score"], i["rank"]) for i in payload["index"]]


def test_layout_frozen_header_widths_and_fills(tmp_path):
    out = tmp_path / "t.xlsx"
    export(out)
    wb = load_workbook(out)
    for name in ("指标", "任务", "报送", "指数"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        assert ws.column_dimensions["B"].width >= 6
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    light_col = header.index("亮灯") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=light_col)
        want = {"绿灯": "C6EFCE", "黄灯": "FFEB9C", "红灯": "FFC7CE", "灰灯": "D9D9D9"}[cell.value]
        assert cell.fill.fgColor.rgb.endswith(want)
    tasks = wb["任务"]
    header = [c.value for c in tasks[1]]
    for column in ("序号", "工作任务", "牵头单位", "配合单位", "目标/指标", "完成时限", "进展情况",
                   "存在问题", "下步措施", "序时进度/完成率", "亮灯"):
        assert column in header
    row = dict(zip(header, [c.value for c in tasks[3]], strict=True))  # task 1.2
    assert row["牵头单位"] == "市邮政管理局"
    assert row["进展情况"].startswith("【市邮政管理局 2024-Q2】")  # the lead's words first
    assert "南太湖新区" in row["配合单位"]
    assert "演示数据" in wb["说明"]["B5"].value


def test_written_atomically_replacing_the_old_file(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    assert export(out).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(os.listdir(tmp_path)) == ["t.xlsx"]  # no temporary file left behind
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")

    def boom(fd):  # the disk fills up as the new workbook is flushed to it
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tracker.atomic.os.fsync", boom)
    r = export(out)
    assert r.exit_code == 2
    assert "No space left on device" in r.stderr
    assert out.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["t.xlsx"]


def test_missing_folder_is_exit_2(tmp_path):
    r = export(tmp_path / "no" / "such" / "t.xlsx")
    assert r.exit_code == 2 and "目录不存在" in r.stderr


def test_library_call(tmp_path):
    from tracker.repository import load
    from tracker.status import compute

    repo = load(DEMO).repo
    status = compute(repo, date(2024, 6, 30))
    path = xlsx_export.write_workbook(tmp_path / "x.xlsx", status, repo.plan, "标题", demo=True)
    wb = load_workbook(path)
    assert wb.properties.subject == "截至 2024-06-30"
