"""The status delta's read of every unit's latest filing, started before anything else.

`tracker check` calls `start()` first thing, before it imports the rest of `tracker.gate`: the
forked child (tracker.background) then imports what it needs while the main process does the
same, and reads every unit's newest filing while the main process reads git and validates. The
result is `gate.delta.context_docs(root, day, max_bytes)`, whichever process computes it.

Whether that read happens at all is `reads_every_unit`: city totals, tasks and index ranks
depend on every unit, so a delta that shows them costs one file per unit whatever the pull
request changes. Up to ALL_UNITS_LIMIT unit folders (a city, a province) it is read; above
that (a national repository) the delta shows the changed units' own rows and the aggregates
all of whose members it read, and its cost follows the pull request, not the repository
(docs/workflow.md, "How the status delta stays cheap").
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from tracker.background import Background

# Unit folders under submissions/ up to which `--delta auto` reads every unit (about 1 ms
# each: 0.2 s at the limit). China's largest province has under 200 counties.
ALL_UNITS_LIMIT = 200
DELTA_MODES = ("auto", "full", "units")


def reads_every_unit(root: Path, mode: str = "auto") -> bool:
    """Whether the delta reads every unit's latest filings (`full`) or only the changed
    units' (`units`); `auto`: full up to ALL_UNITS_LIMIT unit folders."""
    if mode != "auto":
        return mode == "full"
    try:
        with os.scandir(Path(root) / "submissions") as entries:
            folders = 0
            for entry in entries:
                folders += entry.is_dir(follow_symlinks=False)  # no stat on Linux (d_type)
                if folders > ALL_UNITS_LIMIT:
                    return False
    except OSError:
        pass  # no submissions/ yet: nothing to read either way
    return True


def start(root: Path, day: date, max_bytes: int) -> Background:
    return Background(_context_docs, root.resolve(), day, max_bytes)


def _context_docs(root: Path, day: date, max_bytes: int) -> list[tuple[str, object]]:
    from tracker.gate.delta import context_docs

    return context_docs(root, day, max_bytes)
