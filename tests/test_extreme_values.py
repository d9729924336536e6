"""Dates at the ends of the calendar and numbers too large to hold (issue 11, item 9).

Each is a diagnostic at file:line:col (or a usage error for an option) and the run goes on:
never an internal error (exit 2) that hides every other problem.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import copy_base
from tracker import schema
from tracker.cli import cli
from tracker.periods import Period, periods_between
from tracker.yamlio import parse_text

Q2 = "submissions/east/2024-Q2.yaml"
REGISTER = "submissions/east/registers/stations.yaml"


def _run(root: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(cwd)


def _edit(root: Path, rel: str, old: str, new: str) -> int:
    file = root / rel
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1  # the line edited


def _validate(root: Path) -> tuple[int, list[dict]]:
    result = _run(root, "validate", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout_bytes)["diagnostics"]


def _another_problem(root: Path) -> None:
    """An unrelated problem elsewhere: it must be reported in the same run."""
    _edit(root, "submissions/west/2024-Q1.yaml", "revision: 1", "revision: 0")


def _has_other(found: list[dict]) -> bool:
    return any(d["path"] == "submissions/west/2024-Q1.yaml" and d["rule"] == "schema-minimum"
               for d in found)


@pytest.mark.parametrize(("rel", "old", "new", "column"), [
    (Q2, "as_of: 2024-06-30", "as_of: 0000-06-30", 8),
    (REGISTER, "opened: 2024-01-15", "opened: 0000-01-15", 47),
    ("plan/tasks.yaml", "  start: 2024-01-01", "  start: 0000-01-01", 10),
])
def test_a_date_of_year_zero_is_a_diagnostic_in_chinese(tmp_path, rel, old, new, column):
    root = copy_base(tmp_path / "repo")
    line = _edit(root, rel, old, new)
    if not rel.startswith("plan/"):
        _another_problem(root)
    code, found = _validate(root)
    assert code == 1
    mine = [d for d in found if d["path"] == rel]
    assert [(d["rule"], d["line"], d["column"]) for d in mine] == [("schema-format", line, column)]
    assert "公历没有 0000 年" in mine[0]["message"]
    assert rel.startswith("plan/") or _has_other(found)


@pytest.mark.parametrize("backend", ["rs", "python"])
def test_both_schema_backends_refuse_year_zero(backend):
    if backend == "rs" and schema._rs is None:
        pytest.skip("jsonschema-rs is not installed")
    doc, _ = parse_text("unit: east\ntarget: stations\nitems:\n"
                        "  - {code: \"1\", name: x, opened: 0000-01-15}\n", "r.yaml")
    found = schema.validate(doc, "register", backend=backend)
    assert [(d.rule, d.line) for d in found] == [("schema-format", 4)]


def test_a_filing_for_9999_q4_is_outside_the_plan_not_an_internal_error(tmp_path):
    root = copy_base(tmp_path / "repo")
    _edit(root, Q2, "period: 2024-Q2", "period: 9999-Q4")
    os.replace(root / Q2, root / "submissions/east/9999-Q4.yaml")
    _another_problem(root)
    code, found = _validate(root)
    assert code == 1
    rules = {d["rule"] for d in found if d["path"] == "submissions/east/9999-Q4.yaml"}
    assert rules == {"filing-period-outside-plan", "filing-as-of-outside-period"}
    assert _has_other(found)


def test_a_period_of_year_zero_says_so(tmp_path):
    root = copy_base(tmp_path / "repo")
    _edit(root, Q2, "period: 2024-Q2", "period: 0000-Q2")
    os.replace(root / Q2, root / "submissions/east/0000-Q2.yaml")
    code, found = _validate(root)
    assert code == 1
    mine = [d for d in found if d["path"] == "submissions/east/0000-Q2.yaml"]
    assert [(d["rule"], d["line"]) for d in mine] == [("filing-period-cadence", 2)]
    assert "公历没有 0000 年" in mine[0]["message"]
    result = _run(root, "new", "--unit", "east", "--period", "0000-Q4")
    assert result.exit_code == 2 and "公历没有 0000 年" in result.output


def test_the_last_periods_of_the_calendar():
    for text in ("9999-Q4", "9999-12", "9999"):
        period = Period.parse(text)
        assert period is not None and period.end == date(9999, 12, 31)
        assert period.due(10) == date.max  # past the calendar: its last day
    assert Period.parse("0000-Q1") is None
    assert str(Period.parse("0001-Q1")) == "0001-Q1"
    assert list(map(str, periods_between(date(9999, 7, 1), date.max, "quarterly"))) == [
        "9999-Q3", "9999-Q4"]
    assert [str(p) for p in periods_between(date(1, 1, 1), date(1, 6, 30), "quarterly")] == [
        "0001-Q1", "0001-Q2"]


def test_a_plan_running_to_9999_and_its_last_quarter(tmp_path):
    root = copy_base(tmp_path / "repo")
    _edit(root, "plan/tasks.yaml", "  end: 2025-12-31", "  end: 2099-12-31")
    # A plan may run long; its reporting calendar has a period 9999-Q4 only past 100 years.
    code, _ = _validate(root)
    assert code == 0
    _edit(root, "plan/tasks.yaml", "  end: 2099-12-31", "  end: 9999-12-31")
    code, found = _validate(root)
    assert code == 1
    assert [(d["rule"], d["path"]) for d in found] == [("plan-date-range", "plan/tasks.yaml")]
    assert "超过 100 年" in found[0]["message"]
    for as_of in ("9999-12-31", "0001-01-01"):
        result = _run(root, "status", "--as-of", as_of)
        assert result.exit_code == 1 and "Traceback" not in result.output  # the plan is unusable


def test_new_for_9999_q4_in_a_plan_that_ends_then(tmp_path):
    root = copy_base(tmp_path / "repo")
    _edit(root, "plan/tasks.yaml", "  start: 2024-01-01", "  start: 9950-01-01")
    _edit(root, "plan/tasks.yaml", "  end: 2025-12-31", "  end: 9999-12-31")
    for rel, old, new in (("plan/targets.yaml", "by: 2024-12-31", "by: 9998-12-31"),
                          ("plan/targets.yaml", "by: 2025-12-31", "by: 9999-12-31"),
                          ("plan/targets.yaml", "by: 2025-12-31", "by: 9999-12-31")):
        _edit(root, rel, old, new)
    result = _run(root, "new", "--unit", "east", "--period", "9999-Q4")
    assert result.exit_code == 0, result.output
    assert (root / "submissions/east/9999-Q4.yaml").is_file()
    for as_of in ("9999-12-31", "9950-01-01"):
        result = _run(root, "status", "--as-of", as_of, "--format", "json")
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("number", "words"), [
    ("1" * 5000, "有 5,000 位"),  # past Python's 4,300-digit conversion limit
    ("1" * 400, "应不大于 1000000000000000"),
    ("1e400", "1e400 超出范围"),
])
def test_a_number_too_large_is_a_diagnostic_where_it_is_written(tmp_path, number, words):
    root = copy_base(tmp_path / "repo")
    line = _edit(root, Q2, "    value: 3", f"    value: {number}")
    _another_problem(root)
    code, found = _validate(root)
    assert code == 1
    mine = [d for d in found if d["path"] == Q2]
    assert [(d["rule"], d["line"], d["column"]) for d in mine] == [("schema-minimum", line, 12)]
    assert words in mine[0]["message"]
    assert _has_other(found)


def test_a_weight_too_large_is_a_diagnostic(tmp_path):
    root = copy_base(tmp_path / "repo")
    line = _edit(root, "plan/targets.yaml", "weight: 0.6", "weight: 1e400")
    code, found = _validate(root)
    assert code == 1
    assert [(d["rule"], d["line"]) for d in found] == [("schema-minimum", line)]


def test_a_key_of_5000_digits_is_a_key_type_problem():
    # (A plain key has at most 1,024 characters; an explicit "? key" has no limit.)
    _, problems = parse_text("unit: east\n? " + "9" * 5000 + "\n: x\n", "f.yaml")
    assert [(p.rule, p.line) for p in problems] == [("yaml-key-type", 2)]
    assert len(problems[0].message) < 100


@pytest.mark.parametrize(("args", "words"), [
    (["status", "--as-of", "0000-01-01"], "公历没有 0000 年"),
    (["validate", "--max-file-size", "9" * 30], "not in the range"),
    (["build", "--max-file-size", "9" * 30], "not in the range"),
])
def test_options_out_of_range_are_usage_errors(tmp_path, args, words):
    root = copy_base(tmp_path / "repo")
    result = _run(root, *args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output


def test_the_largest_max_file_size_reads_files(tmp_path):
    root = copy_base(tmp_path / "repo")
    result = _run(root, "validate", "--max-file-size", str(2**40))
    assert result.exit_code == 0, result.output


def test_as_of_at_the_ends_of_the_calendar(tmp_path):
    root = copy_base(tmp_path / "repo")
    for as_of in ("9999-12-31", "0001-01-01"):
        result = _run(root, "status", "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.output


def test_the_site_build_time_stamp_and_chart_axis_at_the_ends_of_the_calendar():
    from tracker.site import charts, mkdocs_backend

    for as_of, epoch in (("2123-12-31", 2**32 - 1), ("1900-01-01", 0), ("9999-12-31", 2**32 - 1)):
        with mkdocs_backend._source_date(as_of):
            assert int(os.environ["SOURCE_DATE_EPOCH"]) == epoch  # gzip's 32-bit time
    svg = charts.progress_chart(title="t", unit_label="个", expected=[(date(2024, 1, 1), 0.0),
                                (date(9999, 12, 31), 5.0)], actual=[], as_of=date(9999, 12, 31),
                                start=date(2024, 1, 1), end=date(9999, 12, 31))
    assert svg.count("年</text>") <= 25
