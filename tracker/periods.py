"""Reporting periods: `2024-Q2` (quarterly), `2024-06` (monthly), `2024` (annual)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

CADENCES = ("quarterly", "monthly", "annual")

_FORMS = {
    "quarterly": re.compile(r"(\d{4})-Q([1-4])\Z"),
    "monthly": re.compile(r"(\d{4})-(0[1-9]|1[0-2])\Z"),
    "annual": re.compile(r"(\d{4})\Z"),
}
EXAMPLE = {"quarterly": "2024-Q2", "monthly": "2024-06", "annual": "2024"}
LABEL_ZH = {"quarterly": "季度", "monthly": "月度", "annual": "年度"}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    number: int  # quarter 1-4, month 1-12, or 1 for a year
    cadence: str

    @classmethod
    def parse(cls, text: str, cadence: str | None = None) -> Period | None:
        """Parse a period; with `cadence`, only that cadence's form is accepted."""
        for name, form in _FORMS.items():
            if cadence and name != cadence:
                continue
            m = form.match(str(text))
            if m:
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
        return self.next().start - timedelta(days=1)

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
        return self.end + timedelta(days=due_days)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        if self.cadence == "quarterly":
            return f"{self.year}-Q{self.number}"
        if self.cadence == "monthly":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}"


def periods_between(start: date, end: date, cadence: str) -> Iterator[Period]:
    """Every period of `cadence` that ends between `start` and `end` (inclusive)."""
    first = Period.parse(
        {"quarterly": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
         "monthly": f"{start.year}-{start.month:02d}",
         "annual": f"{start.year}"}[cadence],
        cadence,
    )
    assert first is not None
    period = first
    while period.end <= end:
        if period.end >= start:
            yield period
        period = period.next()
