"""`tracker status` through click: formats, focused views, errors, language, colour, width."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from tests.status_helpers import filing_yaml, write_repo
from tracker.cli import cli
from tracker.repository import load
from tracker.status import compute, to_json
from tracker.status_view import default_lang

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BASE_ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "NO_COLOR": "", "COLUMNS": ""}


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, list(args), env={**BASE_ENV, **(env or {})})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def demo(*args: str, env: dict[str, str] | None = None):
    return run("status", "--root", str(DEMO), *args, env=env)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo", [
        ("east", "2024-Q1", filing_yaml("east", "2024-Q1", targets={
            "stations": 2, "centres": 0, "kiosks": 5}, tasks={"1.1": ("in_progress", False),
                                                               "S.1": ("done", True)})),
        ("west", "2024-Q1", filing_yaml("west", "2024-Q1", reported_on=date(2024, 4, 12),
                                        targets={"stations": 1})),
        ("office", "2024-Q1", filing_yaml("office", "2024-Q1",
                                          tasks={"1.1": ("done", False)})),
    ])


# --- machine output ---------------------------------------------------------------------


def test_json_is_specs_object_in_utf8():
    r = demo("--as-of", "2024-06-30", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert "村级" in r.stdout_bytes.decode("utf-8")  # not \u-escaped
    payload = json.loads(r.stdout_bytes)
    assert payload == to_json(compute(load(DEMO).repo, date(2024, 6, 30)), load(DEMO).repo.plan)
    assert r.stderr == ""


def test_json_focused_keeps_the_shape():
    payload = json.loads(demo("--as-of", "2024-06-30", "--format", "json",
                              "--unit", "anji").stdout_bytes)
    assert set(payload) >= {"as_of", "plan", "targets", "tasks", "filings", "index"}
    assert {t["scope"] for t in payload["targets"]} == {"anji"}
    assert {f["unit"] for f in payload["filings"]} == {"anji"}
    assert [e["unit"] for e in payload["index"]] == ["anji"]
    target = json.loads(demo("--as-of", "2024-06-30", "--format", "json",
                             "--target", "transfer-centres").stdout_bytes)
    assert {t["target"] for t in target["targets"]} == {"transfer-centres"}
    assert [t["task"] for t in target["tasks"]] == ["1.2"]


def test_csv_has_the_json_figures():
    r = demo("--as-of", "2024-06-30", "--format", "csv", "--lang", "zh")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8"))))
    payload = json.loads(demo("--as-of", "2024-06-30", "--format", "json").stdout_bytes)
    targets = [x for x in rows if x["kind"] == "target"]
    assert len(targets) == len(payload["targets"])
    for got, want in zip(targets, payload["targets"], strict=True):
        assert (got["id"], got["scope"], got["status"]) == \
            (want["target"], want["scope"], want["status"])
        assert float(got["expected"]) == want["expected"]
        assert got["actual"] == ("" if want["actual"] is None else str(want["actual"]))
    assert {x["label"] for x in rows if x["kind"] == "filing"} == {"按时", "逾期报送", "未报送",
                                                                  "待报送"}
    assert len([x for x in rows if x["kind"] == "index"]) == 6


# --- text -------------------------------------------------------------------------------


def test_dashboard_in_chinese():
    r = demo("--as-of", "2024-06-30", "--lang", "zh")
    assert r.exit_code == 0
    out = r.stdout
    for text in ("截至 2024-06-30", "演示数据", "指标(全市)", "各单位指标", "正常推进", "滞后",
                 "未报送", "逾期报送", "快递活村指数", "南太湖新区"):
        assert text in out, text
    assert not ANSI.search(out)  # not a terminal: no colour


def test_dashboard_in_english_keeps_plan_names():
    out = demo("--as-of", "2024-06-30", "--lang", "en").stdout
    assert "Targets (city)" in out and "on track" in out and "missing" in out
    assert "村级寄递物流末端服务点" in out  # plan names stay as written
    assert "正常推进" not in out


@pytest.mark.parametrize("env, lang, shown", [
    ({"LANG": "zh_CN.UTF-8"}, "zh", "zh"), ({"LANG": "en_US.UTF-8"}, "en", "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh", "zh"),
    # C is nobody's choice of language: the plan's (the demo's plan says zh) decides.
    ({"LC_MESSAGES": "C", "LANG": "zh_CN"}, "en", "zh"), ({}, "en", "zh"),
])
def test_language_from_the_locale(env, lang, shown):
    assert default_lang({**BASE_ENV, **env}) == lang  # a plan without a language
    out = demo("--as-of", "2024-06-30", env=env).stdout
    assert ("截至" in out) == (shown == "zh")


@pytest.mark.parametrize("env, lcid, lang", [
    ({}, 0x0804, "zh"), ({}, 0x0404, "zh"), ({}, 0x0409, "en"), ({}, None, "en"),
    ({"LANG": "en_US.UTF-8"}, 0x0804, "en"),  # a variable that is set still wins
])
def test_without_locale_variables_windows_display_language_decides(env, lcid, lang):
    # Windows sets none of LC_ALL/LC_MESSAGES/LANG: a Chinese Windows gets Chinese labels.
    assert default_lang({**BASE_ENV, **env}, windows_lcid=lcid) == lang


def test_color_forced_and_no_color():
    coloured = demo("--as-of", "2024-06-30", "--color").stdout
    assert ANSI.search(coloured)
    plain = demo("--as-of", "2024-06-30", env={"NO_COLOR": "1"}).stdout
    assert not ANSI.search(plain)


def test_wide_chinese_text_aligns():
    out = demo("--as-of", "2024-06-30", "--lang", "zh", "--width", "100").stdout
    lines = out.splitlines()
    # Every row of the task table starts its status light at the same display column.
    start = next(i for i, line in enumerate(lines) if line.startswith("任务"))
    rows = [line for line in lines[start:start + 20] if "●" in line]
    assert len(rows) >= 14
    columns = {cell_len(line[: line.index("●")]) for line in rows}
    assert len(columns) == 1, columns
    # and no line is wider than the console
    assert max(cell_len(line) for line in lines) <= 100


def test_text_output_is_gbk_encodable():
    for lang in ("zh", "en"):
        for extra in ((), ("--unit", "anji"), ("--task", "1.2"),
                      ("--target", "village-service-points"),
                      ("--since", "2023-06-30")):
            out = demo("--as-of", "2024-06-30", "--lang", lang, *extra).stdout
            out.encode("gbk")


def test_focused_unit_view():
    out = demo("--as-of", "2024-06-30", "--lang", "zh", "--unit", "nanxun").stdout
    assert "南浔区 · 南浔区人民政府 (nanxun)" in out
    assert "submissions/nanxun/2024-Q1.yaml" in out  # its filing record
    assert "2024-Q2" in out  # where each figure came from
    assert "配合" in out and "无单位目标" in out
    assert "2022-Q1" in out  # its filing record
    assert "排名 6 / 6" in out


def test_focused_department_view():
    out = demo("--as-of", "2024-06-30", "--lang", "en", "--unit", "postal").stdout
    assert "lead" in out and "not required to file" in out
    assert "submissions/postal/2024-Q1.yaml" in out


def test_focused_target_and_task_views():
    out = demo("--as-of", "2024-06-30", "--lang", "zh", "--target", "transfer-centres").stdout
    assert "transfer-centres · 乡镇寄递物流公共转运中心" in out
    assert "2022-01-01 0 (基期) → 2024-12-31 46" in out
    assert "全市" in out and "长兴县" in out
    out = demo("--as-of", "2024-06-30", "--lang", "zh", "--task", "3.3").stdout
    assert "3.3 · 加快寄递物流标准体系建设" in out and "市邮政管理局" in out
    assert "牵头" in out


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("flag, value, kind", [
    ("--target", "nope", "target"), ("--unit", "atlantis", "unit"), ("--task", "9.9", "task"),
])
def test_unknown_ids_exit_2_listing_valid_ids(flag, value, kind):
    r = demo("--as-of", "2024-06-30", flag, value)
    assert r.exit_code == 2
    assert value in r.stderr and "valid" in r.stderr
    assert {"target": "village-service-points", "unit": "nantaihu", "task": "S.4"}[kind] \
        in r.stderr
    assert r.stdout == ""


def test_two_focuses_is_a_usage_error():
    assert demo("--unit", "anji", "--task", "1.1").exit_code == 2


def test_bad_date_is_a_usage_error():
    r = demo("--as-of", "2024-13-01")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.stderr


def test_data_errors_warn_once_and_status_still_runs(small):
    broken = small / "submissions" / "north"
    broken.mkdir()
    (broken / "2024-Q1.yaml").write_text("unit: north\nperiod: 2024-Q1\n", encoding="utf-8")
    r = run("status", "--root", str(small), "--as-of", "2024-06-30", "--format", "json",
            "--lang", "en")
    assert r.exit_code == 0
    assert len(r.stderr.strip().splitlines()) == 1
    assert "tracker validate --root" in r.stderr
    payload = json.loads(r.stdout_bytes)
    assert payload["targets"][0]["actual"] == 3  # east 2 + west 1; north's file unreadable


def test_unusable_plan_exits_1(small):
    (small / "plan" / "targets.yaml").write_text("reporting: [\n", encoding="utf-8")
    r = run("status", "--root", str(small))
    assert r.exit_code == 1
    assert "targets.yaml" in r.stderr and "tracker validate" in r.stderr
    assert "Traceback" not in r.stderr


def test_no_repository_exits_2(tmp_path):
    r = run("status", "--root", str(tmp_path / "nowhere"))
    assert r.exit_code == 2


def test_small_repo_statuses(small):
    payload = json.loads(run("status", "--root", str(small), "--as-of", "2024-06-30",
                             "--format", "json").stdout_bytes)
    by = {(t["target"], t["scope"]): t["status"] for t in payload["targets"]}
    # 2 vs 10 × 8×181/365 ÷ 16 ≈ 2.48, which is 2 in whole villages
    assert by[("stations", "east")] == "on_track"
    assert by[("centres", "north")] == "not_reported"
    assert ("stations", "north") not in by  # no villages count → no unit goal
    tasks = {t["task"]: t["status"] for t in payload["tasks"]}
    assert tasks == {"1.1": "in_progress", "S.1": "in_progress"}  # office: done, no evidence
    filings = {(f["unit"], f["period"]): f["status"] for f in payload["filings"]}
    assert filings == {("east", "2024-Q1"): "on_time", ("west", "2024-Q1"): "late",
                       ("north", "2024-Q1"): "missing", ("east", "2024-Q2"): "upcoming",
                       ("west", "2024-Q2"): "upcoming", ("north", "2024-Q2"): "upcoming"}


def test_cli_format_choices_match_the_view():
    from tracker.cli import status_cmd
    from tracker.status_view import FORMATS

    assert status_cmd.FORMATS == FORMATS


def test_registering_commands_does_not_import_the_heavy_modules():
    # rich and openpyxl (with numpy) cost ~0.1 s: status/explain/export load them only when run.
    import subprocess
    import sys

    code = ("import sys, tracker.cli; print(sorted(m for m in "
            "('tracker.status_view', 'tracker.xlsx_export') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_machine_formats_do_not_load_the_terminal_renderer():
    # rich costs ~13 ms to import: JSON and CSV for programs do not pay for it.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tracker.cli import main\n"
        "sys.argv = ['tracker', 'status', '--root', 'examples/demo', '--format', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    root = Path(__file__).resolve().parent.parent
    for fmt in ("json", "csv"):
        run = subprocess.run([sys.executable, "-c", script, fmt], cwd=root, capture_output=True,
                             text=True, encoding="utf-8")
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip() == "[]", run.stderr
