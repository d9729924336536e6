"""`reporting.timeliness: received`: on time / late by the day a filing reached main (issue 11, 7).

The filing's own `reported_on` is what its editor wrote. Where main is protected (every change
arrives by a pull request the forge merges), the day the filing reached main — the committer
date of the first-parent commit that brought it, in the plan's time zone — is a date nobody
filing can choose. The loader fills `Filing.received_on` from one `git log` pass when the plan
asks for it; the status engine judges by it; the ledger shows both dates where they differ.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import copy_base, git
from tests.status_helpers import make_filing, make_plan
from tests.workflow_helpers import EAST, PLAN, commit, edit, file_east_q3
from tracker.cli import cli
from tracker.repository import load
from tracker.status import compute

RECEIVED = ("  required: [districts]\n", "  required: [districts]\n  timeliness: received\n")

# --- the engine (pure) ------------------------------------------------------------------------

def _row(status, unit: str, period: str):
    return next(f for f in status.filings if (f.unit, f.period) == (unit, period))

def test_the_engine_judges_by_the_received_date_when_the_plan_says_so():
    plan = make_plan()
    filing = make_filing("a", "2024-Q1", value=1, reported_on=date(2024, 4, 8))
    filing.received_on = date(2024, 5, 20)  # merged six weeks after it says it was filed
    assert _row(compute(plan, [filing], date(2024, 6, 30)), "a", "2024-Q1").status == "on_time"
    plan.reporting = plan.reporting._replace(timeliness="received")
    row = _row(compute(plan, [filing], date(2024, 6, 30)), "a", "2024-Q1")
    assert (row.status, row.reported_on) == ("late", date(2024, 4, 8))
    # It had not arrived before it reached main.
    assert _row(compute(plan, [filing], date(2024, 5, 1)), "a", "2024-Q1").status == "missing"

def test_a_filing_not_on_main_yet_is_judged_by_reported_on():
    plan = make_plan()
    plan.reporting = plan.reporting._replace(timeliness="received")
    filing = make_filing("a", "2024-Q1", value=1, reported_on=date(2024, 4, 8))
    assert filing.received_on is None
    assert _row(compute(plan, [filing], date(2024, 6, 30)), "a", "2024-Q1").status == "on_time"

# --- the loader, in a real repository ---------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small repository committed on main as the filings arrived: west's 2024-Q1 (which
    says 2024-04-02) only on 25 April; then east's 2024-Q3 merged from a pull request on
    20 October (it says 2024-10-05; due 2024-10-10)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    root = copy_base(tmp_path / "repo")
    edit(root / "plan/targets.yaml", *RECEIVED)
    held = tmp_path / "held"
    held.mkdir()
    for rel in ("east/2024-Q1.yaml", "west/2024-Q1.yaml", "office/2024-Q2.yaml", "east/2024-Q2.yaml"):
        (held / rel.replace("/", "_")).write_bytes((root / "submissions" / rel).read_bytes())
        (root / "submissions" / rel).unlink()
    git(root, "init", "-q")
    commit(root, "plan", PLAN, date="2024-01-02T10:00:00+08:00")
    for rel, when in (("east/2024-Q1.yaml", "2024-04-07T23:00:00+00:00"),
                      ("west/2024-Q1.yaml", "2024-04-25T09:00:00+08:00"),
                      ("office/2024-Q2.yaml", "2024-07-05T09:00:00+08:00"),
                      ("east/2024-Q2.yaml", "2024-07-12T09:00:00+08:00")):
        (root / "submissions" / rel).write_bytes((held / rel.replace("/", "_")).read_bytes())
        commit(root, rel, PLAN, date=when)
    git(root, "checkout", "-q", "-b", "pr")
    file_east_q3(root)
    commit(root, "east q3", EAST, date="2024-10-05T10:00:00+08:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "--no-edit", "pr", author=PLAN,
        date="2024-10-20T16:00:00+08:00")
    monkeypatch.chdir(root)
    return root

def _filings(root: Path, as_of: str = "2024-10-25") -> dict[tuple[str, str], str]:
    result = CliRunner().invoke(cli, ["status", "--format", "json", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return {(f["unit"], f["period"]): f["status"] for f in json.loads(result.stdout)["filings"]}

def test_status_judges_by_the_day_each_filing_reached_main(repo: Path):
    filings = _filings(repo)
    assert filings[("east", "2024-Q1")] == "on_time"  # reached main on 8 April (Shanghai)
    assert filings[("west", "2024-Q1")] == "late"  # says 2 April, reached main on 25 April
    assert filings[("east", "2024-Q3")] == "late"  # says 5 October, merged on 20 October
    # The same data judged by reported_on, as before.
    edit(repo / "plan/targets.yaml", RECEIVED[1], RECEIVED[0])
    filings = _filings(repo)
    assert (filings[("west", "2024-Q1")], filings[("east", "2024-Q3")]) == ("on_time", "on_time")

def test_the_loader_fills_received_on_in_the_plans_time_zone(repo: Path):
    loaded = load(repo)
    assert loaded.repo is not None
    got = {f.path: f.received_on for f in loaded.repo.filings}
    assert got["submissions/west/2024-Q1.yaml"] == date(2024, 4, 25)
    assert got["submissions/east/2024-Q3.yaml"] == date(2024, 10, 20)  # the merge's date
    # Committed at 23:00 UTC on 7 April: 07:00 on the 8th in Shanghai, the plan's day.
    assert got["submissions/east/2024-Q1.yaml"] == date(2024, 4, 8)
    assert not [d for d in loaded.report.diagnostics if d.rule == "git-history"]

def test_an_uncommitted_filing_falls_back_to_reported_on(repo: Path):
    (repo / "submissions/west/2024-Q2.yaml").write_text(
        "unit: west\nperiod: 2024-Q2\nas_of: 2024-06-30\nreported_on: 2024-07-08\nrevision: 1\n"
        "targets:\n  stations:\n    value: 2\n", "utf-8")
    assert _filings(repo)[("west", "2024-Q2")] == "on_time"

def test_only_when_the_plan_asks_is_git_read(repo: Path, monkeypatch: pytest.MonkeyPatch):
    from tracker import provenance

    calls = []
    monkeypatch.setattr(provenance, "received_dates",
                        lambda *a, **k: calls.append(a) or ({}, ""))
    edit(repo / "plan/targets.yaml", RECEIVED[1], RECEIVED[0])
    load(repo)
    assert calls == []
    edit(repo / "plan/targets.yaml", *RECEIVED)
    load(repo)
    assert len(calls) == 1  # one pass for every filing

def test_without_history_it_says_so_and_uses_reported_on(repo: Path, tmp_path: Path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    loaded = load(clone)
    assert loaded.repo is not None
    assert all(f.received_on is None for f in loaded.repo.filings)
    [warning] = [d for d in loaded.report.diagnostics if d.rule == "git-history"]
    assert "浅克隆" in warning.message and warning.severity == "warning"
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    messages = [d.message for d in load(plain).report.diagnostics if d.rule == "git-history"]
    assert messages and "不在 git 版本库中" in messages[0]

def test_the_ledger_shows_both_dates_where_they_differ(repo: Path):
    from tracker.provenance import disabled
    from tracker.site import pages
    from tracker.status import to_json

    loaded = load(repo)
    assert loaded.repo is not None
    status = to_json(compute(loaded.repo, date(2024, 10, 25)), loaded.repo.plan)
    ledger = next(p.body for p in pages.generate(loaded.repo, status, disabled()).pages
                  if p.path == "ledger")
    rows = {row.split('"')[0]: row for row in ledger.split('<tr id="f-')[1:]}
    assert "2024-04-25 合并" in rows["west-2024-Q1"]
    assert "2024-10-20 合并" in rows["east-2024-Q3"]
    assert "合并</span>" not in rows["east-2024-Q1"]  # the same day
    assert "timeliness: received" in ledger

def test_a_plan_that_names_a_time_zone_that_does_not_exist_is_refused(tmp_path: Path):
    root = copy_base(tmp_path / "repo")
    edit(root / "plan/tasks.yaml", "  end: 2025-12-31\n", "  end: 2025-12-31\n  timezone: Asia/Shangai\n")
    report = load(root).report
    assert [d.rule for d in report.errors] == ["plan-timezone"]
