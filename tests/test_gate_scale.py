"""`tracker check` at national scale (issue 14): a one-filing pull request costs what it
changes, not what the repository holds — and is judged as strictly as before.

What it reads is asserted by counting (the files opened, the folders listed), never by time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import (
    AS_OF,
    EAST,
    PLAN,
    WEST,
    check,
    commit,
    edit,
    file_east_q3,
    rules,
)
from tracker import repository
from tracker.gate import context as check_context
from tracker.gate import delta as gate_delta
from tracker.gate.check import CheckSettings, run_check
from tracker.status import CITY


@pytest.fixture
def repo(pr_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_PARALLEL", "0")  # every read happens here, where it is counted
    return pr_repo


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every YAML file the check loads (gate.delta's and the loader's reads), as given."""
    read: list[str] = []
    for module in (gate_delta, repository):
        real = module.load_file

        def spy(file, *args, _real=real, **kwargs):
            read.append(Path(file).as_posix())
            return _real(file, *args, **kwargs)

        monkeypatch.setattr(module, "load_file", spy)
    return read


def test_above_the_limit_the_delta_reads_only_the_changed_units(repo: Path, monkeypatch):
    monkeypatch.setattr(check_context, "ALL_UNITS_LIMIT", 2)  # east, office, west: 3 > 2
    read = _count_reads(monkeypatch)
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert not [p for p in read if "/west/" in p or "/office/" in p], read
    assert any(p.endswith("submissions/east/2024-Q2.yaml") for p in read)  # its own unit: all
    out = result.stdout
    # East's own rows are exact; the city row (east and west report it) is not computed, but
    # what east adds to it is: 3 → 5 stations.
    assert "| 东区 | 2024-Q3 | 🟡 待报送 | 🟢 按时 |" in out
    assert "| 村级服务站 | 全市 |" not in out
    assert "| 村级服务站 | +2 |" in out
    assert "--delta full" in out


def test_up_to_the_limit_every_unit_is_read_and_city_rows_are_shown(repo: Path, monkeypatch):
    monkeypatch.setattr(check_context, "ALL_UNITS_LIMIT", 3)
    read = _count_reads(monkeypatch)
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout
    assert any("/west/" in p for p in read)
    assert "| 村级服务站 | 全市 | 🔴 严重滞后 | 🟢 正常推进 | 4 → 6 |" in result.stdout
    # --delta units asks for the cheap one whatever the size.
    assert "| 村级服务站 | 全市 |" not in check(repo, "--delta", "units").stdout


WEST_Q2 = """\
unit: west
period: 2024-Q2
as_of: 2024-06-30
reported_on: 2024-10-05
revision: 1
targets:
  stations:
    value: 2
  centres:
    value: 1
tasks:
  "S.1":
    progress: in_progress
    summary: 工作专班按月调度
"""


def _deltas(root: Path):
    day = date.fromisoformat(AS_OF)
    full = run_check(CheckSettings(root, "main", as_of=day, every_unit=True)).delta
    own = run_check(CheckSettings(root, "main", as_of=day, every_unit=False)).delta
    return full, own


def test_the_changed_units_rows_are_those_of_the_full_delta(repo: Path):
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    full, own = _deltas(repo)
    assert [m for m in full.targets if m.scope != CITY] == list(own.targets)
    assert full.filings == own.filings and full.arrived == own.arrived
    assert any(m.scope == CITY for m in full.targets)
    assert not own.tasks and not own.index


def test_aggregates_of_changed_units_only_are_exact(repo: Path):
    # East and west both file: every target is reported by exactly them, tasks 1.2 and S.1
    # name only them, and the index ranks only them — all of it is exact without reading
    # anyone else (task 1.1 also names the office, so it stays out).
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    (repo / "submissions/west/2024-Q2.yaml").write_text(WEST_Q2, "utf-8")
    commit(repo, "西区 2024-Q2", WEST)
    full, own = _deltas(repo)
    assert full.targets == own.targets and full.filings == own.filings
    assert full.index == own.index
    assert [m for m in full.tasks if m.task != "1.1"] == list(own.tasks)


def test_a_one_filing_pull_request_does_not_list_every_unit_folder(repo: Path, monkeypatch):
    listed: list[str] = []
    real = repository._entries

    def spy(folder, problems):
        listed.append(Path(folder).name)
        return real(folder, problems)

    monkeypatch.setattr(repository, "_entries", spy)
    amend_east_q2(repo)
    result = check(repo, "--delta", "units")
    assert result.exit_code == 0, result.stdout
    assert "submissions" not in listed  # the unit's own folder is looked up, not searched for
    assert "east" in listed
    # A register changed: its codes must be unique across units, so every unit is listed.
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    listed.clear()
    assert check(repo, "--delta", "units").exit_code == 0
    assert "submissions" in listed


def amend_east_q2(root: Path) -> None:
    """East amends its merged 2024-Q2 filing: a new summary, revision 2 → 3, with a reason."""
    path = root / "submissions/east/2024-Q2.yaml"
    edit(path, "revision: 2\namendment_reason: 更正服务站数量",
         "revision: 3\namendment_reason: 补充进展说明")
    edit(path, "summary: 新建一个服务站", "summary: 新建一个服务站，已选址")
    commit(root, "东区 2024-Q2 修订", EAST)


# --- what a scoped check must still read: the unit's other files ---------------------------

def test_a_value_below_the_unit_s_earlier_filing_is_still_caught(repo: Path):
    (repo / "submissions/east/2024-Q3.yaml").write_text(
        (repo / "submissions/east/2024-Q2.yaml").read_text("utf-8")
        .replace("period: 2024-Q2", "period: 2024-Q3").replace("as_of: 2024-06-30", "as_of: 2024-09-30")
        .replace("reported_on: 2024-07-12", "reported_on: 2024-10-05")
        .replace("revision: 2\namendment_reason: 更正服务站数量\n", "revision: 1\n")
        .replace("value: 3", "value: 2"), "utf-8")
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo, "--delta", "units")
    assert result.exit_code == 1
    found = rules(result)
    # Against the unchanged Q2 (3 stations) and the unchanged register (3 open points).
    assert ("filing-value-decreased", "submissions/east/2024-Q3.yaml") in found
    assert ("register-count-mismatch", "submissions/east/2024-Q3.yaml") in found


def test_a_deleted_filing_and_a_plan_change_are_caught_in_a_large_repository(repo: Path,
                                                                               monkeypatch):
    monkeypatch.setattr(check_context, "ALL_UNITS_LIMIT", 1)
    (repo / "submissions/west/2024-Q1.yaml").unlink()
    edit(repo / "plan/units.yaml", "counts: {villages: 6}", "counts: {villages: 7}")
    commit(repo, "west gone, plan changed", WEST)
    result = check(repo)
    found = rules(result)
    assert ("immutable-delete", "submissions/west/2024-Q1.yaml") in found
    assert ("auth-plan-maintainer", "plan/units.yaml") in found
    assert "计划或配置有改动" in check(repo, "--markdown", "pr.md").stdout + \
        (repo / "pr.md").read_text("utf-8")


def test_reads_every_unit_counts_folders_only(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(check_context, "ALL_UNITS_LIMIT", 2)
    subs = tmp_path / "submissions"
    assert check_context.reads_every_unit(tmp_path)  # none yet
    for name in ("a", "b"):
        (subs / name).mkdir(parents=True)
    (subs / "README.md").write_text("x", "utf-8")
    assert check_context.reads_every_unit(tmp_path)
    (subs / "c").mkdir()
    assert not check_context.reads_every_unit(tmp_path)
    assert check_context.reads_every_unit(tmp_path, "full")
    assert not check_context.reads_every_unit(tmp_path, "units")


# --- a changed register: codes unique across units, without reading every unit -------------

WEST_REGISTER = """\
unit: west
target: stations
items:
  - {code: "330902001", name: 西一村服务站, opened: 2024-01-10}
"""


def test_a_changed_register_is_compared_only_with_registers_that_could_share_a_code(
        repo: Path, monkeypatch):
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/registers").mkdir()
    (repo / "submissions/west/registers/stations.yaml").write_text(WEST_REGISTER, "utf-8")
    commit(repo, "西区台账", WEST)
    git(repo, "checkout", "-q", "pr")
    git(repo, "reset", "-q", "--hard", "main")
    read = _count_reads(monkeypatch)
    file_east_q3(repo)  # east's register gains 330901005 and 330901006
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo, "--delta", "units")
    assert result.exit_code == 0, result.stdout
    assert any(p.endswith("east/registers/stations.yaml") for p in read)
    # West's codes begin with its region code 330902: none can be east's 330901….
    assert not any("/west/" in p for p in read), read


def test_a_code_another_unit_already_has_is_still_caught(repo: Path, monkeypatch):
    read = _count_reads(monkeypatch)
    (repo / "submissions/west/registers").mkdir()
    (repo / "submissions/west/registers/stations.yaml").write_text(
        WEST_REGISTER.replace("330902001", "330901001"), "utf-8")  # east's first village
    commit(repo, "西区台账", WEST)
    result = check(repo, "--delta", "units")
    found = rules(result)
    assert ("register-duplicate-code", "submissions/west/registers/stations.yaml") in found
    assert ("register-code-region", "submissions/west/registers/stations.yaml") in found
    assert any(p.endswith("east/registers/stations.yaml") for p in read)


# --- a 销号 decision: its task's units are read, so its status move is exact ----------------

def test_a_changed_decision_s_task_is_computed_from_its_units(repo: Path, monkeypatch):
    git(repo, "checkout", "-q", "main")
    edit(repo / "plan/tasks.yaml", "  end: 2025-12-31\n", "  end: 2025-12-31\n  closure: review\n")
    (repo / "reviews").mkdir()
    (repo / "reviews/1.2.yaml").write_text(
        'task: "1.2"\ndecisions:\n  - on: 2024-07-20\n    decision: returned\n    note: 缺少材料\n',
        "utf-8")
    commit(repo, "review closure", PLAN, date="2024-07-20T10:00:00+08:00")
    git(repo, "checkout", "-q", "pr")
    git(repo, "reset", "-q", "--hard", "main")
    # East (lead of 1.2) claimed it with evidence in 2024-Q2; the office now approves.
    (repo / "reviews/1.2.yaml").write_text(
        (repo / "reviews/1.2.yaml").read_text("utf-8")
        + "  - on: 2024-10-08\n    decision: approved\n    note: 同意销号\n", "utf-8")
    commit(repo, "1.2 approved", PLAN)
    full, own = _deltas(repo)
    assert [(m.task, m.new) for m in full.tasks] == [("1.2", "done")]
    assert own.tasks == full.tasks
