"""销号 decisions, reviews/<task>.yaml: written by the plan maintainers, appended to only.

`tracker check` lets only maintainers change reviews/ (it is outside every unit's folder) and
refuses any edit or removal of a decision that is on the base branch: the base's `decisions`
must be an exact prefix of HEAD's, and the file is never deleted or renamed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import EAST, PLAN, check, commit, make_pr_repo, rules

REVIEW = """\
task: "1.1"
decisions:
  - on: 2024-07-20
    decision: returned      # 退回
    note: 缺少验收材料
  - on: 2024-08-05
    decision: approved      # 同意销号
    note: 材料齐全,同意销号
"""
APPENDED = REVIEW + """\
  - on: 2024-10-08
    decision: returned
    note: 复核发现问题,退回
"""
FILE = "reviews/1.1.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    root = make_pr_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "main")
    (root / "reviews").mkdir()
    (root / FILE).write_text(REVIEW, "utf-8")
    commit(root, "two decisions on 1.1", PLAN, date="2024-08-05T10:00:00+08:00")
    git(root, "checkout", "-q", "-B", "pr")
    monkeypatch.chdir(root)
    return root


def test_a_maintainer_may_append_a_decision(repo: Path):
    (repo / FILE).write_text(APPENDED, "utf-8")
    commit(repo, "returned after all", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_a_maintainer_may_add_a_review_file_and_change_comments(repo: Path):
    (repo / "reviews/1.2.yaml").write_text(
        'task: "1.2"\ndecisions:\n  - on: 2024-10-01\n    decision: approved\n    note: 同意销号\n', "utf-8")
    (repo / FILE).write_text("# 任务 1.1 的销号记录\n" + REVIEW.replace("      # 退回", ""), "utf-8")
    commit(repo, "1.2 approved", PLAN)
    assert check(repo, "--no-status").exit_code == 0


def test_only_maintainers_may_write_decisions(repo: Path):
    (repo / FILE).write_text(APPENDED.replace("returned\n    note: 复核", "approved\n    note: 复核"),
                             "utf-8")
    commit(repo, "east approves its own task", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert ("auth-plan-maintainer", FILE) in rules(result)


def test_an_edited_decision_is_refused_at_its_line(repo: Path):
    (repo / FILE).write_text(REVIEW.replace("decision: returned      # 退回", "decision: approved"),
                             "utf-8")
    commit(repo, "rewrite history", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert re.search(r"^reviews/1\.1\.yaml:3:\d+: error: 已合并的第 1 条销号决定\(基准版本第 3 行\)被修改 "
                     r"\[immutable-review\]$", result.stdout, re.M), result.stdout
    assert "只能追加" in result.stdout


def test_a_removed_decision_is_refused(repo: Path):
    (repo / FILE).write_text(REVIEW.split("  - on: 2024-08-05")[0], "utf-8")
    commit(repo, "forget the approval", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert "已合并的第 2 条销号决定(基准版本第 6 行)被删除" in result.stdout


def test_a_decision_moved_before_another_is_an_edit(repo: Path):
    first, second = REVIEW.split("  - on: 2024-08-05")
    head = first.split("  - on: 2024-07-20")[0]
    (repo / FILE).write_text(head + "  - on: 2024-08-05" + second + "  - on: 2024-07-20"
                             + first.split("  - on: 2024-07-20")[1], "utf-8")
    commit(repo, "reorder", PLAN)
    assert ("immutable-review", FILE) in rules(check(repo, "--no-status"))


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_review_file_is_never_deleted_or_renamed(repo: Path, how: str):
    if how == "delete":
        git(repo, "rm", "-q", FILE)
    else:
        git(repo, "mv", FILE, "reviews/1.1-old.yaml")
    commit(repo, how, PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert ("immutable-review", FILE) in rules(result)


def test_a_changed_review_file_is_validated(repo: Path):
    (repo / FILE).write_text(APPENDED.replace("decision: returned\n    note: 复核", "decision: maybe\n    note: 复核"),
                             "utf-8")
    commit(repo, "an unknown decision", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert any(path == FILE and rule.startswith("schema-") for rule, path in rules(result)), result.stdout


def test_a_decision_moves_the_tasks_status_in_the_summary(repo: Path):
    # With closure: review, east's done-with-evidence claim on 1.2 (2024-Q2) waits for a
    # decision; the plan office's approval in this pull request closes the task.
    git(repo, "checkout", "-q", "main")
    text = (repo / "plan/tasks.yaml").read_text("utf-8")
    (repo / "plan/tasks.yaml").write_text(text.replace("  end: 2025-12-31\n",
                                                       "  end: 2025-12-31\n  closure: review\n"), "utf-8")
    commit(repo, "closure by review", PLAN)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / "reviews/1.2.yaml").write_text(
        'task: "1.2"\ndecisions:\n  - on: 2024-10-01\n    decision: approved\n    note: 同意销号\n',
        "utf-8")
    commit(repo, "1.2 approved", PLAN)
    result = check(repo)
    assert result.exit_code == 0, result.stdout
    row = next((line for line in result.stdout.splitlines() if line.startswith("| 1.2")), "")
    assert "待审核销号" in row and "已完成" in row, result.stdout
