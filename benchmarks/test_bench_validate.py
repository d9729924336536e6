"""bench_validate.py runs end to end on a tiny repository and reports what it promises."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_validate  # noqa: E402

pytestmark = pytest.mark.skipif(
    not Path(sys.executable).with_name("tracker").exists() or shutil.which("git") is None,
    reason="needs the tracker script beside this Python, and git")


def test_status_and_check_with_peak_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Without check-jsonschema on PATH, (b) is skipped (it takes long, even here).
    monkeypatch.setenv("PATH", os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not (Path(d) / "check-jsonschema").exists()))
    out = tmp_path / "figures.json"
    code = bench_validate.main(["--repo", str(tmp_path / "repo"), "--units", "3",
                                "--villages", "60", "--runs", "1", "--status", "--check",
                                "--tracker", str(Path(sys.executable).with_name("tracker")),
                                "--json", str(out)])
    assert code == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    for key in ("a", "c", "status", "check"):
        assert figures[key]["seconds"] > 0 and figures[key]["max_rss_mb"] > 0, key
    assert "skipped" in figures["b"]
    assert set(figures["ratios"]) == {"c/a", "status/c", "check/c"}
    assert set(figures["peak_rss"]) == {"c", "status", "check"}
    assert len(figures["load_before"]) == 3
    text = capsys.readouterr().out
    assert "check/c" in text and "target ≤ 0.05" in text and "rss(c)" in text


def test_file_lists_are_split_to_fit_a_command_line() -> None:
    assert bench_validate.split_args([]) == []
    assert bench_validate.split_args(["ab", "cd"], limit=10) == [["ab", "cd"]]
    assert bench_validate.split_args(["abcd", "efgh", "ij"], limit=10) == [["abcd", "efgh"], ["ij"]]
