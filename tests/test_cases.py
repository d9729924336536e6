"""Example repositories picked up automatically.

`tests/cases/base` is a small valid repository. Each folder in `tests/cases/invalid/` overlays
files on it (its `files/` folder; `remove:` and `symlinks:` in `case.yaml`) and names the
diagnostic the editor must see: the rule id, the file and the line. Each folder in
`tests/cases/valid/` overlays files that must validate cleanly.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import CASES, copy_base
from tracker.cli import cli

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def build_case(case: Path, dest: Path) -> tuple[Path, dict]:
    root = copy_base(dest)
    spec = yaml.safe_load((case / "case.yaml").read_text("utf-8")) if (case / "case.yaml").exists() else {}
    files = case / "files"
    if files.is_dir():
        shutil.copytree(files, root, dirs_exist_ok=True)
    for rel in spec.get("remove", []):
        (root / rel).unlink()
    for rel, target in (spec.get("symlinks") or {}).items():
        link = root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        os.symlink(target, link)
    return root, spec


def run_validate(root: Path, *args: str):
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = runner.invoke(cli, ["validate", "--format", "json", *args])
    finally:
        os.chdir(cwd)
    return result


def test_there_is_an_invalid_case_for_every_rule_about_data():
    from tracker.diagnostics import RULES

    covered = {yaml.safe_load((c / "case.yaml").read_text("utf-8"))["rule"] for c in INVALID}
    # Rules about git history and pull requests (the gate: tracker/gate/) are tested with real
    # git repositories elsewhere (tests/test_gate_*.py, tests/test_workflow_check.py); rules
    # about Excel workbooks (xlsx-*) in tests/test_xlsx_filing.py.
    workflow = {r for r in RULES
                if r.startswith(("auth-", "immutable-", "git-", "codeowners-", "xlsx-", "path-",
                                 "timeliness-"))}
    missing = set(RULES) - workflow - covered - {"file-unreadable"}
    assert not missing, f"rules with no invalid example: {sorted(missing)}"
    assert len(INVALID) >= 40


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_reports_rule_file_and_line(case: Path, tmp_path: Path):
    root, spec = build_case(case, tmp_path / "repo")
    expected_severity = spec.get("severity", "error")
    strict = run_validate(root, *spec.get("args", []), "--strict")
    assert strict.exit_code == 1, strict.output  # warnings fail too under --strict
    result = run_validate(root, *spec.get("args", []))
    report = json.loads(result.stdout_bytes)
    assert result.exit_code == (1 if report["errors"] else 0)
    found = [
        d for d in report["diagnostics"]
        if d["rule"] == spec["rule"] and d["path"] == spec["file"]
    ]
    assert found, f"expected {spec['rule']} in {spec['file']}, got: " + json.dumps(
        report["diagnostics"], ensure_ascii=False, indent=1)
    assert spec["line"] in [d["line"] for d in found], found
    for d in found:
        assert d["message"] and d["hint"], d
        assert d["severity"] == expected_severity


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_passes_strictly(case: Path, tmp_path: Path):
    root, spec = build_case(case, tmp_path / "repo")
    result = run_validate(root, "--strict")
    assert result.exit_code == 0, result.stdout_bytes.decode()
    assert json.loads(result.stdout_bytes)["diagnostics"] == []


def test_base_repository_is_valid(tmp_path: Path):
    root = copy_base(tmp_path / "repo")
    result = run_validate(root, "--strict")
    assert result.exit_code == 0, result.stdout_bytes.decode()


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_both_schema_backends_report_the_same(case: Path, tmp_path: Path, monkeypatch):
    """jsonschema-rs (fast) and python-jsonschema (fallback) must say exactly the same."""
    from tracker import schema

    root, spec = build_case(case, tmp_path / "repo")
    outputs = {}
    for backend in ("rs", "python"):
        monkeypatch.setattr(schema, "BACKEND", backend)
        outputs[backend] = json.loads(run_validate(root, *spec.get("args", [])).stdout_bytes)
    assert outputs["rs"] == outputs["python"]
