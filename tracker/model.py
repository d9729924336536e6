"""The domain model: a plan, its units, tasks and targets, and the filings made against it.

Objects are built only from documents that passed their schema, so constructors can trust
types. Group references are expanded here, once, so nothing downstream needs to know about
groups. Every object keeps the repository-relative path of the file it came from.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from tracker.periods import Period
from tracker.yamlio import Document

# thresholds.lagging when plan/targets.yaml gives none (docs/decisions.md).
DEFAULT_LAGGING = 0.8
# thresholds.warn_days (临期预警) when plan/targets.yaml gives none (SPEC).
DEFAULT_WARN_DAYS = 90
# The plan files' settings that are this tool's unless `plan.from_text` lists them as the plan
# text's own (docs/decisions.md, "Settings and the plan's words").
SETTINGS = ("cadence", "due_days", "required", "timeliness", "thresholds", "warn_days",
            "closure", "baselines", "index")
# plan.timezone when plan/tasks.yaml gives none: the plan's "today" and received dates.
DEFAULT_TIMEZONE = "Asia/Shanghai"
# reporting.remind_days (tracker remind) when plan/targets.yaml gives none (docs/notify.md).
DEFAULT_REMIND_DAYS = 5


def _date(text: Any) -> date:
    return text if isinstance(text, date) else date.fromisoformat(str(text))


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    short: str = ""
    name_en: str = ""
    region_code: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    editors: tuple[str, ...] = ()
    notify: tuple[str, ...] = ()  # notification channels (tracker remind; docs/notify.md)

    @property
    def label(self) -> str:
        """The name people use day to day (东区 rather than 东区人民政府)."""
        return self.short or self.name


class Group(NamedTuple):
    id: str
    name: str
    members: tuple[str, ...]


class PlanInfo(NamedTuple):
    id: str
    title: str
    start: date
    end: date
    basis: str = ""
    issuer: str = ""
    source: str = ""
    language: str = ""  # zh | en: the default label language (tracker.language)
    closure: str = "self"  # how a task is closed (销号): "self" | "review"
    # Settings the plan's own text states (plan.from_text); every other setting of the plan
    # files (cadence, due days, thresholds, closure, baselines, the index) is this tool's.
    from_text: tuple[str, ...] = ()
    timezone: str = DEFAULT_TIMEZONE  # IANA name (docs/decisions.md)

    def quotes(self, setting: str) -> bool:
        """Whether `setting` (one of SETTINGS) is the plan text's own, not a tool setting."""
        return setting in self.from_text


class Task(NamedTuple):
    id: str
    section: str
    title: str
    text: str
    units: tuple[str, ...]  # expanded; in the plan's order
    unit_refs: tuple[str, ...]  # as written (may name groups)
    due: date
    kind: str = "key_task"
    lead_named: bool = True
    # "plan": the plan lists the units; "inferred": the plan names none (or not all), and the
    # plan's maintainers read them from the text (工作保障 items). Shown as such on the site.
    units_source: str = "plan"
    note: str = ""  # the maintainers' explanation of how the task was read (not the plan's words)
    due_given: bool = True  # False: the plan gives no date; `due` is the plan's end

    @property
    def lead(self) -> str | None:
        """The 牵头部门 (first unit), or None where the plan names no lead."""
        return self.units[0] if self.lead_named and self.units else None

    @property
    def supporting(self) -> tuple[str, ...]:
        return self.units[1:] if self.lead_named else self.units


class Point(NamedTuple):
    by: date
    value: int


@dataclass(frozen=True)
class PerUnit:
    kind: str  # "from" | "allocations" | "min"
    count: str = ""  # for "from": the counts key
    allocations: dict[str, int] = field(default_factory=dict)
    minimum: int = 0


class Target(NamedTuple):
    id: str
    title: str
    task: str
    unit_label: str
    baseline: Point
    milestones: tuple[Point, ...]
    reported_by: tuple[str, ...]  # expanded
    per_unit: PerUnit | None = None
    description: str = ""
    baseline_given: bool = True  # False: the tool default (plan start, 0) applies

    @property
    def goal(self) -> int:
        return self.milestones[-1].value

    @property
    def deadline(self) -> date:
        return self.milestones[-1].by

    @property
    def points(self) -> tuple[Point, ...]:
        return (self.baseline, *self.milestones)


class IndexComponent(NamedTuple):
    target: str
    weight: float
    note: str = ""


class Index(NamedTuple):
    id: str
    title: str
    components: tuple[IndexComponent, ...]
    description: str = ""


class Thresholds(NamedTuple):
    """SPEC "Thresholds": the ratio mode (`lagging`) or the points mode (`points`), and the
    due-soon window."""

    lagging: float = DEFAULT_LAGGING  # ratio mode: lagging when actual ≥ lagging × expected
    points: tuple[float, float] | None = None  # points mode: (lagging, off_track) gaps
    warn_days: int = DEFAULT_WARN_DAYS

    @property
    def mode(self) -> str:
        return "points" if self.points is not None else "ratio"


class Reporting(NamedTuple):
    cadence: str
    due_days: int
    required: tuple[str, ...]  # expanded
    # Which date on time / late is judged by: "reported" (the filing's reported_on) or
    # "received" (the day it reached main, Filing.received_on) — docs/workflow.md.
    timeliness: str = "reported"
    remind_days: int = DEFAULT_REMIND_DAYS  # tracker remind: days before the due date


@dataclass
class Plan:
    info: PlanInfo
    units: dict[str, Unit]
    groups: dict[str, Group]
    tasks: dict[str, Task]
    targets: dict[str, Target]
    reporting: Reporting
    lagging: float
    index: Index | None = None
    maintainers: tuple[str, ...] = ()
    thresholds: Thresholds = Thresholds()
    # Membership sets of targets' reported_by and tasks' units, made on first use: with
    # thousands of units, `unit in tuple` per filing and target is quadratic (issue 14).
    _sets: dict[int, tuple[object, frozenset[str]]] = field(
        default_factory=dict, repr=False, compare=False)

    def _set_of(self, owner: Target | Task, members: tuple[str, ...]) -> frozenset[str]:
        hit = self._sets.get(id(owner))
        if hit is None or hit[0] is not owner:  # keep the owner: its id is not reused
            hit = self._sets[id(owner)] = (owner, frozenset(members))
        return hit[1]

    def reports(self, target: Target, unit: str) -> bool:
        """Whether `unit` reports `target` (is in its expanded reported_by)."""
        return unit in self._set_of(target, target.reported_by)

    def names(self, task: Task, unit: str) -> bool:
        """Whether `unit` is one of the task's units (groups expanded)."""
        return unit in self._set_of(task, task.units)
    maintainers_notify: tuple[str, ...] = ()  # the plan office's channels (tracker remind)

    def expand(self, refs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Unit and group references → unit ids, in order, without repeats."""
        # A dict keeps the order and finds repeats in O(1): `unit not in list` made this
        # quadratic, a second per `reported_by: [all]` at national scale (issue 14).
        out: dict[str, None] = {}
        for ref in refs:
            members = self.groups[ref].members if ref in self.groups else (ref,)
            out.update(dict.fromkeys(members))
        return tuple(out)

    def unit_goal(self, target: Target, unit: str) -> int | None:
        """A unit's own goal for a target, from `per_unit`; None when it has none."""
        rule = target.per_unit
        if rule is None or not self.reports(target, unit):
            return None
        if rule.kind == "from":
            return self.units[unit].counts.get(rule.count) if unit in self.units else None
        if rule.kind == "allocations":
            return rule.allocations.get(unit)
        return rule.minimum

    def index_ranks(self) -> bool:
        """Whether the index has anything to rank: some unit that must file has a goal of its
        own for some component. Without one every score is 0 and every unit shares rank 1, which
        the dashboards say in words instead of a table of zeros (the JSON keeps its rows)."""
        if self.index is None:
            return False
        return any(
            self.unit_goal(self.targets[c.target], unit) is not None
            for c in self.index.components if c.target in self.targets
            for unit in self.reporting.required
        )

    def tasks_of(self, unit: str) -> list[Task]:
        return [t for t in self.tasks.values() if self.names(t, unit)]

    def label(self, unit: str) -> str:
        return self.units[unit].label if unit in self.units else unit


class Evidence(NamedTuple):
    title: str
    path: str = ""
    url: str = ""


class TargetReport(NamedTuple):
    value: int
    note: str = ""
    evidence: tuple[Evidence, ...] = ()


class TaskReport(NamedTuple):
    progress: str
    summary: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass
class Filing:
    path: str
    unit: str
    period: str
    as_of: date
    reported_on: date
    revision: int
    amendment_reason: str
    targets: dict[str, TargetReport]
    tasks: dict[str, TaskReport]
    source: Document | None = field(default=None, repr=False, compare=False)
    # The day the filing first reached main (git history, in the plan's time zone); filled by
    # the loader only where reporting.timeliness is "received"; None when not on main yet.
    received_on: date | None = None

    @property
    def parsed_period(self) -> Period | None:
        return Period.parse(self.period)

    def filed_on(self, timeliness: str = "reported") -> date:
        """The date on time / late (and whether it had arrived by a date) is judged by."""
        if timeliness == "received" and self.received_on is not None:
            return self.received_on
        return self.reported_on


class RegisterItem(NamedTuple):
    code: str
    name: str
    opened: date
    closed: date | None = None

    def open_on(self, day: date) -> bool:
        return self.opened <= day and (self.closed is None or self.closed > day)


@dataclass
class Register:
    path: str
    unit: str
    target: str
    items: list[RegisterItem]
    source: Document | None = field(default=None, repr=False, compare=False)

    def count_on(self, day: date) -> int:
        return self.counts_on((day,))[day]

    def counts_on(self, days: Iterable[date]) -> dict[date, int]:
        """How many items are open on each of `days` (RegisterItem.open_on), in one pass.

        Sorted dates and a binary search per day: a unit's filings times its items would be
        quadratic in a register of a whole province's villages. An item is open on a day when
        it opened by then and has not closed by then; one that closes on or before the day it
        opens is never open, and counts on neither side."""
        live = [i for i in self.items if i.closed is None or i.closed > i.opened]
        opened = sorted(i.opened for i in live)
        closed = sorted(i.closed for i in live if i.closed is not None)
        return {day: bisect_right(opened, day) - bisect_right(closed, day) for day in days}


class Decision(NamedTuple):
    """One 销号 decision of a plan maintainer (reviews/<task>.yaml)."""

    on: date
    decision: str  # "approved" | "returned"
    note: str
    by: str = ""
    seq: int = 0  # its place in the file's list (a later one wins a tie on the same day)


@dataclass
class Review:
    """reviews/<task>.yaml: the decisions on one task's claims, in the file's order."""

    path: str
    task: str
    decisions: tuple[Decision, ...]
    source: Document | None = field(default=None, repr=False, compare=False)


@dataclass
class Config:
    """The optional repository configuration, `tracker.yaml`."""

    plan_dir: str = "plan"
    demo: bool = False
    title: str = ""
    as_of: date | None = None  # the date the data represents: the default --as-of
    site_url: str = ""  # the published audit site (reminders and reports link to it)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    forge: dict[str, Any] | None = None  # tracker.forge.Forge.from_config reads it
    source: Document | None = field(default=None, repr=False, compare=False)


@dataclass
class Repository:
    """Everything loaded from one repository (the plan may live elsewhere: tracker.yaml)."""

    root: str
    config: Config
    plan: Plan
    filings: list[Filing]
    registers: list[Register]
    reviews: list[Review] = field(default_factory=list)

    def filings_of(self, unit: str) -> list[Filing]:
        return sorted((f for f in self.filings if f.unit == unit), key=lambda f: f.as_of)


# --- construction from schema-valid data ---------------------------------------------


def _evidence(items: list[dict[str, Any]] | None) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(str(e["title"]), str(e.get("path", "")), str(e.get("url", ""))) for e in items or []
    )


def build_units(data: dict[str, Any], counts_overlay: dict[str, dict[str, int]]) -> tuple[
    dict[str, Unit], dict[str, Group], tuple[str, ...]
]:
    units = {}
    for u in data["units"]:
        counts = {**u.get("counts", {}), **counts_overlay.get(u["id"], {})}
        units[u["id"]] = Unit(
            id=u["id"], name=u["name"], kind=u["kind"], short=u.get("short", ""),
            name_en=u.get("name_en", ""), region_code=u.get("region_code", ""),
            counts=counts, editors=tuple(u.get("editors", ())),
            notify=tuple(u.get("notify", ())),
        )
    groups = {g["id"]: Group(g["id"], g["name"], tuple(g["members"])) for g in data.get("groups", [])}
    return units, groups, tuple(data.get("maintainers", ()))


def build_plan(
    units_data: dict[str, Any],
    tasks_data: dict[str, Any],
    targets_data: dict[str, Any],
    counts_overlay: dict[str, dict[str, int]] | None = None,
) -> Plan:
    units, groups, maintainers = build_units(units_data, counts_overlay or {})
    p = tasks_data["plan"]
    info = PlanInfo(
        id=p["id"], title=p["title"], start=_date(p["start"]), end=_date(p["end"]),
        basis=p.get("basis", ""), issuer=p.get("issuer", ""), source=p.get("source", ""),
        language=p.get("language", ""),
        closure=p.get("closure", "self"),
        timezone=p.get("timezone", DEFAULT_TIMEZONE),
        from_text=tuple(p.get("from_text") or ()),
    )
    plan = Plan(
        info=info, units=units, groups=groups, tasks={}, targets={},
        reporting=Reporting("quarterly", 10, ()), lagging=DEFAULT_LAGGING, maintainers=maintainers,
        maintainers_notify=tuple(units_data.get("maintainers_notify", ())),
    )
    for t in tasks_data["tasks"]:
        plan.tasks[t["id"]] = Task(
            id=t["id"], section=t["section"], title=t["title"], text=t["text"],
            units=plan.expand(t["units"]), unit_refs=tuple(t["units"]),
            due=_date(t["due"]) if "due" in t else info.end, kind=t.get("kind", "key_task"),
            lead_named=t.get("lead") != "none",
            units_source=t.get("units_source", "plan"), note=t.get("note", ""),
            due_given="due" in t,
        )
    r = targets_data["reporting"]
    plan.reporting = Reporting(r["cadence"], int(r["due_days"]), plan.expand(r["required"]),
                               r.get("timeliness", "reported"),
                               int(r.get("remind_days", DEFAULT_REMIND_DAYS)))
    # `thresholds` may be left out: the tool defaults apply (docs/decisions.md).
    th = targets_data.get("thresholds") or {}
    points = th.get("points")
    plan.thresholds = Thresholds(
        lagging=float(th.get("lagging", DEFAULT_LAGGING)),
        points=(float(points["lagging"]), float(points["off_track"])) if points else None,
        warn_days=int(th.get("warn_days", DEFAULT_WARN_DAYS)),
    )
    plan.lagging = plan.thresholds.lagging
    for t in targets_data["targets"]:
        base = t.get("baseline") or {}
        baseline = Point(_date(base.get("date", info.start)), int(base.get("value", 0)))
        per_unit = None
        if "per_unit" in t:
            pu = t["per_unit"]
            if "from" in pu:
                per_unit = PerUnit("from", count=pu["from"])
            elif "allocations" in pu:
                per_unit = PerUnit("allocations", allocations=dict(pu["allocations"]))
            else:
                per_unit = PerUnit("min", minimum=int(pu["min"]))
        plan.targets[t["id"]] = Target(
            id=t["id"], title=t["title"], task=t["task"], unit_label=t["unit_label"],
            baseline=baseline,
            milestones=tuple(Point(_date(m["by"]), int(m["value"])) for m in t["milestones"]),
            reported_by=plan.expand(t.get("reported_by") or r["required"]),
            per_unit=per_unit, description=t.get("description", ""),
            baseline_given=bool(t.get("baseline")),
        )
    if "index" in targets_data:
        ix = targets_data["index"]
        plan.index = Index(
            id=ix["id"], title=ix["title"], description=ix.get("description", ""),
            components=tuple(
                IndexComponent(c["target"], float(c["weight"]), c.get("note", ""))
                for c in ix["components"]
            ),
        )
    return plan


def build_filing(doc: Document) -> Filing:
    d = doc.data
    return Filing(
        path=doc.path, unit=d["unit"], period=str(d["period"]), as_of=_date(d["as_of"]),
        reported_on=_date(d["reported_on"]), revision=int(d["revision"]),
        amendment_reason=d.get("amendment_reason", ""),
        targets={
            k: TargetReport(int(v["value"]), v.get("note", ""), _evidence(v.get("evidence")))
            for k, v in (d.get("targets") or {}).items()
        },
        tasks={
            k: TaskReport(
                v["progress"], v.get("summary", ""), v.get("problems", ""),
                v.get("next_steps", ""), _evidence(v.get("evidence")),
            )
            for k, v in (d.get("tasks") or {}).items()
        },
        source=doc,
    )


def build_register(doc: Document) -> Register:
    d = doc.data
    return Register(
        path=doc.path, unit=d["unit"], target=d["target"],
        items=[
            RegisterItem(
                str(i["code"]), i["name"], _date(i["opened"]),
                _date(i["closed"]) if i.get("closed") else None,
            )
            for i in d["items"]
        ],
        source=doc,
    )


def build_review(doc: Document) -> Review:
    d = doc.data
    return Review(
        path=doc.path, task=str(d["task"]),
        decisions=tuple(
            Decision(_date(x["on"]), x["decision"], x["note"], x.get("by", ""), seq=i)
            for i, x in enumerate(d["decisions"])
        ),
        source=doc,
    )
