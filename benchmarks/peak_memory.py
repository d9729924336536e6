#!/usr/bin/env python3
"""The peak memory of a command and every process it starts, together (Linux).

    python benchmarks/peak_memory.py tracker build --no-provenance --root /tmp/nat/u2850

Runs the command and samples, twice a second, the sum of the proportional set sizes (PSS) of
it and all its descendants: a page that a forked child still shares with its parent counts
once, a page that copy-on-write has copied counts twice. `/usr/bin/time` and `ru_maxrss` give
the largest process alone, which under-counts a command that forks (`tracker check` reads the
other units' filings in a second process). Prints the peak of the sum and each process's own peak to stderr, and exits with
the command's exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import TreeMemory, _pss_kb, _tree  # noqa: E402


class PerProcess(TreeMemory):
    """TreeMemory that also keeps each process's own peak PSS."""

    def __init__(self, pid: int) -> None:
        super().__init__(pid)
        self.each: dict[int, int] = {}

    def sample(self) -> None:
        sizes = {pid: _pss_kb(pid) for pid in _tree(self.pid)}
        for pid, kb in sizes.items():
            self.each[pid] = max(self.each.get(pid, 0), kb)
        self.peak_kb = max(self.peak_kb, sum(sizes.values()))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    if not Path("/proc/self/smaps_rollup").exists():
        print("peak_memory: needs Linux's /proc/PID/smaps_rollup", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv)
    memory = PerProcess(proc.pid)
    memory.start()
    # Wait for the command to end without reaping it, so that its pid is not reused while the
    # sampler may still read it; then stop the sampler, then reap.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    memory.stop()
    code = proc.wait()
    print(f"peak memory of all processes together (PSS): {memory.peak_kb / 1024:.0f} MiB "
          f"({memory.peak_kb * 1024 / 1e9:.2f} GB); {len(memory.each)} process(es); "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for pid, kb in sorted(memory.each.items(), key=lambda kv: -kv[1]):
        print(f"  pid {pid}: own peak {kb / 1024:.0f} MiB", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
