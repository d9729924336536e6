#!/usr/bin/env python3
"""Sizes of a built site: the largest pages, pages over a bound, the search index, the
navigation (issue 14, item 6: large sites stay usable).

    python benchmarks/site_sizes.py SITE [--bound 200000] [--top 10]

Counts only; run it on the output of `tracker build`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

PART = re.compile(r"_[a-z]+_[0-9]+\.html$")


def kind(path: str) -> str:
    """A page's kind: its folder (archive/<period> counted as archive), a part page apart."""
    parts = path.split("/")
    head = "archive" if parts[0] == "archive" else (parts[0] if len(parts) > 1 else "(top)")
    return head + (" (part pages)" if PART.search(path) else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--bound", type=int, default=200_000, help="page size bound in bytes")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args(argv)
    site: Path = args.site
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")
             if not p.relative_to(site).as_posix().startswith("repo/")}
    print(f"{len(sizes)} pages, {sum(sizes.values()) / 1e6:.1f} MB of HTML")
    print(f"largest {args.top}:")
    for path, n in sorted(sizes.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {n / 1e3:9.1f} kB  {path}")
    over = [p for p, n in sizes.items() if n > args.bound]
    print(f"pages over {args.bound / 1e3:.0f} kB: {len(over)}")
    by_kind: Counter[str] = Counter()
    largest: dict[str, int] = {}
    for path, n in sizes.items():
        k = kind(path)
        by_kind[k] += 1
        largest[k] = max(largest.get(k, 0), n)
    print("by kind (pages, largest):")
    for k in sorted(by_kind):
        print(f"  {k:28} {by_kind[k]:6}  {largest[k] / 1e3:8.1f} kB")
    index = site / "search" / "search_index.json"
    if index.exists():
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        per: Counter[str] = Counter()
        for d in docs:
            per[kind(d["location"].split("#")[0])] += len(json.dumps(d, ensure_ascii=False)
                                                          .encode())
        print(f"search index: {index.stat().st_size / 1e6:.2f} MB, {len(docs)} entries")
        for k, n in per.most_common(6):
            print(f"  {k:28} {n / 1e6:8.2f} MB")
    home = site / "index.html"
    if home.exists():
        html = home.read_text(encoding="utf-8")
        start = html.find("md-nav--primary")
        end = html.find('class="md-content"', start)
        if start >= 0 and end >= 0:
            links = [x for x in re.findall(r'href="([^"]+)"', html[start:end])
                     if not x.startswith("#")]
            print(f"navigation: {len(links)} links in index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
