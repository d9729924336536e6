"""`tracker validate` as a library call: settings in, report out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.diagnostics import Report
from tracker.errors import TrackerError
from tracker.repository import Loaded, Scope, load
from tracker.yamlio import DEFAULT_MAX_BYTES


@dataclass
class ValidateSettings:
    root: Path = Path(".")
    paths: list[Path] = field(default_factory=list)
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


def scope_for(root: Path, paths: list[Path]) -> Scope | None:
    """The scope that named files select; None means the whole repository."""
    if not paths:
        return None
    rels = set()
    root_abs = root.resolve()
    for p in paths:
        try:
            rel = Path(os.path.relpath(p.resolve(), root_abs)).as_posix()
        except ValueError:
            rel = ".."
        if rel.startswith(".."):
            raise TrackerError(
                f"{p} 不在仓库 {root} 之内", hint="只能检查仓库内的文件；用 --root 指定仓库。"
            )
        if not p.exists():
            raise TrackerError(f"找不到文件 {p}")
        rels.add(rel)
    return Scope.of(rels)


def run_validate(settings: ValidateSettings) -> tuple[Loaded, Report]:
    loaded = load(
        settings.root,
        max_bytes=settings.max_bytes,
        scope=scope_for(settings.root, settings.paths),
        received=False,  # dates that status needs, not validation
    )
    report = loaded.report.promote_warnings() if settings.strict else loaded.report
    return loaded, report
