"""A folder tracker may not read is a diagnostic naming it; the rest is checked (issue 11,
item 13). The permission error is real: the tests run as root here, so tracker runs with the
capabilities that let root read anything dropped (setpriv), as an ordinary user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_base

TRACKER = [sys.executable, "-m", "tracker"]


def _as_a_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no real permission error to be had")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _probe(tmp_path: Path, prefix: list[str]) -> None:
    locked = tmp_path / "probe"
    locked.mkdir()
    locked.chmod(0)
    try:
        code = subprocess.run([*prefix, sys.executable, "-c",
                               f"import os; os.listdir({str(locked)!r})"],
                              capture_output=True).returncode
    finally:
        locked.chmod(0o755)
        locked.rmdir()
    if code == 0:
        pytest.skip("this process can read a folder without permission (capabilities kept)")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("folder", ["submissions/east", "submissions/east/registers",
                                    "submissions"])
def test_an_unreadable_folder_is_a_diagnostic_and_the_run_goes_on(tmp_path, folder):
    prefix = _as_a_user()
    _probe(tmp_path, prefix)
    root = copy_base(tmp_path / "repo")
    # Another problem elsewhere: it must still be found.
    units = root / "plan/units.yaml"
    units.write_text(units.read_text("utf-8") + "unknown_field: 1\n", "utf-8")
    (root / folder).chmod(0)
    try:
        proc = subprocess.run([*prefix, *TRACKER, "validate", "--format", "json"], cwd=root,
                              capture_output=True)
    finally:
        (root / folder).chmod(0o755)
    assert proc.returncode == 1, proc.stderr.decode()
    found = json.loads(proc.stdout)["diagnostics"]
    mine = [d for d in found if d["rule"] == "file-unreadable"]
    assert [(d["path"], d["line"]) for d in mine] == [(folder, 0)]
    assert folder in mine[0]["message"] and "Excel" not in mine[0]["hint"]
    assert any(d["path"] == "plan/units.yaml" and d["rule"] == "schema-unknown-key" for d in found)
    if folder == "submissions/east/registers":  # the unit's filings are still read
        assert "submissions/east/2024-Q2.yaml" in json.loads(proc.stdout)["files"]
