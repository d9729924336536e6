#!/usr/bin/env python3
"""How `tracker` grows with the size of a repository (issue 14): ratios between two scales.

    python benchmarks/bench_scale.py [--units 180,360] [--villages-per-unit 210] [--runs 1]
                                     [--work DIR] [--keep] [--no-build] [--json FILE]
                                     [--engines mkdocs,zensical]

For each scale, a synthetic repository is generated with generate_province.py (villages in
proportion to units, as in a real province: ~600k register items for ~2,850 units is ~210 per
unit; with git, so that `check` and provenance have a history to read) and these are timed, each
in a fresh subprocess, best wall time of --runs:

    validate   tracker validate --root REPO
    status     tracker status --format json --as-of 2025-12-31 --root REPO
    check      tracker check --base HEAD~1 --root CLONE, CLONE being a clone of REPO with one
               merged filing amended (bench_validate.amend_one_filing; skip with --no-check)
    build      tracker build --no-provenance --as-of 2025-12-31 --root REPO --out TMP
               (once per generator of --engines: `build` is MkDocs, `build-zensical` Zensical)

and the peak resident memory of each child (getrusage of that child alone, via os.wait4) and of
all its processes together (the sum of their proportional set sizes, sampled: TreeMemory).
Printed: for every command the ratio larger/smaller scale (linear growth = the ratio of the
units; the target from issue 14 is build ≤ 2.2× from half to full scale); status/validate and
check/validate at each scale (issue 14: ≤ 1.2 and ≤ 0.05, and check must not grow with the
repository: its ratio larger/smaller should stay near 1); and tracker's own part of the build
(the build's total minus the generator's rendering, from the "用时 … 秒(MkDocs … 秒)" line the
CLI prints) as a share of the build's wall time; with two engines, their builds side by side
(rendering time, peak memory, output size).
Ratios, not absolute times: the machine is shared, so the load (os.getloadavg) is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_validate  # noqa: E402
import generate_province  # noqa: E402

AS_OF = "2025-12-31"
BUILD_LINE = re.compile(r"用时 ([0-9.]+) 秒\((\w+) ([0-9.]+) 秒\)")
SIZE_LINE = re.compile(r"完成:.*?([0-9]+) 个文件,([0-9.]+) MB")


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the largest process alone (os.wait4)
    returncode: int
    stderr_tail: str = ""
    tree_pss_mb: float = 0.0  # the peak of all its processes together (TreeMemory)


class TreeMemory(threading.Thread):
    """The peak memory of a process and all its descendants together, sampled twice a second
    (stop it before the process is reaped: its pid may then be reused):
    the sum of their proportional set sizes (/proc/PID/smaps_rollup, Linux), so a page a forked
    child still shares with its parent counts once. ru_maxrss gives each process alone, and
    `tracker check` runs two at once (the other units' filings read in a forked second
    process)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._stop_at = pid, 0, threading.Event()

    def run(self) -> None:
        while True:  # a sample at once, then twice a second until stopped
            self.sample()
            if self._stop_at.wait(0.5):
                return

    def sample(self) -> None:
        self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> float:
        self._stop_at.set()
        self.join()
        return self.peak_kb / 1024


def _tree(root: int) -> set[int]:
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def run_child(cmd: list[str]) -> tuple[Run, str, list[tuple[str, float]]]:
    """Run `cmd`; wall time and peak RSS of that child alone (os.wait4 gives its rusage).

    stderr is read line by line as it comes: the time from one progress line of `tracker build`
    to the next is the time of the phase the first one announces ("start-up" before the
    first line); indented lines are a phase's own progress, not a new phase."""
    phases: list[tuple[str, float]] = []
    lines: list[str] = []
    with tempfile.TemporaryFile() as out:
        t0 = last = time.perf_counter()
        label = "start-up"
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        memory = TreeMemory(proc.pid)
        if Path("/proc/self/smaps_rollup").exists():
            memory.start()
        assert proc.stderr is not None
        for raw in proc.stderr:
            now = time.perf_counter()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            lines.append(line)
            message = line.removeprefix("tracker build: ")
            if message.startswith("  "):  # a step's own progress (tracker.site.progress)
                continue
            phases.append((label, now - last))
            label, last = re.sub(r"[0-9][0-9.,-]*", "N", message)[:24], now
        proc.stderr.close()
        tree_mb = memory.stop() if memory.is_alive() else 0.0
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        phases.append((label, time.perf_counter() - last))
        proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = "\n".join(lines)
    # ru_maxrss is in kilobytes on Linux.
    return (Run(seconds, usage.ru_maxrss / 1024, proc.returncode, stderr[-2000:], tree_mb),
            stderr, phases)


def tracker_command() -> list[str]:
    script = Path(sys.executable).with_name("tracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def build_name(engine: str) -> str:
    return "build" if engine == "mkdocs" else f"build-{engine}"


def commands(repo: Path, out: Path, do_build: bool, clone: Path | None = None,
             engines: tuple[str, ...] = ("mkdocs",)) -> dict[str, list[str]]:
    tracker = tracker_command()
    cmds = {
        "validate": [*tracker, "validate", "--root", str(repo)],
        "status": [*tracker, "status", "--format", "json", "--as-of", AS_OF, "--root", str(repo)],
    }
    if clone is not None:
        cmds["check"] = [*tracker, "check", "--base", "HEAD~1", "--root", str(clone)]
    if do_build:
        for engine in engines:
            cmds[build_name(engine)] = [*tracker, "build", "--no-provenance", "--as-of", AS_OF,
                                        "--root", str(repo), "--out", str(out),
                                        "--engine", engine]
    return cmds


def pull_request(repo: Path, clone: Path) -> str:
    """A clone of `repo` with one merged filing amended and committed, as
    `bench_validate.py --check` makes it; returns the amended path."""
    shutil.rmtree(clone, ignore_errors=True)
    bench_validate.git(clone.parent, "clone", "-q", str(repo), str(clone))
    return bench_validate.amend_one_filing(clone)


def measure(repos: dict[int, Path], runs: int, do_build: bool, work: Path,
            clones: dict[int, Path] | None = None,
            engines: tuple[str, ...] = ("mkdocs",)) -> dict:
    """Best of `runs` per (scale, command). Each round runs every command at every scale, one
    after another, so the two sides of a ratio see the same minutes of a shared machine."""
    kept: dict[int, dict[str, dict]] = {u: {} for u in repos}
    for round_ in range(runs):
        for units, repo in repos.items():
            out = work / f"site-u{units}"
            clone = (clones or {}).get(units)
            for name, cmd in commands(repo, out, do_build, clone, engines).items():
                shutil.rmtree(out, ignore_errors=True)
                print(f"  round {round_ + 1}: {name} at {units} units …", file=sys.stderr)
                r, err, phases = run_child(cmd)
                entry = asdict(r)
                if name.startswith("build"):
                    entry["phases"] = phases
                m = BUILD_LINE.search(err) if name.startswith("build") else None
                if m:
                    total, render = float(m[1]), float(m[3])
                    entry.update(phases_total=total, engine=m[2], render=render,
                                 tracker_own=total - render,
                                 tracker_share=(total - render) / r.seconds)
                size = SIZE_LINE.search(err) if name.startswith("build") else None
                if size:
                    entry.update(files=int(size[1]), mb=float(size[2]))
                old = kept[units].get(name)
                if old is None or (r.returncode == 0 and
                                   (old["returncode"] != 0 or r.seconds < old["seconds"])):
                    kept[units][name] = entry
            shutil.rmtree(out, ignore_errors=True)
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", default="180,360",
                    help="comma-separated unit counts, smaller first (default 180,360)")
    ap.add_argument("--villages-per-unit", type=int, default=210,
                    help="register items per unit (default 210, as a real province)")
    ap.add_argument("--runs", type=int, default=1, help="rounds; the best of each (scale, command) counts (1)")
    ap.add_argument("--work", type=Path, default=None,
                    help="generate into DIR/u<N> and keep them (reused when present)")
    ap.add_argument("--no-build", action="store_true", help="skip tracker build")
    ap.add_argument("--no-check", action="store_true",
                    help="skip tracker check (a one-filing pull request in a clone)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    ap.add_argument("--engines", default="mkdocs",
                    help="comma-separated site generators to build with, each timed "
                         "(default mkdocs; mkdocs,zensical: side by side)")
    args = ap.parse_args(argv)
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    scales = [int(x) for x in args.units.split(",") if x.strip()]
    if len(scales) < 2:
        ap.error("--units needs at least two scales, e.g. 180,360")

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {"load_before": os.getloadavg(), "scales": {}}
    # The pull requests' clones go to a folder of their own: --work may hold repositories to
    # reuse and not to write into (the national ones).
    pr_work = Path(tempfile.mkdtemp(prefix="bench-scale-pr-"))
    try:
        repos: dict[int, Path] = {}
        for units in scales:
            repo = repos[units] = work / f"u{units}"
            if not (repo / "plan").is_dir():
                t0 = time.perf_counter()
                generate_province.main([str(repo), "--units", str(units),
                                        "--villages", str(units * args.villages_per_unit),
                                        "--force"])
                print(f"generated {repo} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        clones: dict[int, Path] = {}
        if not args.no_check:
            for units, repo in repos.items():
                if (repo / ".git").exists():
                    clones[units] = pr_work / f"u{units}"
                    changed = pull_request(repo, clones[units])
                    print(f"pull request at {units} units: {changed}", file=sys.stderr)
        figures["scales"] = measure(repos, args.runs, not args.no_build, work, clones, engines)
        figures["load_after"] = os.getloadavg()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(pr_work, ignore_errors=True)

    report(figures, scales, engines)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    failed = [(u, c) for u, s in figures["scales"].items() for c, r in s.items()
              if r["returncode"] not in (0, 1)]
    for units, cmd in failed:
        print(f"FAILED: {cmd} at {units} units:\n{figures['scales'][units][cmd]['stderr_tail']}",
              file=sys.stderr)
    return 1 if failed else 0


def report(figures: dict, scales: list[int], engines: tuple[str, ...] = ("mkdocs",)) -> None:
    load = figures["load_before"], figures.get("load_after")
    print(f"machine load (1/5/15 min) before {load[0][0]:.2f}/{load[0][1]:.2f}/{load[0][2]:.2f}"
          + (f", after {load[1][0]:.2f}/{load[1][1]:.2f}/{load[1][2]:.2f}" if load[1] else ""))
    print(f"{'command':<10}" + "".join(f"{f'{u} units':>22}" for u in scales))
    s = figures["scales"]
    builds = [build_name(e) for e in engines]
    for cmd in ("validate", "status", "check", *builds):
        if cmd not in s[scales[0]]:
            continue
        cells = "".join(f"{s[u][cmd]['seconds']:>9.1f} s {s[u][cmd]['max_rss_mb']:>6.0f} MB"
                        f"{'' if s[u][cmd]['returncode'] == 0 else ' rc=' + str(s[u][cmd]['returncode'])}"
                        for u in scales)
        print(f"{cmd:<10}{cells}")
    print("(peak RSS of the largest process; the peak of all processes together, PSS:")
    for cmd in ("validate", "status", "check", *builds):
        if cmd in s[scales[0]]:
            print(f"  {cmd:<8}" + "".join(f"{s[u][cmd].get('tree_pss_mb', 0):>20.0f} MB"
                                          for u in scales))
    print(")")
    small, large = scales[0], scales[-1]
    print(f"\nratios {large}/{small} units (linear = {large / small:.2f}):")
    for cmd in ("validate", "status", "check", *builds):
        if cmd in s[small] and cmd in s[large]:
            t = s[large][cmd]["seconds"] / s[small][cmd]["seconds"]
            m = s[large][cmd]["max_rss_mb"] / s[small][cmd]["max_rss_mb"]
            print(f"  {cmd:<9} time ×{t:.2f}   peak RSS ×{m:.2f}")
    for u in scales:
        line = f"  at {u} units: status/validate = " \
               f"{s[u]['status']['seconds'] / s[u]['validate']['seconds']:.2f}"
        if "check" in s[u]:
            line += f", check/validate = {s[u]['check']['seconds'] / s[u]['validate']['seconds']:.3f}"
        for name in builds:
            b = s[u].get(name, {})
            if b.get("tracker_share") is not None:
                line += (f"; {name} = tracker {b['tracker_own']:.1f} s + {b['engine']} "
                         f"{b['render']:.1f} s (+ start-up), tracker's own part "
                         f"{100 * b['tracker_share']:.0f} %")
        print(line)
    if len(builds) > 1 and all(b in s[u] for u in scales for b in builds):
        print("\ngenerators side by side (wall, rendering, peak RSS, output):")
        for u in scales:
            for name in builds:
                b = s[u][name]
                print(f"  {u:>5} units {b.get('engine', name):<9} build {b['seconds']:>7.1f} s"
                      f"  rendering {b.get('render', float('nan')):>6.1f} s"
                      f"  peak {b['max_rss_mb']:>5.0f} MB"
                      f"  {b.get('files', 0):>6} files {b.get('mb', float('nan')):>7.1f} MB")
    if "build" in s[small] and "phases" in s[small]["build"]:
        print("\nbuild phases (seconds from one progress line to the next):")
        names = [n for n, _ in s[large]["build"]["phases"]]
        for name in names:
            cells = [dict(s[u]["build"]["phases"]).get(name) for u in scales]
            text = "".join(f"{c:>9.1f}" if c is not None else f"{'-':>9}" for c in cells)
            growth = (f"   ×{cells[-1] / cells[0]:.2f}" if cells[0] and cells[-1] is not None
                      and cells[0] > 0.05 else "")
            print(f"  {name:<26}{text}{growth}")


if __name__ == "__main__":
    sys.exit(main())
