"""`tracker check --base REF`: pull requests in real git repositories with several identities."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import (
    EAST,
    OFFICE,
    PLAN,
    Q3_FILING,
    WEST,
    check,
    commit,
    edit,
    file_east_q3,
    make_pr_repo_in_subfolder,
    rules,
)
from tracker.gate.authorization import identities
from tracker.gate.git import parse_log, parse_raw_diff


@pytest.fixture
def repo(pr_repo: Path) -> Path:
    return pr_repo


def test_an_authorized_new_filing_passes_and_its_status_moves_are_shown(repo: Path):
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "通过 OK" in result.stdout
    # The move the filing causes, as a Markdown table row: the city's 4 of an expected 6
    # (⌊6.2⌋) was off track; with east's 5 it is 6, on track. (East itself: 3 of ⌊3.9⌋ = 3 was
    # already on track.)
    row = next(line for line in result.stdout.splitlines()
               if line.startswith("| 村级服务站 | 全市 |"))
    assert "严重滞后" in row and "正常推进" in row and "4 → 6" in row
    assert "`submissions/east/2024-Q3.yaml`" in result.stdout  # listed as received


def test_only_the_changed_files_are_validated(repo: Path):
    # A broken file elsewhere, committed on main before the pull request, is not this PR's.
    edit(repo / "submissions/west/2024-Q1.yaml", "value: 1", "value: -1")
    git(repo, "commit", "-qam", "broken west", author=WEST)
    git(repo, "branch", "-f", "main", "HEAD")
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", EAST)
    result = check(repo, "--format", "json")
    assert result.exit_code == 0, result.stdout
    import json

    report = json.loads(result.stdout)
    assert "submissions/east/2024-Q3.yaml" in report["files"]
    assert "submissions/west/2024-Q1.yaml" not in report["files"]


def test_another_units_editor_may_not_file_for_this_unit(repo: Path):
    file_east_q3(repo)
    sha = commit(repo, "东区 2024-Q3 (by west)", WEST)
    result = check(repo)
    assert result.exit_code == 1
    found = rules(result)
    assert ("auth-unit-editor", "submissions/east/2024-Q3.yaml") in found
    assert ("auth-unit-editor", "submissions/east/registers/stations.yaml") in found
    assert f"提交 {sha[:10]}(作者 West Editor <west@example.invalid>)" in result.stdout
    assert "east 的 editors：east@example.invalid" in result.stdout


def test_editor_email_matches_case_insensitively(repo: Path):
    file_east_q3(repo)
    commit(repo, "东区 2024-Q3", "East Editor <EAST@Example.INVALID>")
    assert check(repo).exit_code == 0


def test_a_silent_edit_of_a_merged_filing_fails(repo: Path):
    edit(repo / "submissions/east/2024-Q1.yaml", "value: 0", "value: 1")
    commit(repo, "fix centres", EAST)
    result = check(repo)
    assert result.exit_code == 1
    assert ("immutable-edit", "submissions/east/2024-Q1.yaml") in rules(result)
    assert "revision 应从 1 改为 2，实际是 1" in result.stdout
    assert re.search(r"submissions/east/2024-Q1.yaml:5:\d+: error: .*\[immutable-edit\]", result.stdout)


def test_an_amendment_with_a_reason_passes(repo: Path):
    from tracker.filing.scaffold import amend_file

    path = repo / "submissions/east/2024-Q1.yaml"
    amend_file(path)
    edit(path, 'amendment_reason: ""', "amendment_reason: 分拣中心数量漏报，更正为 1")
    edit(path, "value: 0", "value: 1")
    commit(repo, "amend 2024-Q1", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_an_amendment_keeps_the_original_reported_on(repo: Path):
    # reported_on is the date the filing was made (SPEC), and on time / late is judged by it:
    # an amendment must not move it, or a late filing could be amended into an on-time one.
    from tracker.filing.scaffold import amend_file

    path = repo / "submissions/east/2024-Q1.yaml"
    amend_file(path)
    edit(path, 'amendment_reason: ""', "amendment_reason: 更正")
    edit(path, "reported_on: 2024-04-08", "reported_on: 2024-04-01")
    commit(repo, "amend 2024-Q1 and its date", EAST)
    result = check(repo)
    assert result.exit_code == 1
    assert re.search(r"submissions/east/2024-Q1.yaml:4:\d+: error: .*2024-04-08.*\[immutable-edit\]",
                     result.stdout), result.stdout


def test_an_amendment_must_raise_revision_by_exactly_one_and_give_a_new_reason(repo: Path):
    path = repo / "submissions/east/2024-Q2.yaml"  # already revision 2, with a reason
    edit(path, "revision: 2", "revision: 4")
    edit(path, "value: 1", "value: 2")
    commit(repo, "jump", EAST)
    assert "revision 应从 2 改为 3，实际是 4" in check(repo).stdout
    edit(path, "revision: 4", "revision: 3")
    commit(repo, "same reason", EAST)
    result = check(repo)
    assert result.exit_code == 1
    assert "amendment_reason 与上一版相同" in result.stdout


def test_a_new_filing_starts_at_revision_1(repo: Path):
    # SPEC: 1 for a new filing. A first filing that says revision 3 with a reason reads as a
    # twice-corrected record of something filed before, which nothing on main ever held.
    file_east_q3(repo)
    edit(repo / "submissions/east/2024-Q3.yaml", "revision: 1",
         "revision: 3\namendment_reason: 更正服务站数量")
    commit(repo, "q3", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert re.search(r"^submissions/east/2024-Q3\.yaml:5:11: error: 新的报送 revision 应为 1，实际是 3"
                     r"：main 上还没有这份报送，没有可修订的版本 \[immutable-edit\]$", result.stdout, re.M), \
        result.stdout


def test_a_filing_renamed_into_place_is_new_too(repo: Path):
    # main holds a stray .yml (validate only warns); renaming it to .yaml adds the filing, so
    # it starts at revision 1 like any other new one.
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/east/2024-Q3.yml").write_text(Q3_FILING, "utf-8")
    commit(repo, "stray .yml", PLAN, date="2024-10-01T10:00:00+08:00")
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--ff-only", "main")
    git(repo, "mv", "submissions/east/2024-Q3.yml", "submissions/east/2024-Q3.yaml")
    edit(repo / "submissions/east/2024-Q3.yaml", "revision: 1",
         "revision: 3\namendment_reason: 更正")
    commit(repo, "rename", EAST)
    result = check(repo, "--no-status")
    assert ("immutable-edit", "submissions/east/2024-Q3.yaml") in rules(result), result.stdout


def test_an_amendment_on_a_branch_main_squash_merged_is_told_to_merge_main_only(repo: Path):
    # East's Q3 was squash-merged; East goes on amending it on the same branch. The branch is
    # outdated (main holds Q3 through another commit), which is what the check says, and it
    # does not also claim that main holds no such filing.
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--squash", "pr")
    commit(repo, "q3 (#1)", EAST)
    git(repo, "checkout", "-q", "pr")
    path = repo / "submissions/east/2024-Q3.yaml"
    edit(path, "revision: 1", "revision: 2\namendment_reason: 更正")
    commit(repo, "amend", EAST, date="2024-10-07T10:00:00+08:00")
    result = check(repo, "--no-status")
    assert ("git-outdated", "submissions/east/2024-Q3.yaml") in rules(result), result.stdout
    assert "main 上还没有这份报送" not in result.stdout


def test_a_comment_only_change_of_a_merged_filing_is_an_edit(repo: Path):
    # The site shows the text as filed: a comment is part of the record (tests/test_gate_records.py).
    path = repo / "submissions/east/2024-Q1.yaml"
    path.write_text("# 东区 2024 年第一季度\n" + path.read_text("utf-8"), "utf-8")
    commit(repo, "comment", EAST)
    result = check(repo)
    assert result.exit_code == 1
    assert re.search(r"^submissions/east/2024-Q1.yaml:1:1: error: .*\[immutable-edit\]$", result.stdout, re.M)


def test_a_deleted_filing_fails(repo: Path):
    (repo / "submissions/west/2024-Q1.yaml").unlink()
    commit(repo, "remove", WEST)
    result = check(repo)
    assert result.exit_code == 1
    assert ("immutable-delete", "submissions/west/2024-Q1.yaml") in rules(result)
    assert "已合并的报送 submissions/west/2024-Q1.yaml 被删除" in result.stdout


def test_a_renamed_filing_fails(repo: Path):
    old, new = repo / "submissions/west/2024-Q1.yaml", repo / "submissions/west/2024-Q3.yaml"
    git(repo, "mv", str(old), str(new))
    edit(new, "period: 2024-Q1", "period: 2024-Q3")
    edit(new, "as_of: 2024-03-31", "as_of: 2024-09-30")
    commit(repo, "rename", WEST)
    result = check(repo)
    assert result.exit_code == 1
    assert ("immutable-delete", "submissions/west/2024-Q1.yaml") in rules(result)
    assert "被改名为 submissions/west/2024-Q3.yaml" in result.stdout


def test_a_deleted_register_fails_but_an_edited_one_is_fine(repo: Path):
    file_east_q3(repo)  # adds register items: allowed
    commit(repo, "q3", EAST)
    assert check(repo).exit_code == 0
    (repo / "submissions/east/registers/stations.yaml").unlink()
    commit(repo, "drop register", EAST)
    result = check(repo)
    assert ("immutable-delete", "submissions/east/registers/stations.yaml") in rules(result)


def test_a_plan_change_by_a_non_maintainer_fails(repo: Path):
    edit(repo / "plan/targets.yaml", "lagging: 0.8", "lagging: 0.5")
    commit(repo, "lower the bar", EAST)
    result = check(repo)
    assert result.exit_code == 1
    assert ("auth-plan-maintainer", "plan/targets.yaml") in rules(result)
    assert "maintainers：plan@example.invalid" in result.stdout


def test_a_plan_change_by_a_maintainer_passes_and_is_checked_in_full(repo: Path):
    edit(repo / "plan/targets.yaml", "lagging: 0.8", "lagging: 0.5")
    commit(repo, "new threshold", PLAN)
    result = check(repo, "--markdown", "summary.md")
    assert result.exit_code == 0, result.stdout
    assert "已全量检查" in (repo / "summary.md").read_text("utf-8")
    # With lagging 0.5, west (1 of an expected ⌊2.3⌋ = 2) moves from off track to lagging.
    assert re.search(r"\| 村级服务站 \| 西区 \| .*严重滞后 \| .*滞后 \|", result.stdout)


def test_a_pull_request_cannot_authorize_itself(repo: Path):
    # West adds itself to east's editors and files for east in the same pull request.
    edit(repo / "plan/units.yaml", "editors: [east@example.invalid]",
         "editors: [east@example.invalid, west@example.invalid]")
    file_east_q3(repo)
    commit(repo, "let me in", WEST)
    found = rules(check(repo))
    assert ("auth-plan-maintainer", "plan/units.yaml") in found
    assert ("auth-unit-editor", "submissions/east/2024-Q3.yaml") in found


def test_each_commit_is_checked_not_only_the_last(repo: Path):
    file_east_q3(repo)
    commit(repo, "q3 by west", WEST)
    edit(repo / "submissions/east/2024-Q3.yaml", "新建两个服务站", "新建两个村级服务站")
    commit(repo, "touch-up by east", EAST)
    assert ("auth-unit-editor", "submissions/east/2024-Q3.yaml") in rules(check(repo))


def test_a_shallow_clone_is_reported_not_misread(repo: Path, tmp_path: Path, monkeypatch):
    file_east_q3(repo)
    commit(repo, "q3 by west", WEST)  # would fail authorization if the history were read
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "pr",
                    f"file://{repo}", str(clone)], check=True, capture_output=True)
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    monkeypatch.chdir(clone)
    result = check(clone, "--format", "json")
    import json

    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [d["rule"] for d in report["diagnostics"]] == ["git-shallow"]
    assert "浅克隆" in report["diagnostics"][0]["message"]


def test_a_base_that_was_not_fetched_cannot_be_compared(repo: Path):
    result = check(repo, "--base", "origin/nowhere")
    assert result.exit_code == 2
    assert "--base 指定的 origin/nowhere 不存在" in result.stderr
    assert "git fetch origin main" in result.stderr


def test_outside_git_the_command_cannot_run(tmp_path: Path, monkeypatch):
    from tests.conftest import copy_base

    root = copy_base(tmp_path / "plain")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = check(root)
    assert result.exit_code == 2
    assert "不在 git 仓库中" in result.stderr
    assert "Traceback" not in result.stderr


GITHUB_LINE = re.compile(
    r"^::(error|warning) file=[^,:]+(,line=\d+,col=\d+)?,title=[a-z0-9-]+::\S.*$")


def test_github_annotations_are_well_formed(repo: Path, tmp_path: Path):
    edit(repo / "submissions/east/2024-Q1.yaml", "value: 0", "value: 1")
    (repo / "submissions/west/2024-Q1.yaml").unlink()
    file_east_q3(repo)
    commit(repo, "mixed", WEST)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", "utf-8")
    result = check(repo, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) >= 4
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert any("::error file=submissions/east/2024-Q1.yaml,line=5,col=" in a and
               "title=immutable-edit::" in a for a in annotations)
    assert lines[-1].startswith("tracker: ")
    text = summary.read_text("utf-8")
    assert text.startswith("earlier step\n")  # appended, not replaced
    assert "## tracker check：❌ 未通过" in text
    assert "`auth-unit-editor`" in text and "`immutable-delete`" in text


def test_junit_xml_is_well_formed(repo: Path):
    (repo / "submissions/west/2024-Q1.yaml").unlink()
    file_east_q3(repo)
    commit(repo, "mixed", WEST)
    result = check(repo, "--format", "junit")
    assert result.exit_code == 1
    tree = ET.fromstring(result.stdout_bytes)
    assert tree.tag == "testsuites"
    failures = {case.get("name"): case.find("failure") for case in tree.iter("testcase")}
    assert failures["submissions/west/2024-Q1.yaml"] is not None
    assert failures["submissions/west/2024-Q1.yaml"].get("type") == "immutable-delete"
    assert failures["submissions/east/2024-Q3.yaml"].get("type") == "auth-unit-editor"
    assert int(tree.get("failures")) >= 2


def test_unsigned_commits_fail_when_signatures_are_required(repo: Path):
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    assert check(repo).exit_code == 0
    result = check(repo, "--require-signed")
    assert result.exit_code == 1
    assert ("auth-signature", "submissions/east/2024-Q3.yaml") in rules(result)


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_a_commit_signed_with_a_registered_key_passes(repo: Path, tmp_path: Path):
    key = tmp_path / "east_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "east", "-f", str(key)],
                   check=True, capture_output=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"east@example.invalid {(tmp_path / 'east_key.pub').read_text()}", "utf-8")
    # The CI's trust list: keys registered for the editors (in the repository config here).
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    file_east_q3(repo)
    git(repo, "add", "-A")
    git(repo, "-c", f"user.signingkey={key}", "commit", "-q", "-S", "-m", "signed q3", author=EAST)
    result = check(repo, "--require-signed")
    assert result.exit_code == 0, result.stdout


def _trust(repo: Path, tmp_path: Path, *principals: str) -> dict[str, Path]:
    """A signing key per principal, all in the CI's trust list; principal → private key."""
    keys, lines = {}, []
    for principal in principals:
        key = tmp_path / f"key-{principal.split('@')[0]}"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", principal, "-f",
                        str(key)], check=True, capture_output=True)
        keys[principal] = key
        lines.append(f"{principal} {key.with_suffix('.pub').read_text()}")
    (tmp_path / "allowed_signers").write_text("".join(lines), "utf-8")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(tmp_path / "allowed_signers"))
    return keys


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_a_registered_key_cannot_sign_for_someone_else(repo: Path, tmp_path: Path):
    # East's own registered key, on a commit that says the plan office wrote it: a valid
    # signature, and the author check sees the office. The signature must be the author's.
    keys = _trust(repo, tmp_path, "east@example.invalid")
    edit(repo / "plan/units.yaml", "maintainers: [plan@example.invalid]",
         "maintainers: [plan@example.invalid, east@example.invalid]")
    git(repo, "add", "-A")
    git(repo, "-c", f"user.signingkey={keys['east@example.invalid']}", "commit", "-q", "-S",
        "-m", "office (not)", author=PLAN)
    sha = git(repo, "rev-parse", "HEAD").strip()
    result = check(repo, "--require-signed", "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("auth-signature", "plan/units.yaml") in rules(result)
    assert (f"提交 {sha[:10]} 的签名属于 east@example.invalid，但作者是 plan@example.invalid"
            in result.stdout), result.stdout


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_a_platform_key_may_sign_the_commits_it_makes(repo: Path, tmp_path: Path):
    # A forge's web editor commits as the forge (committer) for the signed-in editor (author),
    # signed with the forge's key, which the trust list holds: the forge vouches for the author.
    keys = _trust(repo, tmp_path, "east@example.invalid", "noreply@forge.invalid")
    file_east_q3(repo)
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": "East Editor", "GIT_AUTHOR_EMAIL": "east@example.invalid",
           "GIT_COMMITTER_NAME": "Forge", "GIT_COMMITTER_EMAIL": "noreply@forge.invalid",
           "GIT_AUTHOR_DATE": "2024-10-05T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2024-10-05T10:00:00+08:00", "HOME": str(repo)}
    subprocess.run(["git", "-c", f"user.signingkey={keys['noreply@forge.invalid']}", "commit",
                    "-q", "-S", "-m", "web editor"], cwd=repo, env=env, check=True)
    result = check(repo, "--require-signed", "--no-status")
    assert result.exit_code == 0, result.stdout


def test_merge_commits_from_the_base_are_not_blamed_on_the_merger(repo: Path):
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    # Meanwhile on main, west files; east merges main into the pull request.
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/2024-Q3.yaml").write_text(
        "unit: west\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-03\nrevision: 1\n"
        "targets:\n  stations:\n    value: 2\n", "utf-8")
    commit(repo, "west q3", WEST)
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--no-edit", "main", author=EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_a_change_hidden_in_a_merge_commit_is_the_mergers(repo: Path):
    file_east_q3(repo)
    commit(repo, "q3", EAST)
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/2024-Q3.yaml").write_text(
        "unit: west\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-03\nrevision: 1\n"
        "targets:\n  stations:\n    value: 2\n", "utf-8")
    commit(repo, "west q3", WEST)
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--no-commit", "main", author=WEST)
    edit(repo / "submissions/east/2024-Q3.yaml", "新建两个服务站", "west 改的")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-edit", author=WEST)
    found = rules(check(repo))
    assert ("auth-unit-editor", "submissions/east/2024-Q3.yaml") in found
    assert ("auth-unit-editor", "submissions/west/2024-Q3.yaml") not in found


def test_office_may_file_its_tasks(repo: Path):
    (repo / "submissions/office/2024-Q3.yaml").write_text(
        "unit: office\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-06\nrevision: 1\n"
        'tasks:\n  "1.1":\n    progress: in_progress\n    summary: 标准发布\n', "utf-8")
    commit(repo, "office q3", OFFICE)
    assert check(repo).exit_code == 0


# --- parsing git output ---------------------------------------------------------------------


def test_log_and_raw_diff_parsing():
    a, b, p = "a" * 40, "b" * 40, "p" * 0 + "c" * 40
    meta = b":100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + b" M"
    log = (f"\x1e{a} {p}\x00a@x\x00A\x001700000000\x00\x00\n".encode() + meta
           + b"\x00submissions/a/1.yaml\x00" + meta.replace(b" M", b" D") + b"\x00submissions/a/2.yaml\x00"
           + f"\x1e{b} \x00b@x\x00B\x001700000001\x00\x00".encode())
    commits, blocks = parse_log(log)
    assert [(c.sha, c.parents, c.email, c.authored) for c in commits] == [
        (a, (p,), "a@x", 1700000000), (b, (), "b@x", 1700000001)]  # b is a root commit
    assert {k: list(v) for k, v in blocks.items()} == {
        (a, p): ["submissions/a/1.yaml", "submissions/a/2.yaml"], (b, ""): []}
    assert blocks[(a, p)]["submissions/a/2.yaml"].status == "D"
    raw = (b":100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + b" M\x00s/a.yaml\x00"
           b":100644 100644 " + b"3" * 40 + b" " + b"3" * 40 + b" R100\x00s/b.yaml\x00s/c.yaml\x00")
    changes = parse_raw_diff(raw)
    assert [(c.status, c.path, c.old_path) for c in changes] == [
        ("M", "s/a.yaml", ""), ("R", "s/c.yaml", "s/b.yaml")]


def test_identities_accept_names_and_skip_accounts():
    assert identities(["A <A@X.cn>", " b@y.cn ", "@someone", "not an address"]) == {
        "a@x.cn", "b@y.cn"}


# --- a data repository in a subfolder of the git repository (like examples/demo) ----------


@pytest.mark.parametrize("where", ["cwd", "--root"])
def test_a_repository_in_a_subfolder_is_checked_too(tmp_path: Path, monkeypatch, where: str):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    top = tmp_path / "top"
    data = make_pr_repo_in_subfolder(top)
    file_east_q3(data)
    commit(top, "东区 2024-Q3 (by west)", WEST)
    if where == "cwd":
        monkeypatch.chdir(data)
        result = check(data)
    else:
        monkeypatch.chdir(top)
        result = check(top, "--root", "data")
    assert result.exit_code == 1, result.stdout
    assert any(rule == "auth-unit-editor" and path.endswith("submissions/east/2024-Q3.yaml")
               for rule, path in rules(result)), result.stdout
    assert "2024-Q3.yaml" in result.stdout


def test_reading_many_blobs_at_once_cannot_block(tmp_path: Path):
    # git cat-file answers while it reads names; with a name list longer than a pipe holds and
    # nobody reading the answers yet, both sides would wait forever. Run it in a subprocess with
    # a timeout, so a regression fails instead of hanging the suite.
    import sys

    repo = tmp_path / "blobs"
    files = tmp_path / "files"
    files.mkdir()
    git(tmp_path, "init", "-q", str(repo))
    paths = []
    for i in range(2000):  # 2,000 names ≈ 82 KB of request (a pipe holds 64), 2 MB of answer
        f = files / f"{i}.txt"
        f.write_text(f"blob {i}\n" * 100, encoding="utf-8")
        paths.append(str(f))
    shas = subprocess.run(["git", "hash-object", "-w", "--stdin-paths"], cwd=repo,
                          input="\n".join(paths) + "\n", capture_output=True, text=True,
                          check=True).stdout.split()
    script = ("import sys\nfrom pathlib import Path\nfrom tracker.gate.git import Git, start_cat_blobs\n"
              "names = sys.stdin.read().split()\n"
              "blobs = start_cat_blobs(Git(Path(sys.argv[1])), names).result()\n"
              "print(len(blobs), sum(len(b) for b in blobs.values()))\n")
    run = subprocess.run([sys.executable, "-c", script, str(repo)], input="\n".join(shas),
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    count, size = map(int, run.stdout.split())
    assert count == 2000 and size == sum(len(f"blob {i}\n" * 100) for i in range(2000))


def test_an_unquoted_task_key_does_not_hide_a_silent_edit(repo: Path):
    path = repo / "submissions/east/2024-Q1.yaml"
    edit(path, '"1.1":', "1.1:")
    edit(path, "value: 0", "value: 1")
    commit(repo, "fix centres, unquote the key", EAST)
    found = rules(check(repo))
    assert ("yaml-key-type", "submissions/east/2024-Q1.yaml") in found
    assert ("immutable-edit", "submissions/east/2024-Q1.yaml") in found


def test_the_pull_request_comment_is_written_even_when_stdout_is_closed(repo: Path,
                                                                       tmp_path: Path):
    # `tracker check ... --markdown pr.md | head -1`: the comment file must still be written,
    # and "problems found" must still be exit 1.
    import os
    import sys

    edit(repo / "submissions/east/2024-Q1.yaml", "value: 0", "value: 1")
    commit(repo, "fix centres", EAST)
    markdown = tmp_path / "pr.md"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run([sys.executable, "-m", "tracker", "check", "--base", "main",
                              "--as-of", "2024-10-10", "--markdown", str(markdown)],
                             cwd=repo, stdout=write_end, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    assert run.returncode == 1, run.stderr
    assert run.stderr == b""
    assert "immutable-edit" in markdown.read_text("utf-8")


def test_git_is_stopped_when_loading_fails(repo: Path, monkeypatch):
    import os

    from tracker.gate import check as workflow

    edit(repo / "submissions/east/2024-Q1.yaml", "value: 0", "value: 1")
    commit(repo, "fix centres", EAST)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    def children() -> set[str]:  # this process's children, zombies included (Linux)
        tasks = Path(f"/proc/{os.getpid()}/task")
        return {pid for task in tasks.iterdir()
                for pid in (task / "children").read_text().split()}

    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux /proc to list child processes")
    monkeypatch.setattr(workflow, "load", broken)
    monkeypatch.setenv("TRACKER_PARALLEL", "0")
    before = children()
    with pytest.raises(RuntimeError):
        workflow.run_check(workflow.CheckSettings(repo, "main", status=False))
    assert children() <= before  # every git child was waited for
