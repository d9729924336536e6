"""SPEC conformance, one clause at a time, where the other test files leave a gap.

Each test names the SPEC clause it checks. Repositories are the small plan of
tests/status_helpers.py written to a temporary folder, run through the real loader and CLI.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

from click.testing import CliRunner

from tests.status_helpers import TARGETS_YAML, filing_yaml, write_repo
from tracker.cli import cli
from tracker.repository import load
from tracker.status import compute


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- plan/targets.yaml: thresholds ---------------------------------------------------------


def test_a_plan_without_thresholds_uses_the_default_lagging_threshold(tmp_path: Path):
    # The schema lets `thresholds` out; the tool default (0.8) then applies, as docs say — the
    # plan must not crash every command with an internal error.
    targets = TARGETS_YAML.replace("thresholds:\n  lagging: 0.8\n", "")
    assert "thresholds" not in targets
    root = write_repo(tmp_path, [("east", "2024-Q2", filing_yaml(
        "east", "2024-Q2", targets={"stations": 2}))], targets_yaml=targets)
    loaded = load(root)
    assert loaded.repo is not None and not loaded.report.errors
    assert loaded.repo.plan.lagging == 0.8
    code, out, err = run("status", "--root", str(root), "--as-of", "2024-06-30",
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out)["plan"] == "small-plan"
    code, _, err = run("validate", "--root", str(root))
    assert code == 0, err
    assert compute(loaded.repo, date(2024, 6, 30)).lagging == Fraction(4, 5)


# --- exit codes: 2 when the command could not run, with a message that says what to do ------


def test_an_unwritable_output_is_a_file_error_not_an_internal_error(tmp_path: Path):
    # e.g. the workbook is open in Excel/WPS on Windows, or a name is taken by a folder: the
    # user's to fix, so exit 2 with the file named and a hint, no "internal error, report it".
    import subprocess
    import sys

    out_dir = tmp_path / "schemas"
    (out_dir / "filing.schema.json").mkdir(parents=True)  # a folder where a file must go
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "schema", "--out", str(out_dir)],
        capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 2
    assert "internal error" not in out.stderr and "Traceback" not in out.stderr
    assert "filing.schema.json" in out.stderr and "提示 hint" in out.stderr


# --- registers: submissions/<unit>/registers/<target>.yaml ----------------------------------


def _register(unit: str, target: str) -> str:
    return (f"unit: {unit}\ntarget: {target}\nitems:\n"
            f"  - {{code: \"9{len(unit)}01\", name: 一号点, opened: 2024-01-15}}\n")


def test_a_register_in_a_folder_that_is_no_unit_is_an_error(tmp_path: Path):
    root = write_repo(tmp_path, [])
    folder = root / "submissions" / "ghost" / "registers"
    folder.mkdir(parents=True)
    (folder / "stations.yaml").write_text(_register("ghost", "stations"), "utf-8")
    found = {(d.rule, d.line) for d in load(root).report.errors
             if d.path.endswith("submissions/ghost/registers/stations.yaml")}
    assert ("filing-unknown-unit", 1) in found, found


def test_a_register_of_a_target_the_unit_does_not_report_is_an_error(tmp_path: Path):
    # SPEC: a unit files only targets it reports; a register is an itemised filing.
    root = write_repo(tmp_path, [])
    folder = root / "submissions" / "office" / "registers"
    folder.mkdir(parents=True)
    (folder / "stations.yaml").write_text(_register("office", "stations"), "utf-8")
    rules = {(d.rule, d.line) for d in load(root).report.errors}
    assert ("filing-target-not-reported", 2) in rules, rules


def test_register_items_opened_on_as_of_count_and_closed_on_as_of_do_not(tmp_path: Path):
    # SPEC: the count of items open on a filing's as_of must equal its value (decisions.md).
    root = write_repo(tmp_path, [("east", "2024-Q2", filing_yaml(
        "east", "2024-Q2", targets={"stations": 2}))])
    folder = root / "submissions" / "east" / "registers"
    folder.mkdir(parents=True)
    (folder / "stations.yaml").write_text(
        "unit: east\ntarget: stations\nitems:\n"
        "  - {code: \"1\", name: 甲, opened: 2024-01-15}\n"
        "  - {code: \"2\", name: 乙, opened: 2024-06-30}\n"            # opened on as_of: open
        "  - {code: \"3\", name: 丙, opened: 2024-02-01, closed: 2024-06-30}\n"  # closed: not
        "  - {code: \"4\", name: 丁, opened: 2024-03-01, closed: 2024-03-01}\n",  # never open
        "utf-8")
    assert not load(root).report.errors


# --- SPEC: "The tool is generic: nothing about this particular plan is hard-coded" ---------


def test_nothing_of_the_shipped_plan_is_written_into_the_tool():
    import re

    import yaml

    repo = Path(__file__).resolve().parent.parent
    units = yaml.safe_load((repo / "plan/units.yaml").read_text("utf-8"))
    tasks = yaml.safe_load((repo / "plan/tasks.yaml").read_text("utf-8"))
    targets = yaml.safe_load((repo / "plan/targets.yaml").read_text("utf-8"))
    words = {tasks["plan"]["id"], tasks["plan"]["title"]}
    for u in units["units"]:
        words |= {u["name"], u.get("short", u["name"])}
        if u["kind"] != "department":  # department ids are plain words (finance, transport …)
            words.add(u["id"])
    words |= {t["title"] for t in tasks["tasks"]}  # sections (工作保障 …) are generic headings
    for t in targets["targets"]:
        words |= {t["id"], t["title"]}
    if "index" in targets:
        words |= {targets["index"]["id"], targets["index"]["title"]}
    numbers = {str(m["value"]) for t in targets["targets"] for m in t["milestones"]
               if m["value"] >= 900}
    found = []
    for file in sorted((repo / "tracker").rglob("*")):
        if file.suffix not in {".py", ".json", ".html", ".css", ".js", ".yml", ".yaml"}:
            continue
        text = file.read_text("utf-8")
        found += [(file.relative_to(repo).as_posix(), w) for w in sorted(words) if w in text]
        found += [(file.relative_to(repo).as_posix(), n) for n in sorted(numbers)
                  if re.search(rf"(?<![0-9.]){n}(?![0-9])", text)]
    assert not found, found


# --- filings: a task report's summary (进展情况) --------------------------------------------


def test_a_task_report_needs_its_summary(tmp_path: Path):
    # SPEC marks problems and next_steps "(optional)", not summary: 进展情况 is the report.
    text = ("unit: east\nperiod: 2024-Q2\nas_of: 2024-06-30\nreported_on: 2024-07-05\n"
            "revision: 1\ntasks:\n  \"1.1\":\n    progress: in_progress\n"
            "  \"S.1\":\n    progress: in_progress\n    summary: \"\"\n")
    root = write_repo(tmp_path, [("east", "2024-Q2", text)])
    found = {(d.rule, d.line) for d in load(root).report.errors}
    assert ("schema-required", 8) in found or ("schema-required", 7) in found, found
    assert ("schema-empty", 11) in found, found


# --- Status: per-unit goals from allocations and min ------------------------------------------


def test_per_unit_allocations_and_min_give_unit_goals_and_scaled_curves(tmp_path: Path):
    targets = TARGETS_YAML.replace("    per_unit: {from: villages}\n",
                                   "    per_unit: {allocations: {east: 12, west: 4}}\n")
    assert "- {target: centres, weight: 0.5}" in targets  # the index: stations and centres
    root = write_repo(tmp_path, [
        ("east", "2024-Q4", filing_yaml("east", "2024-Q4", targets={"stations": 6, "centres": 1})),
        ("west", "2024-Q4", filing_yaml("west", "2024-Q4", targets={"stations": 4, "centres": 0})),
    ], targets_yaml=targets)
    loaded = load(root)
    assert loaded.repo is not None and not loaded.report.errors, loaded.report.errors
    s = compute(loaded.repo, date(2024, 12, 31))  # on the first milestone: city expected 8
    city = s.target("stations")
    assert (city.actual, city.expected, city.goal) == (10, 8, 16)
    east, west = s.target("stations", "east"), s.target("stations", "west")
    assert (east.goal, east.expected, east.status) == (12, 6, "on_track")   # 8 × 12/16
    assert (west.goal, west.expected, west.status) == (4, 2, "done")         # 4 ≥ 4
    assert s.target("stations", "north") is None  # no allocation: no unit goal, no unit row
    # min: every reporting unit's goal is the minimum; the curve is the city's × 1/3
    centres_east, centres_west = s.target("centres", "east"), s.target("centres", "west")
    assert (centres_east.goal, centres_east.status) == (1, "done")
    # city curve: 3 × 365/730 days = 1.5 on 2024-12-31; a unit's: 1.5 × 1/3 = 0.5, and the
    # expected value (序时进度) is that rounded down to a whole sorting centre: 0
    assert centres_west.goal == 1 and centres_west.curve == Fraction(1, 2)
    assert centres_west.expected == 0 and centres_west.status == "on_track"
    assert s.target("centres", "north").actual is None  # never filed
    assert s.target("centres", "north").status == "not_reported"
    # index: 100 × (0.5·min(1, 6/12) + 0.5·min(1, 1/1)) / 1 = 75; west 100 × (0.5 + 0) = 50
    scores = {e.unit: (e.score, e.rank) for e in s.index}
    assert scores["east"] == (75, 1) and scores["west"] == (50, 2) and scores["north"][0] == 0


# --- Machine output: SPEC's field names and types ---------------------------------------------


def test_status_json_field_types_are_specs():
    import re

    demo = Path(__file__).resolve().parent.parent / "examples" / "demo"
    code, out, err = run("status", "--root", str(demo), "--as-of", "2024-06-30",
                         "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    day = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    assert day.match(data["as_of"]) and isinstance(data["plan"], str)
    for t in data["targets"]:
        assert isinstance(t["target"], str) and isinstance(t["scope"], str)
        assert t["actual"] is None or type(t["actual"]) is int
        assert type(t["expected"]) is int and type(t["goal"]) is int  # whole units (SPEC)
        assert type(t["due_soon"]) is bool
        assert day.match(t["deadline"])
        assert t["status"] in ("not_reported", "done", "overdue", "on_track", "lagging",
                               "off_track")
    for t in data["tasks"]:
        assert isinstance(t["task"], str) and (t["lead"] is None or isinstance(t["lead"], str))
        assert t["status"] in ("done", "pending_review", "overdue", "in_progress",
                               "not_started")
        assert type(t["due_soon"]) is bool
        assert type(t["units_reporting"]) is int and type(t["units"]) is int
        assert 0 <= t["units_reporting"] <= t["units"]
    for f in data["filings"]:
        assert isinstance(f["unit"], str) and isinstance(f["period"], str) and day.match(f["due"])
        assert f["status"] in ("on_time", "late", "missing", "upcoming")
        assert (f["reported_on"] is None) == (f["status"] in ("missing", "upcoming"))
        assert f["reported_on"] is None or day.match(f["reported_on"])
    ranks = [e["rank"] for e in data["index"]]
    assert all(type(e["score"]) is float and isinstance(e["unit"], str) for e in data["index"])
    assert all(type(r) is int for r in ranks) and ranks == sorted(ranks) and ranks[0] == 1
    scores = [e["score"] for e in data["index"]]
    assert scores == sorted(scores, reverse=True)


# --- Layout: a file in a unit folder that will not be read is reported, never skipped -------


def test_files_a_unit_folder_will_not_read_are_reported(tmp_path: Path):
    # Notepad saves "2024-Q2.yaml" as "2024-Q2.yaml.txt"; a silently skipped filing would only
    # show up, unexplained, as 未报送.
    root = write_repo(tmp_path, [("west", "2024-Q1", filing_yaml(
        "west", "2024-Q1", targets={"stations": 1}))])
    west = root / "submissions" / "west"
    text = (west / "2024-Q1.yaml").read_text("utf-8")
    (west / "2024-Q2.yaml.txt").write_text(text.replace("2024-Q1", "2024-Q2"), "utf-8")
    (west / "2024-Q3.YAML").write_text(text.replace("2024-Q1", "2024-Q3"), "utf-8")
    (west / "说明.docx").write_bytes(b"PK")
    (west / "old").mkdir()
    (west / ".gitkeep").write_text("", "utf-8")  # hidden files are the tools' business
    (root / "submissions" / "2024-Q4.yaml").write_text(text, "utf-8")  # not in a unit folder
    (root / "submissions" / "README.md").write_text("说明", "utf-8")  # a guide is fine there
    found = {(Path(d.path).name, d.rule, d.severity.value): d for d in load(root).report.diagnostics}
    for name in ("2024-Q2.yaml.txt", "2024-Q3.YAML", "说明.docx", "old", "2024-Q4.yaml"):
        assert (name, "file-unexpected", "warning") in found, (name, sorted(found))
    assert "2024-Q2.yaml" in found[("2024-Q2.yaml.txt", "file-unexpected", "warning")].message
    assert "2024-Q3.yaml" in found[("2024-Q3.YAML", "file-unexpected", "warning")].message
    assert not any(name in (".gitkeep", "README.md") for name, _, _ in found)


def test_run_inside_a_repository_folder_the_message_names_the_root(tmp_path: Path, monkeypatch):
    # An editor who opens a terminal in submissions/east/ is told where the repository is.
    root = write_repo(tmp_path / "repo", [("east", "2024-Q2", filing_yaml(
        "east", "2024-Q2", targets={"stations": 2}))])
    monkeypatch.chdir(root / "submissions" / "east")
    code, out, err = run("validate", "2024-Q2.yaml")
    assert code == 2 and "Traceback" not in err
    assert "--root ../.." in err, err


# --- common slips of a Chinese input method: the message names them ---------------------------


def _problems(tmp_path: Path, text: str) -> list:
    root = write_repo(tmp_path, [("west", "2024-Q1", text)])
    return [d for d in load(root).report.diagnostics if d.path.endswith("west/2024-Q1.yaml")]


FILING = filing_yaml("west", "2024-Q1", targets={"stations": 1})


def test_a_full_width_colon_is_named_at_its_line(tmp_path: Path):
    [d] = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "as_of：2024-03-31"))
    assert (d.rule, d.line) == ("yaml-syntax", 3)
    assert "中文" in d.hint and "：" in d.hint


def test_a_full_width_space_is_named(tmp_path: Path):
    problems = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "\u3000as_of: 2024-03-31"))
    assert any("全角空格" in (d.hint or "") for d in problems), problems
    problems = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "as_of: 2024-03-31\u3000"))
    assert any("全角" in (d.hint or "") for d in problems), problems


def test_a_bad_date_is_one_error_not_two(tmp_path: Path):
    problems = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "as_of: 2024-3-31"))
    assert [(d.rule, d.line) for d in problems] == [("schema-pattern", 3)], problems
    problems = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "as_of: ２０２４-０３-３１"))
    assert [d.rule for d in problems] == ["schema-pattern"] and "全角" in problems[0].hint
    problems = _problems(tmp_path, FILING.replace("as_of: 2024-03-31", "as_of: 2024-02-30"))
    assert [d.rule for d in problems] == ["schema-format"]  # the right form, no such day


def test_pyyamls_own_depth_limit_is_reported_as_too_deep(monkeypatch):
    # PyYAML 6.0.4 (what a fresh install gets) raises its own "maximum nesting depth" error
    # before tracker's limit: the same rule either way (tests/test_security_input.py).
    import yaml
    from yaml.error import Mark

    from tracker import yamlio

    monkeypatch.setattr(yamlio, "HAVE_C_LOADER", False)
    mark = Mark("f.yaml", 0, 1, 1002, "", 0)
    exc = yaml.scanner.ScannerError("while increasing flow level", mark,
                                    "exceeded maximum nesting depth", mark)
    d = yamlio._syntax_diagnostic("x: [[[\n", "f.yaml", exc)
    assert (d.rule, d.line, d.column) == ("yaml-too-deep", 2, 1003)
