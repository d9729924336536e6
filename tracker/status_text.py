"""`tracker status` as text for people: rich tables and badges (only the text format needs rich).

Rich measures East Asian wide characters, so Chinese columns align; colour follows rich's
detection (off when not a terminal, off with NO_COLOR) unless --color / --no-color says
otherwise. Only characters a GBK console can show are used (●, →, ·).
"""

from __future__ import annotations

import os
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.delta import Delta
from tracker.model import Plan, Repository
from tracker.reporters import printable
from tracker.status import (
    CITY,
    SEVERITY,
    Status,
    TargetStatus,
    label,
    light,
    round1,
)
from tracker.status_words import DOT, STYLE, UI

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


def badge(kind: str, code: str, lang: str, soon: bool = False) -> Text:
    """The 红黄绿 light and the label (the label keeps the meaning without colour); a due-soon
    item gets the blue 临期 light beside it."""
    style = STYLE[light(kind, code)]
    text = Text.assemble((DOT, style), " ", (label(kind, code, lang), style if code else ""))
    if soon:
        blue = STYLE[light("flag", "due_soon")]
        text.append_text(Text.assemble("  ", (DOT, blue), " ", (label("flag", "due_soon", lang),
                                                                 blue)))
    return text


def target_badge(row: TargetStatus, lang: str) -> Text:
    """A target row's status: its light, 临期 beside it, and for a per-unit minimum how many
    units have met it."""
    text = badge("target", row.status, lang, row.due_soon)
    if row.units_total is not None:
        text.append(f"\n{UI[lang]['units_met'].format(m=row.units_met, n=row.units_total)}",
                    style="dim")
    return text


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


def plain(text: str, style: str = "") -> Text:
    """A line that holds names from the plan or a filing: never read as Rich markup, control
    characters shown as escapes (as in table cells)."""
    return Text(printable(text), style=style)


def _table(title: str | None = None) -> Table:
    # (a title given as a string would be read as Rich markup: it holds the plan's names)
    return _DataTable(title=plain(title, "bold") if title else None, title_justify="left",
                      title_style="bold", box=box.SIMPLE_HEAD,
                      header_style="bold", pad_edge=False, show_edge=False)


def header(console: Console, repo: Repository, status: Status, lang: str) -> None:
    ui = UI[lang]
    plan = repo.plan
    title = repo.config.title or plan.info.title
    console.print(plain(title, "bold"))
    if repo.config.title and repo.config.title != plan.info.title:
        console.print(plain(plan.info.title))
    console.print(plain(f"{ui['as_of']} {status.as_of.isoformat()}  ·  {plan.info.id}"))
    if repo.config.demo:
        console.print(Text(ui["demo"].format(as_of=status.as_of.isoformat()), style="bold yellow"))
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
                  _n(row.expected), f"{row.goal}", row.deadline.isoformat(),
                  target_badge(row, lang))
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
                    cell = badge("target", got.status, lang, got.due_soon)
                    cell.append(f"\n{_n(got.actual)}/{got.goal}")
                    cells.append(cell)
            m.add_row(*cells)
        console.print(m)
        console.print()

    render_due_soon(console, status, plan, lang)
    render_pending(console, status, plan, lang)

    counts = _count(r.status for r in status.tasks)
    summary = "  ".join(f"{label('task', c, lang)} {counts[c]}" for c in
                        ("done", "pending_review", "in_progress", "not_started", "overdue")
                        if counts.get(c))
    k = _table(f"{ui['tasks']}  ({summary})")
    for col in ("#", ui["task"], ui["lead"], ui["reporting"], ui["status"]):
        k.add_column(col)
    order = {tid: i for i, tid in enumerate(plan.tasks)}
    for task in sorted(status.tasks, key=lambda r: (SEVERITY["task"][r.status], order[r.task])):
        k.add_row(task.task, plan.tasks[task.task].title,
                  plan.label(task.lead) if task.lead else ui["no_lead"],
                  f"{task.units_reporting}/{task.units}",
                  badge("task", task.status, lang, task.due_soon))
    console.print(k)
    console.print()

    fcounts = _count(f.status for f in status.filings)
    fsummary = "  ".join(f"{label('filing', c, lang)} {fcounts[c]}" for c in
                         ("on_time", "late", "upcoming", "missing") if fcounts.get(c))
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

    if status.index and plan.index is not None and not plan.index_ranks():
        console.print(plain(f"{ui['index']}: {plan.index.title}", "bold"))
        console.print(plain(ui["index_nothing"].format(title=plan.index.title)))
    elif status.index and plan.index is not None:
        i_t = _table(f"{ui['index']}: {plan.index.title}")
        for col, just in ((ui["rank"], "right"), (ui["unit"], "left"), (ui["score"], "right")):
            i_t.add_column(col, justify=just)  # type: ignore[arg-type]
        for e in status.index:
            i_t.add_row(str(e.rank), plan.label(e.unit), _n(round1(e.score)))
        console.print(i_t)


def render_due_soon(console: Console, status: Status, plan: Plan, lang: str) -> None:
    """临期预警: every target scope and task not done whose deadline is within warn_days."""
    ui = UI[lang]
    targets = [r for r in status.targets if r.due_soon]
    tasks = [r for r in status.tasks if r.due_soon]
    if not targets and not tasks:
        return
    t = _table(ui["due_soon_title"].format(w=status.cutoffs.warn_days))
    for col in (ui["target"] + "/" + ui["task"], ui["scope"], ui["actual"], ui["goal"],
                ui["deadline"], ui["status"]):
        t.add_column(col, overflow="fold")
    for r in targets:
        t.add_row(plan.targets[r.target].title, _scope(plan, r.scope, lang), _n(r.actual),
                  str(r.goal), r.deadline.isoformat(), badge("target", r.status, lang))
    for k in tasks:
        lead = plan.label(k.lead) if k.lead else ui["no_lead"]
        t.add_row(f"{k.task} {plan.tasks[k.task].title}", lead, "", "", k.due.isoformat(),
                  badge("task", k.status, lang))
    console.print(t)
    console.print()


def render_pending(console: Console, status: Status, plan: Plan, lang: str) -> None:
    """待审核销号: tasks whose lead has claimed them done and that await the office's review."""
    ui = UI[lang]
    pending = [r for r in status.tasks if r.status == "pending_review"]
    if not pending:
        return
    t = _table(f"{ui['pending']} ({len(pending)})")
    for col in ("#", ui["task"], ui["lead"], ui["claimed_on"], ui["last_decision"]):
        t.add_column(col, overflow="fold")
    for r in pending:
        d = r.decision
        last = (f"{d.on.isoformat()} {label('decision', d.decision, lang)}: {d.note}"
                if d is not None else "—")
        t.add_row(r.task, plan.tasks[r.task].title,
                  plan.label(r.lead) if r.lead else ui["no_lead"],
                  r.claim.on.isoformat() if r.claim else "", last)
    console.print(t)
    console.print()


def _count(codes: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codes:
        out[c] = out.get(c, 0) + 1
    return out


def render_target(console: Console, status: Status, plan: Plan, target_id: str,
                  lang: str) -> None:
    ui = UI[lang]
    target = plan.targets[target_id]
    console.print(plain(f"{target.id} · {target.title}", "bold"))
    task = plan.tasks.get(target.task)
    if task is not None:
        lead = plan.label(task.lead) if task.lead else ui["no_lead"]
        console.print(plain(f"{ui['task_of']}: {task.id} {task.title} · {ui['lead']}: "
                            f"{lead} · {ui['unit_label']}: {target.unit_label}"))
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
        t.add_row(ui["city"], _n(city.actual), _n(city.expected), str(city.goal),
                  target_badge(city, lang), ui["sum_units"].format(n=len(city.actuals)))
    for u in plan.units:
        if u not in target.reported_by:
            continue
        row = status.target(target_id, u)
        if row is not None:
            t.add_row(plan.label(u), _n(row.actual), _n(row.expected), str(row.goal),
                      badge("target", row.status, lang, row.due_soon), _source_text(row, lang))
        elif target.per_unit is not None:
            a = status.actual(target_id, u)
            t.add_row(plan.label(u), _n(a.value if a else None), "—", "—",
                      Text(ui["no_goal"], style="dim"), a.source.path if a else "")
    console.print(t)


def render_unit(console: Console, status: Status, plan: Plan, unit: str, lang: str) -> None:
    ui = UI[lang]
    u = plan.units[unit]
    console.print(plain(f"{u.label} · {u.name} ({u.id})", "bold"))
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
            t.add_row(plan.targets[row.target].title, _n(row.actual), _n(row.expected),
                      str(row.goal), row.deadline.isoformat(),
                      badge("target", row.status, lang, row.due_soon),
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
            k.add_row(r.task, plan.tasks[r.task].title, role,
                      badge("task", r.status, lang, r.due_soon),
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
            console.print(plain(f"  {s.period}  {s.reported_on.isoformat()}  {s.path}"))
        if not received:
            console.print(f"  {ui['none']}")
    console.print()
    entry = status.index_of(unit)
    if entry is not None and plan.index is not None and not plan.index_ranks():
        console.print(plain(f"{ui['index']} {plan.index.title}: "
                            + ui["index_nothing"].format(title=plan.index.title)))
    elif entry is not None and plan.index is not None:
        console.print(plain(f"{ui['index']} {plan.index.title}: {ui['rank']} {entry.rank} / "
                            f"{len(status.index)}, {ui['score']} {_n(round1(entry.score))}"))


def render_task(console: Console, status: Status, plan: Plan, task_id: str, lang: str) -> None:
    ui = UI[lang]
    task = plan.tasks[task_id]
    row = status.task(task_id)
    assert row is not None
    console.print(plain(f"{task.id} · {task.title}", "bold"))
    console.print(plain(f"{task.section} · {ui['due']} {task.due.isoformat()} · "), end="")
    console.print(badge("task", row.status, lang, row.due_soon))
    lead = plan.label(task.lead) if task.lead else ui["no_lead"]
    console.print(plain(f"{ui['lead']}: {lead} · {ui['reporting']}: "
                        f"{row.units_reporting}/{row.units}"))
    if row.claim is not None:
        decision = row.decision
        line = f"{ui['claimed_on']}: {row.claim.on.isoformat()}"
        if decision is not None:
            line += (f" · {ui['last_decision']}: {decision.on.isoformat()} "
                     f"{label('decision', decision.decision, lang)}: {decision.note}")
        console.print(plain(line))
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
                      _n(t_row.expected), str(t_row.goal),
                      target_badge(t_row, lang))
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
        line = plain(f"{_scope(plan, m.scope, lang)} · "
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
        line = plain(f"{ui['task']} {tm.task} {title}: ")
        line.append_text(_maybe_badge("task", tm.old, lang))
        line.append(" → ")
        line.append_text(_maybe_badge("task", tm.new, lang))
        console.print(line)
    if delta.tasks:
        console.print()
    for fm in delta.filings:
        line = plain(f"{ui['filings']} {plan.label(fm.unit)} {fm.period}: ")
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
        console.print(plain(f"{ui['index']} {plan.label(rm.unit)}: {ui['rank']} {_n(rm.old_rank)} → "
                            f"{_n(rm.new_rank)} ({_n(rm.old_score)} → {_n(rm.new_score)})"))


def _maybe_badge(kind: str, code: str | None, lang: str) -> Text:
    return badge(kind, code, lang) if code else Text("—", style="dim")
