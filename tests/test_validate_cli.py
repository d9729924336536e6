"""`tracker validate` as an editor and a CI job use it."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli
from tracker.diagnostics import Diagnostic, Report, Severity
from tracker.reporters import GithubReporter, JunitReporter, TextReporter

REPO = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def break_west(root: Path) -> None:
    p = root / "submissions/west/2024-Q1.yaml"
    p.write_text(p.read_text("utf-8").replace("value: 1", "value: -1").replace(
        "progress: in_progress", "progress: finished"), "utf-8")


def test_clean_repository_passes_with_exit_0(base_repo):
    result = invoke("validate")
    assert result.exit_code == 0
    assert "通过 OK" in result.output


def test_every_problem_is_printed_in_one_run_with_location_rule_and_hint(base_repo):
    break_west(base_repo)
    result = invoke("validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "submissions/west/2024-Q1.yaml:8:12: error: targets.stations.value 的值 -1 应不小于 0 [schema-minimum]" in lines
    assert any(line.startswith("submissions/west/2024-Q1.yaml:11:15: error:") and "[schema-enum]" in line for line in lines)
    assert "    提示 hint: 可选：not_started、in_progress、done" in lines
    assert "未通过: 2 个错误 errors" in result.output


def test_named_files_are_checked_with_their_cross_file_rules_only(base_repo):
    break_west(base_repo)
    reg = base_repo / "submissions/east/registers/stations.yaml"
    reg.write_text(reg.read_text("utf-8").replace("2024-05-01", "2024-07-01"), "utf-8")
    # The register is named: the east filing it contradicts is reported, west is not.
    result = invoke("validate", "submissions/east/registers/stations.yaml", "--format", "json")
    report = json.loads(result.stdout_bytes)
    assert result.exit_code == 1
    assert {(d["path"], d["rule"]) for d in report["diagnostics"]} == {
        ("submissions/east/2024-Q2.yaml", "register-count-mismatch")}
    assert "报送值 3 与台账" in report["diagnostics"][0]["message"]
    assert "在用的 2 条不一致" in report["diagnostics"][0]["message"]


def test_a_path_outside_the_repository_is_refused_with_exit_2(base_repo, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("a: 1\n")
    result = invoke("validate", str(outside))
    assert result.exit_code == 2
    assert "不在仓库" in result.output
    assert "Traceback" not in result.output


def test_no_repository_is_exit_2_without_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("validate")
    assert result.exit_code == 2
    assert "不是 tracker 仓库" in result.output
    assert "Traceback" not in result.output


def test_strict_turns_warnings_into_failures(base_repo):
    p = base_repo / "submissions/east/2024-Q2.yaml"
    p.write_text(p.read_text("utf-8").replace("value: 1\ntasks", "value: 0\ntasks"), "utf-8")
    p1 = base_repo / "submissions/east/2024-Q1.yaml"
    p1.write_text(p1.read_text("utf-8").replace("  centres:\n    value: 0", "  centres:\n    value: 1"), "utf-8")
    assert invoke("validate").exit_code == 0
    strict = invoke("validate", "--strict")
    assert strict.exit_code == 1
    assert "[filing-value-decreased]" in strict.output


def test_github_format_is_workflow_commands(base_repo):
    break_west(base_repo)
    result = invoke("validate", "--format", "github")
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert lines[0].startswith(
        "::error file=submissions/west/2024-Q1.yaml,line=8,col=12,title=schema-minimum::")
    assert all(line.startswith("::error ") for line in lines[:-1])


def test_junit_format_has_one_test_case_per_file(base_repo):
    break_west(base_repo)
    result = invoke("validate", "--format", "junit")
    root = ET.fromstring(result.stdout_bytes)
    cases = root.findall(".//testcase")
    assert len(cases) == 8
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["submissions/west/2024-Q1.yaml"]
    assert root.find("testsuite").get("failures") == "1"


def test_demo_and_real_plan_validate():
    assert invoke("validate", "--root", str(REPO)).exit_code == 0
    demo = invoke("validate", "--root", str(REPO / "examples/demo"), "--format", "json")
    assert demo.exit_code == 0, demo.stdout_bytes.decode()
    report = json.loads(demo.stdout_bytes)
    assert report["errors"] == 0 and len(report["files"]) > 140


def test_schema_export_writes_every_kind(tmp_path):
    result = invoke("schema", "--out", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == sorted(f"{k}.schema.json" for k in
                           ("units", "tasks", "targets", "filing", "register", "review", "config"))
    for p in (tmp_path / "schemas").iterdir():
        assert json.loads(p.read_text("utf-8"))["$schema"].endswith("2020-12/schema")


def test_every_command_teaches_in_its_help():
    import click

    from tracker.cli import COMMANDS, load_all_commands

    load_all_commands()
    assert sorted(cli.commands) == sorted(COMMANDS), "every command is in the lazy table"
    assert cli.list_commands(click.Context(cli)) == sorted(COMMANDS)
    for name in cli.commands:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output or "例" in result.output, f"{name} --help has no example"


# --- reporters against exact strings ------------------------------------------------------

D = [
    Diagnostic("a.yaml", 3, 5, "schema-type", "值,不对: 50%", "加引号", Severity.ERROR),
    Diagnostic("b.yaml", 0, 0, "filing-value-decreased", "少了", "", Severity.WARNING),
]


def test_text_reporter_exact_lines():
    out = io.StringIO()
    TextReporter(color=False).render(Report(D, ["a.yaml", "b.yaml"]), out)
    assert out.getvalue().splitlines() == [
        "a.yaml:3:5: error: 值,不对: 50% [schema-type]",
        "    提示 hint: 加引号",
        "b.yaml: warning: 少了 [filing-value-decreased]",
        "未通过: 1 个错误 errors, 1 个警告 warnings, 检查了 2 个文件 files",
    ]


def test_github_reporter_escapes_properties_and_data():
    out = io.BytesIO()
    GithubReporter().render(Report(D, []), out)
    assert out.getvalue().decode().splitlines()[:2] == [
        "::error file=a.yaml,line=3,col=5,title=schema-type::值,不对: 50%25%0A提示: 加引号",
        "::warning file=b.yaml,title=filing-value-decreased::少了",
    ]


def test_junit_reporter_survives_control_characters():
    out = io.BytesIO()
    bad = [Diagnostic("a.yaml", 1, 1, "schema-type", "x\x01<script>", "", Severity.ERROR)]
    JunitReporter().render(Report(bad, ["a.yaml"]), out)
    root = ET.fromstring(out.getvalue())
    assert root.find(".//failure").get("message") == "x<script>"


def test_an_empty_value_says_it_was_not_filled_in(base_repo):
    """`tracker new` leaves unknown values empty; the error must say so, not talk about quotes."""
    p = base_repo / "submissions/west/2024-Q1.yaml"
    p.write_text(p.read_text("utf-8").replace("value: 1", "value:").replace(
        "progress: in_progress", "progress:"), "utf-8")
    lines = invoke("validate").output.splitlines()
    assert "submissions/west/2024-Q1.yaml:8:11: error: targets.stations.value 没有填写(应为整数) [schema-type]" in lines
    assert any("progress 没有填写 [schema-enum]" in line for line in lines)
    assert "    提示 hint: 在冒号后填写，可选：not_started、in_progress、done" in lines


def test_a_value_that_looks_numeric_is_reported_not_an_internal_error(base_repo):
    """`--5` and `+-3` are digits after the signs, yet no number; Python's int() reads no more
    than 4,300 digits. Each is reported like any text, never a traceback."""
    p = base_repo / "submissions/west/2024-Q1.yaml"
    for text in ("--5", "+-3", '"-+7"', f'"{"9" * 5000}"', f"{'9' * 5000}个", f'"-{"0" * 5000}"'):
        p.write_text(p.read_text("utf-8").replace("value: 1\n", f"value: {text}\n"), "utf-8")
        result = invoke("validate", "--format", "json")
        assert result.exit_code == 1, (text, result.output)
        [d] = json.loads(result.stdout)["diagnostics"]
        assert d["rule"] == "schema-type", d
        p.write_text(p.read_text("utf-8").replace(f"value: {text}\n", "value: 1\n"), "utf-8")


def test_every_repeat_of_a_duplicate_id_names_the_line_of_the_first(base_repo):
    tasks = base_repo / "plan" / "tasks.yaml"
    text = tasks.read_text("utf-8")
    first = text.index('  - id: "1.2"')
    block = text[first:text.index('  - id: "S.1"')]
    tasks.write_text(text.replace(block, block * 3), "utf-8")  # "1.2" three times
    first_line = text[:first].count("\n") + 1
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    duplicates = [d for d in json.loads(result.stdout)["diagnostics"]
                  if d["rule"] == "plan-duplicate-id"]
    assert len(duplicates) == 2
    assert all(f"第一次在第 {first_line} 行" in d["message"] for d in duplicates)


def test_an_unquoted_task_key_does_not_hide_the_files_other_problems(base_repo):
    # 1.1: unquoted (a number in YAML) and progress misspelt: both reported in one run.
    filing = base_repo / "submissions" / "east" / "2024-Q1.yaml"
    text = filing.read_text("utf-8")
    filing.write_text(text.replace('"1.1":', "1.1:").replace("in_progress", "in-progress"),
                      "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 1
    found = {(d["rule"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]
             if d["path"].endswith("east/2024-Q1.yaml")}
    assert ("yaml-key-type", 13) in found
    assert any(rule.startswith("schema-") and line == 14 for rule, line in found), found


def test_a_named_file_that_is_not_read_is_an_error_not_a_pass(base_repo):
    (base_repo / "notes").mkdir()
    (base_repo / "notes/2024-Q2.yaml").write_text("unit: west\n", "utf-8")
    (base_repo / "evidence/east/2024-Q2/photo.txt").write_text("x", "utf-8")
    for named in ("notes/2024-Q2.yaml", "evidence/east/2024-Q2/photo.txt", "evidence"):
        result = invoke("validate", named)
        assert result.exit_code == 1, named
        assert f"{named}: error: {named} 没有被检查" in result.output
    # A folder whose files are checked, the root, and a checked file pass.
    for named in ("submissions/east", ".", "submissions/east/2024-Q2.yaml", "plan/units.yaml"):
        result = invoke("validate", named)
        assert result.exit_code == 0, (named, result.output)


def test_text_of_only_spaces_does_not_fill_a_required_text(base_repo):
    # A reason for the amendment, a summary and an evidence title must say something: spaces,
    # a full-width space (what the Chinese input method types) or a blank line do not.
    path = base_repo / "submissions/east/2024-Q2.yaml"
    text = path.read_text("utf-8")
    text = text.replace("amendment_reason: 更正服务站数量", 'amendment_reason: "\u3000"')
    text = text.replace("summary: 新建一个服务站", 'summary: "  "')
    text = text.replace("{title: 现场照片,", '{title: " ",')
    path.write_text(text, "utf-8")
    result = invoke("validate", "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)["diagnostics"]
    assert sorted((d["rule"], d["line"]) for d in found) == [
        ("schema-pattern", 6), ("schema-pattern", 11), ("schema-pattern", 18)], found
    assert all("只有空格" in d["hint"] and not d["hint"].startswith("含有全角字符") for d in found)
