"""The Excel round trip: `tracker new --xlsx`, filled in with openpyxl as an editor would, then
`tracker import`; problems are reported by sheet and cell."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from tests.workflow_helpers import NEW_REGISTER_ITEMS
from tracker.cli import cli

BOOK = "填报.xlsx"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def book(base_repo: Path) -> Path:
    result = run("new", "--unit", "east", "--period", "2024-Q3", "--xlsx", BOOK,
                 "--reported-on", "2024-10-05")
    assert result.exit_code == 0, result.stderr
    assert "在黄色单元格中填写后运行 tracker import 填报.xlsx" in result.stdout
    return base_repo / BOOK


def fill(path: Path, **cells: object) -> None:
    """Set cells given as sheet__cell=value (e.g. 指标__D5=5), and save."""
    wb = openpyxl.load_workbook(path)
    for key, value in cells.items():
        sheet, ref = key.split("__")
        wb[sheet][ref] = value
    wb.save(path)


# 进展情况 of the three task rows (1.1, 1.2, S.1): required, never pre-filled.
SUMMARIES = {"任务__E5": "选址完成", "任务__E6": "分拣中心运行", "任务__E7": "工作专班按月调度"}


def add_register_items(root: Path) -> None:
    reg = root / "submissions/east/registers/stations.yaml"
    reg.write_text(reg.read_text("utf-8") + NEW_REGISTER_ITEMS, "utf-8")


def test_the_workbook_is_a_form_with_locked_keys_and_drop_downs(book: Path):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["基本信息", "指标", "任务", "_tracker"]
    assert wb["_tracker"].sheet_state == "hidden"
    info, targets, tasks = wb["基本信息"], wb["指标"], wb["任务"]
    assert [info[f"A{r}"].value for r in range(5, 12)] == [
        "单位编号", "单位名称", "期次", "数据截至日期", "报送日期", "修订次数", "修订原因"]
    assert (info["B5"].value, info["B7"].value) == ("east", "2024-Q3")
    assert info["B8"].value.date() == date(2024, 9, 30)
    assert [targets[f"A{r}"].value for r in (5, 6)] == ["stations", "centres"]
    assert (targets["D5"].value, targets["E5"].value) == (3, "3(2024-Q2)")
    assert [tasks[f"A{r}"].value for r in (5, 6, 7)] == ["1.1", "1.2", "S.1"]
    assert tasks["D5"].value == "推进中" and tasks["D7"].value is None
    assert tasks["H6"].value == "验收文件 | evidence/east/2024-Q2/photo.txt"
    for ws in (info, targets, tasks):
        assert ws.protection.sheet
    assert targets["A5"].protection.locked and targets["B5"].protection.locked
    assert not targets["D5"].protection.locked and not targets["F5"].protection.locked
    assert info["B5"].protection.locked and not info["B8"].protection.locked
    [progress] = tasks.data_validations.dataValidation
    assert progress.type == "list" and progress.formula1 == '"未启动,推进中,已完成"'
    assert str(progress.sqref) == "D5:D7"
    [whole] = targets.data_validations.dataValidation
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")


def test_a_filled_workbook_imports_to_a_filing_that_validates(book: Path, base_repo: Path):
    add_register_items(base_repo)
    fill(book, 指标__D5=5, 指标__F5="新建两个服务站",
         指标__G5="现场照片 | evidence/east/2024-Q2/photo.txt\n新闻 | https://news.example.invalid/x",
         任务__D7="推进中", 任务__F7="人手不足", **SUMMARIES)
    result = run("import", BOOK)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "已导入 → submissions/east/2024-Q3.yaml(revision 1)" in result.stdout
    path = base_repo / "submissions/east/2024-Q3.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["targets"]["stations"] == {"value": 5, "note": "新建两个服务站", "evidence": [
        {"title": "现场照片", "path": "evidence/east/2024-Q2/photo.txt"},
        {"title": "新闻", "url": "https://news.example.invalid/x"}]}
    assert data["tasks"]["S.1"] == {"progress": "in_progress", "summary": "工作专班按月调度",
                                    "problems": "人手不足"}
    assert str(data["as_of"]) == "2024-09-30" and str(data["reported_on"]) == "2024-10-05"
    assert path.read_text("utf-8").startswith("# yaml-language-server: $schema=")
    assert run("validate", "--strict").exit_code == 0
    # Importing again would overwrite the filing: refused.
    again = run("import", BOOK)
    assert again.exit_code == 2
    assert "已存在，不会覆盖" in again.stderr and "--amend" in again.stderr


def test_wrong_cells_are_reported_by_sheet_and_cell_and_nothing_is_written(book: Path,
                                                                            base_repo: Path):
    fill(book, 指标__D5="十二", 指标__D6=-3, 任务__D6="完成了", 任务__D7=None,
         任务__H5="只有标题没有路径", 基本信息__B9="2024-13-45")
    result = run("import", BOOK)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert ("填报.xlsx!指标!D5: error: 数值应为非负整数：指标 stations 填的是“十二” [xlsx-value]"
            in lines)
    assert "填报.xlsx!指标!D6: error: 数值应为非负整数：指标 centres 填的是负数 -3 [xlsx-value]" in lines
    assert "填报.xlsx!任务!D6: error: 任务 1.2 的进度“完成了”不是下拉列表中的选项 [xlsx-progress]" in lines
    assert "填报.xlsx!任务!D7: error: 任务 S.1 的进度没有选择 [xlsx-progress]" in lines
    assert any(line.startswith("填报.xlsx!任务!H5: error: ") and "[xlsx-evidence]" in line
               for line in lines)
    assert "填报.xlsx!基本信息!B9: error: “2024-13-45” 不是有效的日期 [xlsx-date]" in lines
    assert "    提示 hint: 填写阿拉伯数字的整数，例如 12；不要写“十二”、小数、负数或单位。" in lines
    assert not (base_repo / "submissions/east/2024-Q3.yaml").exists()


def test_problems_found_by_the_validator_point_at_the_cell(book: Path, base_repo: Path):
    # 5 stations, but the register has 3 open points on 2024-09-30: a cross-file error.
    fill(book, 指标__D5=5, 任务__D7="未启动", 指标__G6="验收 | evidence/east/missing.pdf",
         **SUMMARIES)
    result = run("import", BOOK, "--format", "json")
    assert result.exit_code == 1
    found = {(d["path"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {("填报.xlsx!指标!D5", "register-count-mismatch"),
                     ("填报.xlsx!指标!G6", "evidence-missing")}
    assert not (base_repo / "submissions/east/2024-Q3.yaml").exists()  # left as it was


def test_an_empty_summary_is_reported_at_its_cell(book: Path, base_repo: Path):
    add_register_items(base_repo)
    fill(book, 指标__D5=5, 任务__D7="推进中", **{**SUMMARIES, "任务__E7": None})
    result = run("import", BOOK)
    assert result.exit_code == 1
    assert "填报.xlsx!任务!E7: error: " in result.stdout and "[schema-empty]" in result.stdout
    assert "进展情况" in result.stdout  # the hint says what belongs there
    assert not (base_repo / "submissions/east/2024-Q3.yaml").exists()


def test_numbers_typed_as_text_and_full_width_digits_are_accepted(book: Path, base_repo: Path):
    add_register_items(base_repo)
    fill(book, 指标__D5="５", 指标__D6=1.0, 任务__D7="in_progress", **SUMMARIES)
    assert run("import", BOOK).exit_code == 0
    data = yaml.safe_load((base_repo / "submissions/east/2024-Q3.yaml").read_text("utf-8"))
    assert data["targets"]["stations"]["value"] == 5 and data["targets"]["centres"]["value"] == 1


def test_changed_key_cells_are_refused(book: Path):
    fill(book, 指标__A6="sorting-centres", 任务__D7="推进中")
    result = run("import", BOOK)
    assert result.exit_code == 1
    assert "填报.xlsx!指标!A6: error: “sorting-centres”不是东区报送的指标编号 [xlsx-key]" in result.stdout


def test_an_amendment_round_trip(book: Path, base_repo: Path):
    add_register_items(base_repo)
    fill(book, 指标__D5=5, 任务__D7="推进中", **SUMMARIES)
    assert run("import", BOOK).exit_code == 0
    # The amendment workbook is pre-filled with the filing as it is.
    amend_book = base_repo / "修订.xlsx"
    result = run("new", "--unit", "east", "--period", "2024-Q3", "--xlsx", "修订.xlsx")
    assert result.exit_code == 0, result.stderr
    assert "用于修订(revision 2)" in result.stdout
    wb = openpyxl.load_workbook(amend_book)
    assert wb["指标"]["D5"].value == 5 and wb["基本信息"]["B10"].value == 2
    assert not wb["基本信息"]["B11"].protection.locked
    assert wb["基本信息"]["B9"].protection.locked  # reported_on: the first filing's date stays
    fill(amend_book, 指标__D6=2)
    missing_reason = run("import", "修订.xlsx", "--amend")
    assert missing_reason.exit_code == 1
    assert "填报.xlsx" not in missing_reason.stdout
    assert "修订.xlsx!基本信息!B11: error: " in missing_reason.stdout
    fill(amend_book, 基本信息__B11="分拣中心漏报一个")
    result = run("import", "修订.xlsx", "--amend")
    assert result.exit_code == 0, result.stdout
    data = yaml.safe_load((base_repo / "submissions/east/2024-Q3.yaml").read_text("utf-8"))
    assert (data["revision"], data["amendment_reason"]) == (2, "分拣中心漏报一个")
    assert data["targets"]["centres"]["value"] == 2


def test_new_xlsx_refuses_to_overwrite_a_workbook(book: Path):
    result = run("new", "--unit", "east", "--period", "2024-Q3", "--xlsx", BOOK)
    assert result.exit_code == 2
    assert "填报.xlsx 已存在，不会覆盖" in result.stderr


def test_a_file_that_is_not_a_workbook_cannot_be_imported(base_repo: Path):
    (base_repo / "bad.xlsx").write_text("not a zip", "utf-8")
    result = run("import", "bad.xlsx")
    assert result.exit_code == 2
    assert "不是可读取的 Excel 工作簿" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_workbook_without_the_sheets_is_reported(base_repo: Path):
    wb = openpyxl.Workbook()
    wb.save(base_repo / "other.xlsx")
    result = run("import", "other.xlsx")
    assert result.exit_code == 1
    assert "other.xlsx: error: 工作簿缺少工作表 基本信息、指标、任务 [xlsx-structure]" in result.stdout
