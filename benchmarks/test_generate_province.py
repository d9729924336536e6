"""Checks of the synthetic-repository generator (run with `pytest benchmarks/`).

Not under tests/: these guard the benchmark data, not `tracker` itself. A small repository is
enough: the invariants do not depend on size.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_province as gp  # noqa: E402


def load(path: Path):
    return yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("province") / "repo"
    gp.generate(out, n_units=7, n_villages=900, seed=3, git=shutil.which("git") is not None)
    return out


def test_every_file_is_labelled_and_parses(repo: Path) -> None:
    files = sorted(repo.rglob("*.yaml"))
    assert len(files) == 4 + 7 * 17       # tracker.yaml, plan/*3, 16 filings + 1 register each
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(gp.LABEL), path
        load(path)


def test_units_and_counts(repo: Path) -> None:
    units = [u for u in load(repo / "plan/units.yaml")["units"] if u["kind"] == "district"]
    assert [u["id"] for u in units] == [f"u{i:03d}" for i in range(1, 8)]
    assert sum(u["counts"]["villages"] for u in units) == 900
    codes = [u["region_code"] for u in units]
    assert len(set(codes)) == 7 and all(len(c) == 6 and c.startswith("33") for c in codes)


def test_registers_match_filings(repo: Path) -> None:
    units = {u["id"]: u for u in load(repo / "plan/units.yaml")["units"]}
    seen: set[str] = set()
    for unit_dir in sorted((repo / "submissions").iterdir()):
        unit = units[unit_dir.name]
        items = load(unit_dir / "registers" / f"{gp.VSP}.yaml")["items"]
        assert len(items) == unit["counts"]["villages"]
        for it in items:
            assert isinstance(it["code"], str) and it["code"].startswith(unit["region_code"])
            assert it["code"] not in seen
            seen.add(it["code"])
        last: dict[str, int] = {}
        for path in sorted(unit_dir.glob("*.yaml")):
            filing = load(path)
            as_of: dt.date = filing["as_of"]
            # no date falls on a quarter end, so "open on as_of" is unambiguous
            open_items = sum(1 for it in items if it["opened"] < as_of
                             and (it.get("closed") is None or it["closed"] > as_of))
            assert open_items == filing["targets"][gp.VSP]["value"], path
            for target, entry in filing["targets"].items():
                assert entry["value"] >= last.get(target, 0), (path, target)
                last[target] = entry["value"]


def test_deterministic(repo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    gp.generate(again, n_units=7, n_villages=900, seed=3, git=False)
    for path in again.rglob("*.yaml"):
        assert path.read_bytes() == (repo / path.relative_to(again)).read_bytes(), path


@pytest.mark.skipif(shutil.which("tracker") is None, reason="tracker CLI not installed")
def test_tracker_validates_it(repo: Path) -> None:
    proc = subprocess.run(["tracker", "validate", "--strict", "--root", str(repo)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
