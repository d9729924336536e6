"""Every id shown in any --help exists in the shipped plan (issue 15.4): a newcomer copies the
examples of `tracker --help` into the repository they came with, and they must work there.
(Ids that would make the tool plan-specific — tests/test_conformance_spec.py — are written as
placeholders such as TARGET-ID, which the help says are placeholders.)"""

from __future__ import annotations

import re

import yaml
from click.testing import CliRunner

from tests.conftest import REPO
from tracker.cli import cli, load_all_commands


def shipped_plan() -> tuple[dict, dict, dict]:
    return tuple(yaml.safe_load((REPO / "plan" / f"{kind}.yaml").read_text("utf-8"))
                 for kind in ("units", "targets", "tasks"))  # type: ignore[return-value]


def every_help() -> dict[str, str]:
    load_all_commands()
    texts = {"tracker": CliRunner().invoke(cli, ["--help"]).output}
    for name in sorted(cli.commands):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        texts[f"tracker {name}"] = result.output
    return texts


def test_every_id_in_every_help_exists_in_the_shipped_plan():
    units, targets, tasks = shipped_plan()
    unit_ids = {u["id"] for u in units["units"]} | {g["id"] for g in units.get("groups", [])}
    target_ids = {t["id"] for t in targets["targets"]}
    task_ids = {t["id"] for t in tasks["tasks"]}
    start, end = int(str(tasks["plan"]["start"])[:4]), int(str(tasks["plan"]["end"])[:4])
    kinds = [  # (what, pattern, known ids)
        ("unit", r"--unit[ =]([a-z0-9-]+)", unit_ids),
        ("unit", r"单位编号\S*，例如 ([a-z0-9-]+)", unit_ids),
        ("unit", r"\b(?:submissions|evidence)/([a-z0-9-]+)/", unit_ids),
        ("target", r"--target[ =]([a-z0-9-]+)", target_ids),
        ("target", r"tracker explain ([a-z0-9-]+)", target_ids),
        ("task", r"--task[ =]((?:[0-9]+|[A-Z])(?:\.[0-9]+)+)", task_ids),
    ]
    shown = 0
    for command, text in every_help().items():
        for what, pattern, known in kinds:
            for found in re.findall(pattern, text):
                shown += 1
                assert found in known, f"`{command} --help` shows the {what} {found!r}, " \
                    "which the shipped plan (plan/) does not have"
        for year in re.findall(r"\b(20\d\d)-Q[1-4]\b", text):
            assert start <= int(year) <= end, f"`{command} --help` shows a period outside the plan"
        for placeholder in re.findall(r"\b([A-Z]+-ID)\b", text):  # said to be placeholders
            assert "stands for" in text or "stand for" in text, (command, placeholder)
    assert shown >= 8  # the patterns do find the examples
