"""What a pull request changes is read from history that a merge cannot hide (issue 11, 1 and 6).

The gate judges the net change of every path between the merge base and HEAD, and attributes
each changed path to the commits in BASE..HEAD that changed it: a non-merge commit for what it
changes, a merge commit for its own resolution — including a resolution that takes an older
version of the base branch's file, which `git log --cc` does not show.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import (
    EAST,
    PLAN,
    WEST,
    check,
    commit,
    edit,
    file_east_q3,
    head,
    merge_tree,
    restore,
    rules,
)

WEST_Q3 = ("unit: west\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-05\nrevision: 1\n"
           "targets:\n  stations:\n    value: 2\n")
SECOND_MAINTAINER = ("maintainers: [plan@example.invalid]",
                     "maintainers: [plan@example.invalid, audit@example.invalid]")
PHOTO = "evidence/east/2024-Q2/photo.txt"


@pytest.fixture
def repo(pr_repo: Path) -> Path:
    return pr_repo


def _main_moves_on(repo: Path) -> str:
    """On main after the first commit: east replaces its photo, the office adds a maintainer.
    Returns the first commit (the older base commit a merge can take files from)."""
    first = head(repo, "main")
    git(repo, "checkout", "-q", "main")
    (repo / PHOTO).write_text("东区照片 第二版\n", "utf-8")
    commit(repo, "east: new photo", EAST, date="2024-07-20T10:00:00+08:00")
    edit(repo / "plan/units.yaml", *SECOND_MAINTAINER)
    commit(repo, "office: second maintainer", PLAN, date="2024-07-21T10:00:00+08:00")
    git(repo, "checkout", "-q", "-B", "pr")
    return first


def test_a_merge_with_an_older_base_commit_cannot_revert_files_unseen(repo: Path):
    # The case: a merge whose second parent is an older commit of main, resolved to
    # that commit's units.yaml (a maintainer dropped) and east's old photo. Each path equals
    # one parent, so `git log --cc` listed neither; the parent lies outside main..HEAD.
    older = _main_moves_on(repo)
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    commit(repo, "west q3", WEST)
    restore(repo, older, "plan/units.yaml", PHOTO)
    sha = merge_tree(repo, [head(repo), older], WEST)
    result = check(repo)
    assert result.exit_code == 1, result.stdout
    found = rules(result)
    assert ("auth-plan-maintainer", "plan/units.yaml") in found
    assert ("auth-unit-editor", PHOTO) in found
    assert f"提交 {sha[:10]}(作者 West Editor <west@example.invalid>)" in result.stdout
    # West's own filing is west's, whoever merged what.
    assert ("auth-unit-editor", "submissions/west/2024-Q3.yaml") not in found


def test_a_merge_of_main_into_an_old_branch_cannot_keep_the_old_files_unseen(repo: Path):
    # The branch starts from the first commit of main; main then changes units.yaml and east's
    # photo; the merge of main into the branch is resolved to the branch's (old) versions.
    # Each path equals the first parent (in the pull request): --cc listed neither.
    older = head(repo, "main")
    _main_moves_on(repo)
    git(repo, "checkout", "-q", "-B", "pr", older)
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    commit(repo, "west q3", WEST)
    git(repo, "merge", "-q", "--no-commit", "main", author=WEST)
    restore(repo, older, "plan/units.yaml", PHOTO)
    merge_tree(repo, [head(repo), head(repo, "main")], WEST)
    found = rules(check(repo))
    assert ("auth-plan-maintainer", "plan/units.yaml") in found
    assert ("auth-unit-editor", PHOTO) in found


def test_merging_main_is_still_not_blamed_on_the_merger(repo: Path):
    # The ordinary case the rule must keep: main moved on (another unit filed, the plan office
    # changed units.yaml), east merges main into its pull request.
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    commit(repo, "west q3", WEST)
    edit(repo / "plan/units.yaml", *SECOND_MAINTAINER)
    commit(repo, "office: second maintainer", PLAN)
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--no-edit", "main", author=EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_a_maintainer_may_update_the_branch_of_a_units_pull_request(repo: Path):
    # The forge's "Update branch" button merges main into the pull request as whoever pressed
    # it: east's files come from the pull request's own side, not from the merge.
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    commit(repo, "west q3", WEST)
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--no-edit", "main", author=PLAN)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_an_orphan_root_commit_merged_in_is_seen_whatever_the_git_config(repo: Path):
    # A history of its own (an orphan branch) merged into the pull request: its root commit
    # adds a file to east's evidence as west. With log.showRoot=false, `git log` shows no diff for a root
    # commit, and the merge takes the file from that parent unchanged.
    git(repo, "config", "log.showRoot", "false")
    git(repo, "checkout", "-q", "--orphan", "stray")
    git(repo, "rm", "-rq", "--cached", ".")
    for path in list(repo.iterdir()):
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    (repo / "evidence/east/2024-Q3").mkdir(parents=True)
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("西区伪造的材料", "utf-8")
    commit(repo, "stray root", WEST)
    git(repo, "checkout", "-q", "-f", "pr")
    git(repo, "merge", "-q", "--no-edit", "--allow-unrelated-histories", "stray", author=EAST)
    result = check(repo)
    assert result.exit_code == 1, result.stdout
    assert ("auth-unit-editor", "evidence/east/2024-Q3/验收.pdf") in rules(result)


def _criss_cross(repo: Path) -> tuple[str, str, str]:
    """Main as the forge builds it: two pull requests branched from the first commit, merged
    one after the other with merge commits; the second (the plan office's) adds a maintainer.
    Returns (first commit, main after the first merge, the second pull request's commit)."""
    first = head(repo, "main")
    git(repo, "checkout", "-q", "-b", "docs", first)
    (repo / "docs.md").write_text("说明\n", "utf-8")
    commit(repo, "office: docs", PLAN, date="2024-07-16T10:00:00+08:00")
    git(repo, "checkout", "-q", "-b", "units", first)
    edit(repo / "plan/units.yaml", *SECOND_MAINTAINER)
    units = commit(repo, "office: second maintainer", PLAN, date="2024-07-17T10:00:00+08:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "docs", author=PLAN,
        date="2024-07-18T10:00:00+08:00")
    docs_merged = head(repo)
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "units", author=PLAN,
        date="2024-07-19T10:00:00+08:00")
    return first, docs_merged, units


def test_a_criss_cross_merge_cannot_revert_files_unseen(repo: Path):
    # West merges the two commits main merged (neither an ancestor of the other), resolved to
    # the first commit's units.yaml: main and the pull request now have two merge bases. The
    # net change against the one `git diff main...HEAD` picks does not list units.yaml (it is
    # that base's own), yet merging the pull request (a merge over both bases) drops the
    # maintainer main added.
    first, docs_merged, units = _criss_cross(repo)
    git(repo, "checkout", "-q", "-B", "pr", docs_merged)
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    west = commit(repo, "west q3", WEST)
    git(repo, "merge", "-q", "--no-commit", "--no-ff", units, author=WEST)
    restore(repo, first, "plan/units.yaml")
    merge_tree(repo, [west, units], WEST)
    result = check(repo, "--format", "json", "--no-status")
    assert result.exit_code == 1, result.stdout
    found = json.loads(result.stdout)["diagnostics"]
    assert [d["rule"] for d in found] == ["git-merge-base"], found
    assert "更新分支" in found[0]["hint"] and "git merge main" in found[0]["hint"]
    # Merging main into the pull request (what the hint says) leaves one merge base, main:
    # the old units.yaml is then the merge's own resolution, and west's.
    git(repo, "merge", "-q", "--no-edit", "main", author=WEST)
    assert ("auth-plan-maintainer", "plan/units.yaml") in rules(check(repo, "--no-status"))


def test_an_ordinary_merge_of_main_has_one_merge_base(repo: Path):
    first, docs_merged, units = _criss_cross(repo)
    git(repo, "checkout", "-q", "-B", "pr", docs_merged)
    (repo / "submissions/west/2024-Q3.yaml").write_text(WEST_Q3, "utf-8")
    commit(repo, "west q3", WEST)
    git(repo, "merge", "-q", "--no-edit", "main", author=WEST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_a_path_main_changed_since_the_branch_started_is_judged_after_merging_main(repo: Path):
    # East amends 2024-Q1 (revision 2, centres 0 → 1); meanwhile main merged another amendment
    # of the same filing (revision 2, a new summary) with the same reason. Against the merge
    # base the pull request is a proper amendment, and git merges the two cleanly: main would
    # get centres 1 at revision 2, an edit with no revision of its own.
    path = repo / "submissions/east/2024-Q1.yaml"
    edit(path, "revision: 1", "revision: 2\namendment_reason: 更正")
    edit(path, "value: 0", "value: 1")
    commit(repo, "east: centres", EAST)
    git(repo, "checkout", "-q", "main")
    edit(path, "revision: 1", "revision: 2\namendment_reason: 更正")
    edit(path, "summary: 已完成选址", "summary: 已完成选址和设计")
    commit(repo, "east: summary", EAST, date="2024-10-04T10:00:00+08:00")
    git(repo, "checkout", "-q", "pr")
    result = check(repo, "--format", "json", "--no-status")
    assert result.exit_code == 1, result.stdout
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["rule"], d["path"]) for d in found] == [
        ("git-outdated", "submissions/east/2024-Q1.yaml")], found
    assert "git merge main" in found[0]["hint"]
    # Merged with main, the same change is an edit of main's revision 2, and said so.
    git(repo, "merge", "-q", "--no-edit", "main", author=EAST)
    found = rules(check(repo, "--no-status"))
    assert found == {("immutable-edit", "submissions/east/2024-Q1.yaml")}, found


def test_a_path_both_sides_changed_alike_is_not_outdated(repo: Path):
    # Main has the pull request's filing already (east filed it twice, the first pull request
    # is merged): merging changes nothing there.
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    git(repo, "checkout", "-q", "main")
    file_east_q3(repo)
    commit(repo, "q3 (the first pull request)", EAST)
    git(repo, "checkout", "-q", "pr")
    (repo / "evidence/east/2024-Q3").mkdir(parents=True)
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("%PDF-1.4", "utf-8")
    commit(repo, "evidence", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_a_base_that_does_not_exist_is_said_so(repo: Path):
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    result = check(repo, "--base", "mian")
    assert result.exit_code == 2, result.stdout
    assert "mian" in result.stderr and "不存在" in result.stderr
    assert "浅克隆" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
