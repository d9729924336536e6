"""The date a repository's data represents (tracker.yaml `as_of`, issue 15.5): the demo is
shown mid-plan, with lights of every colour, not "today" after the plan's end."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import REPO
from tracker.cli import cli
from tracker.site.build import BuildSettings, execute

DEMO = REPO / "examples" / "demo"
DEMO_AS_OF = "2024-10-08"
LIGHTS = {"done": "green", "on_track": "green", "in_progress": "green", "on_time": "green",
          "lagging": "yellow", "not_started": "yellow", "late": "yellow", "upcoming": "yellow",
          "pending_review": "yellow", "off_track": "red", "overdue": "red", "missing": "red",
          "not_reported": "grey"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_demo_declares_the_date_it_represents():
    config = yaml.safe_load((DEMO / "tracker.yaml").read_text("utf-8"))
    assert str(config["as_of"]) == DEMO_AS_OF


def test_status_explain_and_export_default_to_the_declared_date(tmp_path: Path):
    payload = json.loads(run("status", "--root", str(DEMO), "--format", "json").stdout)
    assert payload["as_of"] == DEMO_AS_OF
    text = run("status", "--root", str(DEMO), "--lang", "zh").stdout
    assert f"截至 {DEMO_AS_OF}" in text
    assert f"演示数据(虚构),截至 {DEMO_AS_OF},不代表真实进展" in text
    explained = run("explain", "village-service-points", "--root", str(DEMO), "--lang", "zh")
    assert f"截至 {DEMO_AS_OF}" in explained.stdout
    out = tmp_path / "t.xlsx"
    assert run("export", "--root", str(DEMO), "--xlsx", str(out)).exit_code == 0
    assert load_workbook(out).properties.subject == f"截至 {DEMO_AS_OF}"


def test_an_explicit_as_of_wins():
    payload = json.loads(run("status", "--root", str(DEMO), "--format", "json",
                             "--as-of", "2025-12-31").stdout)
    assert payload["as_of"] == "2025-12-31"
    text = run("status", "--root", str(DEMO), "--lang", "zh", "--as-of", "2025-12-31").stdout
    assert "演示数据(虚构),截至 2025-12-31,不代表真实进展" in text


def test_without_the_key_the_default_is_still_today(base_repo: Path):
    payload = json.loads(run("status", "--format", "json").stdout)
    assert payload["as_of"] == date.today().isoformat()


def test_a_wrong_date_in_tracker_yaml_is_reported(base_repo: Path):
    (base_repo / "tracker.yaml").write_text("as_of: 2024-02-30\n", "utf-8")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)["diagnostics"]
    assert (found["path"], found["rule"]) == ("tracker.yaml", "schema-format")


def test_the_site_defaults_to_the_declared_date_and_says_it_in_the_banner(tmp_path: Path):
    result = execute(BuildSettings(root=DEMO, out=tmp_path / "site", provenance=False))
    assert result.as_of.isoformat() == DEMO_AS_OF
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert f'class="tk-demo-banner">演示数据(虚构),截至 {DEMO_AS_OF}' in home


@pytest.mark.parametrize("colour", ["green", "yellow", "red", "grey", "blue"])
def test_the_demo_shows_lights_of_every_colour_on_its_date(colour: str):
    payload = json.loads(run("status", "--root", str(DEMO), "--format", "json").stdout)
    rows = [row for part in ("targets", "tasks", "filings") for row in payload[part]]
    seen = Counter(LIGHTS[row["status"]] for row in rows)
    seen["blue"] = sum(1 for row in rows if row.get("due_soon"))  # 临期, beside the status
    assert seen[colour] > 0
