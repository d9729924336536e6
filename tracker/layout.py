"""Where files belong: YAML files in places tracker never reads, and where they were meant to go.

A filing committed into a misspelled folder (`submission/east/2025-Q1.yaml`) passes every check
and is never counted: nothing reads it. `stray_yaml` finds such files for `tracker validate` of
the whole repository (`file-misplaced`, a warning naming the likely intended place).

The walk is bounded, because validate runs on every pull request of a province-sized
repository: it never enters the folders tracker reads itself (plan/, submissions/, reviews/,
evidence/), tools' folders (any name starting with '.', node_modules, site/, virtual
environments), nor another repository nested inside this one (a folder with tracker.yaml or
plan/units.yaml: it is checked with its own --root); and it looks no deeper than the deepest
place tracker reads (submissions/<unit>/registers/<target>.yaml: four levels).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator
from pathlib import Path

CONFIG_FILE = "tracker.yaml"
READ_FOLDERS = ("plan", "submissions", "reviews", "evidence")  # walked by their own loaders
SKIPPED_FOLDERS = frozenset({"node_modules", "site", "venv", "__pycache__"})
MAX_DEPTH = 4  # path parts of the deepest file tracker reads: submissions/u/registers/t.yaml
PLAN_FILES = ("units", "tasks", "targets")

_PERIOD = re.compile(r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$", re.IGNORECASE)


def is_nested_repository(folder: Path) -> bool:
    return (folder / CONFIG_FILE).is_file() or (folder / "plan" / "units.yaml").is_file()


def stray_yaml(root: Path, skip: Collection[str] = ()) -> list[str]:
    """Repository-relative paths of YAML files that no part of tracker reads. `skip` adds
    top-level folders that are read (the plan folder when tracker.yaml moves it)."""
    top_skipped = set(READ_FOLDERS) | set(skip)
    found: list[str] = []

    def walk(folder: Path, prefix: str, depth: int) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue  # tools' files and folders: .github/, .gitlab-ci.yml, .pre-commit-*
            rel = prefix + name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if (depth + 1 >= MAX_DEPTH or name in SKIPPED_FOLDERS
                        or (depth == 0 and name in top_skipped)):
                    continue
                sub = Path(entry.path)
                if is_nested_repository(sub) or (sub / "pyvenv.cfg").is_file():
                    continue
                walk(sub, rel + "/", depth + 1)
            elif name.lower().endswith((".yaml", ".yml")) and not (depth == 0 and name == CONFIG_FILE):
                found.append(rel)

    walk(root, "", 0)
    return found


def intended_place(rel: str, units: Collection[str] = ()) -> str | None:
    """Where a YAML file at `rel` (repository-relative) was most likely meant to go, or None."""
    parts = rel.split("/")
    name = parts[-1]
    stem = re.sub(r"\.ya?ml$", "", name, flags=re.IGNORECASE)
    fixed_name = stem + ".yaml"
    if len(parts) == 1:
        if stem.lower() in PLAN_FILES:
            return f"plan/{stem.lower()}.yaml"
        if stem.lower() == "tracker":
            return CONFIG_FILE
        if _PERIOD.match(stem):
            return f"submissions/<单位>/{fixed_name}"
        return None
    # A known folder deeper down (data/submissions/east/2024-Q2.yaml): from there on.
    for i, part in enumerate(parts[:-1]):
        if i and part in ("submissions", "plan", "reviews"):
            return "/".join([*parts[i:-1], fixed_name])
    import difflib  # only for a stray file; every validate imports this module

    first = parts[0]
    close = difflib.get_close_matches(first.lower(), ["submissions", "plan", "reviews"], n=1,
                                      cutoff=0.6)
    if close:
        return "/".join([close[0], *parts[1:-1], fixed_name])
    if first in units:  # submissions/ left out: east/2025-Q1.yaml
        return "/".join(["submissions", *parts[:-1], fixed_name])
    if len(parts) >= 2 and parts[-2] in units and _PERIOD.match(stem):
        return f"submissions/{parts[-2]}/{fixed_name}"
    return None


def misplaced_diagnostics(root: Path, shown_root: str, units: Collection[str] = (),
                          skip: Collection[str] = ()) -> Iterator[tuple[str, str, str]]:
    """(shown path, message, hint) of each stray YAML file (see `stray_yaml`)."""
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    for rel in stray_yaml(root, skip):
        shown = prefix + rel
        place = intended_place(rel, units)
        message = f"{rel} 不会被读取：tracker 只读取 plan/、submissions/、reviews/ 下和 {CONFIG_FILE} 中的 YAML"
        if place is not None:
            hint = f"是不是要放在 {place}？移动到那里才会被检查和统计。"
        else:
            hint = ("报送文件放在 submissions/<单位>/<期次>.yaml，台账放在 "
                    "submissions/<单位>/registers/<指标>.yaml；与 tracker 无关的 YAML 文件"
                    "可以放在以 . 开头的文件夹中(工具的配置)。")
        yield shown, message, hint
