"""The 督办 rules of SPEC "Status" (v2), one at a time, at their boundaries: the whole-number
序时进度, the points mode, per-unit minimums, 临期, 销号 by review, 待报送, units reporting,
ties — and JSON that keeps every v1 field."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tests.status_helpers import TASKS_YAML, filing_yaml, make_filing, make_plan, write_repo
from tracker.model import Decision, Review
from tracker.repository import load
from tracker.status import CITY, Cutoffs, classify, compute, to_json

END = date(2025, 12, 31)


def unit_row(status, scope, target="t"):
    row = status.target(target, scope)
    assert row is not None, (target, scope)
    return row


# --- 序时进度 in whole units -------------------------------------------------------------


@pytest.mark.parametrize("day, curve, expected", [
    (date(2023, 4, 10), Fraction(99), 99),     # day 99 of 365 on a 0 → 365 line: exactly 99
    (date(2023, 4, 11), Fraction(100), 100),   # exactly a whole number stays that number
])
def test_expected_is_the_curve_rounded_down(day, curve, expected):
    plan = make_plan(points=[(date(2023, 1, 1), 0), (date(2024, 1, 1), 365)],
                     start=date(2023, 1, 1), units={"a": None}, per_unit=False)
    row = unit_row(compute(plan, [], day), CITY)
    assert (row.curve, row.expected) == (curve, expected)


def test_a_fraction_of_a_whole_thing_is_not_expected_yet():
    # 0.999… of a sorting centre is expected the day before the deadline: rounded down, 0
    plan = make_plan(points=[(date(2024, 1, 1), 0), (END, 1)], units={"a": 1})
    day = END - timedelta(days=1)
    row = unit_row(compute(plan, [make_filing("a", "2025-Q3", value=0)], day), "a")
    assert 0 < row.curve < 1 and row.expected == 0 and row.status == "on_track"


def test_the_issues_district_with_none_of_at_least_one_is_not_red_for_four_years():
    # per_unit {min: 1}, a district with 0: on track while less than one is due (2022 → 2025),
    # 临期 in the last 90 days, off track on the deadline itself, overdue the day after.
    plan = make_plan(points=[(date(2022, 1, 1), 0), (END, 2)], units={"a": 0, "b": 0},
                     start=date(2022, 1, 1), min_goal=1)
    zero = [make_filing("a", "2022-Q1", value=0), make_filing("b", "2022-Q1", value=1)]
    for day in (date(2022, 4, 1), date(2024, 6, 30), date(2025, 9, 30)):
        a = unit_row(compute(plan, zero, day), "a")
        assert (a.expected, a.status) == (0, "on_track"), day
    assert unit_row(compute(plan, zero, date(2025, 10, 2)), "a").due_soon
    assert not unit_row(compute(plan, zero, date(2025, 10, 1)), "a").due_soon  # 91 days
    assert unit_row(compute(plan, zero, END), "a").status == "off_track"
    assert unit_row(compute(plan, zero, END + timedelta(days=1)), "a").status == "overdue"


# --- thresholds: points of the goal -------------------------------------------------------

POINTS = Cutoffs(Fraction(4, 5), (Fraction(10), Fraction(30)))


@pytest.mark.parametrize("actual, code", [
    (100, "on_track"),   # gap 0
    (81, "on_track"),    # gap 9.5 < 10
    (80, "lagging"),     # gap 10: not below 10
    (41, "lagging"),     # gap 29.5 < 30
    (40, "off_track"),   # gap 30
    (0, "off_track"),
    (120, "on_track"),   # ahead: a negative gap
    (200, "done"),
])
def test_points_mode_boundaries(actual, code):
    # goal 200, expected 100: gap = 100 × (100 − actual) ÷ 200
    assert classify(actual, 100, 200, END, date(2024, 6, 30), POINTS) == code


def test_points_mode_from_the_plan_file(tmp_path: Path):
    targets = Path(write_repo(tmp_path / "x").joinpath("plan/targets.yaml")).read_text("utf-8")
    targets = targets.replace("thresholds:\n  lagging: 0.8\n",
                              "thresholds:\n  points: {lagging: 10, off_track: 30}\n"
                              "  warn_days: 30\n")
    root = write_repo(tmp_path / "repo", [("east", "2025-Q2", filing_yaml(
        "east", "2025-Q2", targets={"kiosks": 67}))], targets_yaml=targets)
    loaded = load(root)
    assert loaded.repo is not None and not loaded.report.errors, loaded.report.errors
    plan = loaded.repo.plan
    assert plan.thresholds.points == (10.0, 30.0) and plan.thresholds.warn_days == 30
    # kiosks: 100 by 2025-12-31 from 0 on 2024-01-01; on 2025-06-30 the curve is 100 × 546/730
    s = compute(loaded.repo, date(2025, 6, 30))
    row = unit_row(s, CITY, "kiosks")
    assert row.expected == 74  # ⌊74.79⌋
    assert row.status == "on_track"  # gap 7 points < 10 (ratio mode 0.8: 67 ≥ 59.2, on_track too)
    assert to_json(s)["targets"][-1]["expected"] == 74


def test_ratio_and_points_disagree_where_the_expected_value_is_small():
    # Early in a curve: expected 2 of a goal of 100, actual 1. Ratio: 1 < 0.8 × 2 → off track;
    # points: 1 point behind → on track. This is why the Huzhou plan uses points.
    ratio = Cutoffs(Fraction(4, 5))
    assert classify(1, 2, 100, END, date(2024, 1, 10), ratio) == "off_track"
    assert classify(1, 2, 100, END, date(2024, 1, 10), POINTS) == "on_track"


# --- per-unit minimums --------------------------------------------------------------------


def test_the_city_is_not_done_while_one_unit_is_short():
    # The issue's case: 6 built of a city goal of 5, but one district has none of its 1.
    plan = make_plan(points=[(date(2024, 1, 1), 0), (END, 5)],
                     units={"a": 0, "b": 0, "c": 0, "d": 0, "e": 0}, min_goal=1)
    filings = [make_filing(u, "2024-Q2", value=v) for u, v in
               {"a": 2, "b": 1, "c": 2, "d": 1, "e": 0}.items()]
    s = compute(plan, filings, date(2024, 6, 30))
    city = unit_row(s, CITY)
    assert (city.actual, city.goal) == (6, 5)
    assert city.status == "on_track" and (city.units_met, city.units_total) == (4, 5)
    # after the deadline: overdue (e is), though the sum passed the goal long ago
    late = compute(plan, filings, END + timedelta(days=1))
    assert unit_row(late, CITY).status == "overdue"
    # every unit reaches its minimum: done
    filings.append(make_filing("e", "2024-Q3", value=1))
    assert unit_row(compute(plan, filings, date(2024, 9, 30)), CITY).status == "done"


def test_the_city_takes_its_most_severe_units_status():
    plan = make_plan(points=[(date(2024, 1, 1), 0), (date(2024, 12, 31), 9)],
                     units={"a": 0, "b": 0, "c": 0}, min_goal=3, lagging=0.5)
    day = date(2024, 12, 31)  # expected 3 each: a done, b 2 (lagging: 2 ≥ 1.5), c silent
    filings = [make_filing("a", "2024-Q4", value=3), make_filing("b", "2024-Q4", value=2)]
    s = compute(plan, filings, day)
    assert [unit_row(s, u).status for u in "abc"] == ["done", "lagging", "not_reported"]
    assert unit_row(s, CITY).status == "not_reported"  # not_reported is worse than lagging
    filings.append(make_filing("c", "2024-Q4", value=0))  # off track is worse still
    assert unit_row(compute(plan, filings, day), CITY).status == "off_track"


def test_units_met_is_only_on_per_unit_minimum_city_rows():
    s = to_json(compute(make_plan(), [make_filing("a", "2024-Q1", value=3)], date(2024, 6, 1)))
    assert all("units_met" not in t and "units" not in t for t in s["targets"])


# --- 临期 (due soon) ------------------------------------------------------------------------


@pytest.mark.parametrize("days_left, soon", [(91, False), (90, True), (1, True), (0, False)])
def test_due_soon_window(days_left, soon):
    plan = make_plan(units={"a": None}, per_unit=False, due=END)
    day = END - timedelta(days=days_left)
    s = compute(plan, [make_filing("a", "2025-Q1", value=10)], day)
    assert unit_row(s, CITY).due_soon is soon
    assert s.task("1.1").due_soon is soon


def test_what_is_done_is_never_due_soon():
    plan = make_plan(units={"a": None}, per_unit=False)
    s = compute(plan, [make_filing("a", "2025-Q3", value=100)], END - timedelta(days=10))
    assert unit_row(s, CITY).status == "done" and not unit_row(s, CITY).due_soon


def test_warn_days_zero_turns_the_blue_light_off():
    plan = make_plan(units={"a": None}, per_unit=False, warn_days=0)
    s = compute(plan, [], END - timedelta(days=1))
    assert not unit_row(s, CITY).due_soon and not s.task("1.1").due_soon


# --- 销号 by review -------------------------------------------------------------------------


def claim(on: date, progress: str = "done", evidence: bool = True, period: str = "2024-Q2"):
    """The lead's (office's) report on task 1.1, filed on `on`."""
    return make_filing("office", period, progress=progress, evidence=evidence, reported_on=on)


def review(*decisions: tuple[date, str]) -> Review:
    return Review("reviews/1.1.yaml", "1.1", tuple(
        Decision(on, d, "意见", seq=i) for i, (on, d) in enumerate(decisions)))


def task_code(plan, filings, day, *decisions):
    return compute(plan, filings, day, reviews=[review(*decisions)] if decisions else []
                   ).task("1.1").status


def test_with_closure_self_the_claim_closes_the_task_and_reviews_are_ignored():
    plan = make_plan()
    filings = [claim(date(2024, 7, 8))]
    assert task_code(plan, filings, date(2024, 7, 10)) == "done"
    assert task_code(plan, filings, date(2024, 7, 30), (date(2024, 7, 20), "returned")) == "done"


def test_a_claim_awaits_review_until_a_maintainer_approves_it():
    plan = make_plan(closure="review")
    filings = [claim(date(2024, 7, 8))]
    assert task_code(plan, filings, date(2024, 7, 10)) == "pending_review"
    approved = (date(2024, 7, 20), "approved")
    assert task_code(plan, filings, date(2024, 7, 19), approved) == "pending_review"
    assert task_code(plan, filings, date(2024, 7, 20), approved) == "done"


def test_a_returned_claim_is_open_until_claimed_again():
    plan = make_plan(closure="review")
    first = [claim(date(2024, 7, 8))]
    returned = (date(2024, 7, 20), "returned")
    assert task_code(plan, first, date(2024, 7, 25), returned) == "in_progress"
    # the lead claims again with its next filing: awaiting review again
    again = [*first, claim(date(2024, 10, 8), period="2024-Q3")]
    assert task_code(plan, again, date(2024, 10, 10), returned) == "pending_review"
    # approved later: done
    assert task_code(plan, again, date(2024, 10, 25), returned,
                     (date(2024, 10, 20), "approved")) == "done"


def test_an_approval_stays_when_the_lead_keeps_reporting_done():
    plan = make_plan(closure="review")
    filings = [claim(date(2024, 7, 8)), claim(date(2024, 10, 8), period="2024-Q3")]
    assert task_code(plan, filings, date(2024, 10, 10), (date(2024, 7, 20), "approved")) == "done"


def test_a_decision_on_the_claims_day_answers_it():
    plan = make_plan(closure="review")
    filings = [claim(date(2024, 7, 8))]
    assert task_code(plan, filings, date(2024, 7, 9), (date(2024, 7, 8), "returned")) == \
        "in_progress"
    # one day before the claim: it cannot answer it
    assert task_code(plan, filings, date(2024, 7, 9), (date(2024, 7, 7), "returned")) == \
        "pending_review"


def test_on_the_same_day_the_later_decision_in_the_file_wins():
    plan = make_plan(closure="review")
    filings = [claim(date(2024, 7, 8))]
    day = date(2024, 7, 20)
    assert task_code(plan, filings, day, (day, "returned"), (day, "approved")) == "done"
    assert task_code(plan, filings, day, (day, "approved"), (day, "returned")) == "in_progress"


def test_a_claim_needs_evidence_and_the_leads_own_latest_report():
    plan = make_plan(closure="review")
    assert task_code(plan, [claim(date(2024, 7, 8), evidence=False)],
                     date(2024, 7, 10)) == "in_progress"
    # the lead's latest report says in progress again: no claim stands
    withdrawn = [claim(date(2024, 7, 8)),
                 claim(date(2024, 10, 8), progress="in_progress", period="2024-Q3")]
    assert task_code(plan, withdrawn, date(2024, 10, 10)) == "in_progress"


def test_a_pending_review_past_the_due_date_is_still_pending():
    plan = make_plan(closure="review", due=date(2024, 9, 30))
    filings = [claim(date(2024, 7, 8))]
    assert task_code(plan, filings, date(2024, 12, 1)) == "pending_review"
    assert task_code(plan, [], date(2024, 12, 1)) == "overdue"


def test_without_a_lead_the_claim_is_every_units_on_the_latest_date():
    plan = make_plan(closure="review", lead_named=False, task_units=("a", "b"))
    filings = [make_filing("a", "2024-Q2", progress="done", evidence=True,
                           reported_on=date(2024, 7, 3)),
               make_filing("b", "2024-Q2", progress="done", evidence=True,
                           reported_on=date(2024, 7, 9))]
    s = compute(plan, filings, date(2024, 7, 10))
    t = s.task("1.1")
    assert t.status == "pending_review" and t.claim.on == date(2024, 7, 9)
    assert to_json(s)["tasks"][0]["lead"] is None
    only_a = filings[:1]
    assert compute(plan, only_a, date(2024, 7, 10)).task("1.1").status == "in_progress"


def test_reviews_are_read_from_the_repository(tmp_path: Path):
    tasks = TASKS_YAML.replace("  end: 2025-12-31\n", "  end: 2025-12-31\n  closure: review\n")
    root = write_repo(tmp_path, [("office", "2024-Q2", filing_yaml(
        "office", "2024-Q2", reported_on=date(2024, 7, 8), tasks={"1.1": ("done", True)}))],
        tasks_yaml=tasks)
    (root / "reviews").mkdir()
    (root / "reviews" / "1.1.yaml").write_text(
        'task: "1.1"\ndecisions:\n  - on: 2024-07-20\n    decision: approved\n'
        "    note: 材料齐全,同意销号\n", encoding="utf-8")
    loaded = load(root)
    assert loaded.repo is not None and not loaded.report.errors, loaded.report.errors
    assert any(f.endswith("reviews/1.1.yaml") for f in loaded.report.files)
    before = to_json(compute(loaded.repo, date(2024, 7, 19)))["tasks"][0]
    after = to_json(compute(loaded.repo, date(2024, 7, 20)))["tasks"][0]
    assert (before["status"], before["claimed_on"], before["review"]) == (
        "pending_review", "2024-07-08", None)
    assert after["status"] == "done"
    assert after["review"] == {"on": "2024-07-20", "decision": "approved",
                               "note": "材料齐全,同意销号", "path": "reviews/1.1.yaml"}


# --- filings: 待报送 -----------------------------------------------------------------------


def test_an_unfiled_period_is_upcoming_until_its_due_date_then_missing():
    plan = make_plan()
    codes = {d: {f.status for f in compute(plan, [], d).filings if f.period == "2024-Q2"}
             for d in (date(2024, 6, 29), date(2024, 6, 30), date(2024, 7, 10),
                       date(2024, 7, 11))}
    assert codes == {date(2024, 6, 29): set(), date(2024, 6, 30): {"upcoming"},
                     date(2024, 7, 10): {"upcoming"}, date(2024, 7, 11): {"missing"}}


# --- tasks: who has reported ----------------------------------------------------------------


def test_units_reporting_counts_units_with_any_report_on_the_task():
    plan = make_plan(units={"a": 1, "b": 1, "c": 1})  # task 1.1: office, a, b, c
    filings = [make_filing("a", "2024-Q1", progress="not_started"),
               make_filing("b", "2024-Q2", progress="in_progress"),
               make_filing("c", "2024-Q1", value=1)]  # c reports the target, not the task
    row = to_json(compute(plan, filings, date(2024, 6, 30)))["tasks"][0]
    assert (row["units_reporting"], row["units"]) == (2, 4)
    # as_of after D does not count yet
    row = to_json(compute(plan, filings, date(2024, 5, 1)))["tasks"][0]
    assert row["units_reporting"] == 1


# --- ties -------------------------------------------------------------------------------------


def test_equal_scores_share_a_rank_and_keep_the_plans_order():
    plan = make_plan(units={"c": 10, "a": 10, "b": 10, "d": 10})
    filings = [make_filing("c", "2024-Q1", value=5), make_filing("a", "2024-Q1", value=8),
               make_filing("b", "2024-Q1", value=5), make_filing("d", "2024-Q1", value=1)]
    index = to_json(compute(plan, filings, date(2024, 6, 1)))["index"]
    assert [(e["unit"], e["rank"]) for e in index] == [("a", 1), ("c", 2), ("b", 2), ("d", 4)]


# --- JSON: nothing of v1 removed or renamed ---------------------------------------------------

V1_FIELDS = {
    "targets": {"target", "scope", "actual", "expected", "goal", "deadline", "status"},
    "tasks": {"task", "lead", "status"},
    "filings": {"unit", "period", "due", "status", "reported_on"},
    "index": {"unit", "score", "rank"},
}


def test_every_v1_field_is_still_there():
    plan = make_plan(closure="review", min_goal=1, units={"a": 0, "b": 0})
    s = to_json(compute(plan, [make_filing("a", "2024-Q1", value=1, progress="done",
                                           evidence=True)], date(2024, 6, 30)))
    assert {"as_of", "plan", "targets", "tasks", "filings", "index"} <= set(s)
    for key, fields in V1_FIELDS.items():
        assert s[key], key
        for row in s[key]:
            assert fields <= set(row), (key, row)
    city = s["targets"][0]
    assert (city["units_met"], city["units"]) == (1, 2)
