"""The status delta's read of every unit's latest filing, started before anything else.

`tracker check` calls `start()` first thing, before it imports `tracker.gate`: the forked
child (tracker.background) then imports what it needs while the main process does the same,
and reads every unit's newest filing while the main process reads git and validates. The
result is `gate.delta.context_docs(root, day, max_bytes)`, whichever process computes it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.background import Background


def start(root: Path, day: date, max_bytes: int) -> Background:
    return Background(_context_docs, root.resolve(), day, max_bytes)


def _context_docs(root: Path, day: date, max_bytes: int) -> list[tuple[str, object]]:
    from tracker.gate.delta import context_docs

    return context_docs(root, day, max_bytes)
