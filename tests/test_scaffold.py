"""`tracker new` (a commented filing to fill in) and `tracker amend` (an amendment, in place)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import REPO, git, hostile_plan
from tests.workflow_helpers import PLAN, make_pr_repo
from tracker.cli import cli
from tracker.filing.scaffold import amend_text, schema_reference


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def validate(*paths: str):
    result = run("validate", "--format", "json", *paths)
    return result.exit_code, json.loads(result.stdout)


def test_new_lists_every_target_and_task_with_earlier_figures(base_repo: Path):
    result = run("new", "--unit", "east", "--period", "2024-Q3", "--reported-on", "2024-10-05")
    assert result.exit_code == 0, result.stderr
    assert "已生成 submissions/east/2024-Q3.yaml：2 个指标、3 项任务，1 处待填写(空值)。" in result.stdout
    path = base_repo / "submissions/east/2024-Q3.yaml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/filing.schema.json"
    data = yaml.safe_load(text)
    assert data["unit"] == "east" and data["period"] == "2024-Q3" and data["revision"] == 1
    assert str(data["as_of"]) == "2024-09-30"  # the period's end
    assert str(data["reported_on"]) == "2024-10-05"
    assert {k: v["value"] for k, v in data["targets"].items()} == {"stations": 3, "centres": 1}
    assert list(data["tasks"]) == ["1.1", "1.2", "S.1"]
    assert data["tasks"]["1.1"]["progress"] == "in_progress"
    # A task closed with evidence keeps its evidence, or the pre-filled "done" would not count.
    assert data["tasks"]["1.2"] == {"progress": "done", "summary": "", "evidence": [
        {"title": "验收文件", "path": "evidence/east/2024-Q2/photo.txt"}]}
    assert data["tasks"]["S.1"]["progress"] is None  # never reported: left for the editor
    # Earlier figures and what each field means are in comments.
    assert "value: 3                  # 上期 2024-Q2：3(已预填，请改为本期累计值)" in text
    assert "# 村级服务站 —— 计量单位：个，本单位目标 10，全市目标 16(截至 2025-12-31)" in text
    assert "# 1.2 建设分拣中心 —— 本单位：牵头" in text
    assert "# 上期进展：新建一个服务站" in text
    assert "as_of: 2024-09-30             # 数据截至日期" in text


def test_a_blank_is_reported_at_its_line_until_filled(base_repo: Path):
    run("new", "--unit", "east", "--period", "2024-Q3", "--reported-on", "2024-10-05")
    path = base_repo / "submissions/east/2024-Q3.yaml"
    code, report = validate("submissions/east/2024-Q3.yaml")
    assert code == 1
    lines = path.read_text("utf-8").splitlines()
    [problem] = [d for d in report["diagnostics"] if d["rule"] == "schema-enum"]
    assert lines[problem["line"] - 1].lstrip().startswith("progress:")
    empty = [d for d in report["diagnostics"] if d["rule"] == "schema-empty"]
    assert empty and all(lines[d["line"] - 1].lstrip().startswith("summary:") for d in empty)
    assert len(empty) + 1 == len(report["diagnostics"])
    path.write_text(path.read_text("utf-8").replace("progress:  ", "progress: not_started")
                    .replace('summary: ""', "summary: 按计划推进"), "utf-8")
    assert validate("submissions/east/2024-Q3.yaml")[0] == 0
    assert run("validate", "--strict").exit_code == 0


def test_new_output_validates_when_every_figure_is_known_and_summaries_are_written(
        base_repo: Path):
    result = run("new", "--unit", "office", "--period", "2024-Q3", "--reported-on", "2024-10-02")
    assert result.exit_code == 0
    assert "已按上一期预填" in result.stdout
    # 进展情况 is this period's own words: never pre-filled, always to write (SPEC).
    code, report = validate("submissions/office/2024-Q3.yaml")
    assert code == 1 and {d["rule"] for d in report["diagnostics"]} == {"schema-empty"}
    path = base_repo / "submissions/office/2024-Q3.yaml"
    path.write_text(path.read_text("utf-8").replace('summary: ""', "summary: 本期推进"), "utf-8")
    result = run("validate", "--strict", "submissions/office/2024-Q3.yaml")
    assert result.exit_code == 0, result.stdout


def test_a_first_filing_leaves_every_figure_to_the_editor(base_repo: Path):
    run("new", "--unit", "west", "--period", "2024-Q2", "--reported-on", "2024-07-03")
    data = yaml.safe_load((base_repo / "submissions/west/2024-Q2.yaml").read_text("utf-8"))
    assert data["targets"]["stations"]["value"] == 1  # from 2024-Q1
    assert data["targets"]["centres"]["value"] is None  # never reported
    code, report = validate("submissions/west/2024-Q2.yaml")
    assert code == 1
    assert {d["rule"] for d in report["diagnostics"]} == {"schema-type", "schema-enum",
                                                          "schema-empty"}


def test_new_refuses_to_overwrite(base_repo: Path):
    path = base_repo / "submissions/east/2024-Q2.yaml"
    before = path.read_bytes()
    result = run("new", "--unit", "east", "--period", "2024-Q2")
    assert result.exit_code == 2
    assert "submissions/east/2024-Q2.yaml 已存在，不会覆盖" in result.stderr
    assert "tracker amend submissions/east/2024-Q2.yaml" in result.stderr
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "north", "--period", "2024-Q3"], "单位 north 不存在"),
    (["--unit", "east", "--period", "2024-09"], "期次 2024-09 不是季度期次"),
    (["--unit", "east", "--period", "2027-Q1"], "不在计划期"),
    (["--unit", "east", "--period", "2024-Q3", "--as-of", "2024-10-01"], "不在期次 2024-Q3"),
])
def test_bad_arguments_exit_2_with_a_hint(base_repo: Path, args: list[str], message: str):
    result = run("new", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_schema_line_resolves_to_the_committed_schemas():
    demo = REPO / "examples/demo"
    filing = demo / "submissions/anji/2026-Q1.yaml"
    ref = schema_reference(demo, filing)
    assert ref == "../../../../schemas/filing.schema.json"
    assert (filing.parent / ref).resolve() == (REPO / "schemas/filing.schema.json").resolve()
    assert (filing.parent / ref).is_file()


# --- amend ----------------------------------------------------------------------------------


def test_amend_edits_only_revision_and_reason(tmp_path: Path, monkeypatch):
    root = make_pr_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    path = root / "submissions/east/2024-Q1.yaml"
    original = "# 东区第一季度 —— 注释要保留\n" + path.read_text("utf-8").replace(
        "revision: 1", "revision: 1   # 首次报送")
    path.write_text(original, "utf-8")
    git(root, "commit", "-qam", "comment", author=PLAN)
    result = run("amend", "submissions/east/2024-Q1.yaml")
    assert result.exit_code == 0, result.stderr
    assert "revision 1 → 2" in result.stdout
    after = path.read_text("utf-8").splitlines()
    before = original.splitlines()
    i = before.index("revision: 1   # 首次报送")
    assert after[:i] + after[i + 2:] == before[:i] + before[i + 1:]
    assert after[i] == "revision: 2   # 首次报送"
    assert after[i + 1].startswith('amendment_reason: ""  # 必填')
    # Until a reason is written the filing does not validate; then it does.
    assert validate("submissions/east/2024-Q1.yaml")[0] == 1
    path.write_text(path.read_text("utf-8").replace('amendment_reason: ""', "amendment_reason: 更正"),
                    "utf-8")
    assert validate("submissions/east/2024-Q1.yaml")[0] == 0
    # Running it again before committing would raise revision twice: refused.
    again = run("amend", "submissions/east/2024-Q1.yaml")
    assert again.exit_code == 2
    assert "已在修订中：revision 是 2，已提交的版本是 1" in again.stderr


def test_amend_keeps_an_earlier_reason_as_a_comment(tmp_path: Path, monkeypatch):
    root = make_pr_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    assert run("amend", "submissions/east/2024-Q2.yaml").exit_code == 0
    text = (root / "submissions/east/2024-Q2.yaml").read_text("utf-8")
    assert "revision: 3\n" in text
    assert "# 上一版(第 2 版)的amendment_reason: 更正服务站数量\n" in text
    assert yaml.safe_load(text)["amendment_reason"] == ""


def test_amend_refuses_a_filing_that_was_never_committed(tmp_path: Path, monkeypatch):
    root = make_pr_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    run("new", "--unit", "office", "--period", "2024-Q3", "--reported-on", "2024-10-02")
    result = run("amend", "submissions/office/2024-Q3.yaml")
    assert result.exit_code == 2
    assert "还没有提交过" in result.stderr


def test_amend_text_keeps_line_endings_and_block_reasons():
    text = ("unit: east\r\nrevision: 2\r\namendment_reason: |\r\n  第一行\r\n  第二行\r\n"
            "# 指标\r\ntargets: {}\r\n")
    new, old, rev = amend_text(text)
    assert (old, rev) == (2, 3)
    assert "\r\n" in new and "\n" not in new.replace("\r\n", "")
    assert yaml.safe_load(new) == {"unit": "east", "revision": 3, "amendment_reason": "",
                                   "targets": {}}
    assert "# 指标\r\ntargets: {}" in new  # the next comment is not swallowed


def test_amend_works_outside_git_and_keeps_a_bom(base_repo: Path):
    path = base_repo / "submissions/west/2024-Q1.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run("amend", "submissions/west/2024-Q1.yaml").exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"revision: 2\n" in raw


def test_amend_of_a_file_with_errors_is_refused(base_repo: Path):
    path = base_repo / "submissions/west/2024-Q1.yaml"
    path.write_text("unit: west\nrevision: [\n", "utf-8")
    result = run("amend", "submissions/west/2024-Q1.yaml")
    assert result.exit_code == 2
    assert "不是可读的报送文件" in result.stderr


def test_the_printed_next_step_checks_the_new_filing_of_a_repository_inside_another(
        base_repo: Path):
    # Issue 15.1: the quick start's `tracker new --root examples/demo`, run from the outer
    # repository: the advice printed must check the new file, not pass without reading it.
    demo = base_repo / "demo"
    demo.mkdir()
    (demo / "tracker.yaml").write_text("plan: ../plan\ndemo: true\n", "utf-8")
    result = run("new", "--unit", "west", "--period", "2024-Q2", "--root", "demo")
    assert result.exit_code == 0, result.output
    advice = result.stdout.splitlines()[-1]
    assert advice == ("填写后运行 tracker validate --root demo demo/submissions/west/2024-Q2.yaml"
                      " 检查。")
    command = advice.removeprefix("填写后运行 ").removesuffix(" 检查。").split()
    assert command[0] == "tracker"
    code, report = validate(*command[2:])
    assert code == 1  # the blanks left for the editor
    assert report["files"] == ["demo/submissions/west/2024-Q2.yaml", "plan/targets.yaml",
                               "plan/tasks.yaml", "plan/units.yaml"]
    assert {d["rule"] for d in report["diagnostics"]} == {"schema-type", "schema-enum",
                                                          "schema-empty"}
    # Without --root the outer repository is checked, and the named file is said to be unread.
    code, report = validate("demo/submissions/west/2024-Q2.yaml")
    assert code == 1
    [unread] = [d for d in report["diagnostics"] if d["path"] == "demo/submissions/west/2024-Q2.yaml"]
    assert unread["rule"] == "file-not-checked"
    assert unread["hint"] == "检查它请运行 tracker validate --root demo demo/submissions/west/2024-Q2.yaml"


def test_the_next_step_after_a_workbook_names_the_repository(base_repo: Path, tmp_path: Path,
                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "--unit", "west", "--period", "2024-Q2", "--root", "repo",
                 "--xlsx", "west.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "在黄色单元格中填写后运行 tracker import --root repo west.xlsx"


def test_new_carries_text_a_yaml_reader_would_refuse_escaped(base_repo: Path):
    """U+FFFE and U+FFFF may sit in a filing only as escapes; `tracker new` copies a closed
    task's evidence into the next period and must write them escaped again."""
    earlier = base_repo / "submissions/east/2024-Q2.yaml"
    earlier.write_text(earlier.read_text("utf-8").replace(
        "{title: 验收文件,", '{title: "验收\\ufffe文件\\uffff",'), "utf-8")
    assert validate("submissions/east/2024-Q2.yaml")[0] == 0
    assert run("new", "--unit", "east", "--period", "2024-Q3").exit_code == 0
    code, report = validate("submissions/east/2024-Q3.yaml")
    assert {d["rule"] for d in report["diagnostics"]} == {"schema-enum", "schema-empty"}
    data = yaml.safe_load((base_repo / "submissions/east/2024-Q3.yaml").read_text("utf-8"))
    assert data["tasks"]["1.2"]["evidence"][0]["title"] == "验收\ufffe文件\uffff"


def test_comments_from_the_plan_and_earlier_filings_stay_comments(base_repo: Path):
    """A comment line that took a line break from the plan would end there, and the rest of the
    title would be read as YAML: a file CI refuses, or one that says more than the editor saw."""
    hostile_plan(base_repo)
    assert validate()[0] == 0
    assert run("new", "--unit", "east", "--period", "2024-Q3").exit_code == 0
    code, report = validate("submissions/east/2024-Q3.yaml")
    assert {d["rule"] for d in report["diagnostics"]} <= {"schema-enum", "schema-empty"}, report
    text = (base_repo / "submissions/east/2024-Q3.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert "injected" not in data and list(data["targets"]["stations"]) == ["value"]
    assert "# 东区 injected: 1 2024-Q3 报送" in text
    assert "  # 1.2 建设分拣中心 —— 本单位：牵头" in text


def test_a_unit_id_yaml_would_read_as_a_number_is_written_quoted(base_repo: Path):
    """Unit ids are slugs, and a slug may be all digits (a 统计用区划代码 such as 330902)."""
    hostile_plan(base_repo)
    assert validate()[0] == 0
    assert run("new", "--unit", "330902", "--period", "2024-Q2").exit_code == 0
    text = (base_repo / "submissions/330902/2024-Q2.yaml").read_text("utf-8")
    assert yaml.safe_load(text)["unit"] == "330902"
    code, report = validate("submissions/330902/2024-Q2.yaml")
    assert [d for d in report["diagnostics"] if d["message"].startswith("unit ")] == []


def test_amend_refuses_a_layout_it_cannot_follow(base_repo: Path):
    hostile_plan(base_repo)
    path = base_repo / "submissions/east/2024-Q1.yaml"
    before = path.read_bytes()
    result = run("amend", "submissions/east/2024-Q1.yaml")
    assert result.exit_code == 2
    assert "自动修订失败" in result.stderr
    assert path.read_bytes() == before
