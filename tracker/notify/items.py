"""What each unit, and the plan office, must do as of a date: reminder items from a Status.

Pure: the status engine's result and the plan in, `Reminders` out. Nothing here decides a
status: every item is one row of `tracker.status.compute` (the rows `tracker status` shows at
the same date), selected for whoever has to act on it (docs/notify.md):

* a unit: its filings due within `reporting.remind_days` (待报送) and those missing (未报送);
  its own target rows with a red light or a blue one (临期); the tasks it leads that are overdue
  or due soon, and its 销号 claims awaiting review (for a task without a lead: every unit named
  on it that has not reported it done with evidence);
* the plan maintainers: all of the above for every unit, the city's red and blue target rows,
  every task awaiting their review, overdue or due soon, and the units that have something to
  be reminded of but no channel to receive it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.model import Plan
from tracker.status import CITY, Status, TaskStatus, light
from tracker.text import one_line

MAINTAINERS = "maintainers"

# Why an item is in a message, in the order a message lists them.
SECTIONS = ("filing_upcoming", "filing_missing", "red", "due_soon", "pending_review",
            "no_channel")


@dataclass(frozen=True)
class Item:
    kind: str  # "filing" | "target" | "task" | "setup"
    code: str  # the row's status code ("no_channel" for setup)
    ref: str  # the period, the target id, the task id (setup: the unit id)
    unit: str | None = None  # whose row: a unit id; None for the city or a task as a whole
    due: date | None = None  # the filing's due date, the target's deadline, the task's due date
    due_soon: bool = False
    actual: int | None = None
    expected: int | None = None
    goal: int | None = None
    units_met: int | None = None
    units_total: int | None = None
    claimed_on: date | None = None

    @property
    def section(self) -> str:
        if self.kind == "filing":
            return "filing_upcoming" if self.code == "upcoming" else "filing_missing"
        if self.kind == "setup":
            return "no_channel"
        if self.code == "pending_review":
            return "pending_review"
        return "red" if light(self.kind, self.code) == "red" else "due_soon"

    @property
    def reason(self) -> str:
        """A stable key for what this item reminds of: the state file records it, so the same
        reason is never sent twice on one day (`filing:east:2024-Q2:upcoming`)."""
        code = self.code + ("+due_soon" if self.due_soon else "")
        return f"{self.kind}:{self.unit or CITY}:{self.ref}:{code}"


@dataclass(frozen=True)
class Recipient:
    id: str  # a unit id, or MAINTAINERS
    name: str
    channels: tuple[str, ...]  # as written in plan/units.yaml
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Reminders:
    as_of: date
    remind_days: int
    recipients: tuple[Recipient, ...]  # units in plan order, then the maintainers

    def recipient(self, rid: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == rid), None)


MAINTAINERS_NAME = "计划维护人(督办办公室)"


def reminders(status: Status, plan: Plan, remind_days: int | None = None) -> Reminders:
    """Every unit's reminders and the maintainers' summary at `status.as_of`."""
    window = plan.reporting.remind_days if remind_days is None else remind_days
    day = status.as_of
    units: dict[str, list[Item]] = {u: [] for u in plan.units}
    office: list[Item] = []

    def to_unit(unit: str, item: Item) -> None:
        units.setdefault(unit, []).append(item)

    for f in status.filings:
        # An upcoming filing is reminded of from `window` days before its due date (and only
        # once its period has ended: status lists a period from then on); a missing one every
        # day until it arrives.
        if f.status == "missing" or (f.status == "upcoming" and (f.due - day).days <= window):
            item = Item("filing", f.status, f.period, f.unit, f.due)
            to_unit(f.unit, item)
            office.append(item)

    for t in status.targets:
        red = light("target", t.status) == "red"
        if not (red or t.due_soon):
            continue
        item = Item("target", t.status, t.target, None if t.scope == CITY else t.scope,
                    t.deadline, t.due_soon, t.actual, t.expected, t.goal, t.units_met,
                    t.units_total)
        if t.scope == CITY:
            office.append(item)
        else:
            to_unit(t.scope, item)
            if red:  # the office's summary lists units' red rows; their blue ones stay theirs
                office.append(item)

    for task in status.tasks:
        if not (task.status in ("overdue", "pending_review") or task.due_soon):
            continue
        claimed = task.claim.on if task.claim else None
        office.append(Item("task", task.status, task.task, None, task.due, task.due_soon,
                           claimed_on=claimed))
        for unit in _holders(plan, task):
            to_unit(unit, Item("task", task.status, task.task, unit, task.due, task.due_soon,
                               claimed_on=claimed))

    recipients = []
    silent = []
    for unit in plan.units:
        items = units.get(unit) or []
        if not items:
            continue
        channels = plan.units[unit].notify
        if not channels:
            silent.append(unit)
        recipients.append(Recipient(unit, one_line(plan.label(unit)), channels,
                                    _ordered(items)))
    # Units that file without being in units.yaml cannot be reached at all: left out here;
    # `tracker validate` reports them.
    office.extend(Item("setup", "no_channel", unit, unit) for unit in silent)
    if office:
        recipients.append(Recipient(MAINTAINERS, MAINTAINERS_NAME, plan.maintainers_notify,
                                    _ordered(office)))
    return Reminders(day, window, tuple(recipients))


def _holders(plan: Plan, t: TaskStatus) -> list[str]:
    """The units a task item is for: its lead; without a lead, every unit named on it that has
    not reported it done with evidence (a claim awaiting review is the maintainers' to act on)."""
    if t.lead is not None:
        return [t.lead] if t.lead in plan.units else []
    if t.status == "pending_review" or t.task not in plan.tasks:
        return []
    out = []
    for unit in plan.tasks[t.task].units:
        r = t.report_of(unit)
        if not (r is not None and r.progress == "done" and r.evidence > 0) and unit in plan.units:
            out.append(unit)
    return out


def _ordered(items: list[Item]) -> tuple[Item, ...]:
    rank = {s: i for i, s in enumerate(SECTIONS)}
    return tuple(sorted(items, key=lambda it: rank[it.section]))
