"""`tracker codeowners`: CODEOWNERS from plan/units.yaml, and the warning when it is outdated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, copy_base
from tracker.cli import cli
from tracker.codeowners import codeowners_diagnostics, merge_block, owners
from tracker.repository import load

GITHUB = """\
# >>> tracker codeowners (github) >>>
# 由 tracker codeowners 根据 plan/units.yaml 生成，请勿手工修改本段；修改 units.yaml 后运行
#   tracker codeowners --format github --out .github/CODEOWNERS
# Generated from plan/units.yaml by `tracker codeowners`: edit units.yaml, then regenerate.
* plan@example.invalid
/plan/ plan@example.invalid
/tracker.yaml plan@example.invalid
/submissions/office/ office@example.invalid
/evidence/office/ office@example.invalid
/submissions/east/ east@example.invalid
/evidence/east/ east@example.invalid
/submissions/west/ west@example.invalid
/evidence/west/ west@example.invalid
# <<< tracker codeowners <<<
"""


def run(*args: str):
    return CliRunner().invoke(cli, ["codeowners", *args])


@pytest.fixture
def repo(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A git repository of its own, so paths are relative to it, not to an enclosing one.
    (base_repo / ".git").mkdir()
    return base_repo


def test_github_format(repo: Path):
    result = run()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GITHUB


@pytest.mark.parametrize("fmt", ["gitlab", "gitee"])
def test_gitlab_and_gitee_put_the_block_in_one_section(repo: Path, fmt: str):
    # GitLab judges each section on its own (and requires every matching section): the units'
    # lines must share a section with `*` to take precedence over it.
    text = run("--format", fmt).stdout
    lines = text.splitlines()
    assert lines[0] == f"# >>> tracker codeowners ({fmt}) >>>"
    assert [x for x in lines if x.startswith("[")] == ["[tracker]"]
    assert lines.index("[tracker]") < lines.index("* plan@example.invalid")
    # Everything else is the same as GitHub's.
    assert [x for x in lines[4:] if not x.startswith("[")] == GITHUB.splitlines()[4:]


def test_everything_is_the_maintainers_before_the_units_folders(repo: Path):
    # Paths outside the units' folders (.github/, .gitattributes, CI files, reviews/) must
    # need a maintainer on the forge too, as tracker check requires.
    lines = run().stdout.splitlines()
    owners_lines = [x for x in lines if not x.startswith("#")]
    assert owners_lines[0] == "* plan@example.invalid"
    assert owners_lines.index("/submissions/east/ east@example.invalid") > 0


def test_github_has_no_sections_and_no_end_of_line_comments():
    for line in GITHUB.splitlines():
        assert not line.startswith("[")
        assert line.startswith("#") or "#" not in line


def test_owners_are_addresses_or_accounts():
    assert owners(("A B <a@x.cn>", "@anji-filer", "b@x.cn", "b@x.cn", "no address")) == [
        "a@x.cn", "@anji-filer", "b@x.cn"]


def test_a_unit_without_editors_is_reviewed_by_the_maintainers(repo: Path):
    units = repo / "plan/units.yaml"
    units.write_text(units.read_text("utf-8").replace("    editors: [office@example.invalid]\n", ""),
                     "utf-8")
    lines = run().stdout.splitlines()
    i = lines.index("/submissions/office/ plan@example.invalid")
    assert lines[i - 1] == "# office: 没有登记 editors，由 maintainers 审核"


def test_out_writes_only_the_block_and_check_agrees(repo: Path):
    target = repo / ".github/CODEOWNERS"
    target.parent.mkdir()
    target.write_text("# 手工维护的行\n/docs/ @docs-team\n", "utf-8")
    assert run("--out", ".github/CODEOWNERS").exit_code == 0
    text = target.read_text("utf-8")
    assert text == "# 手工维护的行\n/docs/ @docs-team\n\n" + GITHUB
    assert run("--out", ".github/CODEOWNERS").exit_code == 0
    assert target.read_text("utf-8") == text  # idempotent
    result = run("--check")
    assert result.exit_code == 0 and "一致" in result.stdout
    assert codeowners_diagnostics(repo, load(repo).repo.plan, repo / "plan") == []


def test_an_outdated_codeowners_is_a_warning_in_validate_and_fails_check(repo: Path):
    target = repo / ".gitlab/CODEOWNERS"
    target.parent.mkdir()
    assert run("--format", "gitlab", "--out", ".gitlab/CODEOWNERS").exit_code == 0
    units = repo / "plan/units.yaml"
    units.write_text(units.read_text("utf-8").replace(
        "editors: [east@example.invalid]", "editors: [east@example.invalid, east2@example.invalid]"),
        "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 0  # a warning
    [warning] = json.loads(result.stdout)["diagnostics"]
    assert warning["rule"] == "codeowners-outdated" and warning["severity"] == "warning"
    assert warning["path"] == ".gitlab/CODEOWNERS"
    line = target.read_text("utf-8").splitlines()[warning["line"] - 1]
    assert line == "/submissions/east/ east@example.invalid"
    assert "east@example.invalid east2@example.invalid" in warning["message"]
    assert "tracker codeowners --format gitlab --out .gitlab/CODEOWNERS" in warning["hint"]
    assert CliRunner().invoke(cli, ["validate", "--strict"]).exit_code == 1
    check = run("--format", "gitlab", "--check")
    assert check.exit_code == 1
    assert "[codeowners-outdated]" in check.stdout


def test_a_codeowners_without_the_block_is_reported(repo: Path):
    (repo / "CODEOWNERS").write_text("* @someone\n", "utf-8")
    [d] = codeowners_diagnostics(repo, load(repo).repo.plan, repo / "plan")
    assert d.rule == "codeowners-outdated" and d.path == "CODEOWNERS"


def test_check_without_a_file_cannot_run(repo: Path):
    result = run("--format", "gitee", "--check")
    assert result.exit_code == 2
    assert "找不到 .gitee/CODEOWNERS" in result.stderr


def test_a_repository_in_a_subfolder_gets_prefixed_paths(tmp_path: Path, monkeypatch):
    # Like the demo: the repository is a folder of a larger git repository, and its
    # tracker.yaml reads the plan from elsewhere in it.
    top = tmp_path / "top"
    (top / ".git").mkdir(parents=True)
    root = copy_base(top / "data" / "demo")
    shutil.move(str(root / "plan"), str(top / "shared-plan"))
    (root / "tracker.yaml").write_text("plan: ../../shared-plan\n", "utf-8")
    monkeypatch.chdir(root)
    lines = run().stdout.splitlines()
    assert "/shared-plan/ plan@example.invalid" in lines
    assert "/data/demo/tracker.yaml plan@example.invalid" in lines
    assert "/data/demo/submissions/east/ east@example.invalid" in lines


def test_the_demo_in_this_repository(monkeypatch):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    monkeypatch.chdir(REPO / "examples/demo")
    lines = run().stdout.splitlines()
    assert "/plan/ plan-office@example.gov.cn" in lines
    assert "/examples/demo/submissions/anji/ anji-editor@example.gov.cn" in lines


def test_merge_block_replaces_in_place():
    old = "a\n" + GITHUB.replace("east@example.invalid", "old@x") + "b\n"
    assert merge_block(old, GITHUB) == "a\n" + GITHUB + "b\n"
    assert merge_block(None, GITHUB) == GITHUB


def test_this_repository_commits_its_codeowners_and_it_is_current(monkeypatch):
    # The docs call CODEOWNERS the real gate: the repository that ships the plan has one, where
    # GitHub reads it, generated from plan/units.yaml (regenerate after editing units.yaml).
    monkeypatch.chdir(REPO)
    assert (REPO / ".github/CODEOWNERS").is_file()
    result = CliRunner().invoke(cli, ["codeowners", "--check"])
    assert result.exit_code == 0, result.output
    report = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json"]).stdout)
    assert not [d for d in report["diagnostics"] if d["rule"] == "codeowners-outdated"]
