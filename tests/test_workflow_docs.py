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
