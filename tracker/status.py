"""Status: where every target, task, filing and unit stands on a date D.

`compute()` is a pure function of (plan, filings, D): no files, no clock, no git. Everything it
decides follows SPEC.md "Status"; where SPEC is silent the decision is written in
docs/status.md and repeated in a comment at the place that makes it.

Arithmetic is exact (`fractions.Fraction`): the curve and the thresholds are rationals, so
"actual == 0.8 × expected" is decided exactly, never by float noise. The expected value (序时进度)
is the curve rounded down to a whole number (SPEC); other figures (the index score) are rounded
half away from zero to one decimal only for output, by `round1`.

Every actual keeps its provenance (`Source`: the filing's path, period, revision, as_of), so the
site, `tracker explain` and the 台账 can say where each figure came from.

Cost: one pass over the filings plus one pass over the plan — O(filings + targets × units).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple, overload

from tracker.model import Filing, Plan, Point, Repository, Review, Target
from tracker.periods import periods_between

CITY = "city"

TARGET_CODES = ("not_reported", "done", "overdue", "on_track", "lagging", "off_track")
TASK_CODES = ("done", "pending_review", "overdue", "in_progress", "not_started")
FILING_CODES = ("on_time", "late", "missing", "upcoming")
DECISIONS = ("approved", "returned")

LANGS = ("zh", "en")
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "zh": {
        "target": {
            "not_reported": "未报送", "done": "已完成", "overdue": "逾期未完成",
            "on_track": "正常推进", "lagging": "滞后", "off_track": "严重滞后",
        },
        "task": {"done": "已完成/销号", "pending_review": "待审核销号", "overdue": "逾期",
                 "in_progress": "推进中", "not_started": "未启动"},
        "filing": {"on_time": "按时", "late": "逾期报送", "missing": "未报送",
                   "upcoming": "待报送"},
        "progress": {"done": "已完成", "in_progress": "推进中", "not_started": "未启动"},
        "decision": {"approved": "同意销号", "returned": "退回"},
        "flag": {"due_soon": "临期"},
    },
    "en": {
        "target": {
            "not_reported": "not reported", "done": "done", "overdue": "overdue",
            "on_track": "on track", "lagging": "lagging", "off_track": "off track",
        },
        "task": {"done": "done", "pending_review": "pending review", "overdue": "overdue",
                 "in_progress": "in progress", "not_started": "not started"},
        "filing": {"on_time": "on time", "late": "late", "missing": "missing",
                   "upcoming": "upcoming"},
        "progress": {"done": "done", "in_progress": "in progress", "not_started": "not started"},
        "decision": {"approved": "approved", "returned": "returned"},
        "flag": {"due_soon": "due soon"},
    },
}

# The 红黄绿 light of each code (SPEC "Lights"). Green: nothing to do; yellow: watch;
# red: act now; grey: nothing to judge by. Due soon (临期) is a blue light beside the status.
LIGHTS: dict[str, dict[str, str]] = {
    "target": {"done": "green", "on_track": "green", "lagging": "yellow", "off_track": "red",
               "overdue": "red", "not_reported": "grey"},
    "task": {"done": "green", "in_progress": "green", "not_started": "yellow",
             "pending_review": "yellow", "overdue": "red"},
    "filing": {"on_time": "green", "late": "yellow", "upcoming": "yellow", "missing": "red"},
    "flag": {"due_soon": "blue"},
}

# Worst first: how views order rows when they group by status. For targets it is SPEC's order
# for a per-unit minimum's city status (overdue, off_track, not_reported, lagging, on_track).
SEVERITY: dict[str, dict[str, int]] = {
    "target": {"overdue": 0, "off_track": 1, "not_reported": 2, "lagging": 3, "on_track": 4,
               "done": 5},
    "task": {"overdue": 0, "not_started": 1, "pending_review": 2, "in_progress": 3, "done": 4},
    "filing": {"missing": 0, "late": 1, "upcoming": 2, "on_time": 3},
}


def label(kind: str, code: str, lang: str = "zh") -> str:
    """The display label of a status code ("target", "task", "filing" or "progress")."""
    return LABELS.get(lang, LABELS["en"])[kind].get(code, code)


def light(kind: str, code: str) -> str:
    return LIGHTS[kind].get(code, "grey")


def round1(value: Fraction | int | None) -> float | None:
    """Round half away from zero to one decimal (what JSON, CSV and the 台账 show)."""
    if value is None:
        return None
    if not isinstance(value, (int, Fraction)):
        value = Fraction(value)
    # floor(|n/d| * 10 + 1/2) in integers; int / int is correctly rounded, as float(Fraction) is.
    n, d = value.numerator, value.denominator
    tenths = (20 * abs(n) + d) // (2 * d)
    return (tenths if n >= 0 else -tenths) / 10


def exact(number: float | int | str) -> Fraction:
    """A YAML number as the exact decimal it was written as (0.8 → 4/5, not 0.80000000000000004)."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


# --- result objects ---------------------------------------------------------------------


class Source(NamedTuple):
    """The filing a figure came from."""

    path: str
    unit: str
    period: str
    revision: int
    as_of: date
    reported_on: date

    @classmethod
    def of(cls, filing: Filing) -> Source:
        return cls(filing.path, filing.unit, filing.period, filing.revision, filing.as_of,
                   filing.reported_on)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "period": self.period, "revision": self.revision,
                "as_of": self.as_of.isoformat(), "reported_on": self.reported_on.isoformat()}


class Actual(NamedTuple):
    """A unit's actual for a target at D: the value of its latest filing reporting it."""

    target: str
    unit: str
    value: int
    source: Source


class Interpolation(NamedTuple):
    """How the expected value at D was read off the curve (baseline, milestones…)."""

    value: Fraction
    case: str  # "before_baseline" | "on_point" | "between" | "after_deadline"
    start: Point  # the point at or before D (the baseline before the baseline)
    end: Point  # the point after D (== start when D is on or outside the curve)
    elapsed: int  # days from start to D
    total: int  # days from start to end


class RuleCheck(NamedTuple):
    """One row of SPEC's status table, evaluated: `left op right` and whether it held."""

    code: str
    holds: bool
    left: Any = None
    op: str = ""
    right: Any = None


class TargetStatus(NamedTuple):
    target: str
    scope: str  # CITY or a unit id
    status: str
    actual: int | None
    expected: int  # 序时进度: the curve at D rounded down to a whole number (SPEC)
    goal: int
    deadline: date
    actuals: tuple[Actual, ...]  # a unit's own actual, or every unit's that the city sums
    curve: Fraction = Fraction(0)  # the scope's curve at D before rounding (for explain, charts)
    due_soon: bool = False  # 临期 (蓝灯): not done, deadline after D and within warn_days
    units_met: int | None = None  # per_unit {min}: city rows count the units that are done …
    units_total: int | None = None  # … out of the units that report the target

    @property
    def source(self) -> Source | None:
        """A unit row's filing (None for the city, whose actual has many sources)."""
        return self.actuals[0].source if self.scope != CITY and self.actuals else None


class UnitProgress(NamedTuple):
    """A unit's latest report on a task (as_of ≤ D)."""

    unit: str
    progress: str
    evidence: int
    summary: str
    problems: str
    next_steps: str
    source: Source


class Claim(NamedTuple):
    """The lead's (or, without a lead, every unit's) report that the task is done, with
    evidence: what `closure: review` asks a plan maintainer to decide on."""

    on: date  # its reported_on (without a lead: the latest of them)
    sources: tuple[Source, ...]


class ReviewDecision(NamedTuple):
    """The decision in force at D (the latest `on` ≤ D; later in the file wins a tie)."""

    on: date
    decision: str  # "approved" | "returned"
    note: str
    path: str
    by: str = ""


class TaskStatus(NamedTuple):
    task: str
    lead: str | None
    status: str
    due: date
    reports: tuple[UnitProgress, ...]  # in the task's unit order; units that never reported omitted
    units: int = 0  # the task's units, groups expanded
    due_soon: bool = False
    claim: Claim | None = None
    decision: ReviewDecision | None = None

    @property
    def units_reporting(self) -> int:
        """Units with at least one filing (as_of ≤ D) reporting the task."""
        return len(self.reports)

    def report_of(self, unit: str) -> UnitProgress | None:
        return next((r for r in self.reports if r.unit == unit), None)


class FilingStatus(NamedTuple):
    unit: str
    period: str
    due: date
    status: str
    reported_on: date | None
    source: Source | None


class ComponentScore(NamedTuple):
    target: str
    weight: Fraction
    actual: int | None
    goal: int | None
    ratio: Fraction  # min(1, actual/goal), 0 without an actual or a goal


class IndexEntry(NamedTuple):
    unit: str
    score: Fraction
    rank: int
    components: tuple[ComponentScore, ...]


class Cutoffs(NamedTuple):
    """The plan's thresholds as exact numbers (SPEC "Thresholds")."""

    lagging: Fraction  # ratio mode: lagging when actual ≥ lagging × expected
    points: tuple[Fraction, Fraction] | None = None  # points mode: (lagging, off_track)
    warn_days: int = 90

    @classmethod
    def of(cls, plan: Plan) -> Cutoffs:
        th = plan.thresholds
        points = (exact(th.points[0]), exact(th.points[1])) if th.points is not None else None
        return cls(exact(th.lagging), points, th.warn_days)

    @property
    def mode(self) -> str:
        return "ratio" if self.points is None else "points"


RATIO_DEFAULT = Cutoffs(Fraction(4, 5))


@dataclass(frozen=True)
class Status:
    as_of: date
    plan: str
    lagging: Fraction
    targets: tuple[TargetStatus, ...]
    tasks: tuple[TaskStatus, ...]
    filings: tuple[FilingStatus, ...]
    index: tuple[IndexEntry, ...]
    actuals: tuple[Actual, ...]  # every unit actual at D, with or without a unit goal
    received: tuple[Source, ...]  # every filing with reported_on ≤ D (what had arrived by D)
    cutoffs: Cutoffs = RATIO_DEFAULT
    closure: str = "self"

    @cached_property
    def _targets(self) -> dict[tuple[str, str], TargetStatus]:
        return {(t.target, t.scope): t for t in self.targets}

    @cached_property
    def _actuals(self) -> dict[tuple[str, str], Actual]:
        return {(a.target, a.unit): a for a in self.actuals}

    def target(self, target: str, scope: str = CITY) -> TargetStatus | None:
        return self._targets.get((target, scope))

    def actual(self, target: str, unit: str) -> Actual | None:
        return self._actuals.get((target, unit))

    def task(self, task: str) -> TaskStatus | None:
        return next((t for t in self.tasks if t.task == task), None)

    def index_of(self, unit: str) -> IndexEntry | None:
        return next((e for e in self.index if e.unit == unit), None)

    @property
    def index_has_goals(self) -> bool:
        """Whether any unit has a goal for any index component: without one there is nothing
        to rank (every score is 0), and views say so instead of a table of zeros."""
        return any(c.goal is not None for e in self.index for c in e.components)


# --- the curve --------------------------------------------------------------------------


def interpolate(points: Sequence[Point], day: date) -> Interpolation:
    """The curve's value at `day`: the straight lines between `points`, by calendar days.

    Before the first point (the baseline) it is the baseline value; from the last point (the
    deadline) on, the goal. Points are in date order (the plan checks it)."""
    first, last = points[0], points[-1]
    if day < first.by:
        return Interpolation(Fraction(first.value), "before_baseline", first, first, 0, 0)
    if day >= last.by:
        case = "on_point" if day == last.by else "after_deadline"
        return Interpolation(Fraction(last.value), case, last, last, (day - last.by).days, 0)
    # the last point on or before `day`; the one after it exists since day < last.by
    i = bisect.bisect_right([p.by for p in points], day) - 1
    start, end = points[i], points[i + 1]
    elapsed, total = (day - start.by).days, (end.by - start.by).days
    if elapsed == 0:
        return Interpolation(Fraction(start.value), "on_point", start, start, 0, 0)
    value = start.value + Fraction(end.value - start.value) * elapsed / total
    return Interpolation(value, "between", start, end, elapsed, total)


def scaled(city_curve: Fraction, unit_goal: int, city_goal: int) -> Fraction:
    """A unit's curve: the city curve × unit goal ÷ city goal.

    A city goal of 0 leaves nothing to scale by; the unit's curve is then 0 (decision)."""
    if city_goal == 0:
        return Fraction(0)
    return city_curve * unit_goal / city_goal


def whole(curve: Fraction) -> int:
    """序时进度 in whole units: the curve rounded down (SPEC: nobody is behind by 0.4 of a
    sorting centre)."""
    return curve.numerator // curve.denominator


def gap_points(actual: int, expected: int, goal: int) -> Fraction:
    """How far behind the expected value, in percentage points of the goal (points mode)."""
    return Fraction(100 * (expected - actual), goal) if goal else Fraction(0)


def _pace(actual: int, expected: int, goal: int, cut: Cutoffs) -> tuple[RuleCheck, RuleCheck]:
    """The on_track and lagging rows of SPEC's table, in the plan's threshold mode."""
    if cut.points is None:
        threshold = cut.lagging * expected
        return (RuleCheck("on_track", actual >= expected, actual, "≥", expected),
                RuleCheck("lagging", actual >= threshold, actual, "≥", threshold))
    gap = gap_points(actual, expected, goal)
    return (RuleCheck("on_track", gap < cut.points[0], gap, "<", cut.points[0]),
            RuleCheck("lagging", gap < cut.points[1], gap, "<", cut.points[1]))


def rule_trace(
    actual: int | None, expected: int, goal: int, deadline: date, day: date, cut: Cutoffs,
) -> tuple[RuleCheck, ...]:
    """SPEC's status table, row by row, up to and including the first row that holds."""
    checks = [RuleCheck("not_reported", actual is None)]
    if actual is None:
        return tuple(checks)
    for check in (
        RuleCheck("done", actual >= goal, actual, "≥", goal),
        RuleCheck("overdue", day > deadline, day, ">", deadline),
        *_pace(actual, expected, goal, cut),
    ):
        checks.append(check)
        if check.holds:
            return tuple(checks)
    checks.append(RuleCheck("off_track", True))
    return tuple(checks)


def classify(
    actual: int | None, expected: int, goal: int, deadline: date, day: date, cut: Cutoffs,
) -> str:
    """The code of the first row of SPEC's table that holds (what `rule_trace` ends on).

    Written out rather than calling `rule_trace`, which builds a trace for `explain`: this runs
    for every target and unit on every command (tested to agree with `rule_trace`)."""
    if actual is None:
        return "not_reported"
    if actual >= goal:
        return "done"
    if day > deadline:
        return "overdue"
    if cut.points is None:
        if actual >= expected:
            return "on_track"
        if actual >= cut.lagging * expected:
            return "lagging"
        return "off_track"
    # gap < p ⇔ 100 × (expected − actual) < p × goal (goal > 0 here: actual ≥ 0 = goal is done)
    behind = 100 * (expected - actual)
    if behind < cut.points[0] * goal:
        return "on_track"
    if behind < cut.points[1] * goal:
        return "lagging"
    return "off_track"


def roll_up(unit_codes: Sequence[str]) -> str:
    """A per-unit minimum's city status (SPEC): done only when every unit is done, otherwise
    the most severe of the units' statuses (overdue, off_track, not_reported, lagging,
    on_track). No units at all: nothing reported."""
    if not unit_codes:
        return "not_reported"
    if all(c == "done" for c in unit_codes):
        return "done"
    return min((c for c in unit_codes if c != "done"), key=SEVERITY["target"].__getitem__)


def due_soon(deadline: date, day: date, warn_days: int) -> bool:
    """临期 (SPEC): the deadline is after D and at most warn_days days after it (the caller
    checks "not done")."""
    return day < deadline and (deadline - day).days <= warn_days


# --- compute ----------------------------------------------------------------------------


def _order(filing: Filing) -> tuple[date, str, int]:
    # "Latest": by as_of, then period (same-cadence period strings sort in time order), then
    # revision. Applied to each period's current revision (`_current`), so the revision only
    # breaks a tie of two files claiming the same period.
    return (filing.as_of, filing.period, filing.revision)


def _current(filings: Iterable[Filing], day: date) -> list[Filing]:
    """Each (unit, period)'s highest revision among the filings with as_of ≤ D (SPEC: "its
    latest filing with as_of ≤ D (highest revision of that period)"). A repository holds one
    file per unit and period, so this only matters where several revisions are given (the
    library API): an amendment that moves as_of earlier still replaces the first revision,
    and one that drops a target withdraws that period's figure for it."""
    current: dict[tuple[str, str], Filing] = {}
    for f in filings:
        if f.as_of <= day:
            _keep_highest(current, f)
    return list(current.values())


def _keep_highest(current: dict[tuple[str, str], Filing], f: Filing) -> None:
    key = (f.unit, f.period)
    cur = current.get(key)
    if cur is None or (f.revision, f.as_of) > (cur.revision, cur.as_of):
        current[key] = f


@overload
def compute(source: Repository, as_of: date, /, *,
            units: Collection[str] | None = None) -> Status: ...
@overload
def compute(source: Plan, filings: Iterable[Filing], as_of: date, /, *,
            units: Collection[str] | None = None,
            reviews: Iterable[Review] = ()) -> Status: ...


def compute(source: Repository | Plan, *args: Any,
            units: Collection[str] | None = None, reviews: Iterable[Review] = ()) -> Status:
    """Status of everything at a date: `compute(repo, D)` or `compute(plan, filings, D)`.

    `units` focuses the per-unit rows (each unit's target rows and filing calendar) on those
    units; city rows, tasks and the index are always complete, since every unit feeds them.
    `tracker check` uses it: a pull request moves only its own units' rows."""
    if isinstance(source, Repository):
        (day,) = args
        return _compute(source.plan, source.filings, day, units, source.reviews)
    filings, day = args
    return _compute(source, filings, day, units, reviews)


def _compute(
    plan: Plan, filings: Iterable[Filing], day: date, focus: Collection[str] | None = None,
    reviews: Iterable[Review] = (),
) -> Status:
    order = {u: i for i, u in enumerate(plan.units)}
    cut = Cutoffs.of(plan)

    # One pass over the filings: each (unit, period)'s highest revision with as_of ≤ D, and the
    # filing of each (unit, period) that had arrived by D; then, over those revisions, the
    # latest report of each (unit, target) and (unit, task).
    latest_target: dict[tuple[str, str], tuple[tuple[date, str, int], Filing]] = {}
    latest_task: dict[tuple[str, str], tuple[tuple[date, str, int], Filing]] = {}
    arrived: dict[tuple[str, str], Filing] = {}
    timeliness = plan.reporting.timeliness  # reported_on, or the day it reached main
    current: dict[tuple[str, str], Filing] = {}  # each period's highest revision (_current)
    for f in filings:
        if f.filed_on(timeliness) <= day:
            key = (f.unit, f.period)
            if key not in arrived or f.revision > arrived[key].revision:
                arrived[key] = f
        if f.as_of <= day:
            _keep_highest(current, f)
    for f in current.values():
        k = _order(f)
        for tid in f.targets:
            cur = latest_target.get((f.unit, tid))
            if cur is None or k > cur[0]:
                latest_target[(f.unit, tid)] = (k, f)
        for tid in f.tasks:
            cur = latest_task.get((f.unit, tid))
            if cur is None or k > cur[0]:
                latest_task[(f.unit, tid)] = (k, f)

    sources: dict[int, Source] = {}

    def source_of(f: Filing) -> Source:
        s = sources.get(id(f))
        if s is None:
            s = sources[id(f)] = Source.of(f)
        return s

    actuals: list[Actual] = []
    for (unit, tid), (_, f) in latest_target.items():
        actuals.append(Actual(tid, unit, f.targets[tid].value, source_of(f)))
    t_order = {t: i for i, t in enumerate(plan.targets)}
    actuals.sort(key=lambda a: (t_order.get(a.target, len(t_order)), a.target,
                                order.get(a.unit, len(order)), a.unit))
    by_pair = {(a.target, a.unit): a for a in actuals}

    target_rows: list[TargetStatus] = []
    for target in plan.targets.values():
        target_rows.extend(_target_rows(plan, target, by_pair, day, cut, order, focus))

    decisions = _decisions_by_task(reviews, day) if plan.info.closure == "review" else {}
    task_rows = [_task_status(plan, task.id, latest_task, source_of, day, cut,
                              decisions.get(task.id))
                 for task in plan.tasks.values()]

    filing_rows = _filing_rows(plan, arrived, day, order, focus, source_of)
    received = tuple(sorted((source_of(f) for f in arrived.values()),
                            key=lambda s: (order.get(s.unit, len(order)), s.unit, s.period)))
    return Status(
        as_of=day, plan=plan.info.id, lagging=cut.lagging, targets=tuple(target_rows),
        tasks=tuple(task_rows), filings=tuple(filing_rows),
        index=_index(plan, by_pair, order), actuals=tuple(actuals), received=received,
        cutoffs=cut, closure=plan.info.closure,
    )


def _filing_rows(plan: Plan, arrived: dict[tuple[str, str], Filing], day: date,
                 order: dict[str, int], focus: Collection[str] | None,
                 source_of: Callable[[Filing], Source]) -> list[FilingStatus]:
    """The filing calendar at D: each required unit × each period ended by D, from the filing
    of each (unit, period) that had arrived by D."""
    timeliness = plan.reporting.timeliness
    rows: list[FilingStatus] = []
    # Every period of the plan that has ended by D (its last day ≤ D: status is as of the end
    # of D), with its due date.
    calendar = [(str(p), p.due(plan.reporting.due_days))
                for p in periods_between(plan.info.start, plan.info.end, plan.reporting.cadence)
                if p.end <= day]
    for unit in _in_plan_order(plan.reporting.required, order):
        if focus is not None and unit not in focus:
            continue
        for period, due in calendar:
            filed = arrived.get((unit, period))
            if filed is None:
                code = "missing" if due < day else "upcoming"
                rows.append(FilingStatus(unit, period, due, code, None, None))
            else:
                code = "on_time" if filed.filed_on(timeliness) <= due else "late"
                rows.append(FilingStatus(unit, period, due, code, filed.reported_on,
                                         source_of(filed)))
    return rows


def filing_calendar(plan: Plan, filings: Iterable[Filing], day: date) -> tuple[FilingStatus, ...]:
    """`compute(plan, filings, day).filings` alone, without the targets, tasks and index: what
    a 督办通报 reads at its issue date (tracker.report.data), a tenth of the work."""
    timeliness = plan.reporting.timeliness
    arrived: dict[tuple[str, str], Filing] = {}
    for f in filings:
        if f.filed_on(timeliness) <= day:
            key = (f.unit, f.period)
            if key not in arrived or f.revision > arrived[key].revision:
                arrived[key] = f
    order = {u: i for i, u in enumerate(plan.units)}
    return tuple(_filing_rows(plan, arrived, day, order, None, Source.of))


def _in_plan_order(units: Iterable[str], order: dict[str, int]) -> list[str]:
    return sorted(set(units), key=lambda u: (order.get(u, len(order)), u))


def _target_rows(
    plan: Plan, target: Target, by_pair: dict[tuple[str, str], Actual], day: date,
    cut: Cutoffs, order: dict[str, int], focus: Collection[str] | None = None,
) -> list[TargetStatus]:
    # Only units that report the target count towards the city: a filing from anyone else is
    # a validation error and must not move the city figure.
    units = _in_plan_order(target.reported_by, order)
    found = tuple(a for u in units if (a := by_pair.get((target.id, u))) is not None)
    city_actual = sum(a.value for a in found) if found else None
    curve = interpolate(target.points, day).value
    goal, deadline = target.goal, target.deadline
    expected = whole(curve)
    unit_rows: list[TargetStatus] = []
    if target.per_unit is not None:
        for unit in units:
            unit_goal = plan.unit_goal(target, unit)
            if unit_goal is None:
                # No goal (e.g. per_unit: {from: villages} and the unit has no villages count):
                # no unit status — there is nothing to measure it against (docs/status.md).
                continue
            a = by_pair.get((target.id, unit))
            unit_curve = scaled(curve, unit_goal, goal)
            unit_expected = whole(unit_curve)
            value = a.value if a else None
            code = classify(value, unit_expected, unit_goal, deadline, day, cut)
            unit_rows.append(TargetStatus(
                target.id, unit, code, value, unit_expected, unit_goal, deadline,
                (a,) if a else (), unit_curve,
                code != "done" and due_soon(deadline, day, cut.warn_days),
            ))
    met = total = None
    if target.per_unit is not None and target.per_unit.kind == "min":
        # Every unit must reach the minimum: the city is done only when all are (SPEC).
        code = roll_up([r.status for r in unit_rows]) if city_actual is not None else "not_reported"
        met, total = sum(r.status == "done" for r in unit_rows), len(unit_rows)
    else:
        code = classify(city_actual, expected, goal, deadline, day, cut)
    rows = [TargetStatus(
        target.id, CITY, code, city_actual, expected, goal, deadline, found, curve,
        code != "done" and due_soon(deadline, day, cut.warn_days), met, total,
    )]
    rows.extend(r for r in unit_rows if focus is None or r.scope in focus)
    return rows


def _decisions_by_task(reviews: Iterable[Review], day: date) -> dict[str, ReviewDecision]:
    """The decision in force at D for each task: the latest `on` ≤ D, a later entry in the
    file winning a tie on the same day (SPEC)."""
    out: dict[str, tuple[tuple[date, int], ReviewDecision]] = {}
    for review in reviews:
        for d in review.decisions:
            if d.on > day:
                continue
            key = (d.on, d.seq)
            cur = out.get(review.task)
            if cur is None or key >= cur[0]:
                out[review.task] = (key, ReviewDecision(d.on, d.decision, d.note, review.path,
                                                        d.by))
    return {task: v[1] for task, v in out.items()}


def _task_status(
    plan: Plan, task_id: str, latest: dict[tuple[str, str], tuple[Any, Filing]],
    source_of: Any, day: date, cut: Cutoffs, decision: ReviewDecision | None = None,
) -> TaskStatus:
    task = plan.tasks[task_id]
    reports = []
    for unit in task.units:
        hit = latest.get((unit, task_id))
        if hit is None:
            continue
        f = hit[1]
        r = f.tasks[task_id]
        reports.append(UnitProgress(unit, r.progress, len(r.evidence), r.summary, r.problems,
                                    r.next_steps, source_of(f)))
    closing = {r.unit: r for r in reports if r.progress == "done" and r.evidence > 0}
    claim: Claim | None = None
    if task.lead is not None:
        if task.lead in closing:
            src = closing[task.lead].source
            claim = Claim(src.reported_on, (src,))
    elif task.units and all(u in closing for u in task.units):
        # No lead to 销号 for the others: claimed only when every named unit has closed it
        # with evidence, on the latest of their dates (SPEC).
        srcs = tuple(closing[u].source for u in task.units)
        claim = Claim(max(s.reported_on for s in srcs), srcs)
    review = plan.info.closure == "review"
    if review:
        # A maintainer closes the task; a returned claim stays open until claimed again.
        done = decision is not None and decision.decision == "approved"
    else:
        done, decision = claim is not None, None
    if done:
        code = "done"
    elif review and claim is not None and (decision is None or decision.on < claim.on):
        code = "pending_review"
    elif day > task.due:
        code = "overdue"
    elif any(r.progress in ("in_progress", "done") for r in reports):
        code = "in_progress"
    else:
        code = "not_started"
    return TaskStatus(task_id, task.lead, code, task.due, tuple(reports), len(task.units),
                      code != "done" and due_soon(task.due, day, cut.warn_days), claim, decision)


def claim_at(plan: Plan, filings: Iterable[Filing], task_id: str, day: date) -> Claim | None:
    """The 销号 claim on one task as it stood at `day` (what a decision on that day answers).
    For the validation of reviews/: one task, so it scans only what it needs."""
    task = plan.tasks[task_id]
    units = set(task.units)
    latest: dict[tuple[str, str], tuple[tuple[date, str, int], Filing]] = {}
    for f in _current((f for f in filings if f.unit in units), day):
        if task_id in f.tasks:
            k, cur = _order(f), latest.get((f.unit, task_id))
            if cur is None or k > cur[0]:
                latest[(f.unit, task_id)] = (k, f)
    return _task_status(plan, task_id, latest, Source.of, day, RATIO_DEFAULT).claim


def _index(
    plan: Plan, by_pair: dict[tuple[str, str], Actual], order: dict[str, int]
) -> tuple[IndexEntry, ...]:
    if plan.index is None:
        return ()
    weights = [(c.target, exact(c.weight)) for c in plan.index.components]
    total = sum((w for _, w in weights), Fraction(0))
    targets = [(tid, w, plan.targets.get(tid)) for tid, w in weights]
    zero, one = Fraction(0), Fraction(1)
    scored: list[tuple[str, Fraction, tuple[ComponentScore, ...]]] = []
    for unit in _in_plan_order(plan.reporting.required, order):
        parts: list[ComponentScore] = []
        # Σ weight × ratio as one integer fraction num/den, normalised once at the end (exact,
        # as summing Fractions is, without a gcd per step).
        num, den = 0, 1
        for tid, w, target in targets:
            goal = plan.unit_goal(target, unit) if target else None
            a = by_pair.get((tid, unit))
            actual = a.value if a else None
            if actual is None or goal is None:
                ratio = zero
            else:
                # min(1, actual/goal); a goal of 0 leaves nothing to reach: met (as `done` is
                # when actual ≥ goal)
                ratio = Fraction(min(actual, goal), goal) if goal else one
                n, d = w.numerator * ratio.numerator, w.denominator * ratio.denominator
                num, den = num * d + n * den, den * d
            parts.append(ComponentScore(tid, w, actual, goal, ratio))
        score = Fraction(100 * num * total.denominator, den * total.numerator) if total else zero
        scored.append((unit, score, tuple(parts)))
    # Equal scores share a rank (1, 1, 3) and are listed in the plan's order of units (SPEC).
    # "Equal" is equal as published — one decimal — so two units both shown as 87.5 never get
    # different ranks (docs/status.md). Every view lists the index in this order.
    scored.sort(key=lambda s: (-(round1(s[1]) or 0.0), order.get(s[0], len(order))))
    entries: list[IndexEntry] = []
    for i, (unit, score, comps) in enumerate(scored):
        tied = entries and round1(entries[-1].score) == round1(score)
        rank = entries[-1].rank if tied else i + 1
        entries.append(IndexEntry(unit, score, rank, comps))
    return tuple(entries)


# --- machine output ---------------------------------------------------------------------


def to_json(status: Status, plan: Plan | None = None) -> dict[str, Any]:
    """The SPEC "Machine output" object. Fields beyond SPEC's are additions, never renames.

    With `plan`, rows also carry titles (for readers that don't load the plan)."""
    def target_row(t: TargetStatus) -> dict[str, Any]:
        row: dict[str, Any] = {
            "target": t.target, "scope": t.scope, "actual": t.actual,
            "expected": t.expected, "goal": t.goal, "deadline": t.deadline.isoformat(),
            "status": t.status, "due_soon": t.due_soon,
        }
        if t.units_total is not None:
            row["units_met"], row["units"] = t.units_met, t.units_total
        if plan is not None and t.target in plan.targets:
            row["title"] = plan.targets[t.target].title
            row["unit_label"] = plan.targets[t.target].unit_label
        if t.scope == CITY:
            row["units_reported"] = len(t.actuals)
        else:
            row["source"] = t.source.to_json() if t.source else None
        return row

    def task_row(t: TaskStatus) -> dict[str, Any]:
        row: dict[str, Any] = {"task": t.task, "lead": t.lead, "status": t.status,
                               "due_soon": t.due_soon, "units_reporting": t.units_reporting,
                               "units": t.units}
        if plan is not None and t.task in plan.tasks:
            row["title"] = plan.tasks[t.task].title
        row["due"] = t.due.isoformat()
        # The 销号 claim and the decision in force (additions: which filing claims the task is
        # done, and what the plan office decided).
        row["claimed_on"] = t.claim.on.isoformat() if t.claim else None
        if status.closure == "review":
            d = t.decision
            row["review"] = None if d is None else {
                "on": d.on.isoformat(), "decision": d.decision, "note": d.note, "path": d.path}
        return row

    def filing_row(f: FilingStatus) -> dict[str, Any]:
        return {
            "unit": f.unit, "period": f.period, "due": f.due.isoformat(), "status": f.status,
            "reported_on": f.reported_on.isoformat() if f.reported_on else None,
            "path": f.source.path if f.source else None,
            "revision": f.source.revision if f.source else None,
        }

    def index_row(e: IndexEntry) -> dict[str, Any]:
        return {
            "unit": e.unit, "score": round1(e.score), "rank": e.rank,
            "components": [
                {"target": c.target, "weight": float(c.weight), "actual": c.actual,
                 "goal": c.goal}
                for c in e.components
            ],
        }

    return {
        "as_of": status.as_of.isoformat(),
        "plan": status.plan,
        "targets": [target_row(t) for t in status.targets],
        "tasks": [task_row(t) for t in status.tasks],
        "filings": [filing_row(f) for f in status.filings],
        "index": [index_row(e) for e in status.index],
        "actuals": [
            {"target": a.target, "unit": a.unit, "value": a.value, "source": a.source.to_json()}
            for a in status.actuals
        ],
    }
