"""Small plans and filings for the status tests: as files in a folder, or as model objects.

The plan ("the small plan"): three districts (east with 10 villages, west with 6, north with no
count) and a department (office).

  stations  baseline 2024-01-01 0 → 2024-12-31 8 → 2025-12-31 16, per_unit from villages
  centres   → 2025-12-31 3, per_unit min 1
  kiosks    → 2025-12-31 100, city only
  task 1.1 (lead office, units office + districts, due 2025-06-30); task S.1 (lead: none,
  units east + west). Quarterly filings due 10 days after the quarter; districts must file.
  Index: stations 0.5, centres 0.5.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tracker.model import (
    Evidence,
    Filing,
    Group,
    Index,
    IndexComponent,
    PerUnit,
    Plan,
    PlanInfo,
    Point,
    Reporting,
    Target,
    TargetReport,
    Task,
    TaskReport,
    Thresholds,
    Unit,
)

UNITS_YAML = """\
units:
  - id: office
    name: 市示范办公室
    kind: department
  - id: east
    name: 东区人民政府
    short: 东区
    kind: district
    counts: {villages: 10}
  - id: west
    name: 西区人民政府
    short: 西区
    kind: district
    counts: {villages: 6}
  - id: north
    name: 北区人民政府
    short: 北区
    kind: district
groups:
  - id: districts
    name: 各区政府
    members: [east, west, north]
"""

TASKS_YAML = """\
plan:
  id: small-plan
  title: 示范实施方案
  start: 2024-01-01
  end: 2025-12-31
tasks:
  - id: "1.1"
    kind: key_task
    section: 基础设施
    title: 建设服务站
    text: 各区建设村级服务站。
    units: [office, districts]
    due: 2025-06-30
  - id: "S.1"
    kind: safeguard
    section: 工作保障
    title: 强化组织领导
    text: 各地加强组织领导。
    units: [east, west]
    lead: none
"""

TARGETS_YAML = """\
reporting:
  cadence: quarterly
  due_days: 10
  required: [districts]
thresholds:
  lagging: 0.8
targets:
  - id: stations
    title: 村级服务站
    task: "1.1"
    unit_label: 个
    baseline: {date: 2024-01-01, value: 0}
    milestones:
      - {by: 2024-12-31, value: 8}
      - {by: 2025-12-31, value: 16}
    per_unit: {from: villages}
  - id: centres
    title: 分拣中心
    task: "1.1"
    unit_label: 个
    milestones:
      - {by: 2025-12-31, value: 3}
    per_unit: {min: 1}
  - id: kiosks
    title: 便民快递柜
    task: "1.1"
    unit_label: 组
    milestones:
      - {by: 2025-12-31, value: 100}
index:
  id: small-index
  title: 示范指数
  components:
    - {target: stations, weight: 0.5}
    - {target: centres, weight: 0.5}
"""

EVIDENCE = [{"title": "验收文件", "url": "https://example.invalid/acceptance"}]


def quarter_end(period: str) -> date:
    year, q = int(period[:4]), int(period[-1])
    return {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30),
            4: date(year, 12, 31)}[q]


def filing_yaml(unit: str, period: str, *, as_of: date | None = None,
                reported_on: date | None = None, revision: int = 1,
                targets: dict[str, int] | None = None,
                tasks: dict[str, tuple[str, bool]] | None = None) -> str:
    """A filing as YAML text; tasks map id → (progress, with evidence?)."""
    as_of = as_of or quarter_end(period)
    reported_on = reported_on or date.fromordinal(as_of.toordinal() + 5)
    lines = [f"unit: {unit}", f"period: {period}", f"as_of: {as_of}",
             f"reported_on: {reported_on}", f"revision: {revision}"]
    if revision > 1:
        lines.append("amendment_reason: 更正数字")
    if targets:
        lines.append("targets:")
        for tid, value in targets.items():
            lines += [f"  {tid}:", f"    value: {value}"]
    if tasks:
        lines.append("tasks:")
        for tid, (progress, evidence) in tasks.items():
            lines += [f'  "{tid}":', f"    progress: {progress}", "    summary: 进展说明"]
            if evidence:
                lines += ["    evidence:",
                          '      - {title: 验收文件, url: "https://example.invalid/a"}']
    return "\n".join(lines) + "\n"


def write_repo(root: Path, filings: list[tuple[str, str, str]] | None = None,
               targets_yaml: str = TARGETS_YAML, tasks_yaml: str = TASKS_YAML,
               units_yaml: str = UNITS_YAML) -> Path:
    """Write the small plan and `filings` [(unit, period, yaml text)] under `root`."""
    (root / "plan").mkdir(parents=True, exist_ok=True)
    (root / "plan" / "units.yaml").write_text(units_yaml, encoding="utf-8")
    (root / "plan" / "tasks.yaml").write_text(tasks_yaml, encoding="utf-8")
    (root / "plan" / "targets.yaml").write_text(targets_yaml, encoding="utf-8")
    for unit, period, text in filings or []:
        folder = root / "submissions" / unit
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{period}.yaml").write_text(text, encoding="utf-8")
    return root


# --- in memory --------------------------------------------------------------------------


def make_plan(
    *, points: list[tuple[date, int]] | None = None, units: dict[str, int | None] | None = None,
    per_unit: bool = True, lagging: float = 0.8, start: date = date(2024, 1, 1),
    end: date = date(2025, 12, 31), task_units: tuple[str, ...] | None = None,
    lead_named: bool = True, due: date | None = None, index: bool = True,
    points_mode: tuple[float, float] | None = None, warn_days: int = 90,
    closure: str = "self", min_goal: int | None = None,
) -> Plan:
    """One target "t" (points[0] is the baseline) reported by `units` (id → villages count or
    None for no count); one task "1.1" over `task_units` (default: office + the units)."""
    points = points or [(date(2024, 1, 1), 0), (date(2025, 12, 31), 100)]
    units = {"a": 60, "b": 40} if units is None else units
    unit_objs = {"office": Unit("office", "办公室", "department")}
    for uid, count in units.items():
        unit_objs[uid] = Unit(uid, f"{uid} 区", "district",
                              counts={} if count is None else {"villages": count})
    ids = tuple(units)
    target = Target(
        id="t", title="指标", task="1.1", unit_label="个",
        baseline=Point(points[0][0], points[0][1]),
        milestones=tuple(Point(d, v) for d, v in points[1:]), reported_by=ids,
        per_unit=(PerUnit("min", minimum=min_goal) if min_goal is not None else
                  PerUnit("from", count="villages") if per_unit else None),
    )
    t_units = task_units if task_units is not None else ("office", *ids)
    task = Task(id="1.1", section="s", title="任务", text="…", units=t_units, unit_refs=t_units,
                due=due or end, lead_named=lead_named)
    return Plan(
        info=PlanInfo("p", "计划", start, end, closure=closure), units=unit_objs,
        groups={"districts": Group("districts", "各区", ids)}, tasks={"1.1": task},
        targets={"t": target}, reporting=Reporting("quarterly", 10, ids), lagging=lagging,
        index=Index("ix", "指数", (IndexComponent("t", 1.0),)) if index else None,
        thresholds=Thresholds(lagging, points_mode, warn_days),
    )


def make_filing(unit: str, period: str, *, value: int | None = None, as_of: date | None = None,
                reported_on: date | None = None, revision: int = 1,
                progress: str | None = None, evidence: bool = False,
                target: str = "t", task: str = "1.1") -> Filing:
    as_of = as_of or quarter_end(period)
    tasks: dict[str, Any] = {}
    if progress is not None:
        ev = (Evidence("验收文件", url="https://example.invalid/a"),) if evidence else ()
        tasks[task] = TaskReport(progress, "进展", evidence=ev)
    return Filing(
        path=f"submissions/{unit}/{period}.yaml", unit=unit, period=period, as_of=as_of,
        reported_on=reported_on or date.fromordinal(as_of.toordinal() + 5), revision=revision,
        amendment_reason="", targets={} if value is None else {target: TargetReport(value)},
        tasks=tasks,
    )
