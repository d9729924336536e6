"""What an editor reads when something is wrong (issue 15.3): hints about what was typed, the
closest known id for a typo, the YAML parser's English behind a Chinese sentence, and a
single-file run that says nothing about unrelated files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tracker.cli import cli

WEST = "submissions/west/2024-Q1.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def diagnostics(*args: str) -> list[dict]:
    result = run("validate", "--format", "json", *args)
    return json.loads(result.stdout_bytes)["diagnostics"]


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize(("typed", "hint"), [
    ("8个", "只写数字，写成 8：不要带单位、逗号(千位分隔符)或其他文字。"),
    ("1,300", "只写数字，写成 1300：不要带单位、逗号(千位分隔符)或其他文字。"),
    ("十二", "只写数字(阿拉伯数字)，例如 12：不要写单位、逗号(千位分隔符)、汉字数字或其他文字。"),
    ("１２", "只写数字：含有全角字符(中文输入法下的数字或符号)，请切换到英文输入法，写阿拉伯数字。"),
    ('"12"', "写成不带引号、不带前导零的整数，例如 12。"),  # quotes that were typed
])
def test_a_count_typed_with_extras_gets_write_the_number_only(base_repo: Path, typed: str,
                                                               hint: str):
    edit(base_repo, WEST, "value: 1\n", f"value: {typed}\n")
    [found] = diagnostics()
    assert found["rule"] == "schema-type"
    assert found["hint"] == hint


@pytest.mark.parametrize(("old", "new", "rule", "suggestion"), [
    ("  stations:\n", "  station:\n", "plan-unknown-target", "你是不是要写 `stations`？"),
    ('"S.1":', '"S.11":', "plan-unknown-task", "你是不是要写 `S.1`？"),
])
def test_a_mistyped_id_in_a_filing_gets_the_closest_known_one(base_repo: Path, old: str, new: str,
                                                              rule: str, suggestion: str):
    edit(base_repo, WEST, old, new)
    [found] = diagnostics()
    assert found["rule"] == rule
    assert found["hint"].startswith(suggestion)


def test_a_mistyped_unit_folder_gets_the_closest_unit(base_repo: Path):
    (base_repo / "submissions/west").rename(base_repo / "submissions/wset")
    found = [d for d in diagnostics() if d["rule"] == "filing-unknown-unit"]
    assert found and all(d["hint"].startswith("你是不是要写 `west`？") for d in found)


@pytest.mark.parametrize("args", [
    ["status", "--target", "transfer-center"],
    ["explain", "transfer-center"],
    ["status", "--unit", "anjii"],
    ["status", "--task", "1.10"],
])
def test_a_mistyped_id_on_the_command_line_gets_the_closest_known_one(args: list[str], monkeypatch):
    monkeypatch.chdir(REPO)
    result = run(*args, "--root", "examples/demo")
    assert result.exit_code == 2
    expected = {"transfer-center": "transfer-centres", "anjii": "anji", "1.10": "1.1"}[args[-1]]
    assert f"你是不是要写 `{expected}`？" in result.stderr


def test_new_with_a_mistyped_unit_gets_the_closest_unit(base_repo: Path):
    result = run("new", "--unit", "esat", "--period", "2024-Q3")
    assert result.exit_code == 2
    assert "你是不是要写 `east`？" in result.stderr


def test_a_yaml_syntax_error_is_a_chinese_sentence_with_the_parser_words_behind_it(
        base_repo: Path):
    edit(base_repo, WEST, "period: 2024-Q1", "period 2024-Q1")
    [found] = diagnostics()
    assert found["rule"] == "yaml-syntax"
    assert found["message"].startswith("YAML 格式错误，找不到应有的冒号")
    assert found["message"].endswith(
        "(parser: could not find expected ':', while scanning a simple key)")


def test_a_single_file_run_is_silent_about_unrelated_files(monkeypatch):
    # The demo's anji/2024-Q3 is lower than 2024-Q2: a warning about those two files.
    monkeypatch.chdir(REPO)
    demo = "examples/demo/submissions/anji"
    warned = {(d["path"], d["rule"]) for d in diagnostics("--root", "examples/demo")}
    assert (f"{demo}/2024-Q3.yaml", "filing-value-decreased") in warned
    assert diagnostics("--root", "examples/demo", f"{demo}/2024-Q1.yaml") == []
    for named in ("2024-Q2", "2024-Q3"):  # the two files the rule compared
        assert [(d["path"], d["rule"]) for d in diagnostics(
            "--root", "examples/demo", f"{demo}/{named}.yaml")] == [
            (f"{demo}/2024-Q3.yaml", "filing-value-decreased")]


@pytest.mark.parametrize(("text", "sentence"), [
    ("unit: west\nnote: 时间: 下午\n", "这里不能出现冒号"),
    ('unit: west\nnote: "未闭合\n', "引号没有成对"),
    ("unit: west\ntargets: {a: 1\nb: 2\n", "花括号 { } 里缺少逗号或右括号 }"),
    ("unit: west\nnote: @张三\n", "值不能以 @ 开头"),
    ("targets:\n  a:\n    value: 1\n   note: x\n", "缩进没有对齐"),
])
def test_common_yaml_mistakes_are_said_in_chinese(base_repo: Path, text: str, sentence: str):
    (base_repo / WEST).write_text(text, "utf-8")
    [found] = diagnostics()
    assert found["rule"] == "yaml-syntax"
    assert found["message"].startswith(f"YAML 格式错误，{sentence}"), found["message"]
    assert "(parser: " in found["message"]
