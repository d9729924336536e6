"""YAML files in places tracker never reads (issue 15.2): said, with the place they were meant
for, by `tracker validate` of the whole repository; the walk stays out of big trees."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import layout
from tracker.cli import cli

UNITS = ["east", "west", "office"]


def validate(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout_bytes)


def write(root: Path, rel: str, text: str = "unit: west\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.mark.parametrize(("rel", "place"), [
    ("submission/anji/2025-Q1.yaml", "submissions/anji/2025-Q1.yaml"),
    ("Submissions/east/2024-Q2.yml", "submissions/east/2024-Q2.yaml"),
    ("submision/east/registers/stations.yaml", "submissions/east/registers/stations.yaml"),
    ("east/2024-Q2.yaml", "submissions/east/2024-Q2.yaml"),
    ("data/submissions/east/2024-Q2.yaml", "submissions/east/2024-Q2.yaml"),
    ("filings/east/2024-Q2.yaml", "submissions/east/2024-Q2.yaml"),
    ("2024-Q2.yaml", "submissions/<单位>/2024-Q2.yaml"),
    ("units.yaml", "plan/units.yaml"),
    ("plans/targets.yaml", "plan/targets.yaml"),
    ("review/1.1.yaml", "reviews/1.1.yaml"),
    ("tracker.yml", "tracker.yaml"),
    ("mkdocs.yml", None),
    ("docs/notes.yaml", None),
])
def test_the_likely_intended_place(rel: str, place: str | None):
    assert layout.intended_place(rel, UNITS) == place


def test_a_filing_in_a_misspelled_folder_is_a_warning_naming_where_it_belongs(base_repo: Path):
    write(base_repo, "submission/west/2024-Q2.yaml")
    code, report = validate()
    assert code == 0
    [found] = report["diagnostics"]
    assert (found["path"], found["rule"], found["severity"]) == (
        "submission/west/2024-Q2.yaml", "file-misplaced", "warning")
    assert found["hint"].startswith("是不是要放在 submissions/west/2024-Q2.yaml？")
    assert validate("--strict")[0] == 1


def test_places_that_are_read_or_belong_to_tools_are_not_warned_about(base_repo: Path):
    for rel in ("tracker.yaml", ".gitlab-ci.yml", ".pre-commit-config.yaml",
                ".github/workflows/tracker.yml", "evidence/east/a.yaml",
                "site/search.yml", "node_modules/x/y.yaml", "venv/x.yaml",
                "a/b/c/d/deeper-than-tracker-reads.yaml"):
        write(base_repo, rel, "{}\n" if rel != "tracker.yaml" else "demo: true\n")
    # Another repository inside this one is checked with its own --root.
    write(base_repo, "examples/demo/tracker.yaml", "plan: ../../plan\n")
    write(base_repo, "examples/demo/submissions/west/2024-Q2.yaml")
    code, report = validate()
    assert code == 0, report
    assert report["diagnostics"] == []


def test_the_walk_stays_out_of_evidence_nested_repositories_and_tools_folders(
        base_repo: Path, monkeypatch):
    for rel in ("evidence/east/2024-Q2/deep/x.yaml", ".git/objects/x.yaml",
                "node_modules/a/b.yaml", "examples/demo/tracker.yaml", "examples/demo/more/x.yaml",
                "docs/a/b/c/d/e.yaml", "notes/a.yaml"):
        write(base_repo, rel)
    scanned: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path):
        scanned.append(Path(path).relative_to(base_repo).as_posix())
        return real_scandir(path)

    monkeypatch.setattr(layout.os, "scandir", recording_scandir)
    assert layout.stray_yaml(base_repo) == ["notes/a.yaml"]
    assert sorted(scanned) == [".", "docs", "docs/a", "docs/a/b", "examples", "notes"]


def test_a_named_misplaced_file_is_not_checked_and_the_hint_says_where_it_belongs(
        base_repo: Path):
    write(base_repo, "submission/west/2024-Q2.yaml")
    code, report = validate("submission/west/2024-Q2.yaml")
    assert code == 1
    [found] = report["diagnostics"]
    assert found["rule"] == "file-not-checked"
    assert found["hint"].startswith("是不是要放在 submissions/west/2024-Q2.yaml？")
