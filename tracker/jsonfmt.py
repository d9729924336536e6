"""The JSON tracker writes: top-level fields one per line, each row of a list on its own line.

Readable in a terminal, greppable and diffable row by row, and written by the json module's C
encoder: `indent=` switches to its pure-Python encoder, which took ~40 ms of `tracker status
--format json` on a province-scale repository."""

from __future__ import annotations

import json
from typing import Any


def _one(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def dumps(payload: Any) -> str:
    """`payload` as JSON text ending in a newline; parses to the same value as json.dumps."""
    if not isinstance(payload, dict) or not payload or not all(isinstance(k, str) for k in payload):
        return _one(payload) + "\n"  # (json.dumps spells other keys: True → "true")
    fields = []
    for key, value in payload.items():
        if isinstance(value, list) and value:
            rows = ",\n".join("    " + _one(row) for row in value)
            text = f"[\n{rows}\n  ]"
        else:
            text = _one(value)
        fields.append(f"  {_one(key)}: {text}")
    return "{\n" + ",\n".join(fields) + "\n}\n"
