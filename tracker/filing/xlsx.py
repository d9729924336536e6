"""The Excel round trip: a fill-in workbook (`tracker new --xlsx`) and its import (`tracker import`).

Many editors live in Excel. The workbook is a form, not a data format: one sheet of header
fields (基本信息), one row per target (指标) and per task (任务); key cells (ids, titles, unit,
period) are locked and grey, the cells to fill are yellow, progress is a drop-down of
未启动/推进中/已完成 and values accept whole numbers ≥ 0. Protection has no password: it
prevents slips, not intent — the importer re-checks every id against the plan anyway.

Import reads the cells, reports every problem by sheet and cell (`填报.xlsx!指标!D5`), writes
the YAML filing with the same renderer as `tracker new`, and validates it with the same
validator (scope: that file). Problems the validator finds in the written file are mapped back
to the cell they came from. When anything is an error, the repository is left as it was.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.atomic import FileExists, atomic_write
from tracker.cells import cell_value, keep_text
from tracker.diagnostics import Diagnostic, Report, Severity, diag
from tracker.errors import TrackerError
from tracker.filing.scaffold import (
    PROGRESS_ZH,
    Draft,
    NewSettings,
    TargetDraft,
    TaskDraft,
    filing_path,
    load_for_unit,
    make_draft,
    parse_period,
    render,
    schema_reference,
)
from tracker.model import Filing, Plan
from tracker.repository import Scope, display_path, load
from tracker.yamlio import DEFAULT_MAX_BYTES, load_file

FORMAT_VERSION = "1"
SHEET_INFO, SHEET_TARGETS, SHEET_TASKS, SHEET_META = "基本信息", "指标", "任务", "_tracker"
HEADER_ROW, FIRST_ROW = 4, 5

INFO_ROWS = {  # label in column A → (row, field)
    "单位编号": (5, "unit"),
    "单位名称": (6, None),
    "期次": (7, "period"),
    "数据截至日期": (8, "as_of"),
    "报送日期": (9, "reported_on"),
    "修订次数": (10, "revision"),
    "修订原因": (11, "amendment_reason"),
}
TARGET_HEADERS = ("指标编号", "指标名称", "计量单位", "本期累计值", "上期值", "说明", "佐证材料")
TASK_HEADERS = ("任务编号", "任务名称", "本单位职责", "进度", "进展情况", "存在问题", "下步措施",
                "佐证材料", "上期进度")
PROGRESS_FROM_ZH = {v: k for k, v in PROGRESS_ZH.items()}
EVIDENCE_HELP = "每行一项：标题 | 路径或链接"

_GREY, _YELLOW, _HEAD = "F2F2F2", "FFF2CC", "D9E1F2"


# --- writing ------------------------------------------------------------------------------


def overlay_existing(draft: Draft, current: Filing) -> Draft:
    """A draft for amending `current`: its figures in the value cells, revision + 1."""
    for t in draft.targets:
        rep = current.targets.get(t.target.id)
        if rep is not None:
            t.value, t.note = rep.value, rep.note
            t.evidence = [_ev_dict(e) for e in rep.evidence]
    for k in draft.tasks:
        task_rep = current.tasks.get(k.task.id)
        if task_rep is not None:
            k.progress, k.summary = task_rep.progress, task_rep.summary
            k.problems, k.next_steps = task_rep.problems, task_rep.next_steps
            k.evidence = [_ev_dict(e) for e in task_rep.evidence]
    draft.as_of, draft.reported_on = current.as_of, current.reported_on
    draft.revision, draft.amendment_reason = current.revision + 1, ""
    return draft


def _ev_dict(e: Any) -> dict[str, str]:
    return {"title": e.title, **({"path": e.path} if e.path else {"url": e.url})}


def _evidence_text(items: list[dict[str, str]]) -> str:
    return "\n".join(f"{e['title']} | {e.get('path') or e.get('url', '')}" for e in items)


def write_workbook(draft: Draft, plan: Plan, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    grey = PatternFill("solid", fgColor=_GREY)
    yellow = PatternFill("solid", fgColor=_YELLOW)
    head = PatternFill("solid", fgColor=_HEAD)
    wrap = Alignment(wrap_text=True, vertical="top")
    editable = Protection(locked=False)

    def protect(ws: Any) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widening a column is fine
        ws.protection.formatRows = False

    def title(ws: Any, text: str, note: str, width: int) -> None:
        ws["A1"] = cell_value(text)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A2"] = cell_value(note)
        ws["A2"].alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        ws.row_dimensions[2].height = 48

    def header(ws: Any, names: tuple[str, ...], widths: tuple[int, ...]) -> None:
        for i, (name, w) in enumerate(zip(names, widths, strict=True), start=1):
            cell = ws.cell(HEADER_ROW, i, name)
            cell.font, cell.fill = Font(bold=True), head
            ws.column_dimensions[cell.column_letter].width = w
        ws.freeze_panes = ws.cell(FIRST_ROW, 1)

    def put(ws: Any, row: int, col: int, value: Any, can_edit: bool, fmt: str = "") -> Any:
        cell = ws.cell(row, col, cell_value(value))
        cell.alignment = wrap
        cell.fill = yellow if can_edit else grey
        if can_edit:
            cell.protection = editable
        if fmt:
            cell.number_format = fmt
        return cell

    wb = Workbook()
    p = draft.period
    info = wb.active
    info.title = SHEET_INFO
    amending = draft.amendment_reason is not None
    title(info, f"{draft.unit_label} {p} 报送表",
          f"《{plan.info.title}》。只填黄色单元格；灰色单元格已锁定。填好后保存，交给管理员运行 "
          f"tracker import 文件名.xlsx{' --amend' if amending else ''} 导入并校验。", 3)
    header(info, ("项目", "内容", "说明"), (16, 28, 60))
    rows: dict[str, tuple[Any, bool, str, str]] = {
        "单位编号": (draft.unit, False, "", "报送单位编号(不要改)"),
        "单位名称": (plan.units[draft.unit].name, False, "", ""),
        "期次": (str(p), False, "@", "报送期次(不要改)"),
        "数据截至日期": (draft.as_of, True, "yyyy-mm-dd",
                   f"数据截至哪一天：须在 {p.start} 至 {p.end} 之内，通常为期末"),
        "报送日期": (draft.reported_on, not amending, "yyyy-mm-dd",
                 "首次报送的日期，修订时不变" if amending else "提交报送的日期"),
        "修订次数": (draft.revision, False, "0", "新报送为 1；修订已合并的报送时自动加 1"),
        "修订原因": (draft.amendment_reason or "", amending, "@",
                 "修订时必填：改了什么、为什么" if amending else "新报送不用填"),
    }
    for label, (row, _) in INFO_ROWS.items():
        value, can_edit, fmt, note = rows[label]
        put(info, row, 1, label, False).font = Font(bold=True)
        put(info, row, 2, value, can_edit, fmt)
        put(info, row, 3, note, False)
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                           showErrorMessage=True, errorTitle="日期",
                           error="请填写日期，例如 2024-06-30")
    info.add_data_validation(dates)
    dates.add("B8:B9")
    protect(info)

    ts = wb.create_sheet(SHEET_TARGETS)
    title(ts, f"指标 —— {draft.unit_label} {p}",
          "本期累计值：截至“数据截至日期”的累计数(整数)，不是本期新增。已按上一期预填，请改为本期实际数；"
          f"空着的必须填写。佐证材料{EVIDENCE_HELP}，路径指仓库内文件(如 evidence/{draft.unit}/{p}/验收.pdf)，"
          "链接须以 https:// 开头。", len(TARGET_HEADERS))
    header(ts, TARGET_HEADERS, (24, 40, 10, 14, 12, 40, 50))
    for i, t in enumerate(draft.targets):
        row = FIRST_ROW + i
        put(ts, row, 1, t.target.id, False)
        put(ts, row, 2, t.target.title, False)
        put(ts, row, 3, t.target.unit_label, False)
        put(ts, row, 4, t.value, True, "0")
        put(ts, row, 5, f"{t.previous[1]}({t.previous[0]})" if t.previous else "", False)
        put(ts, row, 6, t.note, True, "@")
        put(ts, row, 7, _evidence_text(t.evidence), True, "@")
    if draft.targets:
        last = FIRST_ROW + len(draft.targets) - 1
        whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                               showErrorMessage=True, errorTitle="本期累计值",
                               error="数值应为非负整数", showInputMessage=True,
                               promptTitle="本期累计值", prompt="截至数据截至日期的累计数(整数)")
        ts.add_data_validation(whole)
        whole.add(f"D{FIRST_ROW}:D{last}")
    protect(ts)

    ks = wb.create_sheet(SHEET_TASKS)
    title(ks, f"任务进展 —— {draft.unit_label} {p}",
          "进度从下拉列表中选择(未启动/推进中/已完成)；进展情况写本期做了什么。牵头单位标记“已完成”"
          f"(销号)时须附至少一项佐证材料，{EVIDENCE_HELP}。", len(TASK_HEADERS))
    header(ks, TASK_HEADERS, (10, 36, 12, 10, 50, 36, 36, 44, 16))
    for i, k in enumerate(draft.tasks):
        row = FIRST_ROW + i
        put(ks, row, 1, k.task.id, False, "@")
        put(ks, row, 2, k.task.title, False)
        put(ks, row, 3, k.role, False)
        put(ks, row, 4, PROGRESS_ZH.get(k.progress or "", ""), True)
        put(ks, row, 5, k.summary, True, "@")
        put(ks, row, 6, k.problems, True, "@")
        put(ks, row, 7, k.next_steps, True, "@")
        put(ks, row, 8, _evidence_text(k.evidence), True, "@")
        prev = f"{PROGRESS_ZH.get(k.previous[1], k.previous[1])}({k.previous[0]})" if k.previous else ""
        put(ks, row, 9, prev, False)
    if draft.tasks:
        last = FIRST_ROW + len(draft.tasks) - 1
        choice = DataValidation(type="list", formula1='"未启动,推进中,已完成"', allow_blank=True,
                                showErrorMessage=True, errorTitle="进度",
                                error="请从下拉列表中选择：未启动、推进中、已完成")
        ks.add_data_validation(choice)
        choice.add(f"D{FIRST_ROW}:D{last}")
    protect(ks)

    meta = wb.create_sheet(SHEET_META)
    for r, (k_, v) in enumerate((("tracker-workbook", FORMAT_VERSION), ("plan", plan.info.id),
                                 ("unit", draft.unit), ("period", str(p))), start=1):
        meta.cell(r, 1, k_)
        meta.cell(r, 2, v)
    meta.sheet_state = "hidden"
    protect(meta)
    keep_text(wb)  # a note or summary that starts with = + - @ stays text (tracker.cells)

    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(out, buffer.getvalue(), exclusive=True)


def new_workbook(settings: NewSettings) -> tuple[Path, Draft, bool]:
    """`tracker new --xlsx FILE`. When the filing exists, the workbook prepares an amendment
    (its figures pre-filled, revision + 1); the third value says so."""
    assert settings.xlsx is not None
    if settings.xlsx.exists():
        raise FileExists(f"{display_path(settings.xlsx)} 已存在，不会覆盖",
                           hint="换一个文件名，或先删除旧文件。")
    plan, filings = load_for_unit(settings.root, settings.unit, settings.max_bytes)
    period = parse_period(plan, settings.period)
    draft = make_draft(plan, filings, settings.unit, period, settings.as_of,
                       settings.reported_on, settings.today)
    current = next((f for f in filings if f.period == str(period)
                    and f.path == f"submissions/{settings.unit}/{period}.yaml"), None)
    existing = filing_path(settings.root, settings.unit, period).exists()
    if existing and current is None:
        raise TrackerError(f"{display_path(filing_path(settings.root, settings.unit, period))} "
                           "已存在但有错误，无法据此生成修订表",
                           hint="先运行 tracker validate 改正错误。")
    if current is not None:
        overlay_existing(draft, current)
        if settings.reported_on:
            draft.reported_on = settings.reported_on
    write_workbook(draft, plan, settings.xlsx)
    return settings.xlsx, draft, current is not None


# --- reading ------------------------------------------------------------------------------


@dataclass
class ImportSettings:
    root: Path = Path(".")
    file: Path = Path("填报.xlsx")
    amend: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class ImportResult:
    report: Report
    written: Path | None = None  # the filing, when it was written and kept
    revision: int = 1


@dataclass
class _Cells:
    """Problems found while reading cells, each located as book!sheet!cell."""

    book: str
    problems: list[Diagnostic] = field(default_factory=list)

    def where(self, sheet: str, cell: str) -> str:
        return f"{self.book}!{sheet}!{cell}"

    def add(self, sheet: str, cell: str, rule: str, message: str, hint: str | None = None) -> None:
        self.problems.append(diag(self.where(sheet, cell), None, rule, message, hint=hint))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _count(value: Any) -> int | None | str:
    """A whole number ≥ 0, None for an empty cell, or the text of what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "是/否值"
    if isinstance(value, int):
        return value if value >= 0 else f"负数 {value}"
    if isinstance(value, float):
        if value.is_integer():
            return int(value) if value >= 0 else f"负数 {int(value)}"
        return f"小数 {value:g}"
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"-\d+", text):
        return f"负数 {text}"
    return f"“{str(value).strip()[:20]}”"


_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _date(value: Any) -> date | None | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    return f"“{_text(value)[:20]}”"


def _evidence(cells: _Cells, sheet: str, ref: str, value: Any) -> list[dict[str, str]]:
    items = []
    for line in _text(value).splitlines():
        if not line.strip():
            continue
        parts = re.split(r"[|｜]", line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            cells.add(sheet, ref, "xlsx-evidence", f"佐证材料“{line.strip()[:40]}”应写成 {EVIDENCE_HELP}")
            continue
        title, where = parts[0].strip(), parts[1].strip()
        key = "url" if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", where) else "path"
        items.append({"title": title, key: where})
    return items


MAX_FORM_ROWS = 2000  # far more rows than any unit has targets or tasks
MAX_UNPACKED = 32 * 1024 * 1024  # a fill-in workbook unpacks to well under 1 MB


def _form_rows(cells: _Cells, sheet: str, ws: Any, width: int) -> list[int]:
    """The rows of the form that hold something, read from the cells the sheet really has
    (`ws.max_row` can be a million because of one stray cell: walking to it created every
    cell on the way). A value outside the form is reported, not silently dropped."""
    from openpyxl.utils import get_column_letter

    rows: set[int] = set()
    outside: list[tuple[int, int]] = []
    for (row, col), cell in ws._cells.items():  # noqa: SLF001 - the only sparse view of a sheet
        if row < FIRST_ROW or _text(cell.value) == "":
            continue
        if col <= width and row < FIRST_ROW + MAX_FORM_ROWS:
            rows.add(row)
        else:
            outside.append((row, col))
    if outside:
        row, col = min(outside)
        more = f"(另有 {len(outside) - 1} 个)" if len(outside) > 1 else ""
        cells.add(sheet, f"{get_column_letter(col)}{row}", "xlsx-structure",
                  f"填报表范围以外的单元格有内容{more}，不会被导入",
                  hint="只在表格的黄色单元格中填写；把内容移到对应的行和列，或删除它。")
    return sorted(rows)


def _open(file: Path) -> Any:
    import zipfile

    from openpyxl import load_workbook

    if not file.is_file():
        raise TrackerError(f"找不到文件 {file}")
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile):
        unpacked = 0  # not a zip: load_workbook says so below
    if unpacked > MAX_UNPACKED:
        raise TrackerError(
            f"{display_path(file)} 解压后有 {unpacked:,} 字节，远超填报表的大小，不予读取",
            hint="用 tracker new --xlsx 重新生成填报表填写；不要在其中粘贴图片或大量数据。")
    try:
        with warnings.catch_warnings():
            # Excel adds extensions openpyxl does not read (and says so); the cells are what count.
            warnings.simplefilter("ignore")
            return load_workbook(file, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise TrackerError(f"{display_path(file)} 不是可读取的 Excel 工作簿(.xlsx)：{type(exc).__name__}",
                           hint="用 Excel/WPS 另存为 .xlsx 格式后再导入。") from None


@dataclass
class _Read:
    draft: Draft | None
    where: dict[tuple[Any, ...], str]  # data path → "sheet!cell"
    plan: Plan | None
    filings: list[Filing]


def _read(settings: ImportSettings, wb: Any, cells: _Cells) -> _Read:
    missing = [s for s in (SHEET_INFO, SHEET_TARGETS, SHEET_TASKS) if s not in wb.sheetnames]
    if missing:
        cells.problems.append(diag(cells.book, None, "xlsx-structure",
                                   f"工作簿缺少工作表 {'、'.join(missing)}"))
        return _Read(None, {}, None, [])
    info = wb[SHEET_INFO]
    where: dict[tuple[Any, ...], str] = {}
    found: dict[str, Any] = {}
    for row in range(1, min(info.max_row, 40) + 1):
        label = _text(info.cell(row, 1).value)
        if label in INFO_ROWS:
            name = INFO_ROWS[label][1]
            if name:
                found[name] = info.cell(row, 2).value
                where[(name,)] = f"{SHEET_INFO}!B{row}"
    for label, (row, name) in INFO_ROWS.items():
        if name and name not in found:
            cells.add(SHEET_INFO, f"A{row}", "xlsx-structure", f"基本信息中找不到“{label}”一行")
    for sheet, headers in ((SHEET_TARGETS, TARGET_HEADERS), (SHEET_TASKS, TASK_HEADERS)):
        ws = wb[sheet]
        for col, name in enumerate(headers, start=1):
            if _text(ws.cell(HEADER_ROW, col).value) != name:
                ref = ws.cell(HEADER_ROW, col).coordinate
                cells.add(sheet, ref, "xlsx-structure", f"表头应为“{name}”，表格结构被改动")
    if cells.problems:
        return _Read(None, where, None, [])

    unit = _text(found["unit"])
    plan, filings = load_for_unit(settings.root, unit, settings.max_bytes) if unit else (None, [])
    ref = where[("unit",)].split("!")[1]
    if plan is None or unit not in plan.units:
        cells.add(SHEET_INFO, ref, "xlsx-key", f"单位编号“{unit}”不是 plan/units.yaml 中的单位")
        return _Read(None, where, plan, filings)
    meta_plan = _meta(wb).get("plan")
    if meta_plan and meta_plan != plan.info.id:
        cells.add(SHEET_INFO, ref, "xlsx-key",
                  f"这份填报表是为计划 {meta_plan} 生成的，本仓库的计划是 {plan.info.id}")
    period_text = _text(found["period"])
    period_ref = where[("period",)].split("!")[1]
    try:
        period = parse_period(plan, period_text)
    except TrackerError as exc:
        cells.add(SHEET_INFO, period_ref, "xlsx-key", exc.message, hint=exc.hint or None)
        return _Read(None, where, plan, filings)

    dates: dict[str, date] = {}
    for name in ("as_of", "reported_on"):
        value = _date(found[name])
        cell = where[(name,)].split("!")[1]
        if isinstance(value, date):
            dates[name] = value
        elif value is None:
            cells.add(SHEET_INFO, cell, "xlsx-date", "请填写日期")
        else:
            cells.add(SHEET_INFO, cell, "xlsx-date", f"{value} 不是有效的日期")

    draft = make_draft(plan, filings, unit, period, dates.get("as_of"), dates.get("reported_on"))
    draft.generated_by = f"tracker import {Path(settings.file).name}"
    reason = _text(found["amendment_reason"])
    draft.amendment_reason = reason or None

    by_target = {t.target.id: t for t in draft.targets}
    kept_targets: list[TargetDraft] = []
    for row, values, tid in _keyed_rows(
        cells, SHEET_TARGETS, wb[SHEET_TARGETS], len(TARGET_HEADERS), by_target,
        noun="指标", unknown=f"不是{draft.unit_label}报送的指标编号",
    ):
        t = by_target[tid]
        count = _count(values[3])
        if count is None:
            cells.add(SHEET_TARGETS, f"D{row}", "xlsx-value", f"指标 {tid} 的本期累计值没有填写",
                      hint="填写截至数据截至日期的累计数(整数)；上期值见 E 列。")
        elif isinstance(count, str):
            cells.add(SHEET_TARGETS, f"D{row}", "xlsx-value",
                      f"数值应为非负整数：指标 {tid} 填的是{count}")
        else:
            t.value = count
        t.note = _text(values[5])
        t.evidence = _evidence(cells, SHEET_TARGETS, f"G{row}", values[6])
        for path, letter in (((), "A"), (("value",), "D"), (("note",), "F"), (("evidence",), "G")):
            where[("targets", tid, *path)] = f"{SHEET_TARGETS}!{letter}{row}"
        kept_targets.append(t)
    draft.targets = kept_targets

    by_task = {k.task.id: k for k in draft.tasks}
    kept_tasks: list[TaskDraft] = []
    for row, values, task_id in _keyed_rows(
        cells, SHEET_TASKS, wb[SHEET_TASKS], len(TASK_HEADERS), by_task,
        noun="任务", unknown=f"不是{draft.unit_label}的任务编号",
    ):
        k = by_task[task_id]
        progress = _text(values[3])
        code = PROGRESS_FROM_ZH.get(progress) or (progress if progress in PROGRESS_ZH else None)
        if code is None:
            cells.add(SHEET_TASKS, f"D{row}", "xlsx-progress",
                      f"任务 {task_id} 的进度没有选择" if not progress
                      else f"任务 {task_id} 的进度“{progress[:20]}”不是下拉列表中的选项")
        k.progress = code
        k.summary, k.problems, k.next_steps = (_text(values[4]), _text(values[5]),
                                               _text(values[6]))
        k.evidence = _evidence(cells, SHEET_TASKS, f"H{row}", values[7])
        for path, letter in (((), "A"), (("progress",), "D"), (("summary",), "E"),
                             (("problems",), "F"), (("next_steps",), "G"), (("evidence",), "H")):
            where[("tasks", task_id, *path)] = f"{SHEET_TASKS}!{letter}{row}"
        kept_tasks.append(k)
    draft.tasks = kept_tasks
    if not kept_targets and not kept_tasks:
        cells.add(SHEET_TARGETS, f"A{FIRST_ROW}", "xlsx-structure", "工作簿中没有任何指标或任务行")
    return _Read(draft, where, plan, filings)


def _keyed_rows(
    cells: Any, sheet: str, ws: Any, width: int, known: dict[str, Any], *, noun: str,
    unknown: str,
) -> Iterator[tuple[int, list[Any], str]]:
    """The filled rows of a form sheet as (row, values, key): blank rows skipped, and a key
    that is not the unit's or that repeats an earlier row reported at its cell (column A)."""
    seen: dict[str, int] = {}
    for row in _form_rows(cells, sheet, ws, width):
        values = [ws.cell(row, c).value for c in range(1, width + 1)]
        if all(_text(v) == "" for v in values):
            continue
        key = _text(values[0])
        if key not in known:
            cells.add(sheet, f"A{row}", "xlsx-key", f"“{key}”{unknown}" if key else f"{noun}编号被清空")
        elif key in seen:
            cells.add(sheet, f"A{row}", "xlsx-key", f"{noun} {key} 重复(第一次在第 {seen[key]} 行)")
        else:
            seen[key] = row
            yield row, values, key


def _meta(wb: Any) -> dict[str, str]:
    if SHEET_META not in wb.sheetnames:
        return {}
    ws = wb[SHEET_META]
    return {_text(ws.cell(r, 1).value): _text(ws.cell(r, 2).value) for r in range(1, 10)
            if ws.cell(r, 1).value}


def _to_cell(d: Diagnostic, lines: dict[int, tuple[Any, ...]], where: dict[tuple[Any, ...], str],
             book: str) -> Diagnostic:
    """A diagnostic about the written YAML, moved to the workbook cell its line came from."""
    path = lines.get(d.line)
    if path is None:
        earlier = [n for n in lines if n <= d.line]
        path = lines[max(earlier)] if earlier else None
    while path:
        if path in where:
            return Diagnostic(f"{book}!{where[path]}", 0, 0, d.rule, d.message, d.hint, d.severity)
        path = path[:-1]
    return d


def run_import(settings: ImportSettings) -> ImportResult:
    """`tracker import FILE.xlsx`: workbook → submissions/<unit>/<period>.yaml, validated."""
    book = display_path(settings.file)
    cells = _Cells(book)
    wb = _open(settings.file)
    read = _read(settings, wb, cells)
    report = Report(files=[book])
    if cells.problems or read.draft is None or read.plan is None:
        report.extend(cells.problems)
        return ImportResult(report)
    draft, plan = read.draft, read.plan
    target = filing_path(settings.root, draft.unit, draft.period)
    shown = display_path(target)
    original: bytes | None = None
    if target.exists():
        if not settings.amend:
            raise FileExists(
                f"{shown} 已存在，不会覆盖",
                hint=f"这是对已合并报送的修订吗？在基本信息中填写修订原因，再运行 "
                     f"tracker import {book} --amend。",
            )
        original = target.read_bytes()
        doc, _ = load_file(target, shown, settings.max_bytes)
        old_rev = doc.data.get("revision") if doc is not None and isinstance(doc.data, dict) else None
        if not isinstance(old_rev, int) or isinstance(old_rev, bool):
            raise TrackerError(f"{shown} 读不出 revision，无法修订",
                               hint="先运行 tracker validate 改正该文件。")
        draft.revision = old_rev + 1
        if draft.amendment_reason is None:
            draft.amendment_reason = ""  # written empty: validation points at the cell to fill
    elif settings.amend:
        raise TrackerError(f"{shown} 不存在，没有可修订的报送",
                           hint=f"新报送不用 --amend：tracker import {book}")
    else:
        draft.revision, draft.amendment_reason = 1, None

    lines = render(draft, plan, schema_reference(settings.root, target))
    data = lines.text().encode("utf-8")
    atomic_write(target, data, exclusive=original is None)
    rel = f"submissions/{draft.unit}/{draft.period}.yaml"
    loaded = load(settings.root, max_bytes=settings.max_bytes, scope=Scope.of({rel}))
    for d in loaded.report.sorted():
        report.diagnostics.append(_to_cell(d, lines.paths, read.where, book) if d.path == shown else d)
    report.files.extend(loaded.report.files)
    if any(d.severity is Severity.ERROR for d in report.diagnostics):
        # Leave the repository as it was: the fix belongs in the workbook.
        if original is None:
            target.unlink()
        else:
            atomic_write(target, original, exclusive=False)
        return ImportResult(report, None, draft.revision)
    return ImportResult(report, target, draft.revision)
