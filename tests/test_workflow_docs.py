"""What the repository ships for the filing workflow stays in step with the code: the exported
JSON Schemas, the filing guide's rule table, the CI templates."""

from __future__ import annotations

import json

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
