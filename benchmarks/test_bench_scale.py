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


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")
def test_peak_memory_counts_a_forked_child_that_copied_its_memory(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A parent holds 200 MB and forks a child that writes to every page of it: the two hold
    ~400 MB together, which the sum of PSS shows and either process alone does not."""
    import peak_memory

    script = ("import os, time\n"
              "data = bytearray(200 * 1024 * 1024)\n"
              "pid = os.fork()\n"
              "if pid == 0:\n"
              "    for i in range(0, len(data), 4096): data[i] = 1\n"  # copy-on-write: own pages
              "    time.sleep(2.5); os._exit(0)\n"
              "os.waitpid(pid, 0)\n")
    assert peak_memory.main([sys.executable, "-c", script]) == 0
    err = capsys.readouterr().err
    total = float(err.split("(PSS): ")[1].split(" MiB")[0])
    own = [float(line.split("own peak ")[1].split(" MiB")[0])
           for line in err.splitlines() if "own peak" in line]
    assert len(own) == 2 and total > 380 and max(own) < 260
