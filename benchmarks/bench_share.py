#!/usr/bin/env python3
"""The floor under tracker's share of a site build (issue 14, item 1).

    python benchmarks/bench_share.py --repo /tmp/nat/u2850 [--as-of 2025-12-31] [--mkdocs 250]

Times, in this one process, the two steps of `tracker build` that no page can do without:
reading and checking the repository (what `tracker validate` does) and the status at every
date the site shows (the timeline: the status date and every period end before it). With
--mkdocs S (the generator's seconds from a build of the same repository, e.g. the "render"
figure of bench_scale.py), it prints the smallest share of the build tracker could have if
the 通报, the workbook and every page cost nothing:

    (load + timeline) / (load + timeline + S)

against issue 14's ≤ 30 %. See benchmarks/README.md, "Tracker's share of the build".
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import date
from pathlib import Path

from tracker import status as engine
from tracker.repository import load
from tracker.site import timeline as timeline_mod

TARGET_SHARE = 0.30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="a repository to read")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 12, 31))
    parser.add_argument("--mkdocs", type=float, default=None,
                        help="the generator's seconds in a build of the same repository")
    args = parser.parse_args()

    gc.freeze()  # (as the CLI does once its command is imported: tracker.cli.LazyGroup)
    t0 = time.perf_counter()
    loaded = load(args.repo)
    if loaded.repo is None:
        print("the repository has errors: run tracker validate")
        return 1
    repo = loaded.repo
    t1 = time.perf_counter()
    print(f"load (read and check the repository): {t1 - t0:7.1f} s", flush=True)

    one = engine.compute(repo, args.as_of)
    engine.to_json(one, repo.plan)
    t2 = time.perf_counter()
    print(f"one status and its JSON:               {t2 - t1:7.1f} s", flush=True)

    days = timeline_mod.history_dates(repo, args.as_of)
    timeline = timeline_mod.compute(repo, args.as_of, dates=days)
    t3 = time.perf_counter()
    dates = len(timeline.moments)
    print(f"timeline ({dates} dates):                {t3 - t2:7.1f} s", flush=True)

    floor = (t1 - t0) + (t3 - t2)
    print(f"floor (load + timeline):               {floor:7.1f} s")
    if args.mkdocs is not None:
        share = floor / (floor + args.mkdocs)
        budget = TARGET_SHARE / (1 - TARGET_SHARE) * args.mkdocs
        print(f"tracker's share with nothing else:     {share:7.1%} (target ≤ {TARGET_SHARE:.0%}:"
              f" {budget:.0f} s for all of tracker's part)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
