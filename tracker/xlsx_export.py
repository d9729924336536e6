"""The 督办台账 workbook: `tracker export --xlsx FILE`.

Sheets 指标 (targets), 任务 (tasks), 报送 (filings), 指数 (index), then 说明 (what the sheets
are, the date, the light legend). Every figure is the one `to_json` gives — actual, goal, the
expected value rounded to one decimal, the index score — so the workbook and the JSON cannot
disagree. The file is written to a temporary file beside the target and moved into place
(`os.replace`), so a reader never sees half a workbook and a failed export leaves the old one.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tracker.atomic import atomic_write
from tracker.cells import cell_value, cell_values, keep_text
from tracker.errors import TrackerError
from tracker.model import Plan, Repository
from tracker.status import CITY, LIGHTS, Status, compute, label, light, round1
from tracker.yamlio import DEFAULT_MAX_BYTES

SHEETS = ("指标", "任务", "报送", "指数")
FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "grey": "D9D9D9",
        "blue": "BDD7EE"}
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "灰灯", "blue": "蓝灯"}
HEADER_FILL = "DDEBF7"
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60

TARGET_COLUMNS = ("序号", "指标编号", "目标/指标", "范围", "范围编号", "关联任务", "牵头单位",
                  "目标值", "计量单位", "完成时限", "实际值", "序时进度", "完成率", "状态", "亮灯",
                  "数据来源", "临期预警", "达标单位")
TASK_COLUMNS = ("序号", "任务编号", "所属部分", "工作任务", "牵头单位", "配合单位", "目标/指标",
                "完成时限", "进展情况", "存在问题", "下步措施", "序时进度/完成率", "状态", "亮灯",
                "临期预警", "已报告单位", "销号申请日期", "复核意见")
FILING_COLUMNS = ("序号", "单位", "单位编号", "期次", "截止日期", "报送日期", "版本", "状态",
                  "亮灯", "文件")
INDEX_BASE_COLUMNS = ("排名", "单位", "单位编号", "得分")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# One style object of each kind, shared by every cell (and workbook) that takes it, as openpyxl
# shares its own default fills: a national workbook styles ~10^5 cells, and making a new
# validated object for each, then comparing it field by field with the one the workbook already
# holds, was a quarter of the workbook's time. Never change one of them in place (a cell's
# `fill.fgColor` is the shared object's own).
_LIGHT_FILLS = {colour: PatternFill("solid", fgColor=fill) for colour, fill in FILL.items()}
_CENTER = Alignment(horizontal="center")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(wb: Workbook, title: str, columns: tuple[str, ...], first: bool = False) -> Worksheet:
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    ws.append(cell_values(list(columns)))
    thin = Side(style="thin", color="BFBFBF")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=thin)
    ws.freeze_panes = "A2"
    return ws


def _light_cell(ws: Worksheet, row: int, col: int, kind: str, code: str,
                text: str | None = None) -> None:
    colour = light(kind, code)
    cell = ws.cell(row=row, column=col, value=text or LIGHT_ZH[colour])
    cell.fill = _LIGHT_FILLS[colour]
    cell.alignment = _CENTER


def _finish(ws: Worksheet, date_cols: tuple[int, ...] = (), wrap_cols: tuple[int, ...] = (),
            percent_cols: tuple[int, ...] = (), decimal_cols: tuple[int, ...] = ()) -> None:
    widths: dict[int, int] = {}
    measured: dict[str, int] = {}  # (the same names and labels recur down a column)
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            col = cell.column
            assert isinstance(col, int)
            if cell.row > 1:
                if col in date_cols:
                    cell.number_format = DATE_FORMAT
                elif col in percent_cols:
                    cell.number_format = "0.0%"
                elif col in decimal_cols:
                    cell.number_format = "0.0"
                if col in wrap_cols:
                    cell.alignment = _WRAP
            text = value.isoformat() if isinstance(value, date) else str(value)
            longest = measured.get(text)
            if longest is None:
                longest = measured[text] = max(_width(line) for line in text.split("\n"))
            widths[col] = max(widths.get(col, 0), longest)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(6, min(MAX_WIDTH, w + 2))
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def build_workbook(status: Status, plan: Plan, title: str = "", demo: bool = False) -> Workbook:
    wb = Workbook()
    _targets_sheet(wb, status, plan)
    _tasks_sheet(wb, status, plan)
    _filings_sheet(wb, status, plan)
    _index_sheet(wb, status, plan)
    _about_sheet(wb, status, plan, title, demo)
    keep_text(wb)  # a title or report that starts with = + - @ stays text (tracker.cells)
    # document properties are XML too: no control characters (a title may hold "\0")
    wb.properties.title = cell_value(f"{title or plan.info.title} 督办台账")
    wb.properties.subject = f"截至 {status.as_of.isoformat()}"
    wb.properties.creator = "tracker"
    if demo:
        wb.properties.description = "演示数据(虚构),不代表真实进展"
    return wb


def _scope_label(plan: Plan, scope: str) -> str:
    return "全市" if scope == CITY else plan.label(scope)


def _targets_sheet(wb: Workbook, status: Status, plan: Plan) -> None:
    ws = _sheet(wb, "指标", TARGET_COLUMNS, first=True)
    for i, r in enumerate(status.targets, 1):
        target = plan.targets[r.target]
        task = plan.tasks.get(target.task)
        lead = (plan.label(task.lead) if task and task.lead else "(无牵头单位)") if task else ""
        source = r.source
        src_text = (f"{source.path}(第{source.revision}版)" if source else
                    f"{len(r.actuals)} 个单位报送之和" if r.scope == CITY and r.actuals else "")
        completion = None if r.actual is None or r.goal == 0 else round(r.actual / r.goal, 4)
        ws.append(cell_values([
            i, r.target, target.title, _scope_label(plan, r.scope), r.scope,
            f"{target.task} {task.title}" if task else target.task, lead, r.goal,
            target.unit_label, r.deadline, r.actual, r.expected, completion,
            label("target", r.status, "zh"), None, src_text, None,
            f"{r.units_met}/{r.units_total}" if r.units_total is not None else None,
        ]))
        _light_cell(ws, i + 1, 15, "target", r.status)
        if r.due_soon:
            _light_cell(ws, i + 1, 17, "flag", "due_soon", "临期")
    _finish(ws, date_cols=(10,), percent_cols=(13,), wrap_cols=(3,))


def _unit_lines(plan: Plan, reports: Any, attr: str) -> str:
    lines = []
    for r in reports:
        text = getattr(r, attr)
        if text:
            lines.append(f"【{plan.label(r.unit)} {r.source.period}】{text.strip()}")
    return "\n".join(lines)


def _tasks_sheet(wb: Workbook, status: Status, plan: Plan) -> None:
    ws = _sheet(wb, "任务", TASK_COLUMNS)
    for i, r in enumerate(status.tasks, 1):
        task = plan.tasks[r.task]
        if task.lead is None:
            lead, supporting = "(无牵头单位)", "、".join(plan.label(u) for u in task.units)
        else:
            lead, supporting = plan.label(task.lead), "、".join(plan.label(u)
                                                              for u in task.supporting)
        targets = [t for t in plan.targets.values() if t.task == task.id]
        goals = "\n".join(f"{t.title}:{t.goal}{t.unit_label}({t.deadline.isoformat()}前)"
                          for t in targets)
        rates = []
        for t in targets:
            row = status.target(t.id)
            if row is None:
                continue
            actual = "—" if row.actual is None else str(row.actual)
            pct = "" if row.actual is None or row.goal == 0 else \
                f",完成率 {row.actual / row.goal:.1%}"
            rates.append(f"{t.title}:{actual}/{row.goal},序时进度 {row.expected}{pct}")
        # The lead's words first: it answers for the task (牵头), then the others in plan order.
        reports = sorted(r.reports, key=lambda p: p.unit != task.lead)
        ws.append(cell_values([
            i, task.id, task.section, task.title, lead, supporting, goals, task.due,
            _unit_lines(plan, reports, "summary"), _unit_lines(plan, reports, "problems"),
            _unit_lines(plan, reports, "next_steps"), "\n".join(rates),
            label("task", r.status, "zh"), None, None, f"{r.units_reporting}/{r.units}",
            r.claim.on if r.claim else None,
            (f"{r.decision.on.isoformat()} {label('decision', r.decision.decision, 'zh')}:"
             f"{r.decision.note}" if r.decision else None),
        ]))
        _light_cell(ws, i + 1, 14, "task", r.status)
        if r.due_soon:
            _light_cell(ws, i + 1, 15, "flag", "due_soon", "临期")
    _finish(ws, date_cols=(8, 17), wrap_cols=(4, 6, 7, 9, 10, 11, 12, 18))


def _filings_sheet(wb: Workbook, status: Status, plan: Plan) -> None:
    ws = _sheet(wb, "报送", FILING_COLUMNS)
    for i, f in enumerate(status.filings, 1):
        ws.append(cell_values([
            i, plan.label(f.unit), f.unit, f.period, f.due, f.reported_on,
            f.source.revision if f.source else None, label("filing", f.status, "zh"), None,
            f.source.path if f.source else None,
        ]))
        _light_cell(ws, i + 1, 9, "filing", f.status)
    _finish(ws, date_cols=(5, 6))


def _index_sheet(wb: Workbook, status: Status, plan: Plan) -> None:
    components = plan.index.components if plan.index else ()
    extra = tuple(
        f"{plan.targets[c.target].title if c.target in plan.targets else c.target}"
        f"(权重 {c.weight:g})完成率" for c in components)
    ws = _sheet(wb, "指数", INDEX_BASE_COLUMNS + extra)
    for e in status.index:
        ws.append(cell_values([e.rank, plan.label(e.unit), e.unit, round1(e.score),
                   *(round(float(c.ratio), 4) for c in e.components)]))
    n = len(INDEX_BASE_COLUMNS)
    _finish(ws, decimal_cols=(4,), percent_cols=tuple(range(n + 1, n + 1 + len(extra))))


def _thresholds_text(status: Status) -> str:
    cut = status.cutoffs
    if cut.points is None:
        return f"实际值不低于序时进度的 {float(cut.lagging):g} 倍为“滞后”,低于为“严重滞后”"
    return (f"落后序时进度(占目标的百分点)不到 {float(cut.points[0]):g} 个百分点为“正常推进”,"
            f"不到 {float(cut.points[1]):g} 个百分点为“滞后”,否则为“严重滞后”")


def _about_sheet(wb: Workbook, status: Status, plan: Plan, title: str, demo: bool) -> None:
    ws = wb.create_sheet("说明")
    rows: list[list[Any]] = [
        ["督办台账", title or plan.info.title],
        ["实施方案", plan.info.title],
        ["截至日期", status.as_of],
        ["计划编号", plan.info.id],
    ]
    if demo:
        rows.append(["数据性质", "演示数据(虚构),不代表真实进展"])
    rows += [
        ["序时进度", "按日历天数在基期与各节点之间直线插值的应完成值,向下取整数;单位的序时进度按单位目标占全市目标的比例折算后取整"],
        ["完成率", "实际值 ÷ 目标值"],
        ["预警阈值", _thresholds_text(status) + "(本计划设置)"],
        ["临期预警", f"未完成、期限在 {status.cutoffs.warn_days} 天之内的指标和任务亮蓝灯(本计划设置)"],
        ["达标单位", "“每个单位至少 k 个”的指标:只有每个单位都达到时全市才算已完成,否则全市取各单位中最严重的状态"],
        ["销号方式", "牵头单位申请,计划办复核同意后销号(本工具设定)" if status.closure == "review"
         else "牵头单位报送“已完成”并附佐证材料即销号"],
    ]
    for kind, name in (("target", "指标"), ("task", "任务"), ("filing", "报送")):
        for colour in ("green", "yellow", "red", "grey", "blue"):
            codes = [label(kind, c, "zh") for c, col in LIGHTS[kind].items() if col == colour]
            if codes:
                rows.append([f"{name}{LIGHT_ZH[colour]}", "、".join(codes)])
    for row in rows:
        ws.append(cell_values(row))
    for r, row in enumerate(rows, 1):
        ws.cell(row=r, column=1).font = Font(bold=True)
        if row[0].endswith("灯"):
            colour = next(c for c, z in LIGHT_ZH.items() if row[0].endswith(z))
            ws.cell(row=r, column=1).fill = _LIGHT_FILLS[colour]
    ws.cell(row=3, column=2).number_format = DATE_FORMAT
    ws.cell(row=3, column=2).alignment = Alignment(horizontal="left")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 90


def write_workbook(path: Path, status: Status, plan: Plan, title: str = "",
                   demo: bool = False) -> Path:
    """Build and write atomically (tracker.atomic)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TrackerError(f"目录不存在: {folder}", hint="先创建目录,或换一个输出路径。")
    workbook = build_workbook(status, plan, title, demo)
    try:
        buffer = io.BytesIO()
        workbook.save(buffer)
        atomic_write(path, buffer.getvalue(), exclusive=False)
    except OSError as exc:
        raise TrackerError(f"无法写入 {path}: {exc.strerror or exc}",
                           hint="检查路径和写权限;若文件已在 Excel/WPS 中打开,请先关闭。") from exc
    return path


@dataclass
class ExportSettings:
    root: Path = Path(".")
    xlsx: Path = Path("台账.xlsx")
    as_of: date = field(default_factory=date.today)
    max_bytes: int = DEFAULT_MAX_BYTES


def execute_export(settings: ExportSettings, err: IO[str] | None = None) -> Path:
    from tracker.status_view import open_repository

    repo: Repository = open_repository(settings.root, settings.max_bytes, "zh", err)
    status = compute(repo, settings.as_of)
    return write_workbook(settings.xlsx, status, repo.plan, repo.config.title, repo.config.demo)
