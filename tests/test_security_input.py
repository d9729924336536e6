"""Hostile or careless input files: each is a clear diagnostic (file, line), never a hang, a
traceback or an internal error."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import copy_base
from tracker.cli import cli


def _validate(root: Path, *args: str) -> tuple[int, dict]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["validate", "--format", "json", *args])
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout_bytes)


@pytest.mark.parametrize("text", [
    "unit: east\nx: " + "[" * 5000 + "]" * 5000 + "\n",
    "unit: east\nx: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    "unit: east\nx:\n" + "".join("  " * (i + 1) + "- \n" for i in range(1200)),
], ids=["flow-lists", "flow-maps", "block-lists"])
def test_deep_nesting_is_a_data_error(tmp_path: Path, text: str) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "submissions/east/2024-Q3.yaml").write_text(text, "utf-8")
    code, report = _validate(root)
    assert code == 1
    found = [d for d in report["diagnostics"] if d["path"] == "submissions/east/2024-Q3.yaml"]
    assert [d["rule"] for d in found] == ["yaml-too-deep"], found
    assert found[0]["line"] >= 2 and found[0]["column"] >= 1


def test_deep_nesting_under_a_low_recursion_limit(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "plan/units.yaml").write_text("units: " + "[" * 400 + "]" * 400 + "\n", "utf-8")
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        code, report = _validate(root)
    finally:
        sys.setrecursionlimit(old)
    assert code == 1
    assert [d["rule"] for d in report["diagnostics"]] == ["yaml-too-deep"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    os.mkfifo(root / "submissions/east/2024-Q3.yaml")  # reading it would wait forever
    code, report = _validate(root)
    assert code == 1
    assert [(d["rule"], d["path"]) for d in report["diagnostics"]] == [
        ("file-unreadable", "submissions/east/2024-Q3.yaml")]
    assert "不是普通文件" in report["diagnostics"][0]["message"]


def test_a_folder_named_like_a_filing(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "submissions/east/2024-Q3.yaml").mkdir()
    code, report = _validate(root)
    assert code == 1
    assert [(d["rule"], d["path"]) for d in report["diagnostics"]] == [
        ("file-unreadable", "submissions/east/2024-Q3.yaml")]
    assert "不是普通文件" in report["diagnostics"][0]["message"]


def test_text_far_longer_than_a_report_is_refused(tmp_path: Path) -> None:
    # 100,000 Chinese characters in one summary took the site build 70 s (search segmentation);
    # the 16 MB file cap allows 5 million.
    root = copy_base(tmp_path / "repo")
    file = root / "submissions/east/2024-Q2.yaml"
    file.write_text(file.read_text("utf-8").replace(
        "summary: 新建一个服务站", "summary: " + "很长" * 50000), "utf-8")
    code, report = _validate(root)
    assert code == 1
    found = [(d["rule"], d["line"]) for d in report["diagnostics"]]
    assert found == [("schema-too-long", 18)], found
    assert "100000 个字，上限 10000 个字" in report["diagnostics"][0]["message"]


def test_a_flood_of_problems_in_one_file_is_listed_up_to_a_limit(tmp_path: Path) -> None:
    # 5,000 unknown keys took ~2 s each 1,000 to describe ("did you mean" for each) and printed
    # 5,000 lines that say the same: the first 200 are listed, then one line says there is more.
    from tracker.schema import MAX_PER_FILE

    root = copy_base(tmp_path / "repo")
    file = root / "submissions/east/2024-Q2.yaml"
    file.write_text(file.read_text("utf-8") + "".join(f"extra{i}: x\n" for i in range(5000)),
                    "utf-8")
    code, report = _validate(root)
    assert code == 1
    found = [d for d in report["diagnostics"] if d["path"] == "submissions/east/2024-Q2.yaml"]
    assert len(found) == MAX_PER_FILE + 1 == 201
    assert [d["rule"] for d in found].count("schema-unknown-key") == MAX_PER_FILE
    assert any("只列出了前 200 个" in d["message"] for d in found)


def test_a_symlinked_submissions_folder_is_not_read(tmp_path: Path) -> None:
    # Unit folders, filings, registers and evidence that are symlinks were refused, the
    # submissions folder itself was not: every filing was read from outside the repository
    # (and its text published on the site).
    import shutil

    root = copy_base(tmp_path / "repo")
    outside = tmp_path / "outside"
    shutil.move(root / "submissions", outside)
    (root / "submissions").symlink_to(outside, target_is_directory=True)
    code, report = _validate(root)
    assert code == 1
    assert [(d["rule"], d["path"]) for d in report["diagnostics"]] == [
        ("file-symlink", "submissions")]
    assert not any(f.startswith("submissions/") for f in report["files"])
