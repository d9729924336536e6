"""What the repository ships for the filing workflow stays in step with the code: the exported
JSON Schemas, the filing guide's rule table, the CI templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tracker import schema


def test_the_committed_schemas_equal_the_packages():
    committed = sorted(p.name for p in (REPO / "schemas").glob("*.schema.json"))
    assert committed == sorted(f"{kind}.schema.json" for kind in schema.KINDS)
    for kind in schema.KINDS:
        text = (REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8")
        assert json.loads(text) == schema.schema(kind), (
            f"schemas/{kind}.schema.json is out of date: run  tracker schema --out schemas")
        assert text == json.dumps(schema.schema(kind), ensure_ascii=False, indent=2) + "\n"


# --- the filing guide -------------------------------------------------------------------------


def test_the_guide_lists_every_rule_as_generated():
    from tracker.diagnostics import RULES
    from tracker.guide import rules_table_markdown, table_in

    text = (REPO / "submissions/README.md").read_text("utf-8")
    assert table_in(text) == rules_table_markdown(), (
        "the rules table in submissions/README.md is out of date: run  python -m tracker.guide")
    for rule_id in RULES:
        assert f"| `{rule_id}` |" in text


def test_the_rules_table_escapes_what_markdown_would_misread():
    import re

    from tracker.guide import rules_table_markdown

    rows = rules_table_markdown().splitlines()
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows), rows
    assert "&lt;指标编号&gt;" in rules_table_markdown()


def test_the_guide_is_plain_markdown_and_covers_the_workflow():
    text = (REPO / "submissions/README.md").read_text("utf-8")
    for needle in ("Create new file", "New file", "新建文件", "Create pull request",
                   "Create merge request", "tracker new --unit", "--xlsx", "tracker import",
                   "tracker amend", "yaml-language-server", "[immutable-edit]"[1:-1],
                   "文件:行:列"):
        assert needle in text, needle
    html = [line for line in text.splitlines() if line.lstrip().startswith("<")]
    assert all(line.startswith("<!-- rules-table:") for line in html), html


def test_the_guide_update_is_idempotent(tmp_path):
    from tracker.guide import main

    guide = tmp_path / "README.md"
    guide.write_text((REPO / "submissions/README.md").read_text("utf-8"), "utf-8")
    before = guide.read_text("utf-8")
    assert main([str(guide)]) == 0
    assert guide.read_text("utf-8") == before


# --- CI templates -----------------------------------------------------------------------------


def _yaml(rel: str):
    from tracker.yamlio import parse_text

    # The YAML 1.2 reading tracker uses: `on:` stays a key (YAML 1.1 would read it as true).
    doc, problems = parse_text((REPO / rel).read_text("utf-8"), rel)
    assert doc is not None, problems
    return doc.data


def test_github_workflow_checks_pull_requests_and_publishes_pages():
    wf = _yaml(".github/workflows/tracker.yml")
    assert "pull_request" in wf["on"] and wf["on"]["push"]["branches"] == ["main"]
    check = wf["jobs"]["check"]["steps"]
    checkout = next(s for s in check if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in check)
    runs = [s.get("run", "") for s in check]
    assert "pip install ." in runs
    assert ('tracker check --base "origin/${{ github.base_ref }}" --format github' in runs)
    build = [s.get("uses", "") or s.get("run", "") for s in wf["jobs"]["build"]["steps"]]
    assert "tracker build --out site" in build
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build)
    deploy = wf["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # "as of today" moves on without a push: rebuilt nightly, in the plan's time zone
    assert wf["on"]["schedule"] and wf["env"]["TZ"] == "Asia/Shanghai"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_ci_reports_junit_and_publishes_pages():
    ci = _yaml(".gitlab-ci.yml")
    assert ci["variables"]["GIT_DEPTH"] == "0"
    job = ci["tracker-check"]
    assert job["artifacts"]["reports"]["junit"] == "tracker-check.xml"
    assert any("--format junit > tracker-check.xml" in line for line in job["script"])
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert "tracker build --out public" in ci["pages"]["script"]


def test_github_workflow_sends_reminders_nightly_at_01_00_china_time():
    wf = _yaml(".github/workflows/tracker.yml")
    crons = [c["cron"] for c in wf["on"]["schedule"]]
    assert "0 17 * * *" in crons  # 01:00 Asia/Shanghai = 17:00 UTC the day before
    job = wf["jobs"]["remind"]
    assert job["if"] == "github.event.schedule == '0 17 * * *'"
    assert "'0 17 * * *'" in wf["jobs"]["build"]["if"]  # the reminder run builds no site
    steps = job["steps"]
    send = next(s for s in steps if s.get("run") == "tracker remind --send")
    assert all(v.startswith("${{ secrets.") for v in send["env"].values())
    uses = [s.get("uses", "") for s in steps]
    restore = steps[next(i for i, u in enumerate(uses) if u.startswith("actions/cache/restore@"))]
    save = steps[next(i for i, u in enumerate(uses) if u.startswith("actions/cache/save@"))]
    assert restore["with"]["path"] == save["with"]["path"] == ".tracker"
    assert save["if"] == "always()" and restore["with"]["restore-keys"] == "tracker-remind-"
    assert uses.index(save["uses"]) > steps.index(send) > uses.index(restore["uses"])
    assert wf["env"]["TZ"] == "Asia/Shanghai"  # "today" is the plan's date


def test_gitlab_ci_sends_reminders_from_a_schedule():
    ci = _yaml(".gitlab-ci.yml")
    job = ci["tracker-remind"]
    assert job["script"] == ["tracker remind --send"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $TRACKER_REMIND == "1"'}]
    [state] = [c for c in job["cache"] if c.get("key") == "tracker-remind"]
    assert state["paths"] == [".tracker/"] and state["when"] == "always"
    assert ci["pages"]["rules"][0] == {"if": '$TRACKER_REMIND == "1"', "when": "never"}
    text = (REPO / ".gitlab-ci.yml").read_text("utf-8")
    assert '"0 1 * * *"' in text and "Asia/Shanghai" in text and "17:00" in text


def test_workflow_doc_spells_out_the_reminder_schedule():
    text = (REPO / "docs/workflow.md").read_text("utf-8")
    assert "tracker remind --send" in text
    assert "01:00 Asia/Shanghai" in text and "17:00 UTC" in text


def test_pre_commit_hook_and_example_config():
    import re

    [hook] = _yaml(".pre-commit-hooks.yaml")
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == (
        "tracker-validate", "tracker validate", True)
    files = re.compile(hook["files"])
    assert files.search("plan/units.yaml") and files.search("submissions/anji/2025-Q1.yaml")
    assert not files.search("docs/workflow.md") and not files.search("evidence/a/b.yaml.pdf")
    [local] = _yaml(".pre-commit-config.yaml")["repos"]
    assert local["repo"] == "local" and local["hooks"][0]["entry"] == "tracker validate"


def check_jsonschema() -> str | None:
    """The check-jsonschema installed with the Python running the tests (`.[test]` puts it in
    the virtual environment's bin/, which is not on PATH when the tests run as the README says,
    `.venv/bin/python -m pytest`), else one on PATH."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent  # not resolved: a venv's python is a symlink
    return shutil.which("check-jsonschema", path=str(beside)) or shutil.which("check-jsonschema")


def test_check_jsonschema_is_found_beside_the_running_python(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert check_jsonschema() is not None, "pip install -e '.[test]' installs check-jsonschema"


def test_ci_templates_match_the_platforms_published_schemas():
    import subprocess

    import pytest

    tool = check_jsonschema()
    if tool is None:
        pytest.skip("check-jsonschema is not installed")
    for schema_name, rel in (("vendor.github-workflows", ".github/workflows/tracker.yml"),
                             ("vendor.gitlab-ci", ".gitlab-ci.yml")):
        out = subprocess.run([tool, "--builtin-schema", schema_name, str(REPO / rel)],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


# --- the contract -------------------------------------------------------------------------------


def test_docs_spec_is_the_contract_verbatim():
    """docs/spec.md is a verbatim copy of the filing contract (shared/SPEC.md beside the clone,
    where the product owner keeps it); when the contract changes, the copy must follow."""
    here = Path(__file__).resolve().parent.parent
    contract = here.parent / "shared" / "SPEC.md"
    if not contract.is_file():
        pytest.skip("shared/SPEC.md is not beside this clone")
    assert (here / "docs" / "spec.md").read_bytes() == contract.read_bytes(), (
        "docs/spec.md differs from shared/SPEC.md: copy it (cp ../shared/SPEC.md docs/spec.md)")
