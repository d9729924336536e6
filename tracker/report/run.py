"""`tracker report` as a library call: settings in, the 通报 written (atomically) or returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from tracker.errors import TrackerError
from tracker.model import Repository
from tracker.report.compose import Document, compose
from tracker.report.data import bulletin_of, dates_of, parse_period
from tracker.yamlio import DEFAULT_MAX_BYTES

FORMATS = ("docx", "markdown", "html")
SUFFIX = {"docx": ".docx", "markdown": ".md", "html": ".html"}


@dataclass
class ReportSettings:
    period: str
    root: Path = Path(".")
    fmt: str = "docx"
    out: Path | None = None  # default: 督办通报-<period>.<ext> in the current folder; "-": stdout
    as_of: date | None = None  # the issue date (default: the day after the due date)
    today: date = field(default_factory=date.today)
    max_bytes: int = DEFAULT_MAX_BYTES


def document(repo: Repository, period: str, as_of: date | None = None,
             today: date | None = None) -> Document:
    """The 通报 of `period` for a loaded repository."""
    plan = repo.plan
    dates = dates_of(plan, parse_period(plan, period), as_of, today)
    return compose(bulletin_of(repo, dates), plan, site_url=repo.config.site_url,
                   demo=repo.config.demo)


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "docx":
        from tracker.report.docx import render_docx

        return render_docx(doc)
    if fmt == "markdown":
        from tracker.report.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from tracker.report.html import render_html

        return render_html(doc).encode("utf-8")
    raise TrackerError(f"未知的格式 {fmt!r}", hint=f"可用: {', '.join(FORMATS)}")


def default_name(period: str, fmt: str) -> Path:
    return Path(f"督办通报-{period}{SUFFIX[fmt]}")


def execute(settings: ReportSettings, stdout: IO[bytes], err: IO[str] | None = None
            ) -> Path | None:
    """Write the 通报; returns the path written (None when it went to stdout)."""
    from tracker.atomic import atomic_write
    from tracker.status_view import open_repository

    s = settings
    if s.fmt not in FORMATS:
        raise TrackerError(f"未知的格式 {s.fmt!r}", hint=f"可用: {', '.join(FORMATS)}")
    repo = open_repository(s.root, s.max_bytes, "zh", err)
    doc = document(repo, s.period, s.as_of, s.today)
    data = render(doc, s.fmt)
    if s.out is not None and str(s.out) == "-":
        stdout.write(data)
        stdout.flush()
        return None
    path = s.out if s.out is not None else default_name(str(parse_period(repo.plan, s.period)),
                                                        s.fmt)
    if path.is_dir():
        raise TrackerError(f"{path} 是一个文件夹", hint="--out 写文件名,例如 通报.docx。")
    atomic_write(path, data, exclusive=False)
    return path
