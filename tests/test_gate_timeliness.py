"""Timeliness is not only self-declared (issue 11, item 7, the gate's part).

A filing the pull request adds may not say it was filed after today (where the plan is), nor
before the day it was first committed: a filing committed months after its due date with a
backdated reported_on was counted 按时, and `reported_on: 2031-01-01` passed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import EAST, PLAN, Q3_FILING, check, commit, edit, file_east_q3


@pytest.fixture
def repo(pr_repo: Path) -> Path:
    return pr_repo


def test_a_reported_on_in_the_future_is_refused(repo: Path):
    file_east_q3(repo)
    edit(repo / "submissions/east/2024-Q3.yaml", "reported_on: 2024-10-05", "reported_on: 2099-01-01")
    commit(repo, "q3, dated ahead", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert re.search(r"^submissions/east/2024-Q3\.yaml:4:\d+: error: 报送日期 reported_on 2099-01-01 "
                     r"晚于今天 \d{4}-\d\d-\d\d\(Asia/Shanghai\) \[timeliness-future\]$",
                     result.stdout, re.M), result.stdout


def test_a_filing_for_a_period_that_has_not_begun_is_refused(repo: Path):
    # Filed in October 2024 for 2025-Q2: on time for a period that has not begun, so the unit
    # would be 按时 for it whatever happens, and never reminded. validate only warns
    # (filing-reported-before-as-of: a filing made a few days before its period ends is
    # tolerated); no one can report on a period before it starts. (The day is the library's:
    # the test plan ends in 2025, and the CLI's today is the machine's.)
    from tracker.gate.check import CheckSettings, run_check

    (repo / "submissions/east/2025-Q2.yaml").write_text(
        Q3_FILING.replace("2024-Q3", "2025-Q2").replace("as_of: 2024-09-30", "as_of: 2025-06-30")
        .replace("value: 5", "value: 3"), "utf-8")
    commit(repo, "2025-Q2 ahead of time", EAST)
    found = run_check(CheckSettings(repo, "main", status=False, today=date(2024, 10, 10))).report
    assert [(d.rule, d.path, d.line) for d in found.errors] == [
        ("timeliness-future", "submissions/east/2025-Q2.yaml", 2)]
    assert found.errors[0].message == ("期次 2025-Q2 从 2025-04-01 开始，晚于今天 2024-10-10"
                                       "(Asia/Shanghai)：还不能报送这一期")


def test_a_filing_for_the_current_period_is_still_only_a_warning(repo: Path):
    # The period has begun: filing before it ends is what validate warns about, no more.
    from tracker.gate.check import CheckSettings, run_check

    file_east_q3(repo)
    commit(repo, "q3", EAST)
    found = run_check(CheckSettings(repo, "main", status=False, today=date(2024, 10, 5))).report
    assert not found.errors
    (repo / "submissions/east/2024-Q4.yaml").write_text(
        Q3_FILING.replace("2024-Q3", "2024-Q4").replace("as_of: 2024-09-30", "as_of: 2024-12-31"),
        "utf-8")
    commit(repo, "q4 early", EAST)
    found = run_check(CheckSettings(repo, "main", status=False, today=date(2024, 10, 5))).report
    assert not found.errors
    assert [d.rule for d in found.warnings] == ["filing-reported-before-as-of"]


def test_a_backdated_reported_on_is_refused(repo: Path):
    # Filed (committed) in February 2025 for 2024-Q3, due 2024-10-10, "reported" on time.
    file_east_q3(repo)
    sha = commit(repo, "q3, months late", EAST, date="2025-02-03T09:00:00+08:00")
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert re.search(r"^submissions/east/2024-Q3\.yaml:4:\d+: error: 报送日期 reported_on 2024-10-05 "
                     rf"早于这份报送第一次提交的日期 2025-02-03\(提交 {sha[:10]}，Asia/Shanghai\) "
                     r"\[timeliness-backdated\]$", result.stdout, re.M), result.stdout


def test_the_day_of_the_commit_is_the_plans_day(repo: Path):
    # 23:30 UTC on 4 October is 5 October in Shanghai: reported_on 2024-10-05 is that day.
    file_east_q3(repo)
    commit(repo, "q3 late at night (UTC)", EAST, date="2024-10-04T23:30:00+00:00")
    assert check(repo, "--no-status").exit_code == 0
    # Saying the 4th (UTC's day of the first commit) is a day early in Shanghai.
    edit(repo / "submissions/east/2024-Q3.yaml", "reported_on: 2024-10-05", "reported_on: 2024-10-04")
    commit(repo, "the 4th", EAST, date="2024-10-04T23:40:00+00:00")
    found = check(repo, "--no-status").stdout
    assert "[timeliness-backdated]" in found and "第一次提交的日期 2024-10-05" in found


def test_a_plan_in_another_time_zone_judges_by_its_own_day(repo: Path):
    git(repo, "checkout", "-q", "main")
    edit(repo / "plan/tasks.yaml", "  end: 2025-12-31\n", "  end: 2025-12-31\n  timezone: UTC\n")
    commit(repo, "plan kept in UTC", PLAN, date="2024-07-16T10:00:00+08:00")
    git(repo, "checkout", "-q", "-B", "pr")
    file_east_q3(repo)
    edit(repo / "submissions/east/2024-Q3.yaml", "reported_on: 2024-10-05", "reported_on: 2024-10-04")
    commit(repo, "q3", EAST, date="2024-10-04T23:30:00+00:00")
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_amendments_keep_their_first_date_and_are_not_judged_again(repo: Path):
    from tracker.filing.scaffold import amend_file

    path = repo / "submissions/east/2024-Q1.yaml"  # reported 2024-04-08, amended in October
    amend_file(path)
    edit(path, 'amendment_reason: ""', "amendment_reason: 分拣中心数量漏报")
    edit(path, "value: 0", "value: 1")
    commit(repo, "amend", EAST)
    assert check(repo, "--no-status").exit_code == 0


def test_today_is_the_settings_when_given(repo: Path):
    # The library takes the day explicitly: the boundary is inclusive.
    from tracker.gate.check import CheckSettings, run_check

    file_east_q3(repo)
    commit(repo, "q3", EAST)
    on_the_day = run_check(CheckSettings(repo, "main", status=False, today=date(2024, 10, 5)))
    assert not on_the_day.report.errors
    day_before = run_check(CheckSettings(repo, "main", status=False, today=date(2024, 10, 4)))
    assert [d.rule for d in day_before.report.errors] == ["timeliness-future"]
