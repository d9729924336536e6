"""`tracker validate` as a library call: settings in, report out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.diagnostics import Report, diag
from tracker.errors import TrackerError
from tracker.layout import intended_place, is_nested_repository, misplaced_diagnostics
from tracker.repository import (
    CONFIG_FILE,
    Loaded,
    Scope,
    display_path,
    load,
    load_plan,
    tracker_command,
)
from tracker.yamlio import DEFAULT_MAX_BYTES


@dataclass
class ValidateSettings:
    root: Path = Path(".")
    paths: list[Path] = field(default_factory=list)
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


def named_files(root: Path, paths: list[Path]) -> list[str]:
    """The repository-relative paths of the named files (a TrackerError for one that is
    outside the repository or missing)."""
    rels = []
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
        rels.append(rel)
    return rels


def scope_for(root: Path, paths: list[Path]) -> Scope | None:
    """The scope that named files select; None means the whole repository."""
    if not paths:
        return None
    return Scope.of(set(named_files(root, paths)))


def run_validate(settings: ValidateSettings) -> tuple[Loaded, Report]:
    rels = named_files(settings.root, settings.paths)
    part = load_plan(settings.root, max_bytes=settings.max_bytes)
    units = list(part.plan.units) if part.plan is not None else []
    loaded = load(
        settings.root,
        max_bytes=settings.max_bytes,
        scope=Scope.of(set(rels)) if rels else None,
        plan=part,
        received=False,  # dates that status needs, not validation
    )
    if rels:
        report_unchecked(settings.root, rels, loaded.report, units)
    else:
        report_misplaced(settings.root, part.plan_dir, loaded.report, units)
    report = loaded.report.promote_warnings() if settings.strict else loaded.report
    return loaded, report


def report_misplaced(root: Path, plan_dir: Path, report: Report, units: list[str]) -> None:
    """file-misplaced: YAML files in places tracker never reads (a filing in submission/ is
    never counted), each with the place it was likely meant for."""
    skip = []
    try:  # a plan folder that tracker.yaml moves elsewhere inside the repository is read
        skip.append(plan_dir.resolve().relative_to(root.resolve()).parts[0])
    except (ValueError, IndexError):
        pass
    for shown, message, hint in misplaced_diagnostics(root, display_path(root), units, skip):
        report.diagnostics.append(diag(shown, None, "file-misplaced", message, hint=hint))


def report_unchecked(root: Path, rels: list[str], report: Report, units: list[str]) -> None:
    """file-not-checked: a named file this run did not check is an error, never a silent
    pass (`tracker validate examples/demo/submissions/...` from the outer repository would
    otherwise say 通过 OK about a file it never read)."""
    checked = set(report.files)
    for rel in dict.fromkeys(rels):
        shown = display_path(root / rel)
        if rel == "." or shown in checked:
            continue
        if (root / rel).is_dir() and any(f.startswith(shown.rstrip("/") + "/") for f in checked):
            continue  # a folder: some of the files under it were checked
        nested = _nested_repository(root, rel)
        if nested is not None:
            inner = display_path(nested)
            here = display_path(root)
            message = (f"{shown} 没有被检查：它属于另一个仓库 {inner}(含 {CONFIG_FILE} 或 plan/)，"
                       f"本次检查的是仓库 {'当前目录' if here == '.' else here}")
            hint = f"检查它请运行 {tracker_command('validate', root=nested, args=[shown])}"
        else:
            message = (f"{shown} 没有被检查：tracker 只读取 {CONFIG_FILE}、计划文件、"
                       "submissions/<单位>/<期次>.yaml、submissions/<单位>/registers/<指标>.yaml "
                       "和 reviews/<任务>.yaml")
            place = intended_place(rel, units) if rel.lower().endswith((".yaml", ".yml")) else None
            hint = (f"是不是要放在 {place}？移动到那里才会被检查和统计。" if place else
                    "报送文件放在 submissions/<单位>/<期次>.yaml；"
                    "佐证材料(evidence/ 下)不需要单独检查，引用它的报送会检查它。")
        report.diagnostics.append(diag(shown, None, "file-not-checked", message, hint=hint))


def _nested_repository(root: Path, rel: str) -> Path | None:
    """The innermost repository (a folder with tracker.yaml or plan/units.yaml) strictly inside
    `root` that holds `rel`, if any."""
    parts = rel.split("/")
    for n in range(len(parts), 0, -1):
        folder = root.joinpath(*parts[:n])
        if is_nested_repository(folder):
            return folder
    return None
