"""`tracker build` as a library call: settings in, a finished site (or an untouched old one) out.

Steps: load and check the repository → compute the status at D and at every period end before
it (tracker.site.timeline over tracker.status) → read provenance
(tracker.provenance) → generate pages (tracker.site.pages) → render them with the generator
backend (tracker.site.mkdocs_backend) into a temporary folder next to the output → copy the
evidence files the pages link to → swap the new site in. A build that fails or is interrupted
removes its temporary folder and leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.diagnostics import Report
from tracker.errors import DataErrors, PlanUnusable, TrackerError
from tracker.model import Repository
from tracker.yamlio import DEFAULT_MAX_BYTES

MARKER = ".tracker-site"  # written into every built site; only such a folder is ever replaced


@dataclass
class BuildSettings:
    root: Path = Path(".")
    out: Path | None = None  # default: <root>/site
    as_of: date | None = None  # default: today
    provenance: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: Callable[[str], None] | None = None  # progress lines (the CLI prints to stderr)
    archive: bool = True  # a snapshot of every past period end under archive/<period>/


@dataclass
class BuildResult:
    out: Path
    as_of: date
    pages: int
    files: int
    bytes: int
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class SiteDataErrors(DataErrors):
    """The repository has errors: the site is not built from invalid data (exit 1)."""

    def __init__(self, report: Report) -> None:
        errors = len(report.errors)
        super().__init__(
            f"数据有 {errors} 个错误,未生成网站(原有网站未改动)。",
            hint="先用 tracker validate 找到并改正错误,再构建。",
        )
        self.report = report


def default_out(root: Path) -> Path:
    return root / "site"


def history_dates(repo: Repository, as_of: date) -> list[date]:
    """The dates the site reads the status at: every period end of the plan up to D, and D."""
    from tracker.site.timeline import history_dates as dates

    return [d for d, _ in dates(repo, as_of)]


def _check_out(out: Path, root: Path) -> None:
    out_abs, root_abs = out.resolve(), root.resolve()
    if out_abs == root_abs or out_abs in root_abs.parents:
        raise TrackerError(f"输出目录 {out} 包含仓库本身,不能用作网站目录",
                           hint="用 --out 指定一个专用目录,例如 site/。")
    if out.exists() and not out.is_dir():
        raise TrackerError(f"输出路径 {out} 是一个文件", hint="用 --out 指定一个目录。")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise TrackerError(
            f"输出目录 {out} 不是空目录,也不是 tracker 生成的网站;为避免误删,不会覆盖它",
            hint="换一个输出目录,或先手动清空它。",
        )


def _swap(new: Path, out: Path) -> None:
    """Put `new` in place of `out`: the old site stays whole until the new one is complete."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "site")
        try:
            os.replace(new, out)
        except BaseException:
            os.replace(old / "site", out)  # put the old site back
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, out)


def _tree_size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


def execute(settings: BuildSettings) -> BuildResult:
    from tracker import provenance as prov_mod
    from tracker.repository import load
    from tracker.site import downloads as downloads_mod
    from tracker.site import mkdocs_backend, pages
    from tracker.site import timeline as timeline_mod

    say = settings.progress or (lambda _msg: None)
    root = Path(settings.root)
    out = Path(settings.out) if settings.out else default_out(root)
    as_of = settings.as_of or date.today()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    say(f"读取仓库 {root} …")
    loaded = load(root, max_bytes=settings.max_bytes)
    if loaded.repo is None:
        raise PlanUnusable("计划文件有错误,无法生成网站。", hint="运行 tracker validate 查看错误。")
    if loaded.report.errors:
        raise SiteDataErrors(loaded.report)
    repo = loaded.repo
    _check_out(out, root)
    lap("load")

    say(f"计算状态(截至 {as_of.isoformat()},及此前每个期末)…")
    timeline = timeline_mod.compute(repo, as_of)
    status, payload = timeline.last.status, timeline.last.payload
    lap("status")

    say("读取来源(git 历史)…" if settings.provenance else "来源追溯已关闭(--no-provenance)")
    provenance = prov_mod.read(root, enabled=settings.provenance)
    warnings = list(provenance.warnings)
    lap("provenance")

    say("生成页面…")
    shipped = downloads_mod.status_files(repo, status, payload)
    content = pages.generate(
        repo, payload, provenance, timeline=timeline,
        downloads=[(f.path, label) for f, label in shipped], archive=settings.archive,
    )
    content.files.extend(f for f, _ in shipped)
    lap("pages")

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix="tracker-site-src-"))
    try:
        say(f"MkDocs 构建 {len(content.pages)} 个页面(严格模式)…")
        site_dir = staging / "site"
        mkdocs_backend.render(content, work, site_dir, as_of.isoformat())
        lap("mkdocs")
        say(f"复制佐证材料 {len(content.copies)} 个…" if content.copies else "没有需要复制的佐证材料")
        for item in content.copies:
            assert item.source is not None
            dest = site_dir / item.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, dest)
        # MkDocs skips dot-files in its sources, so the marker is written here.
        (site_dir / MARKER).write_bytes(b"tracker site\n")
        lap("copy")
        _swap(site_dir, out)
        lap("swap")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    files, size = _tree_size(out)
    say(f"完成:{out}({files} 个文件,{size / 1e6:.1f} MB)")
    return BuildResult(
        out=out, as_of=as_of, pages=len(content.pages), files=files, bytes=size,
        seconds=seconds, warnings=warnings, report=loaded.report,
    )
