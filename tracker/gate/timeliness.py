"""Timeliness: a new filing's `reported_on` must be a date it could have been filed on.

On time / late is judged by `reported_on` (or, with `reporting.timeliness: received`, by the
day the filing reached main: tracker.provenance.received_dates). The filing writes its own
`reported_on`, so the gate refuses, for every filing the pull request adds:

* a `reported_on` after the day the check runs, in the plan's time zone (`plan.timezone`,
  default Asia/Shanghai), or a period that begins after that day → `timeliness-future`;
* a `reported_on` before the day of the filing's first commit in the pull request (its
  author date, which a rebase keeps, in the plan's time zone) → `timeliness-backdated`: a
  filing committed months after its due date cannot say it was filed on time.

Commit dates are written by the committer's own machine: this makes a backdated filing
visible and its honest form the easy one, it does not prove when a filing was made. The date a
protected main branch received it does (`reporting.timeliness: received`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Change, Commit
from tracker.gate.paths import Where, kind_of
from tracker.model import Filing


def timeliness(changes: list[Change], where: Where, commits: list[Commit],
               filings: list[Filing], timezone: str, today: date) -> list[Diagnostic]:
    """timeliness-future / timeliness-backdated for each filing the pull request adds."""
    by_path = {f.path: f for f in filings}
    zone = ZoneInfo(timezone)
    out = []
    for ch in changes:
        rel = where.rel(ch.path)
        if ch.status not in ("A", "R") or kind_of(rel) != "filing":
            continue
        filing = by_path.get(rel or "")
        if filing is None:
            continue  # not valid: validation says why
        shown = where.shown(ch.path)
        pos = filing.source.pos(("reported_on",)) if filing.source is not None else None
        reported = filing.reported_on
        if reported > today:
            out.append(diag(shown, pos, "timeliness-future",
                            f"报送日期 reported_on {reported} 晚于今天 {today}({timezone})"))
            continue
        period = filing.parsed_period
        if period is not None and period.start > today:
            # Filed "on time" for a period that has not begun (validate only warns that
            # reported_on is before as_of, which a filing made just before its period ends is).
            out.append(diag(
                shown, filing.source.pos(("period",)) if filing.source is not None else None,
                "timeliness-future",
                f"期次 {period} 从 {period.start} 开始，晚于今天 {today}({timezone})：还不能报送这一期",
                hint="只报送已经开始的期次；期次开始后再提交这份报送。"))
            continue
        made = [c for c in commits if ch.path in c.files]
        if not made:
            continue
        first = min(made, key=lambda c: c.authored)
        committed = datetime.fromtimestamp(first.authored, zone).date()
        if reported < committed:
            out.append(diag(
                shown, pos, "timeliness-backdated",
                f"报送日期 reported_on {reported} 早于这份报送第一次提交的日期 {committed}"
                f"(提交 {first.short}，{timezone})",
            ))
    return out
