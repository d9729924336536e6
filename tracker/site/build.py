"""`tracker build` as a library call: settings in, a finished site (or an untouched old one) out.

Steps: load and check the repository → compute the status at D and at every period end before
it (tracker.site.timeline over tracker.status) → read provenance
(tracker.provenance) → generate pages (tracker.site.pages) → render them with a generator
backend (`ENGINES`: MkDocs by default, or Zensical) into a temporary folder next to the
output → copy the evidence files the pages link to → swap the new site in. A build that fails or is interrupted
removes its temporary folder and leaves the previous site as it was.

One build at a time per output folder (a lock, `BuildLock`); the next build removes what a
killed one left (`recover`), and puts a complete site back if one was killed in the middle of
its swap. On Linux the swap is one atomic exchange of the two folders, so `site/` never goes
missing; elsewhere it is two renames, and `recover` covers the moment between them.
See docs/site.md ("Interrupted and overlapping builds").
"""

from __future__ import annotations

import ctypes
import errno
import gc
import hashlib
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from tracker.diagnostics import Report
from tracker.errors import DataErrors, PlanUnusable, TrackerError
from tracker.model import Repository
from tracker.site.progress import Ticker
from tracker.yamlio import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from tracker.status import Status

MARKER = ".tracker-site"  # written into every built site; only such a folder is ever replaced

# The generator backends, by the name `--engine` takes. Each is one module with NAME (shown in
# progress lines), check() (raises a TrackerError, exit 2, saying how to install the generator
# when it is missing) and render(content, work, site_dir, as_of, say); it gets a SiteContent
# and nothing else (`say`, a keyword: a progress line now and then, tracker.site.progress, for
# a backend that can tell how far it is; one that cannot ignores it).
# A third generator is one more module and one more line here (docs/site.md, "Generators").
ENGINES = {
    "mkdocs": "tracker.site.mkdocs_backend",
    "zensical": "tracker.site.zensical_backend",
}
DEFAULT_ENGINE = "mkdocs"


def engine(name: str) -> ModuleType:
    """The backend module of generator `name`, checked to be usable."""
    if name not in ENGINES:
        raise TrackerError(f"未知的网站生成器 {name!r} / unknown engine",
                           hint=f"可选:{', '.join(ENGINES)}。")
    backend = importlib.import_module(ENGINES[name])
    backend.check()
    return backend


@dataclass
class BuildSettings:
    root: Path = Path(".")
    out: Path | None = None  # default: <root>/site
    as_of: date | None = None  # default: today
    provenance: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: Callable[[str], None] | None = None  # progress lines (the CLI prints to stderr)
    archive: bool = True  # a snapshot of every past period end under archive/<period>/
    engine: str = DEFAULT_ENGINE  # the generator backend (ENGINES)


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
    engine: str = DEFAULT_ENGINE

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


class BuildRunning(TrackerError):
    """Another build is writing the same output folder (exit 2)."""


def _lock_file(out: Path) -> Path:
    """Where the lock of the output folder `out` lives: in the temporary folder, named after
    the output's absolute path. Not next to the output: in a repository's root a lock file would
    show up in `git status`, and the site's footer would call every build "uncommitted"."""
    key = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"tracker-build-{key}.lock"


class BuildLock:
    """An exclusive lock on the output folder, held for the whole build (fcntl.flock; on
    Windows msvcrt.locking). The system releases it when the process ends, however it ends,
    so a killed build never leaves a stale lock. A second build of the same output refuses at
    once (BuildRunning) rather than waiting behind a build that may take minutes.

    The lock file is removed when the build ends (else one would pile up in the temporary
    folder for every output ever built); a build that opened it just before is told by its
    inode that it locked a removed file, and opens the path again."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = _lock_file(out)
        self._fd = -1

    def __enter__(self) -> BuildLock:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except PermissionError:  # another user's lock file: locking it read-only works
                fd = os.open(self.path, os.O_RDONLY)
            try:
                _lock(fd)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
                    raise
                holder = _holder(self.path)
                raise BuildRunning(
                    f"另一个 tracker build 正在生成 {self.out}{holder};不同时运行两个构建 / "
                    f"another tracker build is writing {self.out}{holder}",
                    hint="等它完成后再运行(锁在那个进程结束时自动释放,不需要删除任何文件)。"
                         "Wait for it to finish; its lock goes when that process ends.",
                ) from None
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the build before removed it meanwhile: lock the path anew
        self._fd = fd
        try:  # who holds it, for the message above (best effort: the lock is what counts)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd >= 0:
            if sys.platform != "win32":  # (Windows cannot remove a file that is open)
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            os.close(self._fd)  # releases the lock
            self._fd = -1


def _same_file(fd: int, path: Path) -> bool:
    try:
        by_name = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (by_name.st_dev, by_name.st_ino)


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _holder(path: Path) -> str:
    try:
        pid = int(path.read_text("ascii").strip())
    except (OSError, ValueError):
        return ""
    return f"(进程 pid {pid})"


def _temporary(out: Path) -> list[Path]:
    """The temporary folders builds of `out` make beside it: `.site.new-*` (a build under way)
    and `.site.old-*` (the previous site, between the two renames of a swap)."""
    prefixes = (f".{out.name}.new-", f".{out.name}.old-")
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return []
    return [p for p in entries
            if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink()]


def recover(out: Path, say: Callable[[str], None] = lambda _msg: None) -> None:
    """Clean up after builds of `out` that were killed (call it holding the lock: then no
    other build of `out` is running, and every temporary folder beside it is a dead build's).
    If `out` itself is missing — a build killed between the two renames of a swap — the
    newest complete site left (it has its MARKER, written last) is put back first."""
    left = _temporary(out)
    if not left:
        return
    if not out.exists():
        complete = [p / "site" for p in left if (p / "site" / MARKER).is_file()]
        newest_first = sorted(complete, key=lambda s: (s.parent.name.startswith(f".{out.name}.new-"),
                                                       s.stat().st_mtime), reverse=True)
        if newest_first:
            os.replace(newest_first[0], out)
            say(f"恢复了被中断的构建留下的网站 {out} / restored the site an interrupted build left")
    for folder in left:
        shutil.rmtree(folder, ignore_errors=True)
    say(f"清理了被中断的构建留下的 {len(left)} 个临时文件夹 / removed {len(left)} temporary "
        "folder(s) of interrupted builds")


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders at `a` and `b` in one atomic step (Linux renameat2 RENAME_EXCHANGE);
    False where that is not available (another system, an old kernel or C library, a file
    system without it), and nothing was changed."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # glibc < 2.28, or no such symbol
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _swap(new: Path, out: Path) -> None:
    """Put `new` in place of `out`: the old site stays whole until the new one is complete.

    Linux: one atomic exchange, after which `new` holds the old site (its caller removes it).
    Elsewhere: `out` is renamed aside, then `new` into place; a build killed between the two
    leaves no `out` until the next build's `recover` puts the newest complete site back."""
    if not out.exists():
        os.replace(new, out)
        return
    if _exchange(new, out):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, old / "site")
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old / "site", out)  # put the old site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _tree_size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


def execute(settings: BuildSettings) -> BuildResult:
    say = settings.progress or (lambda _msg: None)
    root = Path(settings.root)
    out = Path(settings.out) if settings.out else default_out(root)
    from tracker.repository import default_as_of

    engine(settings.engine)  # a missing generator stops the build before any work
    as_of = settings.as_of or default_as_of(root, settings.max_bytes)
    out.parent.mkdir(parents=True, exist_ok=True)
    with BuildLock(out):
        recover(out, say)
        try:
            return _execute(settings, root, out, as_of, say)
        finally:
            # An interrupt that lands between the staging folder's creation and the `try` that
            # removes it (a loaded machine may pause the build right there) would leave it;
            # nothing but this build can have made one while it holds the lock.
            recover(out)


def _execute(settings: BuildSettings, root: Path, out: Path, as_of: date,
             say: Callable[[str], None]) -> BuildResult:
    from tracker.repository import load
    from tracker.site import downloads as downloads_mod

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
    repo, report = loaded.repo, loaded.report
    del loaded  # (the repository's one reference is handed on below: see _build)
    # Checked: the registers' parsed files (a quarter of the loaded repository's memory) are
    # not read by any page; their items are in the model.
    for register in repo.registers:
        register.source = None
    # Likewise the filings' texts (a tenth of it): the one page that shows them reads each
    # file when it needs it (pages.Generator.texts_page).
    for filing in repo.filings:
        if filing.source is not None:
            filing.source.text = ""
    _check_out(out, root)
    lap("load")
    # Each period's 督办通报 and the workbook are made along the timeline (_build); the links
    # are known now, the files are written into the finished site.
    reports = downloads_mod.report_links(repo, as_of)
    box = [repo]
    del repo
    return _build(settings, root, out, as_of, box, report, reports, say, lap, seconds)


def _build(settings: BuildSettings, root: Path, out: Path, as_of: date, box: list[Repository],
           report: Report, reports: list[tuple[str, str, str]],
           say: Callable[[str], None], lap: Callable[[str], None],
           seconds: dict[str, float]) -> BuildResult:
    from tracker import provenance as prov_mod
    from tracker.site import downloads as downloads_mod
    from tracker.site import filing_page, pages
    from tracker.site import timeline as timeline_mod

    repo = box.pop()  # this frame holds the repository's last reference: released below
    made = f"各期督办通报 {len(reports)} 份、Excel 台账"
    # The 通报 are made from the statuses the timeline computes anyway, each as soon as its
    # period end's is at hand, and the workbook from the last: no status is computed twice.
    # In one process at every scale: a second one making them beside the pages saved 7 % of a
    # build at half the country's scale for 0.6 GB more memory, and at national scale the two
    # would not fit in 2 GB (docs/site.md, "Memory and growth at national scale").
    here: downloads_mod.SideFiles | None = downloads_mod.SideFiles(
        repo, [period for period, _, _ in reports], as_of.isoformat())
    say(f"计算状态(截至 {as_of.isoformat()},及此前每个期末),生成{made}…")
    days = timeline_mod.history_dates(repo, as_of)
    computed = Ticker(say, "已计算 {done}/{total} 个日期的状态", max(1, len(days)))

    def observe(day: date, status: Status) -> None:
        assert here is not None
        here.observe(day, status)
        computed.step()

    timeline = timeline_mod.compute(repo, as_of, dates=days, observe=observe)
    status, payload = timeline.last.status, timeline.last.payload
    assert status is not None  # (the last moment keeps its Status)
    lap("status")
    assert here is not None
    side = here.result(status)
    here = None  # (the closure above holds it too)
    lap("reports")

    say("读取来源(git 历史)…" if settings.provenance else "来源追溯已关闭(--no-provenance)")
    provenance = prov_mod.read(root, enabled=settings.provenance, max_bytes=settings.max_bytes)
    warnings = list(provenance.warnings)
    lap("provenance")

    say("生成页面…")
    shipped = downloads_mod.status_files(repo, payload)
    downloads = [(f.path, label) for f, label in shipped]
    xlsx_path = downloads_mod.workbook_path(as_of.isoformat())
    if xlsx_path is not None:  # made above, with the 通报
        downloads.append((xlsx_path, downloads_mod.XLSX_LABEL))
    made_pages = Ticker(say, "已生成 {done} 个页面")
    content = pages.generate(
        repo, payload, provenance, timeline=timeline,
        downloads=downloads,
        reports=[(path, label) for _, path, label in reports], archive=settings.archive,
        progress=made_pages,
    )
    content.files.extend(f for f, _ in shipped)
    filing_page.add(content, repo, payload, provenance)
    made_pages(len(content.pages))
    lap("pages")

    # The pages are made. The generator needs nothing they were made from, so the repository,
    # the timeline and the provenance are let go before it runs (at national scale they are
    # most of the memory, and the generator holds a whole site of its own: issue 14).
    report_files: list[tuple[str, bytes]] = side["reports"]
    if xlsx_path is not None and side["xlsx"] is not None:
        content.files.append(pages.ShippedFile(xlsx_path, side["xlsx"]))
    del timeline, status, payload, provenance, shipped, repo, side
    gc.collect()

    # One temporary folder beside the output holds the sources (src/) and the new site (site/):
    # removed on the way out however the build ends (SIGTERM and Ctrl-C included: tracker.cli),
    # and by the next build if this process is killed outright.
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        backend = engine(settings.engine)
        say(f"{backend.NAME} 构建 {len(content.pages)} 个页面(严格模式)…")
        site_dir = staging / "site"
        work = staging / "src"
        work.mkdir()
        backend.render(content, work, site_dir, as_of.isoformat(), say=say)
        lap("render")
        say(f"复制佐证材料 {len(content.copies)} 个…" if content.copies else "没有需要复制的佐证材料")
        for item in content.copies:
            assert item.source is not None
            dest = site_dir / item.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, dest)
        for path, data in report_files:
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_bytes(data)
        # The generators skip dot-files in their sources, so the marker is written here.
        (site_dir / MARKER).write_bytes(b"tracker site\n")
        lap("copy")
        _swap(site_dir, out)
        lap("swap")
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # (after an exchange: the old site)
    files, size = _tree_size(out)
    say(f"完成:{out}({files} 个文件,{size / 1e6:.1f} MB)")
    return BuildResult(
        out=out, as_of=as_of, pages=len(content.pages), files=files, bytes=size,
        seconds=seconds, warnings=warnings, report=report, engine=settings.engine,
    )
