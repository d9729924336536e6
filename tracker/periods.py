"""Reporting periods: `2024-Q2` (quarterly), `2024-06` (monthly), `2024` (annual)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

CADENCES = ("quarterly", "monthly", "annual")

_FORMS = {
    "quarterly": re.compile(r"(\d{4})-Q([1-4])\Z"),
    "monthly": re.compile(r"(\d{4})-(0[1-9]|1[0-2])\Z"),
    "annual": re.compile(r"(\d{4})\Z"),
}
EXAMPLE = {"quarterly": "2024-Q2", "monthly": "2024-06", "annual": "2024"}
LABEL_ZH = {"quarterly": "季度", "monthly": "月度", "annual": "年度"}


def not_a_period_zh(text: str, cadence: str) -> str:
    """Why `text` is no period of `cadence`, in Chinese (see Period.parse)."""
    if str(text).startswith("0000"):
        return f"期次 {text} 不是有效的期次：公历没有 0000 年(年份从 0001 开始)"
    return f"期次 {text} 不是{LABEL_ZH[cadence]}期次"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    number: int  # quarter 1-4, month 1-12, or 1 for a year
    cadence: str

    @classmethod
    def parse(cls, text: str, cadence: str | None = None) -> Period | None:
        """Parse a period; with `cadence`, only that cadence's form is accepted. Year 0000 is
        no period (the calendar starts at year 1): None, as for any text of the wrong form."""
        for name, form in _FORMS.items():
            if cadence and name != cadence:
                continue
            m = form.match(str(text))
            if m and MINYEAR <= int(m.group(1)) <= MAXYEAR:
                number = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
                return cls(int(m.group(1)), number, name)
        return None

    @property
    def start(self) -> date:
        if self.cadence == "quarterly":
            return date(self.year, 3 * self.number - 2, 1)
        if self.cadence == "monthly":
            return date(self.year, self.number, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        # The last day of the last month, not the day before the next period: 9999-Q4 has no
        # next period in the calendar.
        month = {"quarterly": 3 * self.number, "monthly": self.number, "annual": 12}[self.cadence]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def next(self) -> Period:
        size = {"quarterly": 4, "monthly": 12, "annual": 1}[self.cadence]
        if self.number < size:
            return Period(self.year, self.number + 1, self.cadence)
        return Period(self.year + 1, 1, self.cadence)

    def previous(self) -> Period:
        size = {"quarterly": 4, "monthly": 12, "annual": 1}[self.cadence]
        if self.number > 1:
            return Period(self.year, self.number - 1, self.cadence)
        return Period(self.year - 1, size, self.cadence)

    def due(self, due_days: int) -> date:
        """The day a filing for this period is due; past the calendar's end (a period of 9999)
        the calendar's last day, 9999-12-31."""
        try:
            return self.end + timedelta(days=due_days)
        except OverflowError:
            return date.max

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        if self.cadence == "quarterly":
            return f"{self.year:04d}-Q{self.number}"
        if self.cadence == "monthly":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}"


def periods_between(start: date, end: date, cadence: str) -> Iterator[Period]:
    """Every period of `cadence` that ends between `start` and `end` (inclusive)."""
    number = {"quarterly": (start.month - 1) // 3 + 1, "monthly": start.month, "annual": 1}[cadence]
    period = Period(start.year, number, cadence)
    while period.end <= end:
        if period.end >= start:
            yield period
        if period.end == date.max:  # 9999-12-31: the calendar has no next period
            return
        period = period.next()


def periods_overlapping(start: date, end: date, cadence: str) -> Iterator[Period]:
    """Every period of `cadence` with a day between `start` and `end`: the periods a filing may
    be for (a last period may run past the plan's end; docs/decisions.md)."""
    yield from periods_between(start, end, cadence)
    number = {"quarterly": (end.month - 1) // 3 + 1, "monthly": end.month, "annual": 1}[cadence]
    last = Period(end.year, number, cadence)
    if last.end > end:
        yield last


def today_in(timezone: str) -> date:
    """The date it is now where the plan is (its `plan.timezone`)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(timezone)).date()
