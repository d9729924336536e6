"""Boundary cases of SPEC's status rules, one rule at a time, on small in-memory plans."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import pytest

from tests.status_helpers import make_filing, make_plan, write_repo
from tracker.repository import load
from tracker.status import CITY, Cutoffs, compute, interpolate, round1, rule_trace, to_json

D0 = date(2024, 1, 1)
END = date(2025, 12, 31)


def row(status, scope=CITY, target="t"):
    r = status.target(target, scope)
    assert r is not None, f"no row for {target}/{scope}"
    return r


# --- expected value ---------------------------------------------------------------------


def test_expected_exactly_on_a_milestone_date():
    plan = make_plan(points=[(D0, 0), (date(2024, 12, 31), 8), (END, 16)])
    curve = interpolate(plan.targets["t"].points, date(2024, 12, 31))
    assert curve.value == 8 and curve.case == "on_point"
    # and the day after is on the second segment: 8 + 8 × 1/365
    nxt = interpolate(plan.targets["t"].points, date(2025, 1, 1))
    assert nxt.case == "between" and (nxt.start.value, nxt.end.value) == (8, 16)
    assert nxt.value == 8 + Fraction(8, 365)


def test_on_track_exactly_on_a_milestone():
    plan = make_plan(points=[(D0, 0), (date(2024, 12, 31), 80), (END, 160)], units={"a": None},
                     per_unit=False)
    at = date(2024, 12, 31)
    assert row(compute(plan, [make_filing("a", "2024-Q4", value=80)], at)).status == "on_track"
    assert row(compute(plan, [make_filing("a", "2024-Q4", value=79)], at)).status == "lagging"


def test_expected_before_baseline_is_baseline_and_after_deadline_is_goal():
    points = (make_plan(points=[(date(2024, 3, 1), 5), (END, 100)]).targets["t"].points)
    assert interpolate(points, date(2024, 1, 15)).value == 5
    assert interpolate(points, date(2024, 1, 15)).case == "before_baseline"
    assert interpolate(points, date(2026, 5, 1)).value == 100
    assert interpolate(points, date(2026, 5, 1)).case == "after_deadline"


def test_expected_is_by_calendar_days():
    # 2023-01-01 → 2024-01-01 is 365 days; day 73 → 365 × 73/365 = 73
    points = make_plan(points=[(date(2023, 1, 1), 0), (date(2024, 1, 1), 365)],
                       start=date(2023, 1, 1)).targets["t"].points
    c = interpolate(points, date(2023, 3, 15))
    assert (c.elapsed, c.total, c.value) == (73, 365, 73)


# --- the status table -------------------------------------------------------------------


def lag_plan():
    # expected at 2023-04-11 (day 100 of 365) is exactly 100; 0.8 × 100 = 80
    return make_plan(points=[(date(2023, 1, 1), 0), (date(2024, 1, 1), 365)],
                     start=date(2023, 1, 1), units={"a": None}, per_unit=False)


@pytest.mark.parametrize("value, code", [
    (100, "on_track"), (99, "lagging"), (80, "lagging"), (79, "off_track"), (0, "off_track"),
    (365, "done"), (400, "done"),
])
def test_lagging_threshold_boundary(value, code):
    day = date(2023, 4, 11)
    assert interpolate(lag_plan().targets["t"].points, day).value == 100
    s = compute(lag_plan(), [make_filing("a", "2023-Q1", value=value, as_of=date(2023, 3, 31))],
                day)
    assert row(s).status == code


def test_lagging_threshold_is_exact():
    # The threshold is compared exactly: 0.8 × 143 = 114.4 and 0.8 × 100 = 80, which binary
    # floats only approximate.
    ratio = Cutoffs(Fraction(4, 5))
    trace = rule_trace(114, 143, 200, END, D0, ratio)
    assert trace[-1].code == "off_track" and trace[-2].right == Fraction(572, 5)
    assert rule_trace(115, 143, 200, END, D0, ratio)[-1].code == "lagging"
    # 0.8 × 100 = 80 must be "lagging" (no float noise)
    assert rule_trace(80, 100, 200, END, D0, ratio)[-1].code == "lagging"


def test_the_day_after_the_deadline_is_overdue():
    plan = make_plan(units={"a": None}, per_unit=False)
    filings = [make_filing("a", "2025-Q4", value=90, as_of=END)]
    assert row(compute(plan, filings, END)).status == "lagging"  # on the deadline: 90 ≥ 0.8×100
    assert row(compute(plan, filings, END + timedelta(days=1))).status == "overdue"
    done = [make_filing("a", "2025-Q4", value=100, as_of=END)]
    assert row(compute(plan, done, END + timedelta(days=1))).status == "done"


def test_a_unit_that_never_filed():
    plan = make_plan(units={"a": 60, "b": 40})
    s = compute(plan, [make_filing("a", "2024-Q2", value=30)], date(2024, 9, 1))
    assert row(s, "b").status == "not_reported" and row(s, "b").actual is None
    assert row(s).actual == 30  # the city sums the units that have filed
    assert len(row(s).actuals) == 1
    nobody = compute(plan, [], date(2024, 9, 1))
    assert row(nobody).status == "not_reported" and row(nobody).actual is None


def test_a_filing_whose_as_of_is_after_the_query_date_is_ignored():
    plan = make_plan()
    filings = [make_filing("a", "2024-Q1", value=10), make_filing("a", "2024-Q2", value=25)]
    s = compute(plan, filings, date(2024, 6, 29))
    assert row(s, "a").actual == 10
    assert row(s, "a").source.period == "2024-Q1"
    assert compute(plan, filings, date(2024, 6, 30)).actual("t", "a").value == 25


def test_latest_filing_reporting_the_target_wins_and_keeps_its_provenance():
    plan = make_plan()
    filings = [
        make_filing("a", "2024-Q1", value=10),
        make_filing("a", "2024-Q2", value=None, progress="in_progress"),  # no target in it
        make_filing("a", "2023-Q4", value=99, as_of=date(2023, 12, 31)),
    ]
    a = compute(plan, filings, date(2024, 9, 1)).actual("t", "a")
    assert a.value == 10
    assert (a.source.path, a.source.period, a.source.revision) == \
        ("submissions/a/2024-Q1.yaml", "2024-Q1", 1)


def test_revision_is_the_files_own():
    plan = make_plan()
    filings = [make_filing("a", "2024-Q1", value=12, revision=2)]
    a = compute(plan, filings, date(2024, 9, 1)).actual("t", "a")
    assert (a.value, a.source.revision) == (12, 2)



def test_the_highest_revision_of_a_period_counts_even_when_it_corrects_the_as_of_earlier():
    # SPEC: the actual is the value of the latest filing with as_of ≤ D "(highest revision of
    # that period)". An amendment that moves as_of back within the period replaces the first
    # revision; the superseded figure must not win by its later as_of.
    plan = make_plan()
    first = make_filing("a", "2024-Q2", value=30, as_of=date(2024, 6, 30), revision=1)
    amended = make_filing("a", "2024-Q2", value=27, as_of=date(2024, 6, 20), revision=2,
                          progress="in_progress")
    s = compute(plan, [first, amended], date(2024, 7, 15))
    a = s.actual("t", "a")
    assert (a.value, a.source.revision) == (27, 2)
    assert s.task("1.1").report_of("a").source.revision == 2
    # between the two as_of dates only the amendment describes a date ≤ D
    a = compute(plan, [first, amended], date(2024, 6, 25)).actual("t", "a")
    assert (a.value, a.source.revision) == (27, 2)
    # an amendment that drops the target: the period's figure is gone, an earlier one counts
    dropped = make_filing("a", "2024-Q2", revision=2, progress="in_progress")
    older = make_filing("a", "2024-Q1", value=12)
    a = compute(plan, [older, first, dropped], date(2024, 7, 15)).actual("t", "a")
    assert (a.value, a.source.period) == (12, "2024-Q1")

def test_units_outside_reported_by_do_not_count_for_the_city():
    plan = make_plan(units={"a": 60, "b": 40})
    stray = make_filing("office", "2024-Q1", value=1000)
    s = compute(plan, [stray, make_filing("a", "2024-Q1", value=5)], date(2024, 6, 1))
    assert row(s).actual == 5


def test_unit_goal_and_scaled_expected():
    plan = make_plan(units={"a": 60, "b": 40})
    day = date(2024, 12, 31)
    s = compute(plan, [make_filing("a", "2024-Q4", value=30)], day)
    city = interpolate(plan.targets["t"].points, day).value
    assert row(s, "a").goal == 60 and row(s, "a").expected == city * 60 / 100
    assert row(s, "b").goal == 40


def test_a_unit_without_a_goal_gets_no_unit_status_but_keeps_its_actual():
    plan = make_plan(units={"a": 60, "b": None})
    s = compute(plan, [make_filing("b", "2024-Q1", value=7)], date(2024, 6, 1))
    assert s.target("t", "b") is None
    assert s.actual("t", "b").value == 7
    assert row(s).actual == 7  # it still counts for the city


def test_a_target_without_per_unit_has_city_status_only():
    plan = make_plan(per_unit=False)
    s = compute(plan, [make_filing("a", "2024-Q1", value=7)], date(2024, 6, 1))
    assert [r.scope for r in s.targets] == [CITY]


def test_city_goal_zero():
    plan = make_plan(points=[(D0, 0), (END, 0)], units={"a": 5})
    s = compute(plan, [make_filing("a", "2024-Q1", value=0)], date(2024, 6, 1))
    assert row(s).status == "done"
    assert row(s, "a").expected == 0 and row(s, "a").status == "on_track"


# --- tasks --------------------------------------------------------------------------------


def task_status(plan, filings, day=date(2024, 9, 1)):
    return compute(plan, filings, day).task("1.1").status


def test_task_done_needs_the_leads_done_with_evidence():
    plan = make_plan()
    without = [make_filing("office", "2024-Q1", progress="done", evidence=False)]
    assert task_status(plan, without) == "in_progress"
    assert task_status(plan, without, END + timedelta(days=1)) == "overdue"
    with_ev = [make_filing("office", "2024-Q1", progress="done", evidence=True)]
    assert task_status(plan, with_ev) == "done"
    assert task_status(plan, with_ev, END + timedelta(days=1)) == "done"


def test_task_done_by_a_supporting_unit_is_not_done():
    plan = make_plan()
    filings = [make_filing("a", "2024-Q1", progress="done", evidence=True)]
    assert task_status(plan, filings) == "in_progress"


def test_task_uses_each_units_latest_report():
    plan = make_plan()
    filings = [make_filing("office", "2024-Q1", progress="done", evidence=True),
               make_filing("office", "2024-Q2", progress="in_progress")]
    assert task_status(plan, filings) == "in_progress"
    # before Q2's as_of, Q1's report is the latest
    assert task_status(plan, filings, date(2024, 6, 29)) == "done"


def test_task_not_started_and_overdue():
    plan = make_plan(due=date(2024, 12, 31))
    assert task_status(plan, []) == "not_started"
    assert task_status(plan, [make_filing("a", "2024-Q1", progress="not_started")]) == \
        "not_started"
    assert task_status(plan, [], date(2024, 12, 31)) == "not_started"
    assert task_status(plan, [], date(2025, 1, 1)) == "overdue"


def test_task_without_lead_needs_every_unit():
    plan = make_plan(task_units=("a", "b"), lead_named=False)
    assert plan.tasks["1.1"].lead is None
    one = [make_filing("a", "2024-Q1", progress="done", evidence=True)]
    assert task_status(plan, one) == "in_progress"
    both = one + [make_filing("b", "2024-Q1", progress="done", evidence=True)]
    assert task_status(plan, both) == "done"
    no_ev = one + [make_filing("b", "2024-Q1", progress="done", evidence=False)]
    assert task_status(plan, no_ev) == "in_progress"


# --- filings --------------------------------------------------------------------------------


def filing_codes(status):
    return {(f.unit, f.period): f.status for f in status.filings}


def test_on_time_late_and_missing():
    plan = make_plan()
    filings = [
        make_filing("a", "2024-Q1", value=1, reported_on=date(2024, 4, 10)),  # on the due date
        make_filing("b", "2024-Q1", value=1, reported_on=date(2024, 4, 11)),  # a day late
        make_filing("a", "2024-Q2", value=1, reported_on=date(2024, 7, 1)),
    ]
    s = compute(plan, filings, date(2024, 7, 11))
    assert filing_codes(s) == {
        ("a", "2024-Q1"): "on_time", ("b", "2024-Q1"): "late",
        ("a", "2024-Q2"): "on_time", ("b", "2024-Q2"): "missing",
    }
    # on the due date itself an unfiled period is still 待报送, not yet missing
    assert filing_codes(compute(plan, filings, date(2024, 7, 10)))[("b", "2024-Q2")] == \
        "upcoming"
    late = next(f for f in s.filings if f.status == "late")
    assert late.due == date(2024, 4, 10) and late.reported_on == date(2024, 4, 11)


def test_periods_not_yet_ended_are_not_listed_and_ended_ones_are_upcoming_until_due():
    plan = make_plan()
    assert compute(plan, [], date(2024, 3, 30)).filings == ()
    # Q1 ends 2024-03-31 (status is as of the end of the day): listed, due 2024-04-10
    for day in (date(2024, 3, 31), date(2024, 4, 9), date(2024, 4, 10)):
        assert set(filing_codes(compute(plan, [], day)).values()) == {"upcoming"}, day
    assert set(filing_codes(compute(plan, [], date(2024, 4, 11))).values()) == {"missing"}


def test_a_filing_not_yet_reported_on_the_date_is_missing_then_late():
    plan = make_plan()
    filings = [make_filing("a", "2024-Q1", value=1, reported_on=date(2024, 4, 20))]
    assert filing_codes(compute(plan, filings, date(2024, 4, 10)))[("a", "2024-Q1")] == "upcoming"
    assert filing_codes(compute(plan, filings, date(2024, 4, 15)))[("a", "2024-Q1")] == "missing"
    assert filing_codes(compute(plan, filings, date(2024, 4, 20)))[("a", "2024-Q1")] == "late"


def test_department_filings_get_no_filing_status():
    plan = make_plan()
    s = compute(plan, [make_filing("office", "2024-Q1", progress="in_progress")], date(2024, 9, 1))
    assert {f.unit for f in s.filings} == {"a", "b"}
    assert any(src.unit == "office" for src in s.received)


def test_filings_cover_the_plan_periods_only():
    plan = make_plan()
    s = compute(plan, [], date(2030, 1, 1))
    periods = sorted({f.period for f in s.filings})
    assert periods[0] == "2024-Q1" and periods[-1] == "2025-Q4" and len(periods) == 8


# --- index --------------------------------------------------------------------------------


def test_index_ties_share_a_rank_in_plan_order():
    plan = make_plan(units={"c": 10, "a": 10, "b": 10})
    filings = [make_filing("c", "2024-Q1", value=5), make_filing("a", "2024-Q1", value=8),
               make_filing("b", "2024-Q1", value=5)]
    s = compute(plan, filings, date(2024, 6, 1))
    assert [(e.unit, round1(e.score), e.rank) for e in s.index] == \
        [("a", 80.0, 1), ("c", 50.0, 2), ("b", 50.0, 2)]


def test_index_caps_at_goal_and_counts_missing_as_zero():
    plan = make_plan(units={"a": 10, "b": 10, "c": None})
    filings = [make_filing("a", "2024-Q1", value=25), make_filing("c", "2024-Q1", value=5)]
    s = compute(plan, filings, date(2024, 6, 1))
    scores = {e.unit: round1(e.score) for e in s.index}
    assert scores == {"a": 100.0, "b": 0.0, "c": 0.0}
    assert [e.rank for e in s.index] == [1, 2, 2]


def test_index_goal_zero_counts_as_met():
    plan = make_plan(units={"a": 0})
    s = compute(plan, [make_filing("a", "2024-Q1", value=0)], date(2024, 6, 1))
    assert round1(s.index[0].score) == 100.0
    assert round1(compute(plan, [], date(2024, 6, 1)).index[0].score) == 0.0


# --- rounding and JSON ------------------------------------------------------------------


def test_round1_is_half_away_from_zero():
    assert round1(Fraction(6865, 10)) == 686.5
    assert round1(Fraction(68725, 100)) == 687.3  # float round() would give 687.2
    assert round1(Fraction(-5, 100)) == -0.1
    assert round1(None) is None


def test_json_shape_is_specs(tmp_path):
    from tests.status_helpers import filing_yaml

    root = write_repo(tmp_path, [("east", "2024-Q1", filing_yaml(
        "east", "2024-Q1", targets={"stations": 2, "centres": 0, "kiosks": 5},
        tasks={"1.1": ("in_progress", False)}))])
    repo = load(root).repo
    payload = to_json(compute(repo, date(2024, 6, 30)), repo.plan)
    assert list(payload)[:6] == ["as_of", "plan", "targets", "tasks", "filings", "index"]
    assert payload["as_of"] == "2024-06-30" and payload["plan"] == "small-plan"
    spec = {
        "targets": ["target", "scope", "actual", "expected", "goal", "deadline", "status",
                    "due_soon"],
        "tasks": ["task", "lead", "status", "due_soon", "units_reporting", "units"],
        "filings": ["unit", "period", "due", "status", "reported_on"],
        "index": ["unit", "score", "rank"],
    }
    for key, fields in spec.items():
        assert payload[key], key
        for item in payload[key]:
            assert list(item)[: len(fields)] == fields, (key, item)
    first = payload["targets"][0]
    assert first == {**first, "target": "stations", "scope": "city", "actual": 2,
                     "goal": 16, "deadline": "2025-12-31", "status": "off_track"}
    # 8 × 181/365 = 3.97 … rounded down to a whole number
    assert first["expected"] == 3 and type(first["expected"]) is int
    east = next(t for t in payload["targets"] if t["scope"] == "east")
    assert east["source"]["path"] == "submissions/east/2024-Q1.yaml"
    assert [t["scope"] for t in payload["targets"] if t["target"] == "stations"] == \
        ["city", "east", "west"]  # north has no villages count: no unit row
    assert payload["tasks"][1]["lead"] is None  # S.1: lead none
    missing = [f for f in payload["filings"] if f["status"] == "missing"]
    assert {f["unit"] for f in missing} == {"west", "north"}
    assert all(f["reported_on"] is None for f in missing)
    json.dumps(payload)  # serialisable as is


def test_actuals_in_plan_order():
    plan = make_plan(units={"b": 1, "a": 1})
    filings = [make_filing("a", "2024-Q1", value=1), make_filing("b", "2024-Q1", value=1)]
    s = compute(plan, filings, date(2024, 6, 1))
    assert [a.unit for a in s.actuals] == ["b", "a"]  # units.yaml order, not alphabetical
    assert [r.scope for r in s.targets] == [CITY, "b", "a"]
