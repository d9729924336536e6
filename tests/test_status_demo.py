"""Status of examples/demo at several dates, checked against SPEC's rules applied here,
independently, to the raw YAML (plain PyYAML, no tracker model, no tracker engine)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from tracker.repository import load
from tracker.status import compute, to_json

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
DATES = [date(2022, 6, 30), date(2023, 12, 31), date(2024, 6, 30), date(2026, 11, 29)]


def _d(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class Raw:
    """The demo read with yaml.safe_load, and SPEC's rules written out once more."""

    def __init__(self) -> None:
        config = yaml.safe_load((DEMO / "tracker.yaml").read_text(encoding="utf-8"))
        plan_dir = (DEMO / config.get("plan", "plan")).resolve()
        self.units = yaml.safe_load((plan_dir / "units.yaml").read_text(encoding="utf-8"))
        self.tasks = yaml.safe_load((plan_dir / "tasks.yaml").read_text(encoding="utf-8"))
        self.targets = yaml.safe_load((plan_dir / "targets.yaml").read_text(encoding="utf-8"))
        self.order = [u["id"] for u in self.units["units"]]
        self.counts = {u["id"]: dict(u.get("counts", {})) for u in self.units["units"]}
        for uid, extra in (config.get("counts") or {}).items():
            self.counts.setdefault(uid, {}).update(extra)
        self.groups = {g["id"]: g["members"] for g in self.units.get("groups", [])}
        self.filings = [
            yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((DEMO / "submissions").glob("*/*.yaml"))
        ]
        self.reviews = {
            # PyYAML reads the key `on` as a YAML 1.1 boolean; tracker's loader keeps it text
            str(r["task"]): [{**d, "on": d.get("on", d.get(True))} for d in r["decisions"]]
            for r in (yaml.safe_load(p.read_text(encoding="utf-8"))
                      for p in sorted((DEMO / "reviews").glob("*.yaml")))
        }
        self.closure = self.tasks["plan"].get("closure", "self")
        th = self.targets.get("thresholds") or {}
        self.warn_days = th.get("warn_days", 90)
        self.points = th.get("points")
        self.start = _d(self.tasks["plan"]["start"])
        self.end = _d(self.tasks["plan"]["end"])

    def expand(self, refs):
        out = []
        for r in refs:
            for u in self.groups.get(r, [r]):
                if u not in out:
                    out.append(u)
        return out

    def latest(self, unit, key, kind, day):
        best = None
        for f in self.filings:
            if f["unit"] != unit or _d(f["as_of"]) > day or key not in (f.get(kind) or {}):
                continue
            rank = (_d(f["as_of"]), str(f["period"]), f["revision"])
            if best is None or rank > best[0]:
                best = (rank, f)
        return best[1] if best else None

    @staticmethod
    def expected(points, day):
        if day < points[0][0]:
            return Fraction(points[0][1])
        for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
            if d0 <= day < d1:
                return v0 + Fraction(v1 - v0) * (day - d0).days / (d1 - d0).days
        return Fraction(points[-1][1])

    def classify(self, actual, expected, goal, deadline, day):
        if actual is None:
            return "not_reported"
        if actual >= goal:
            return "done"
        if day > deadline:
            return "overdue"
        if self.points:  # gap in percentage points of the goal
            gap = Fraction(100 * (expected - actual), goal)
            if gap < Fraction(str(self.points["lagging"])):
                return "on_track"
            if gap < Fraction(str(self.points["off_track"])):
                return "lagging"
            return "off_track"
        lagging = Fraction(str((self.targets.get("thresholds") or {}).get("lagging", 0.8)))
        if actual >= expected:
            return "on_track"
        if actual >= lagging * expected:
            return "lagging"
        return "off_track"

    def soon(self, code, deadline, day):
        return code != "done" and day < deadline <= day + timedelta(days=self.warn_days)

    def unit_goal(self, t, unit):
        rule = t.get("per_unit")
        if rule is None:
            return None
        if "from" in rule:
            return self.counts.get(unit, {}).get(rule["from"])
        if "allocations" in rule:
            return rule["allocations"].get(unit)
        return rule["min"]

    def reported_by(self, t):
        refs = t.get("reported_by") or self.targets["reporting"]["required"]
        return sorted(self.expand(refs), key=self.order.index)

    def actual(self, t, unit, day):
        f = self.latest(unit, t["id"], "targets", day)
        return f["targets"][t["id"]]["value"] if f else None

    def target_rows(self, day):
        rows = []
        for t in self.targets["targets"]:
            base = t.get("baseline") or {}
            points = [(_d(base.get("date", self.start)), base.get("value", 0))]
            points += [(_d(m["by"]), m["value"]) for m in t["milestones"]]
            goal, deadline = points[-1][1], points[-1][0]
            curve = self.expected(points, day)
            units = self.reported_by(t)
            values = [v for u in units if (v := self.actual(t, u, day)) is not None]
            city = sum(values) if values else None
            unit_rows = []
            for u in units:
                g = self.unit_goal(t, u)
                if g is None:
                    continue
                exp = math.floor(curve * g / goal) if goal else 0
                a = self.actual(t, u, day)
                code = self.classify(a, exp, g, deadline, day)
                unit_rows.append((t["id"], u, a, exp, g, code, self.soon(code, deadline, day)))
            if "min" in (t.get("per_unit") or {}):
                codes = [r[5] for r in unit_rows]
                worst = ["overdue", "off_track", "not_reported", "lagging", "on_track"]
                code = ("not_reported" if city is None else "done" if all(
                    c == "done" for c in codes) else min(
                    (c for c in codes if c != "done"), key=worst.index))
            else:
                code = self.classify(city, math.floor(curve), goal, deadline, day)
            rows.append((t["id"], "city", city, math.floor(curve), goal, code,
                         self.soon(code, deadline, day)))
            rows += unit_rows
        return rows

    def task_rows(self, day):
        rows = []
        for t in self.tasks["tasks"]:
            units = self.expand(t["units"])
            lead = None if t.get("lead") == "none" else units[0]
            due = _d(t.get("due", self.end))
            reports = {}
            for u in units:
                f = self.latest(u, t["id"], "tasks", day)
                if f:
                    reports[u] = f["tasks"][t["id"]]

            def closed(u, reports=reports):
                r = reports.get(u)
                return r is not None and r["progress"] == "done" and bool(r.get("evidence"))

            claimed = closed(lead) if lead else all(closed(u) for u in units)
            claim_on = (max(_d(self.latest(u, t["id"], "tasks", day)["reported_on"])
                            for u in ([lead] if lead else units)) if claimed else None)
            in_force = None  # the decision with the latest date ≤ D, later in the list on a tie
            for d in self.reviews.get(t["id"], []):
                if _d(d["on"]) <= day and (in_force is None or _d(d["on"]) >= _d(in_force["on"])):
                    in_force = d
            if self.closure == "self":
                done = claimed
            else:
                done = in_force is not None and in_force["decision"] == "approved"
            if done:
                code = "done"
            elif self.closure == "review" and claimed and (
                    in_force is None or _d(in_force["on"]) < claim_on):
                code = "pending_review"
            elif day > due:
                code = "overdue"
            elif any(r["progress"] in ("in_progress", "done") for r in reports.values()):
                code = "in_progress"
            else:
                code = "not_started"
            rows.append((t["id"], lead, code, self.soon(code, due, day), len(reports),
                          len(units)))
        return rows

    def filing_rows(self, day):
        due_days = self.targets["reporting"]["due_days"]
        required = sorted(self.expand(self.targets["reporting"]["required"]),
                          key=self.order.index)
        quarters = []
        y, q = self.start.year, (self.start.month - 1) // 3 + 1
        while True:
            end = (date(y, 3 * q, 1) + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            if end > self.end:
                break
            if end >= self.start:
                quarters.append((f"{y}-Q{q}", end, end + timedelta(days=due_days)))
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)
        by_key = {(f["unit"], str(f["period"])): f for f in self.filings}
        rows = []
        for u in required:
            for period, end, due in quarters:
                if end > day:  # not ended yet
                    continue
                f = by_key.get((u, period))
                if f is None or _d(f["reported_on"]) > day:
                    rows.append((u, period, str(due), "missing" if due < day else "upcoming"))
                else:
                    code = "on_time" if _d(f["reported_on"]) <= due else "late"
                    rows.append((u, period, str(due), code))
        return rows

    def index_scores(self, day):
        ix = self.targets["index"]
        by_id = {t["id"]: t for t in self.targets["targets"]}
        total = sum(Fraction(str(c["weight"])) for c in ix["components"])
        scores = {}
        for u in self.expand(self.targets["reporting"]["required"]):
            acc = Fraction(0)
            for c in ix["components"]:
                t = by_id[c["target"]]
                goal = self.unit_goal(t, u) if u in self.reported_by(t) else None
                a = self.actual(t, u, day)
                if a is None or goal is None:
                    ratio = Fraction(0)
                elif goal == 0:
                    ratio = Fraction(1)
                else:
                    ratio = min(Fraction(1), Fraction(a, goal))
                acc += Fraction(str(c["weight"])) * ratio
            scores[u] = 100 * acc / total
        return scores


def half_up(x: Fraction) -> float:
    return float(Fraction((x * 10 + Fraction(1, 2)).__floor__(), 10))


@pytest.fixture(scope="module")
def raw():
    return Raw()


@pytest.fixture(scope="module")
def repo():
    loaded = load(DEMO)
    assert loaded.repo is not None
    return loaded.repo


@pytest.mark.parametrize("day", DATES, ids=str)
def test_targets_match_spec_rules(raw, repo, day):
    got = [(r["target"], r["scope"], r["actual"], r["expected"], r["goal"], r["status"],
            r["due_soon"]) for r in to_json(compute(repo, day))["targets"]]
    assert got == raw.target_rows(day)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_tasks_match_spec_rules(raw, repo, day):
    got = [(r["task"], r["lead"], r["status"], r["due_soon"], r["units_reporting"], r["units"])
           for r in to_json(compute(repo, day))["tasks"]]
    assert got == raw.task_rows(day)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_filings_match_spec_rules(raw, repo, day):
    got = [(r["unit"], r["period"], r["due"], r["status"])
           for r in to_json(compute(repo, day))["filings"]]
    assert got == raw.filing_rows(day)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_index_matches_spec_formula(raw, repo, day):
    index = to_json(compute(repo, day))["index"]
    scores = raw.index_scores(day)
    assert {e["unit"]: e["score"] for e in index} == {u: half_up(s) for u, s in scores.items()}
    shown = [e["score"] for e in index]
    assert shown == sorted(shown, reverse=True)
    for e in index:  # rank = 1 + number of units with a higher (shown) score
        assert e["rank"] == 1 + sum(1 for x in shown if x > e["score"])
    for a, b in zip(index, index[1:], strict=False):  # ties: the plan's order of units
        if a["score"] == b["score"]:
            assert raw.order.index(a["unit"]) < raw.order.index(b["unit"])


def test_the_demo_scenarios_show_up(repo):
    """The stories examples/demo/README.md tells, as the engine sees them."""
    # nanxun's village service points: 10–20 points behind the 序时进度 in mid-2023 (lagging),
    # more than 20 behind from the third quarter (off track)
    mid = compute(repo, date(2023, 6, 30))
    assert mid.target("village-service-points", "nanxun").status == "lagging"
    assert compute(repo, date(2023, 9, 30)).target(
        "village-service-points", "nanxun").status == "off_track"
    assert mid.target("village-service-points", "anji").status in ("on_track", "done")
    s = compute(repo, date(2024, 6, 30))
    codes = {(f.unit, f.period): f.status for f in s.filings}
    assert codes[("wuxing", "2023-Q2")] == "late"
    assert codes[("nantaihu", "2024-Q1")] == "missing"
    # postal marks 3.3 done without evidence from 2024-Q4: never 销号
    end = compute(repo, date(2026, 11, 29))
    assert end.task("3.3").status == "overdue"
    assert end.task("3.3").report_of("postal").progress == "done"
    assert end.task("1.1").status == "done"
    # deqing's 2023-Q4 amendment: revision 2 is what status uses
    a = compute(repo, date(2024, 1, 5)).actual("residential-stations", "deqing")
    assert a.source.period == "2023-Q4" and a.source.revision == 2
    assert end.target("digital-stations").status == "overdue"


@pytest.mark.parametrize("focus", [{"anji"}, {"nanxun", "nantaihu"}, set()])
def test_focused_compute_is_the_full_status_restricted_to_those_units(focus):
    """`compute(..., units=U)` (what `tracker check` uses) leaves out only other units' rows."""
    from tracker import status as engine

    repo = load(DEMO).repo
    for day in (date(2023, 6, 30), date(2024, 6, 30)):
        full = engine.compute(repo, day)
        part = engine.compute(repo, day, units=focus)
        assert part.targets == tuple(t for t in full.targets
                                     if t.scope == engine.CITY or t.scope in focus)
        assert part.filings == tuple(f for f in full.filings if f.unit in focus)
        assert part.tasks == full.tasks
        assert part.index == full.index
        assert part.actuals == full.actuals
