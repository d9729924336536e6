"""The README's quick start and `.ci/run` are the same two commands (CI runs what users run)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    section = text[text.index("## Quick start"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_exactly_them():
    commands = quick_start()
    assert len(commands) == 2
    ci = [line for line in (REPO / ".ci/run").read_text("utf-8").splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    for command in commands:
        assert command in ci, f".ci/run does not run: {command}"
    assert ci.index(commands[0]) < ci.index(commands[1])


def test_ci_fails_on_any_failure():
    text = (REPO / ".ci/run").read_text("utf-8")
    assert "set -euo pipefail" in text


def test_the_readme_states_no_count_that_drifts():
    # "about 590 tests" was already 648: the README says what the tests cover, not how many.
    text = (REPO / "README.md").read_text("utf-8")
    section = text[text.index("## Quick start"):text.index("## Repository layout")]
    counts = re.findall(r"(?:about|around|some|~)\s*[0-9][0-9,]*|[0-9]{2,}[0-9,]*\s+(?:tests|cases)",
                        section + text[text.index("Every rule has an id"):][:300])
    assert not counts, counts
