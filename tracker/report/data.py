"""What a 督办通报 for one period is made of: the status engine's results at three dates.

Pure. A 通报 covers a period's figures and is issued after its filings were due, so it reads
the engine at (docs/report.md):

* the period's end — targets, tasks and the index (`tracker status --as-of <end>`): the
  figures the period's filings describe, against the 序时进度 of that day;
* the issue date — filings (`tracker status --as-of <issue>`'s filing rows, computed alone:
  status.filing_calendar): by default the day after the due date, the first day a filing not
  made is 未报送;
* the previous period's end — what changed (tracker.delta.diff) and the previous ranking.

Nothing is computed twice: every figure in the 通报 is a field of one of these results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.delta import Delta, diff
from tracker.errors import TrackerError
from tracker.model import Filing, Plan, Repository, Review
from tracker.periods import EXAMPLE, Period
from tracker.status import FilingStatus, Status, compute, filing_calendar


@dataclass(frozen=True)
class Dates:
    period: Period
    end: date  # the period's last day: the figures
    due: date  # the period's filings are due
    issue: date  # the filings' status (the 通报's date)
    previous: date  # the previous period's last day
    has_previous: bool  # whether the previous period is one of the plan's

    @property
    def draft(self) -> bool:
        """Issued on or before the due date: filings not yet made are 待报送, not missing."""
        return self.issue <= self.due


@dataclass(frozen=True)
class Bulletin:
    dates: Dates
    figures: Status  # at dates.end
    filings: tuple[FilingStatus, ...]  # at dates.issue (the filing rows of the Status there)
    previous: Status  # at dates.previous
    delta: Delta  # diff(previous, figures)


def parse_period(plan: Plan, text: str) -> Period:
    cadence = plan.reporting.cadence
    period = Period.parse(text, cadence)
    if period is None:
        raise TrackerError(f"期次 {text!r} 的写法不对", hint=f"本计划按 {cadence} 报送，例如 "
                                                        f"{EXAMPLE[cadence]}。")
    if not (plan.info.start <= period.end <= plan.info.end):
        raise TrackerError(
            f"期次 {period} 不在计划期内({plan.info.start} 至 {plan.info.end})",
            hint="选择计划期内的期次。")
    return period


def dates_of(plan: Plan, period: Period, issue: date | None = None,
             today: date | None = None) -> Dates:
    """The dates of a 通报. `issue` defaults to the day after the due date — or `today` when
    that is earlier (a draft before the due date has passed)."""
    due = period.due(plan.reporting.due_days)
    if issue is None:
        issue = due + timedelta(days=1)
        if today is not None and today < issue:
            issue = today
    if issue < period.end:
        raise TrackerError(
            f"期次 {period} 到 {period.end} 才结束,不能出 {issue} 的通报",
            hint="通报在期末之后出具:--as-of 用期末或之后的日期(默认为报送截止日的次日)。")
    prev = period.previous()
    return Dates(period, period.end, due, issue, prev.end, prev.end >= plan.info.start)


def bulletin(plan: Plan, filings: Iterable[Filing], dates: Dates,
             reviews: Iterable[Review] = (), cache: dict[date, Status] | None = None
             ) -> Bulletin:
    """The statuses of a 通报. `cache` (date → Status of these same plan, filings and reviews)
    lets a run over many periods compute each date once."""
    filings, reviews = list(filings), list(reviews)
    cache = {} if cache is None else cache

    def at(day: date) -> Status:
        if day not in cache:
            cache[day] = compute(plan, filings, day, reviews=reviews)
        return cache[day]

    figures, previous = at(dates.end), at(dates.previous)
    issued = (cache[dates.issue].filings if dates.issue in cache
              else filing_calendar(plan, filings, dates.issue))
    return Bulletin(dates, figures, issued, previous, diff(previous, figures))


def bulletin_of(repo: Repository, dates: Dates) -> Bulletin:
    return bulletin(repo.plan, repo.filings, dates, repo.reviews)
