"""bench_scale.py runs end to end on two tiny scales and reports what it promises."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale  # noqa: E402

pytestmark = pytest.mark.skipif(
    not Path(sys.executable).with_name("tracker").exists() or shutil.which("git") is None,
    reason="needs the tracker script beside this Python, and git")


def test_two_scales_without_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    code = bench_scale.main(["--units", "3,6", "--villages-per-unit", "20", "--no-build",
                             "--work", str(tmp_path / "work"), "--json", str(out)])
    assert code == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(figures["scales"]) == {"3", "6"}
    for scale in figures["scales"].values():
        assert set(scale) == {"validate", "status", "check"}
        assert all(r["returncode"] == 0 and r["max_rss_mb"] > 0 for r in scale.values())
    text = capsys.readouterr().out
    assert "ratios 6/3 units (linear = 2.00)" in text
    assert "status/validate" in text and "check/validate" in text


def test_two_engines_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    code = bench_scale.main(["--units", "3,6", "--villages-per-unit", "20",
                             "--engines", "mkdocs,zensical",
                             "--work", str(tmp_path / "work"), "--json", str(out)])
    assert code == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    for scale in figures["scales"].values():
        assert set(scale) == {"validate", "status", "check", "build", "build-zensical"}
        assert scale["build"]["engine"] == "MkDocs"
        assert scale["build-zensical"]["engine"] == "Zensical"
        for name in ("build", "build-zensical"):
            assert scale[name]["render"] > 0 and scale[name]["files"] > 0 and scale[name]["mb"] > 0
            # a build takes seconds: its processes' memory together was sampled
            assert scale[name]["tree_pss_mb"] > 0
    text = capsys.readouterr().out
    assert "generators side by side" in text and "Zensical" in text
