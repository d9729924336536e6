"""`tracker review`: the plan office records 销号 decisions; the file only ever grows."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.status_helpers import TASKS_YAML, filing_yaml, write_repo
from tracker.cli import cli

REVIEW_TASKS = TASKS_YAML.replace("  end: 2025-12-31\n", "  end: 2025-12-31\n  closure: review\n")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(root)])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small plan with closure: review; office (the lead of 1.1) claims it done on 07-08."""
    return write_repo(tmp_path / "repo", [
        ("office", "2024-Q2", filing_yaml("office", "2024-Q2", reported_on=date(2024, 7, 8),
                                          tasks={"1.1": ("done", True)})),
        ("east", "2024-Q2", filing_yaml("east", "2024-Q2", targets={"stations": 2},
                                        tasks={"1.1": ("in_progress", False)})),
    ], tasks_yaml=REVIEW_TASKS)


def task_status(root: Path, day: str) -> str:
    result = run(root, "status", "--format", "json", "--as-of", day)
    assert result.exit_code == 0, result.output
    return next(t["status"] for t in json.loads(result.stdout)["tasks"] if t["task"] == "1.1")


def test_approving_a_claim_closes_the_task(repo: Path):
    assert task_status(repo, "2024-07-20") == "pending_review"
    result = run(repo, "review", "1.1", "--approve", "--note", "材料齐全，同意销号",
                 "--on", "2024-07-20")
    assert result.exit_code == 0, result.output
    assert "reviews/1.1.yaml" in result.output and "待审核销号 → 已完成/销号" in result.output
    assert task_status(repo, "2024-07-20") == "done"
    assert task_status(repo, "2024-07-19") == "pending_review"  # decisions act from their day
    checked = run(repo, "validate", "--format", "json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert not [d for d in report["diagnostics"] if d["path"].endswith("reviews/1.1.yaml")]


def test_a_second_decision_is_appended_and_the_file_keeps_its_comments(repo: Path):
    assert run(repo, "review", "1.1", "--return", "--note", "缺少验收文件",
               "--on", "2024-07-20").exit_code == 0
    file = repo / "reviews" / "1.1.yaml"
    file.write_text(file.read_text("utf-8") + "  # 计划办 7 月会议\n", encoding="utf-8")
    before = file.read_bytes()
    result = run(repo, "review", "1.1", "--approve", "--note", 'a "quoted": note # not a comment',
                 "--on", "2024-07-25", "--by", "计划办")
    assert result.exit_code == 0, result.output
    after = file.read_bytes()
    assert after.startswith(before)  # appended, nothing before it changed
    assert b"# \xe8\xae\xa1\xe5\x88\x92\xe5\x8a\x9e 7" in after  # the comment is still there
    assert task_status(repo, "2024-07-25") == "done"
    assert task_status(repo, "2024-07-22") == "in_progress"  # returned in between
    data = json.loads(run(repo, "status", "--format", "json", "--as-of", "2024-07-25").stdout)
    review = next(t for t in data["tasks"] if t["task"] == "1.1")["review"]
    assert review["note"] == 'a "quoted": note # not a comment'


def test_windows_line_endings_are_kept(repo: Path):
    (repo / "reviews").mkdir()
    file = repo / "reviews" / "1.1.yaml"
    file.write_bytes(b'task: "1.1"\r\ndecisions:\r\n    - on: 2024-07-20\r\n'
                     b"      decision: returned\r\n      note: x\r\n")
    assert run(repo, "review", "1.1", "--approve", "--note", "ok", "--on", "2024-07-21"
               ).exit_code == 0
    text = file.read_bytes()
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert b"\r\n    - on: 2024-07-21\r\n" in text  # indented as the first item


@pytest.mark.parametrize("args, words", [
    (["--approve", "--note", "x", "--on", "2024-07-01"], "没有待复核的销号申请"),  # before the claim
    (["--approve", "--note", "x", "--on", "2999-01-01"], "晚于今天"),
    (["--approve", "--note", "   ", "--on", "2024-07-20"], "不能为空"),
    (["--note", "x", "--on", "2024-07-20"], "--approve"),
])
def test_refusals_write_nothing(repo: Path, args: list[str], words: str):
    result = run(repo, "review", "1.1", *args)
    assert result.exit_code == 2 and words in result.output, result.output
    assert not (repo / "reviews").exists()


def test_an_earlier_decision_cannot_be_added_after_a_later_one(repo: Path):
    assert run(repo, "review", "1.1", "--approve", "--note", "x", "--on", "2024-07-25"
               ).exit_code == 0
    file = repo / "reviews" / "1.1.yaml"
    before = file.read_bytes()
    result = run(repo, "review", "1.1", "--return", "--note", "y", "--on", "2024-07-21")
    assert result.exit_code == 2 and "早于已记录的最后一条决定" in result.output
    assert file.read_bytes() == before


def test_a_broken_review_file_is_left_untouched(repo: Path):
    (repo / "reviews").mkdir()
    file = repo / "reviews" / "1.1.yaml"
    file.write_bytes(b'task: "1.1"\ndecisions:\n  - on: 2024-07-20\n    decision: maybe\n'
                     b"    note: x\n")
    before = file.read_bytes()
    result = run(repo, "review", "1.1", "--approve", "--note", "ok", "--on", "2024-07-21")
    assert result.exit_code == 2 and "reviews/1.1.yaml" in result.output
    assert ":4:" in result.output  # names the line of the problem
    assert file.read_bytes() == before
    assert [p.name for p in file.parent.iterdir()] == ["1.1.yaml"]  # no temporary file left


def test_decisions_not_last_in_the_file_are_refused_not_reformatted(repo: Path):
    (repo / "reviews").mkdir()
    file = repo / "reviews" / "1.1.yaml"
    file.write_text('decisions:\n  - on: 2024-07-20\n    decision: returned\n    note: x\n'
                    'task: "1.1"\n', encoding="utf-8")
    before = file.read_bytes()
    result = run(repo, "review", "1.1", "--approve", "--note", "ok", "--on", "2024-07-21")
    assert result.exit_code == 2 and "decisions" in result.output
    assert file.read_bytes() == before


def test_a_plan_that_closes_by_itself_needs_no_review(tmp_path: Path):
    root = write_repo(tmp_path, [("office", "2024-Q2", filing_yaml(
        "office", "2024-Q2", tasks={"1.1": ("done", True)}))])
    result = run(root, "review", "1.1", "--approve", "--note", "x", "--on", "2024-07-20")
    assert result.exit_code == 2 and "closure: review" in result.output
    assert not (root / "reviews").exists()


def test_unknown_task(repo: Path):
    result = run(repo, "review", "9.9", "--approve", "--note", "x", "--on", "2024-07-20")
    assert result.exit_code == 2 and "9.9" in result.output and "1.1" in result.output


def test_review_has_help_with_real_examples():
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0 and "--approve" in result.output and "--return" in result.output


def test_the_written_file_validates_against_the_exported_schema(repo: Path, tmp_path: Path):
    import jsonschema
    import yaml

    assert run(repo, "review", "1.1", "--approve", "--note", "ok", "--on", "2024-07-20"
               ).exit_code == 0
    assert CliRunner().invoke(cli, ["schema", "--out", str(tmp_path / "s")]).exit_code == 0
    schema = json.loads((tmp_path / "s" / "review.schema.json").read_text("utf-8"))

    class Yaml12(yaml.SafeLoader):  # `on` stays a key, dates stay text, as in tracker
        pass
    Yaml12.yaml_implicit_resolvers = {k: [r for r in v if r[0] not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    data = yaml.load((repo / "reviews" / "1.1.yaml").read_text("utf-8"), Loader=Yaml12)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert os.path.basename(str(repo / "reviews" / "1.1.yaml")) == "1.1.yaml"
