"""bench_share.py runs end to end on the demo repository and prints the floor it promises."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_share  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


def test_the_floor_and_its_share(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["bench_share.py", "--repo", str(DEMO),
                                      "--as-of", "2024-06-30", "--mkdocs", "7"])
    assert bench_share.main() == 0
    out = capsys.readouterr().out
    seconds = {m[0]: float(m[1]) for m in re.findall(r"^(\w[^:(]*?)\s*(?:\([^)]*\))?:\s+([\d.]+) s",
                                                     out, re.M)}
    assert seconds["load"] > 0 and seconds["timeline"] > 0, out
    assert seconds["floor"] == pytest.approx(seconds["load"] + seconds["timeline"], abs=0.11)
    dates = int(re.search(r"timeline \((\d+) dates\)", out).group(1))  # type: ignore[union-attr]
    assert dates > 1  # the status date and the period ends before it
    share = float(re.search(r"share with nothing else:\s+([\d.]+)%", out).group(1))  # type: ignore[union-attr]
    assert share == pytest.approx(100 * seconds["floor"] / (seconds["floor"] + 7), abs=1.5)
    # (the printed seconds are rounded to a tenth)
    assert "3 s for all of tracker's part" in out  # 0.3 / 0.7 × 7 s
