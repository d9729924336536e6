"""`tracker status` as a library call, and its renderers: rich text, JSON, CSV, Markdown.

`execute(settings, streams)` loads the repository, computes the status (and, with `since`, the
status at the earlier date and the delta) and writes one output format. The CLI module only
gathers options into `StatusSettings`.

Text output uses rich, which measures East Asian wide characters, so Chinese columns align;
colour follows rich's detection (off when not a terminal, off with NO_COLOR) unless --color /
--no-color says otherwise. Only characters a GBK console can show are used (●, →, ·).
Machine formats (json, csv) are UTF-8 bytes whatever the console encoding.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tracker import jsonfmt
from tracker.cells import csv_text
from tracker.delta import Delta, delta_to_json, diff, render_delta_markdown
from tracker.diagnostics import Report
from tracker.errors import PlanUnusable, TrackerError
from tracker.model import Plan, Repository
from tracker.reporters import printable
from tracker.repository import load
from tracker.status import (
    CITY,
    SEVERITY,
    Status,
    TargetStatus,
    compute,
    label,
    light,
    round1,
    to_json,
)
from tracker.yamlio import DEFAULT_MAX_BYTES

FORMATS = ("text", "json", "csv", "markdown")
STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red", "grey": "dim"}
DOT = "●"

UI: dict[str, dict[str, str]] = {
    "zh": {
        "as_of": "截至", "demo": "演示数据(虚构),不代表真实进展", "targets": "指标(全市)",
        "target": "指标", "scope": "范围", "actual": "实际", "expected": "序时进度",
        "goal": "目标", "deadline": "时限", "status": "状态", "source": "数据来源",
        "by_unit": "各单位指标", "unit": "单位", "tasks": "任务", "task": "任务",
        "lead": "牵头单位", "no_lead": "(无牵头单位)", "filings": "报送", "period": "期次",
        "due": "截止日期", "reported_on": "报送日期", "index": "指数", "rank": "排名",
        "score": "得分", "city": "全市", "none": "无", "no_problem_filings": "没有逾期或未报送",
        "role": "角色", "role_lead": "牵头", "role_support": "配合", "progress": "最新进展",
        "evidence": "佐证", "summary": "进展情况", "problems": "存在问题",
        "next_steps": "下步措施", "not_reported": "未报告", "points": "节点",
        "baseline": "基期", "task_of": "关联任务", "unit_label": "计量单位",
        "no_goal": "无单位目标", "supporting": "配合单位", "units": "责任单位",
        "related": "关联指标", "not_required": "该单位不需要按期报送;已收到的报送:",
        "received": "已收到", "revision": "版本", "index_none": "未纳入指数排名",
        "changes": "状态变化", "no_changes": "没有状态变化", "before": "之前", "after": "现在",
        "arrived": "新收到的报送", "closed": "销号的任务", "file": "文件",
        "warn_data": "警告: 数据有 {n} 个错误,状态只按能读取的部分计算;"
                     "运行 tracker validate{root} 查看详情。",
        "sum_units": "{n} 个单位之和",
    },
    "en": {
        "as_of": "as of", "demo": "demo data (invented), not real progress",
        "targets": "Targets (city)", "target": "Target", "scope": "Scope", "actual": "Actual",
        "expected": "Expected", "goal": "Goal", "deadline": "Deadline", "status": "Status",
        "source": "Source", "by_unit": "Targets by unit", "unit": "Unit", "tasks": "Tasks",
        "task": "Task", "lead": "Lead", "no_lead": "(no lead)", "filings": "Filings",
        "period": "Period", "due": "Due", "reported_on": "Filed on", "index": "Index",
        "rank": "Rank", "score": "Score", "city": "City", "none": "none",
        "no_problem_filings": "no late or missing filings", "role": "Role",
        "role_lead": "lead", "role_support": "supports", "progress": "Latest progress",
        "evidence": "Evidence", "summary": "Progress", "problems": "Problems",
        "next_steps": "Next steps", "not_reported": "no report", "points": "Points",
        "baseline": "baseline", "task_of": "Task", "unit_label": "Unit of count",
        "no_goal": "no unit goal", "supporting": "Supporting", "units": "Units",
        "related": "Targets of this task",
        "not_required": "This unit is not required to file every period; filings received:",
        "received": "Received", "revision": "Revision", "index_none": "not ranked in the index",
        "changes": "Status changes", "no_changes": "No status changes", "before": "Before",
        "after": "Now", "arrived": "Filings received", "closed": "Tasks closed", "file": "File",
        "warn_data": "warning: the data has {n} errors; status uses what could be read. "
                     "Run tracker validate{root} for details.",
        "sum_units": "sum of {n} units",
    },
}


def default_lang(environ: Mapping[str, str] | None = None, *,
                 windows_lcid: int | None = None) -> str:
    """zh when the locale (LC_ALL, then LC_MESSAGES, then LANG — the first one set) is zh*.

    Windows sets none of them: there the display language decides (`windows_lcid` stands in
    for it in tests), so a Chinese Windows gets Chinese labels."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    lcid = windows_lcid if environ is not None else _windows_ui_language()
    return "zh" if lcid is not None and lcid & 0x3FF == 0x04 else "en"  # LANG_CHINESE


def _windows_ui_language() -> int | None:
    """The Windows display language (an LCID such as 0x0804 for zh-CN); None elsewhere."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None


# --- running ----------------------------------------------------------------------------


@dataclass
class StatusSettings:
    root: Path = Path(".")
    as_of: date = field(default_factory=date.today)
    fmt: str = "text"
    lang: str = "zh"
    target: str | None = None
    unit: str | None = None
    task: str | None = None
    since: date | None = None
    color: bool | None = None
    width: int | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class Streams:
    text: IO[str]
    binary: IO[bytes]
    err: IO[str]


def open_repository(root: Path, max_bytes: int, lang: str, err: IO[str] | None) -> Repository:
    """Load for status-like commands: a usable plan is required (else exit 1), data errors
    only warrant a one-line warning on `err`."""
    loaded = load(root, max_bytes=max_bytes)
    if loaded.repo is None:
        raise PlanUnusable(_plan_message(loaded.report),
                           hint=f"运行 tracker validate{_root_arg(root)} 查看全部问题并修正计划文件。"
                                " Run tracker validate to see every problem.")
    if loaded.report.errors and err is not None:
        n = len(loaded.report.errors)
        err.write(UI[lang]["warn_data"].format(n=n, root=_root_arg(root)) + "\n")
    return loaded.repo


def _root_arg(root: Path) -> str:
    return "" if Path(root) == Path(".") else f" --root {root}"


def _plan_message(report: Report) -> str:
    errors = report.errors
    head = "计划本身有错误,无法计算状态 The plan has errors; status cannot be computed:"
    lines = [head]
    for d in errors[:8]:
        where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
        lines.append(f"  {where}: {d.message} [{d.rule}]")
    if len(errors) > 8:
        lines.append(f"  … (+{len(errors) - 8})")
    return "\n".join(lines)


def check_ids(plan: Plan, target: str | None = None, unit: str | None = None,
              task: str | None = None) -> None:
    """Unknown ids are a usage error (exit 2) that lists the valid ones."""
    for kind, value, valid in (("target", target, list(plan.targets)),
                               ("unit", unit, list(plan.units)),
                               ("task", task, list(plan.tasks))):
        if value is not None and value not in valid:
            raise TrackerError(
                f"没有编号为 {value!r} 的{_KIND_ZH[kind]} There is no {kind} {value!r}.",
                hint=f"可用的编号 valid {kind} ids: {', '.join(valid)}",
            )


_KIND_ZH = {"target": "指标", "unit": "单位", "task": "任务"}


def execute(settings: StatusSettings, streams: Streams) -> None:
    s = settings
    if s.fmt not in FORMATS:
        raise TrackerError(f"未知的输出格式 {s.fmt!r}", hint=f"可用: {', '.join(FORMATS)}")
    if s.fmt == "markdown" and s.since is None:
        raise TrackerError("--format markdown 只用于 --since 的状态变化 "
                           "(markdown is for --since deltas only)",
                           hint="用 --format text、json 或 csv 输出状态。")
    if s.since is not None and s.since > s.as_of:
        raise TrackerError(f"--since {s.since} 晚于 --as-of {s.as_of}",
                           hint="--since 的日期应早于(或等于)--as-of。")
    repo = open_repository(s.root, s.max_bytes, s.lang, streams.err)
    plan = repo.plan
    check_ids(plan, s.target, s.unit, s.task)
    status = compute(repo, s.as_of)
    if s.since is not None:
        delta = diff(compute(repo, s.since), status)
        delta = focus_delta(delta, plan, s.target, s.unit, s.task)
        if s.fmt == "json":
            _write_bytes(streams.binary, _dumps(delta_to_json(delta)))
        elif s.fmt == "csv":
            _write_bytes(streams.binary, delta_csv(delta, plan, s.lang).encode("utf-8"))
        elif s.fmt == "markdown":
            _write_bytes(streams.binary, render_delta_markdown(delta, plan, s.lang).encode("utf-8"))
        else:
            render_delta(make_console(streams.text, s.color, s.width), delta, plan, s.lang)
        return
    if s.fmt == "json":
        payload = focus_json(to_json(status, plan), plan, s.target, s.unit, s.task)
        _write_bytes(streams.binary, _dumps(payload))
        return
    if s.fmt == "csv":
        payload = focus_json(to_json(status, plan), plan, s.target, s.unit, s.task)
        _write_bytes(streams.binary, status_csv(payload, plan, s.lang).encode("utf-8"))
        return
    console = make_console(streams.text, s.color, s.width)
    header(console, repo, status, s.lang)
    if s.target:
        render_target(console, status, plan, s.target, s.lang)
    elif s.unit:
        render_unit(console, status, plan, s.unit, s.lang)
    elif s.task:
        render_task(console, status, plan, s.task, s.lang)
    else:
        render_dashboard(console, status, plan, s.lang)


def _dumps(payload: Any) -> bytes:
    return jsonfmt.dumps(payload).encode("utf-8")


def _write_bytes(stream: IO[bytes], data: bytes) -> None:
    stream.write(data)
    stream.flush()


# --- focusing machine output ------------------------------------------------------------


def focus_json(payload: dict[str, Any], plan: Plan, target: str | None, unit: str | None,
               task: str | None) -> dict[str, Any]:
    """The SPEC object with its lists narrowed to one target, unit or task (same shape)."""
    if target:
        t = plan.targets[target]
        keep_t = lambda r: r["target"] == target  # noqa: E731
        keep_k = lambda r: r["task"] == t.task  # noqa: E731
        keep_f = keep_i = lambda r: False  # noqa: E731
        keep_a = keep_t
    elif unit:
        keep_t = lambda r: r["scope"] == unit  # noqa: E731
        keep_k = lambda r: unit in plan.tasks[r["task"]].units  # noqa: E731
        keep_f = keep_i = keep_a = lambda r: r["unit"] == unit  # noqa: E731
    elif task:
        keep_t = lambda r: plan.targets[r["target"]].task == task  # noqa: E731
        keep_k = lambda r: r["task"] == task  # noqa: E731
        keep_f = keep_i = lambda r: False  # noqa: E731
        keep_a = keep_t
    else:
        return payload
    out = dict(payload)
    for key, keep in (("targets", keep_t), ("tasks", keep_k), ("filings", keep_f),
                      ("index", keep_i), ("actuals", keep_a)):
        out[key] = [r for r in payload[key] if keep(r)]
    return out


def focus_delta(delta: Delta, plan: Plan, target: str | None, unit: str | None,
                task: str | None) -> Delta:
    from dataclasses import replace

    if target:
        return replace(delta, targets=tuple(m for m in delta.targets if m.target == target),
                       tasks=tuple(m for m in delta.tasks if m.task == plan.targets[target].task),
                       filings=(), arrived=(), index=())
    if unit:
        return replace(delta, targets=tuple(m for m in delta.targets if m.scope == unit),
                       tasks=tuple(m for m in delta.tasks
                                   if m.task in plan.tasks and unit in plan.tasks[m.task].units),
                       filings=tuple(m for m in delta.filings if m.unit == unit),
                       arrived=tuple(s for s in delta.arrived if s.unit == unit),
                       index=tuple(m for m in delta.index if m.unit == unit))
    if task:
        return replace(delta, targets=tuple(m for m in delta.targets
                                            if m.target in plan.targets
                                            and plan.targets[m.target].task == task),
                       tasks=tuple(m for m in delta.tasks if m.task == task),
                       filings=(), arrived=(), index=())
    return delta


# --- CSV --------------------------------------------------------------------------------

CSV_COLUMNS = ("kind", "id", "scope", "title", "actual", "expected", "goal", "deadline",
               "period", "due", "reported_on", "score", "rank", "status", "label")


class _TextDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """Titles from the plan that start with = + - @ stay text in Excel (tracker.cells)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: csv_text(v) for k, v in rowdict.items()})


def status_csv(payload: dict[str, Any], plan: Plan, lang: str) -> str:
    """One long table: a `kind` column (target, task, filing, index) and the union of fields;
    figures are the JSON's (same rounding)."""
    buf = io.StringIO()
    w = _TextDictWriter(buf, CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in payload["targets"]:
        w.writerow({**r, "kind": "target", "id": r["target"],
                    "title": plan.targets[r["target"]].title,
                    "label": label("target", r["status"], lang)})
    for r in payload["tasks"]:
        w.writerow({"kind": "task", "id": r["task"], "scope": r["lead"] or "",
                    "title": plan.tasks[r["task"]].title, "deadline": r.get("due", ""),
                    "status": r["status"], "label": label("task", r["status"], lang)})
    for r in payload["filings"]:
        w.writerow({"kind": "filing", "id": r["unit"], "scope": r["unit"], "period": r["period"],
                    "due": r["due"], "reported_on": r["reported_on"] or "",
                    "status": r["status"], "label": label("filing", r["status"], lang)})
    for r in payload["index"]:
        w.writerow({"kind": "index", "id": r["unit"], "scope": r["unit"],
                    "title": plan.label(r["unit"]), "score": r["score"], "rank": r["rank"]})
    return buf.getvalue()


def delta_csv(delta: Delta, plan: Plan, lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("kind", "id", "scope", "period", "from", "to", "from_label", "to_label"))

    def lab(kind: str, code: str | None) -> str:
        return label(kind, code, lang) if code else ""

    for m in delta.targets:
        w.writerow(("target", m.target, m.scope, "", m.old or "", m.new or "",
                    lab("target", m.old), lab("target", m.new)))
    for t in delta.tasks:
        w.writerow(("task", t.task, "", "", t.old or "", t.new or "", lab("task", t.old),
                    lab("task", t.new)))
    for f in delta.filings:
        w.writerow(("filing", f.unit, f.unit, f.period, f.old or "", f.new or "",
                    lab("filing", f.old), lab("filing", f.new)))
    for s in delta.arrived:
        w.writerow(("arrived", s.path, s.unit, s.period, "", str(s.revision), "", ""))
    for i in delta.index:
        w.writerow(("index", i.unit, i.unit, "", i.old_rank or "", i.new_rank or "", "", ""))
    return buf.getvalue()


# --- rich text --------------------------------------------------------------------------


def make_console(file: IO[str], color: bool | None = None, width: int | None = None) -> Console:
    terminal = file.isatty() if hasattr(file, "isatty") else False
    if width is None and not terminal and not os.environ.get("COLUMNS"):
        width = 120  # piped or redirected: wide enough for the tables, not the 80 default
    return Console(
        file=file, width=width, highlight=False, soft_wrap=False, emoji=False,
        no_color=None if color is None else not color,
        force_terminal=True if color else None,
    )


def badge(kind: str, code: str, lang: str) -> Text:
    """The 红黄绿 light and the label (the label keeps the meaning without colour)."""
    style = STYLE[light(kind, code)]
    return Text.assemble((DOT, style), " ", (label(kind, code, lang), style if code else ""))


def _n(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class _DataTable(Table):
    """A table whose text cells are data: never read as Rich markup, control characters shown as
    escapes (a filing's summary must not draw a terminal hyperlink or set the window title)."""

    def add_column(self, header: Any = "", *args: Any, **kwargs: Any) -> None:
        super().add_column(Text(printable(header)) if isinstance(header, str) else header,
                           *args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> None:
        super().add_row(*(Text(printable(c)) if isinstance(c, str) else c for c in cells),
                        **kwargs)


def _table(title: str | None = None) -> Table:
    return _DataTable(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      header_style="bold", pad_edge=False, show_edge=False)


def header(console: Console, repo: Repository, status: Status, lang: str) -> None:
    ui = UI[lang]
    plan = repo.plan
    title = repo.config.title or plan.info.title
    console.print(Text(title, style="bold"))
    if repo.config.title and repo.config.title != plan.info.title:
        console.print(Text(plan.info.title))
    console.print(Text(f"{ui['as_of']} {status.as_of.isoformat()}  ·  {plan.info.id}"))
    if repo.config.demo:
        console.print(Text(ui["demo"], style="bold yellow"))
    console.print()


def _scope(plan: Plan, scope: str, lang: str) -> str:
    return UI[lang]["city"] if scope == CITY else plan.label(scope)


def _source_text(row: TargetStatus, lang: str, path: bool = True) -> str:
    """Where a unit's figure came from: the file (or, where the unit is known, its period)."""
    src = row.source
    if src is None:
        return ""
    where = src.path if path else src.period
    if src.revision == 1:
        return where
    return f"{where} (第{src.revision}版)" if lang == "zh" else f"{where} (rev. {src.revision})"


def render_dashboard(console: Console, status: Status, plan: Plan, lang: str) -> None:
    ui = UI[lang]
    t = _table(ui["targets"])
    for col, just in ((ui["target"], "left"), (ui["actual"], "right"), (ui["expected"], "right"),
                      (ui["goal"], "right"), (ui["deadline"], "left"), (ui["status"], "left")):
        t.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    for row in status.targets:
        if row.scope != CITY:
            continue
        target = plan.targets[row.target]
        t.add_row(Text.assemble(printable(target.title), "\n", (row.target, "dim")), _n(row.actual),
                  _n(round1(row.expected)), f"{row.goal}", row.deadline.isoformat(),
                  badge("target", row.status, lang))
    console.print(t)
    console.print()

    # Units × targets with per-unit goals: one light per cell.
    per_unit = [tid for tid, tg in plan.targets.items() if tg.per_unit is not None]
    unit_rows = [u for u in plan.units if any(status.target(tid, u) for tid in per_unit)]
    if per_unit and unit_rows:
        m = _table(ui["by_unit"])
        m.add_column(ui["unit"])
        for tid in per_unit:
            m.add_column(plan.targets[tid].title, overflow="fold")
        for u in unit_rows:
            cells: list[Any] = [plan.label(u)]
            for tid in per_unit:
                got = status.target(tid, u)
                if got is None:
                    cells.append(Text("—", style="dim"))
                else:
                    cell = badge("target", got.status, lang)
                    cell.append(f"\n{_n(got.actual)}/{got.goal}")
                    cells.append(cell)
            m.add_row(*cells)
        console.print(m)
        console.print()

    counts = _count(r.status for r in status.tasks)
    summary = "  ".join(f"{label('task', c, lang)} {counts[c]}" for c in
                        ("done", "in_progress", "not_started", "overdue") if counts.get(c))
    k = _table(f"{ui['tasks']}  ({summary})")
    for col in ("#", ui["task"], ui["lead"], ui["status"]):
        k.add_column(col)
    order = {tid: i for i, tid in enumerate(plan.tasks)}
    for task in sorted(status.tasks, key=lambda r: (SEVERITY["task"][r.status], order[r.task])):
        k.add_row(task.task, plan.tasks[task.task].title,
                  plan.label(task.lead) if task.lead else ui["no_lead"],
                  badge("task", task.status, lang))
    console.print(k)
    console.print()

    fcounts = _count(f.status for f in status.filings)
    fsummary = "  ".join(f"{label('filing', c, lang)} {fcounts[c]}" for c in
                         ("on_time", "late", "missing") if fcounts.get(c))
    problems = [f for f in status.filings if f.status != "on_time"]
    title = f"{ui['filings']}  ({fsummary or ui['none']})"
    if problems:
        f_t = _table(title)
        for col in (ui["unit"], ui["period"], ui["due"], ui["reported_on"], ui["status"]):
            f_t.add_column(col)
        for f in sorted(problems, key=lambda f: (SEVERITY["filing"][f.status], f.period)):
            f_t.add_row(plan.label(f.unit), f.period, f.due.isoformat(),
                        f.reported_on.isoformat() if f.reported_on else "—",
                        badge("filing", f.status, lang))
        console.print(f_t)
    else:
        console.print(Text(title, style="bold"))
        console.print(Text(ui["no_problem_filings"]))
    console.print()

    if status.index and plan.index is not None:
        i_t = _table(f"{ui['index']}: {plan.index.title}")
        for col, just in ((ui["rank"], "right"), (ui["unit"], "left"), (ui["score"], "right")):
            i_t.add_column(col, justify=just)  # type: ignore[arg-type]
        for e in status.index:
            i_t.add_row(str(e.rank), plan.label(e.unit), _n(round1(e.score)))
        console.print(i_t)


def _count(codes: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codes:
        out[c] = out.get(c, 0) + 1
    return out


def render_target(console: Console, status: Status, plan: Plan, target_id: str,
                  lang: str) -> None:
    ui = UI[lang]
    target = plan.targets[target_id]
    console.print(Text(f"{target.id} · {target.title}", style="bold"))
    task = plan.tasks.get(target.task)
    if task is not None:
        lead = plan.label(task.lead) if task.lead else ui["no_lead"]
        console.print(f"{ui['task_of']}: {task.id} {escape(task.title)} · {ui['lead']}: "
                      f"{escape(lead)} · {ui['unit_label']}: {escape(target.unit_label)}")
    points = " → ".join(
        f"{p.by.isoformat()} {p.value}" + (f" ({ui['baseline']})" if i == 0 else "")
        for i, p in enumerate(target.points))
    console.print(f"{ui['points']}: {points}")
    console.print()
    t = _table()
    for col, just in ((ui["scope"], "left"), (ui["actual"], "right"), (ui["expected"], "right"),
                      (ui["goal"], "right"), (ui["status"], "left"), (ui["source"], "left")):
        t.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    city = status.target(target_id, CITY)
    if city is not None:
        t.add_row(ui["city"], _n(city.actual), _n(round1(city.expected)), str(city.goal),
                  badge("target", city.status, lang), ui["sum_units"].format(n=len(city.actuals)))
    for u in plan.units:
        if u not in target.reported_by:
            continue
        row = status.target(target_id, u)
        if row is not None:
            t.add_row(plan.label(u), _n(row.actual), _n(round1(row.expected)), str(row.goal),
                      badge("target", row.status, lang), _source_text(row, lang))
        elif target.per_unit is not None:
            a = status.actual(target_id, u)
            t.add_row(plan.label(u), _n(a.value if a else None), "—", "—",
                      Text(ui["no_goal"], style="dim"), a.source.path if a else "")
    console.print(t)


def render_unit(console: Console, status: Status, plan: Plan, unit: str, lang: str) -> None:
    ui = UI[lang]
    u = plan.units[unit]
    console.print(Text(f"{u.label} · {u.name} ({u.id})", style="bold"))
    console.print()
    rows = [r for r in status.targets if r.scope == unit]
    no_goal = [tid for tid, tg in plan.targets.items()
               if unit in tg.reported_by and status.target(tid, unit) is None]
    if rows or no_goal:
        t = _table(ui["target"])
        for col, just in ((ui["target"], "left"), (ui["actual"], "right"),
                          (ui["expected"], "right"), (ui["goal"], "right"),
                          (ui["deadline"], "left"), (ui["status"], "left"),
                          (ui["period"], "left")):
            t.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
        for row in rows:
            t.add_row(plan.targets[row.target].title, _n(row.actual), _n(round1(row.expected)),
                      str(row.goal), row.deadline.isoformat(), badge("target", row.status, lang),
                      _source_text(row, lang, path=False))
        for tid in no_goal:
            a = status.actual(tid, unit)
            t.add_row(plan.targets[tid].title, _n(a.value if a else None), "—", "—",
                      plan.targets[tid].deadline.isoformat(),
                      Text(ui["no_goal"], style="dim"), a.source.period if a else "")
        console.print(t)
        console.print()

    tasks = [r for r in status.tasks if unit in plan.tasks[r.task].units]
    if tasks:
        k = _table(ui["tasks"])
        for col in ("#", ui["task"], ui["role"], ui["status"], ui["progress"]):
            k.add_column(col)
        for r in tasks:
            role = ui["role_lead"] if r.lead == unit else ui["role_support"]
            mine = r.report_of(unit)
            progress = (f"{label('progress', mine.progress, lang)} ({mine.source.period})"
                        if mine else ui["not_reported"])
            k.add_row(r.task, plan.tasks[r.task].title, role, badge("task", r.status, lang),
                      progress)
        console.print(k)
        console.print()

    filings = [f for f in status.filings if f.unit == unit]
    if filings:
        f_t = _table(ui["filings"])
        for col in (ui["period"], ui["due"], ui["reported_on"], ui["status"], ui["file"]):
            f_t.add_column(col)
        for f in filings:
            f_t.add_row(f.period, f.due.isoformat(),
                        f.reported_on.isoformat() if f.reported_on else "—",
                        badge("filing", f.status, lang), f.source.path if f.source else "")
        console.print(f_t)
    else:
        received = [s for s in status.received if s.unit == unit]
        console.print(Text(ui["filings"], style="bold"))
        console.print(ui["not_required"])
        for s in received:
            console.print(f"  {s.period}  {s.reported_on.isoformat()}  {s.path}")
        if not received:
            console.print(f"  {ui['none']}")
    console.print()
    entry = status.index_of(unit)
    if entry is not None and plan.index is not None:
        console.print(f"{ui['index']} {escape(plan.index.title)}: {ui['rank']} {entry.rank} / "
                      f"{len(status.index)}, {ui['score']} {_n(round1(entry.score))}")


def render_task(console: Console, status: Status, plan: Plan, task_id: str, lang: str) -> None:
    ui = UI[lang]
    task = plan.tasks[task_id]
    row = status.task(task_id)
    assert row is not None
    console.print(Text(f"{task.id} · {task.title}", style="bold"))
    console.print(f"{escape(task.section)} · {ui['due']} {task.due.isoformat()} · ", end="")
    console.print(badge("task", row.status, lang))
    lead = plan.label(task.lead) if task.lead else ui["no_lead"]
    console.print(f"{ui['lead']}: {escape(lead)}")
    console.print()
    t = _table()
    for col in (ui["unit"], ui["role"], ui["progress"], ui["period"], ui["evidence"],
                ui["summary"], ui["problems"]):
        t.add_column(col, overflow="fold")
    for u in task.units:
        role = ui["role_lead"] if u == task.lead else ui["role_support"]
        r = row.report_of(u)
        if r is None:
            t.add_row(plan.label(u), role, Text(ui["not_reported"], style="dim"), "", "", "", "")
        else:
            t.add_row(plan.label(u), role, label("progress", r.progress, lang), r.source.period,
                      str(r.evidence), r.summary, r.problems)
    console.print(t)
    related = [r for r in status.targets
               if r.scope == CITY and plan.targets[r.target].task == task_id]
    if related:
        console.print()
        k = _table(ui["related"])
        for col, just in ((ui["target"], "left"), (ui["actual"], "right"),
                          (ui["expected"], "right"), (ui["goal"], "right"),
                          (ui["status"], "left")):
            k.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
        for t_row in related:
            k.add_row(plan.targets[t_row.target].title, _n(t_row.actual),
                      _n(round1(t_row.expected)), str(t_row.goal),
                      badge("target", t_row.status, lang))
        console.print(k)


def render_delta(console: Console, delta: Delta, plan: Plan, lang: str) -> None:
    ui = UI[lang]
    console.print(Text(f"{ui['changes']}: {delta.old_as_of.isoformat()} → "
                       f"{delta.new_as_of.isoformat()}", style="bold"))
    console.print()
    if delta.is_empty():
        console.print(ui["no_changes"])
        return
    for m in delta.targets:
        line = Text(f"{_scope(plan, m.scope, lang)} · "
                    f"{plan.targets[m.target].title if m.target in plan.targets else m.target}: ")
        line.append_text(_maybe_badge("target", m.old, lang))
        line.append(" → ")
        line.append_text(_maybe_badge("target", m.new, lang))
        line.append(f"  ({_n(m.old_actual)} → {_n(m.new_actual)})", style="dim")
        console.print(line)
    if delta.targets:
        console.print()
    for tm in delta.tasks:
        title = plan.tasks[tm.task].title if tm.task in plan.tasks else ""
        line = Text(f"{ui['task']} {tm.task} {title}: ")
        line.append_text(_maybe_badge("task", tm.old, lang))
        line.append(" → ")
        line.append_text(_maybe_badge("task", tm.new, lang))
        console.print(line)
    if delta.tasks:
        console.print()
    for fm in delta.filings:
        line = Text(f"{ui['filings']} {plan.label(fm.unit)} {fm.period}: ")
        line.append_text(_maybe_badge("filing", fm.old, lang))
        line.append(" → ")
        line.append_text(_maybe_badge("filing", fm.new, lang))
        console.print(line)
    if delta.filings:
        console.print()
    if delta.arrived:
        a_t = _table(f"{ui['arrived']} ({len(delta.arrived)})")
        for col in (ui["unit"], ui["period"], ui["reported_on"], ui["revision"], ui["file"]):
            a_t.add_column(col)
        for s in delta.arrived:
            a_t.add_row(plan.label(s.unit), s.period, s.reported_on.isoformat(),
                        str(s.revision), s.path)
        console.print(a_t)
        console.print()
    for rm in delta.index:
        console.print(f"{ui['index']} {plan.label(rm.unit)}: {ui['rank']} {_n(rm.old_rank)} → "
                      f"{_n(rm.new_rank)} ({_n(rm.old_score)} → {_n(rm.new_score)})")


def _maybe_badge(kind: str, code: str | None, lang: str) -> Text:
    return badge(kind, code, lang) if code else Text("—", style="dim")


# --- tracker explain --------------------------------------------------------------------


@dataclass
class ExplainSettings:
    root: Path = Path(".")
    target: str = ""
    unit: str | None = None
    as_of: date = field(default_factory=date.today)
    lang: str = "zh"
    max_bytes: int = DEFAULT_MAX_BYTES


def execute_explain(settings: ExplainSettings, streams: Streams) -> None:
    from tracker.explain import explain, render_explanation

    s = settings
    repo = open_repository(s.root, s.max_bytes, s.lang, streams.err)
    plan = repo.plan
    check_ids(plan, target=s.target, unit=s.unit)
    if s.unit is not None and s.unit not in plan.targets[s.target].reported_by:
        raise TrackerError(
            f"单位 {s.unit} 不报送指标 {s.target} Unit {s.unit!r} does not report {s.target!r}.",
            hint="报送该指标的单位 units that report it: "
                 + ", ".join(plan.targets[s.target].reported_by),
        )
    status = compute(repo, s.as_of)
    lines = render_explanation(explain(plan, status, s.target, s.unit), plan, s.lang)
    streams.text.write("\n".join(lines) + "\n")
