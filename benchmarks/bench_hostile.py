#!/usr/bin/env python3
"""Time tracker's YAML loader on hostile inputs: nesting, and syntax errors in large files.

    python benchmarks/bench_hostile.py [--runs 3] [--only NAME] [--cli] [--strict]

The target (issue 11): no input takes more than about 1 s per MB, nor 2 s in all for a file
under 1 MB. Each input is generated in memory, written to a temporary file and read with
`tracker.yamlio.load_file` (what every command uses), best of --runs; `--cli` also times a
fresh `tracker validate` of a small repository holding the file as a filing, minus the same
repository without it. Each line prints the diagnostic found, the time, s/MB and PASS or
MISS (for the slower of the two with --cli); `--strict` exits 1 on a MISS.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE.parent / "tests" / "cases" / "base"
MB = 1024 * 1024


def _mapping(size: int, broken: bool) -> str:
    """A flat mapping of `size` characters; with `broken`, a syntax error 200 bytes from its end."""
    line = "key{:07d}: 一段说明文字 some text {:07d}\n"
    count = size // len(line.format(0, 0).encode())
    lines = [line.format(i, i) for i in range(count)]
    if broken:
        lines[-5] = "bad: : [\n"
    return "".join(lines)


def _register(size: int, broken: bool) -> str:
    """A register (台账) of `size` characters; with `broken`, an error in an item near the end."""
    item = '  - code: "{:09d}"\n    name: 第{:06d}号服务站\n    opened: 2024-01-15\n'
    count = size // len(item.format(0, 0).encode())
    items = [item.format(i, i) for i in range(count)]
    if broken:
        items[-3] = items[-3].replace("号服务站", "号服务站: 新")
    return "unit: east\ntarget: stations\nitems:\n" + "".join(items)


def _flow_list(size: int) -> str:
    """One flow list [ … ] filling the file, with an error before its end (no block entry to
    re-read from: libyaml's own words are used)."""
    count = size // 10
    return "items: [" + ", ".join(f'"{i:06d}"' for i in range(count)) + ", x: : y]\n"


INPUTS: dict[str, Callable[[], str]] = {
    "nest-40k      [ x 20000": lambda: "[" * 20000 + "]" * 20000,
    "nest-80k      [ x 40000": lambda: "[" * 40000 + "]" * 40000,
    "nest-5m       {a: x 1M": lambda: "{a: " * MB + "1" + "}" * MB,
    "deep-then-err [ x 900, x: :": lambda: "a: 1\nb: " + "[" * 900 + "x: : y\n",
    "syntax-60k    mapping": lambda: _mapping(60 * 1024, True),
    "syntax-1m     mapping": lambda: _mapping(MB, True),
    "syntax-4m     mapping": lambda: _mapping(4 * MB, True),
    "syntax-4m     register": lambda: _register(4 * MB, True),
    "syntax-1m     flow list": lambda: _flow_list(MB),
    "valid-4m      register": lambda: _register(4 * MB, False),
    "valid-4m      mapping": lambda: _mapping(4 * MB, False),
    "valid-15m     mapping": lambda: _mapping(15 * MB, False),
}


def _limit(megabytes: float) -> float:
    return 2.0 if megabytes < 1 else max(2.0, 1.0 * megabytes)


def _time_load(file: Path, runs: int) -> tuple[float, str]:
    from tracker.yamlio import load_file

    best, found = float("inf"), ""
    for _ in range(runs):
        t0 = time.perf_counter()
        _, problems = load_file(file, file.name, 64 * MB)
        best = min(best, time.perf_counter() - t0)
        found = (f"{problems[0].rule} {problems[0].line}:{problems[0].column}"
                 if problems else "ok")
    return best, found


def _time_cli(file: Path | None, work: Path, runs: int) -> float:
    repo = work / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(BASE, repo)
    if file is not None:
        shutil.copyfile(file, repo / "submissions/east/2024-Q3.yaml")
    tracker = Path(sys.executable).with_name("tracker")
    cmd = [str(tracker) if tracker.exists() else "tracker", "validate", "--root", str(repo),
           "--format", "json", "--max-file-size", str(64 * MB)]
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        best = min(best, time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"tracker validate failed ({proc.returncode}): "
                             f"{proc.stderr.decode('utf-8', 'replace')[:500]}")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run only inputs whose name contains this")
    parser.add_argument("--cli", action="store_true", help="also time `tracker validate`")
    parser.add_argument("--strict", action="store_true", help="exit 1 on a MISS")
    args = parser.parse_args(argv)

    from tracker import yamlio

    print(f"PyYAML C parser (libyaml): {'yes' if yamlio.HAVE_C_LOADER else 'NO'}; "
          f"best of {args.runs}; target: ≤ 1 s per MB, ≤ 2 s for a file under 1 MB\n")
    head = f"{'input':30} {'MB':>6} {'load s':>8} {'s/MB':>6}"
    print(head + (f" {'validate s':>10}" if args.cli else "") + "  diagnostic")
    missed = False
    with tempfile.TemporaryDirectory(prefix="tracker-bench-hostile-") as tmp:
        work = Path(tmp)
        baseline = _time_cli(None, work, args.runs) if args.cli else 0.0
        for name, make in INPUTS.items():
            if args.only and args.only not in name:
                continue
            file = work / "hostile.yaml"
            file.write_text(make(), "utf-8")
            megabytes = file.stat().st_size / MB
            seconds, found = _time_load(file, args.runs)
            line = f"{name:30} {megabytes:6.2f} {seconds:8.3f} {seconds / megabytes:6.2f}"
            worst = seconds
            if args.cli:
                validate = _time_cli(file, work, args.runs) - baseline
                line += f" {validate:10.3f}"
                worst = max(worst, validate)
            verdict = "PASS" if worst <= _limit(megabytes) else "MISS"
            missed |= verdict == "MISS"
            print(f"{line}  {found:24} {verdict}", flush=True)
    if args.cli:
        print(f"\n(validate: minus {baseline:.3f} s for the same repository without the file)")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
