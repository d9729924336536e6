"""The status as downloadable files: JSON, CSV and XLSX, byte-for-byte reproducible.

JSON and CSV are exactly what `tracker status --format json|csv` prints (the CSV with a UTF-8
BOM added, so Excel and WPS open the Chinese correctly); the workbook is the 督办台账 of
`tracker export` (tracker.xlsx_export). openpyxl stamps the time of saving into the workbook
(docProps/core.xml and each zip entry), so the file is rewritten with the status date instead:
two builds of the same data give the same bytes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.model import Repository
from tracker.site.pages import ShippedFile

if TYPE_CHECKING:
    from tracker.status import Status

FOLDER = "downloads"


XLSX_LABEL = "督办台账(Excel 工作簿)"


def workbook_path(as_of: str) -> str | None:
    """Where the status workbook goes, or None when the workbook exporter is not installed."""
    try:
        import tracker.xlsx_export  # noqa: F401
    except ModuleNotFoundError:
        return None
    return f"{FOLDER}/status-{as_of}.xlsx"


class SideFiles:
    """The files the site build makes besides its pages: each period's 督办通报 (as
    report_data makes them) and the status workbook at `as_of`, from the statuses the build's
    timeline computes anyway. Give it each status in date order (`observe`, the timeline's
    hook); a period's 通报 is made as soon as its period end's status arrives, with the one
    before it (the previous period's end) still at hand. `result(last)` makes what is left —
    the workbook from the last status, and any period the timeline did not pass — and returns
    {"reports": [(path, bytes) per period], "xlsx": bytes or None}: the same bytes as
    report_data and workbook_bytes over freshly computed statuses, without computing the
    period ends' statuses again (issue 14: a fifth of a national build)."""

    def __init__(self, repo: Repository, periods: list[str], as_of: str) -> None:
        from tracker.report.data import parse_period

        self.repo, self.as_of = repo, as_of
        ends = {p: parse_period(repo.plan, p).end for p in periods}
        self._order = sorted(periods, key=ends.__getitem__)  # (report_data's order)
        self._wanted = {end: p for p, end in ends.items()}
        self._made: dict[str, tuple[str, bytes]] = {}
        self._before: tuple[date, Status] | None = None

    def observe(self, day: date, status: Status) -> None:
        period = self._wanted.get(day)
        if period is not None:
            cache = {day: status}
            if self._before is not None:
                cache[self._before[0]] = self._before[1]
            self._made[period] = report_file(self.repo, period, cache)
        self._before = (day, status)

    def result(self, last: Status) -> dict[str, Any]:
        """The files; `last` is the status at `as_of`."""
        self._before = None
        left = [p for p in self._order if p not in self._made]
        self._made.update(zip(left, report_data(self.repo, left), strict=True))
        xlsx = workbook_bytes(self.repo, last, self.as_of) if workbook_path(self.as_of) else None
        return {"reports": [self._made[p] for p in self._order], "xlsx": xlsx}


def status_files(repo: Repository, payload: dict[str, Any]) -> list[tuple[ShippedFile, str]]:
    """(file, label) of the status JSON and CSV; `payload` is the engine's JSON. (The workbook
    is made with the 通报: SideFiles.)"""
    from tracker.status_view import status_csv

    plan = repo.plan
    as_of = payload["as_of"]
    return [
        (ShippedFile(f"{FOLDER}/status-{as_of}.json",
                     (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
         "状态数据(JSON)"),
        (ShippedFile(f"{FOLDER}/status-{as_of}.csv",
                     "\ufeff".encode() + status_csv(payload, plan, "zh").encode("utf-8")),
         "状态数据(CSV,一张长表)"),
    ]


def workbook_bytes(repo: Repository, status: Any, as_of: str) -> bytes | None:
    try:
        from tracker.xlsx_export import build_workbook
    except ModuleNotFoundError:  # the workbook exporter is optional
        return None
    wb = build_workbook(status, repo.plan, repo.config.title, repo.config.demo)
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), f"{as_of}T00:00:00Z")


_STAMP = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)


def normalize_zip(data: bytes, stamp: str) -> bytes:
    """Rewrite an OOXML zip with fixed entry times and fixed created/modified properties."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def report_links(repo: Repository, as_of: date) -> list[tuple[str, str, str]]:
    """(period, site path, label) of the 督办通报 of every period whose filings were due before
    `as_of` (a report reads filings as of the day after the due date: tracker.report.data),
    newest first."""
    from tracker.periods import periods_between
    from tracker.report.compose import period_zh

    plan = repo.plan
    out = [(str(p), f"{FOLDER}/report-{p}.docx", f"{period_zh(p)}督办通报")
           for p in periods_between(plan.info.start, min(as_of, plan.info.end),
                                    plan.reporting.cadence)
           if p.due(plan.reporting.due_days) < as_of]
    return out[::-1]


def report_data(repo: Repository, periods: list[str]) -> list[tuple[str, bytes]]:
    """(site path, .docx bytes) of each period's 督办通报 — what `tracker report --period P`
    writes — in period order. The statuses are shared between periods (a period's end is the
    next one's "previous")."""
    from tracker.report.data import parse_period

    cache: dict[date, Status] = {}
    out = []
    for period in sorted(periods, key=lambda p: parse_period(repo.plan, p)):
        out.append(report_file(repo, period, cache))
        # Only this period's end is read again (as the next one's "previous"): a Status per
        # date kept to the end is most of this process's memory at national scale (issue 14).
        end = parse_period(repo.plan, period).end
        for day in [day for day in cache if day != end]:
            del cache[day]
    return out


def report_file(repo: Repository, period: str, cache: dict[date, Status]) -> tuple[str, bytes]:
    """(site path, .docx bytes) of one period's 督办通报; `cache` (date → Status of this
    repository) holds the statuses already computed, and receives those computed here."""
    from tracker.report.compose import compose
    from tracker.report.data import bulletin, dates_of, parse_period
    from tracker.report.docx import render_docx

    plan = repo.plan
    dates = dates_of(plan, parse_period(plan, period))
    doc = compose(bulletin(plan, repo.filings, dates, repo.reviews, cache=cache), plan,
                  site_url=repo.config.site_url, demo=repo.config.demo)
    return f"{FOLDER}/report-{period}.docx", render_docx(doc)
