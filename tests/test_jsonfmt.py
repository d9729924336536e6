"""tracker.jsonfmt: the JSON tracker prints parses to exactly the payload, one row per line."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tracker.jsonfmt import dumps

scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(st.dictionaries(st.text() | st.booleans() | st.none() | st.integers(), values, max_size=6)
       | values)
def test_the_text_parses_back_to_the_payload(payload):
    text = dumps(payload)
    assert text.endswith("\n")
    assert json.loads(text) == json.loads(json.dumps(payload))


def test_rows_are_one_per_line_and_chinese_stays_readable():
    text = dumps({"as_of": "2025-12-31", "targets": [{"target": "a", "title": "村级服务站"},
                                                     {"target": "b", "title": "中转站"}],
                  "tasks": []})
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert '    {"target": "a", "title": "村级服务站"},' in lines
    assert '    {"target": "b", "title": "中转站"}' in lines
    assert '  "tasks": []' in lines
