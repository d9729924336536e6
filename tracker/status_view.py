"""`tracker status` as a library call, and its renderers: JSON, CSV, Markdown (rich text is in
tracker.status_text, imported only for text output).

`execute(settings, streams)` loads the repository, computes the status (and, with `since`, the
status at the earlier date and the delta) and writes one output format. The CLI module only
gathers options into `StatusSettings`.

Machine formats (json, csv) are UTF-8 bytes whatever the console encoding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from tracker import jsonfmt, language
from tracker.cells import csv_text
from tracker.delta import Delta, delta_to_json, diff, render_delta_markdown
from tracker.diagnostics import Report, did_you_mean
from tracker.errors import PlanUnusable, TrackerError
from tracker.model import Plan, Repository
from tracker.repository import load
from tracker.status import (
    compute,
    label,
    to_json,
)
from tracker.status_words import UI
from tracker.yamlio import DEFAULT_MAX_BYTES

FORMATS = ("text", "json", "csv", "markdown")


# The label language: tracker.language (re-exported here, where commands used to find it).
default_lang = language.default_lang


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
                hint=did_you_mean(value, valid) + f"可用的编号 valid {kind} ids: {', '.join(valid)}",
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
            from tracker.status_text import make_console, render_delta

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
    from tracker.status_text import (  # rich: only text output needs it (~13 ms to import)
        header,
        make_console,
        render_dashboard,
        render_target,
        render_task,
        render_unit,
    )

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
               "period", "due", "reported_on", "score", "rank", "status", "label", "due_soon",
               "units_met", "units", "units_reporting")


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
                    "label": label("target", r["status"], lang),
                    "due_soon": "1" if r["due_soon"] else ""})
    for r in payload["tasks"]:
        w.writerow({"kind": "task", "id": r["task"], "scope": r["lead"] or "",
                    "title": plan.tasks[r["task"]].title, "deadline": r.get("due", ""),
                    "status": r["status"], "label": label("task", r["status"], lang),
                    "due_soon": "1" if r["due_soon"] else "", "units": r["units"],
                    "units_reporting": r["units_reporting"]})
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
    from tracker.reporters import printable

    lines = render_explanation(explain(plan, status, s.target, s.unit), plan, s.lang)
    # The lines hold the plan's names: control characters are shown as escapes.
    streams.text.write("\n".join(printable(line) for line in lines) + "\n")
