"""`tracker check` against a pull request that tries to get round it.

Who may change what is read from the base branch. A pull request must not be able to move
the plan (tracker.yaml `plan:`), bring a tracker.yaml of its own, or otherwise make the check
read a units.yaml the pull request wrote.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.workflow_helpers import EAST, PLAN, WEST, check, commit, edit, make_pr_repo, rules

TAKEOVER = ("maintainers: [plan@example.invalid]",
            "maintainers: [plan@example.invalid, west@example.invalid]")
EAST_EDITORS = ("editors: [east@example.invalid]",
                "editors: [east@example.invalid, west@example.invalid]")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_pr_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


def _amend_east_as_west(root: Path) -> None:
    edit(root / "submissions/east/2024-Q2.yaml", "revision: 2", "revision: 3")
    edit(root / "submissions/east/2024-Q2.yaml", "amendment_reason: 更正服务站数量",
         "amendment_reason: 西区代改")


def test_moving_the_plan_in_tracker_yaml_does_not_change_who_is_allowed(repo: Path) -> None:
    # West copies the plan, makes itself a maintainer and east's editor, and points
    # tracker.yaml at the copy: the base's units.yaml still decides.
    shutil.copytree(repo / "plan", repo / "plan2")
    edit(repo / "plan2/units.yaml", *TAKEOVER)
    edit(repo / "plan2/units.yaml", *EAST_EDITORS)
    (repo / "tracker.yaml").write_text("plan: plan2\n", "utf-8")
    _amend_east_as_west(repo)
    commit(repo, "take over", WEST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    found = rules(result)
    assert ("auth-plan-maintainer", "tracker.yaml") in found
    assert ("auth-plan-maintainer", "plan2/units.yaml") in found
    assert ("auth-unit-editor", "submissions/east/2024-Q2.yaml") in found


def test_a_base_with_a_moved_plan_is_read_where_the_base_says(repo: Path) -> None:
    # The base keeps its plan in config/plan (its tracker.yaml says so); a pull request that
    # moves it back to plan/ with itself as maintainer is still judged by config/plan.
    from tests.conftest import git

    git(repo, "checkout", "-q", "main")
    git(repo, "mv", "plan", "config-plan")
    (repo / "tracker.yaml").write_text("plan: config-plan\n", "utf-8")
    commit(repo, "plan in config-plan", PLAN)
    git(repo, "checkout", "-q", "-B", "pr")
    shutil.copytree(repo / "config-plan", repo / "plan")
    edit(repo / "plan/units.yaml", *TAKEOVER)
    edit(repo / "plan/units.yaml", *EAST_EDITORS)
    (repo / "tracker.yaml").write_text("plan: plan\n", "utf-8")
    _amend_east_as_west(repo)
    commit(repo, "take over", WEST)
    found = rules(check(repo, "--no-status"))
    assert ("auth-plan-maintainer", "tracker.yaml") in found
    assert ("auth-unit-editor", "submissions/east/2024-Q2.yaml") in found


def test_a_maintainer_may_still_move_the_plan(repo: Path) -> None:
    shutil.copytree(repo / "plan", repo / "plan2")
    (repo / "tracker.yaml").write_text("plan: plan2\n", "utf-8")
    commit(repo, "move the plan", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_an_east_amendment_by_east_passes_after_a_plan_move(repo: Path) -> None:
    shutil.copytree(repo / "plan", repo / "plan2")
    (repo / "tracker.yaml").write_text("plan: plan2\n", "utf-8")
    commit(repo, "move the plan", PLAN)
    _amend_east_as_west(repo)
    commit(repo, "amend", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def _summary_with_evidence(repo: Path, *items: str) -> str:
    """East files Q3 citing these evidence items; the pull request summary `check --markdown`
    writes (the check fails: the files are not there)."""
    from tests.workflow_helpers import Q3_FILING

    listed = "".join(f"      - {item}\n" for item in items)
    text = Q3_FILING.replace("  centres:\n", "    evidence:\n" + listed + "  centres:\n", 1)
    (repo / "submissions/east/2024-Q3.yaml").write_text(text, "utf-8")
    commit(repo, "q3", EAST)
    result = check(repo, "--markdown", "summary.md")
    assert result.exit_code == 1
    return (repo / "summary.md").read_text("utf-8")


def test_the_pull_request_summary_shows_filing_text_as_text(repo: Path) -> None:
    (repo / "submissions/east/2024-Q4 [x](https:--evil.example) <b>.yaml").write_text("unit: east\n", "utf-8")
    summary = _summary_with_evidence(
        repo,
        '{title: a, url: "![x](https://evil.example/t.png)"}',
        '{title: b, path: "<img src=https://evil.example/t.png>"}',
        '{title: c, path: "x`</code><img src=https://evil.example/u.png>`"}')
    assert "evil.example" in summary  # the text is there ...
    for live in ("<img", "![x](", "<b>", "](https:--evil", "</code><img"):
        assert live not in summary, live  # ... but never as markup


def test_evidence_outside_any_units_folder_is_the_plan_offices(repo: Path) -> None:
    # Files under evidence/ but in no unit's folder may be cited by any unit's merged filing:
    # an editor must not be able to replace them.
    (repo / "evidence/common").mkdir(parents=True)
    (repo / "evidence/common/通知.pdf").write_text("%PDF-1.4 v2", "utf-8")
    (repo / "evidence/top.pdf").write_text("%PDF-1.4", "utf-8")
    (repo / "submissions/README.md").write_text("改过的说明\n", "utf-8")
    commit(repo, "shared files", WEST)
    found = rules(check(repo, "--no-status"))
    assert ("auth-plan-maintainer", "evidence/common/通知.pdf") in found
    assert ("auth-plan-maintainer", "evidence/top.pdf") in found
    assert ("auth-plan-maintainer", "submissions/README.md") in found


def test_the_plan_office_may_add_shared_evidence(repo: Path) -> None:
    (repo / "evidence/common").mkdir(parents=True)
    (repo / "evidence/common/通知.pdf").write_text("%PDF-1.4", "utf-8")
    commit(repo, "shared files", PLAN)
    assert check(repo, "--no-status").exit_code == 0


def test_a_file_name_cannot_hide_the_next_file_from_authorization(repo: Path) -> None:
    # The log was split into commits at the byte 0x1e, which a file name may contain: the
    # file after it was read as the author of a made-up commit, and never checked.
    from tests.workflow_helpers import file_east_q3

    (repo / "evidence/west").mkdir(parents=True)
    (repo / "evidence/west/a\x1eb.pdf").write_text("x", "utf-8")
    file_east_q3(repo)
    commit(repo, "west files for east", WEST)
    found = rules(check(repo, "--no-status"))
    assert ("auth-unit-editor", "submissions/east/2024-Q3.yaml") in found
    assert ("auth-unit-editor", "submissions/east/registers/stations.yaml") in found


def test_log_parsing_takes_names_as_git_wrote_them() -> None:
    from tracker.gate.git import parse_log

    sha1, sha2, parent = "a" * 40, "b" * 40, "c" * 40
    meta = ":000000 100644 " + "0" * 40 + " " + "1" * 40 + " A"
    out = (f"\x1e{sha1} {parent}\0we\x1est@x\0West\x1e Editor\x001\0\0\n{meta}\0evidence/west/a\x1eb.pdf\0"
           f"{meta}\0submissions/east/2024-Q3.yaml\0{meta}\0\x1e{sha2} {parent}\0x@y\0X\x002\0"
           f"\x1e{sha2} {sha1}\0east@x\0East\x003\0\0\n{meta}\0submissions/east/2024-Q2.yaml\0").encode()
    commits, blocks = parse_log(out)
    # The third entry's path is a header's text: a path is read where a path is due.
    assert [(c.sha, c.email, c.name) for c in commits] == [
        (sha1, "we\x1est@x", "West\x1e Editor"), (sha2, "east@x", "East")]
    assert list(blocks[(sha1, parent)]) == ["evidence/west/a\x1eb.pdf", "submissions/east/2024-Q3.yaml",
                                            f"\x1e{sha2} {parent}"]
    assert list(blocks[(sha2, sha1)]) == ["submissions/east/2024-Q2.yaml"]


def test_a_base_that_looks_like_an_option_is_refused(repo: Path, tmp_path: Path) -> None:
    # `--base=--output=FILE` reached git as an option: it wrote FILE and the check passed.
    from click.testing import CliRunner

    from tracker.cli import cli

    target = tmp_path / "written"
    result = CliRunner().invoke(cli, ["check", f"--base=--output={target}", "--no-status"])
    assert result.exit_code == 2, result.output
    assert not list(tmp_path.glob("written*"))


def test_the_pull_request_summary_mentions_nobody(repo: Path) -> None:
    # The summary is posted as a comment (`--markdown` for a bot): "@all" in a filing notified
    # every member of a GitLab project, "@org/team" a GitHub team, quoted in a problem's message.
    summary = _summary_with_evidence(repo, '{title: a, path: "evidence/@all 请看 @huzhou/everyone.pdf"}')
    assert "all 请看" in summary and "huzhou/everyone" in summary
    assert not re.search(r"@[A-Za-z0-9_]", summary), summary


def test_the_pull_request_summary_holds_no_control_or_bidi_character(repo: Path) -> None:
    # The terminal and the annotations showed them as escapes; the Markdown summary (posted as
    # a comment) kept ESC and U+202E from an evidence path, which reorders what a reader sees.
    summary = _summary_with_evidence(
        repo, '{title: a, path: "evidence/\\e[2J\\e]0;t\\a\\u202efdp.exe\\u2066x\\u2069.pdf"}')
    assert "fdp.exe" in summary
    for bad in ("\x1b", "\x07", "\u202e", "\u2066", "\u2069"):
        assert bad not in summary, repr(bad)
