"""The status at every period end up to D, and what the site reads off it.

The site shows more than one day: charts draw each actual at every period end, the 红黄灯清单
says since when an item has been red or yellow, 本期变化 compares D with the previous period
end, and the archive keeps a snapshot of every period end. All of them read one `Timeline`: the
status engine run once at each of those dates (tracker.status.compute), never a rule of its
own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.model import Repository
from tracker.periods import periods_between
from tracker.status import LIGHTS, Status

GREEN = "green"


@dataclass(frozen=True)
class Moment:
    day: date
    status: Status | None  # None when only the JSON is known (pages from a payload alone)
    payload: dict[str, Any]  # tracker.status.to_json(status, plan): what the pages read
    period: str | None = None  # the reporting period that ends on `day`, if one does


def history_dates(repo: Repository, as_of: date) -> list[tuple[date, str | None]]:
    """Every period end of the plan up to D (with its period), then D itself if it is not one."""
    plan = repo.plan
    end = min(as_of, plan.info.end)
    days: list[tuple[date, str | None]] = [
        (p.end, str(p)) for p in periods_between(plan.info.start, end, plan.reporting.cadence)
    ]
    if as_of >= plan.info.start and (not days or days[-1][0] != as_of):
        days.append((as_of, None))
    return [(d, p) for d, p in days if d <= as_of]


@dataclass
class Timeline:
    """Moments in date order; the last is the date the site is built for."""

    moments: list[Moment]
    _rows: dict[int, dict[tuple[str, str], dict[str, Any]]] = field(
        default_factory=dict, repr=False)
    _values: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict, repr=False)

    @property
    def last(self) -> Moment:
        return self.moments[-1]

    @property
    def previous(self) -> Moment | None:
        """The period end before the last moment (what 本期变化 compares with)."""
        return self.moments[-2] if len(self.moments) > 1 else None

    @property
    def snapshots(self) -> list[Moment]:
        """The moments that are period ends (each gets an archived snapshot)."""
        return [m for m in self.moments if m.period is not None]

    def upto(self, day: date) -> Timeline:
        return Timeline([m for m in self.moments if m.day <= day])

    def _index(self, i: int) -> dict[tuple[str, str], dict[str, Any]]:
        rows = self._rows.get(i)
        if rows is None:
            payload = self.moments[i].payload
            rows = {("target", f"{r['target']}\x00{r['scope']}"): r for r in payload["targets"]}
            rows.update({("task", r["task"]): r for r in payload["tasks"]})
            self._rows[i] = rows
        return rows

    def row(self, i: int, kind: str, key: str) -> dict[str, Any] | None:
        return self._index(i).get((kind, key))

    def _actual_values(self, i: int) -> dict[tuple[str, str], int]:
        values = self._values.get(i)
        if values is None:
            values = {(a["target"], a["unit"]): a["value"]
                      for a in self.moments[i].payload.get("actuals", [])}
            self._values[i] = values
        return values

    def series(self, target: str, scope: str) -> list[tuple[date, int]]:
        """A target's actual for one scope at each moment (moments without one left out).

        A unit's actual is read from `actuals` (every unit's figure, also a unit that has no
        goal of its own); the city's from its status row."""
        out: list[tuple[date, int]] = []
        for i, m in enumerate(self.moments):
            if scope == "city":
                row = self.row(i, "target", f"{target}\x00city")
                value = row.get("actual") if row else None
            else:
                value = self._actual_values(i).get((target, scope))
            if value is not None:
                out.append((m.day, int(value)))
        return out

    def since(self, kind: str, key: str) -> date | None:
        """The earliest moment from which the item has been non-green at every moment up to
        the last (None when it is green, or absent, at the last moment).

        kind "target" takes key "<target>\\x00<scope>"; kind "task" a task id. Grey (未报送)
        is not green: an item that was never reported and is now behind has been without a
        green light since the first moment."""
        since: date | None = None
        for i in range(len(self.moments) - 1, -1, -1):
            row = self.row(i, kind, key)
            if row is None or LIGHTS[kind].get(row.get("status", ""), GREEN) == GREEN:
                break
            since = self.moments[i].day
        return since


def compute(repo: Repository, as_of: date, *,
            compute_status: Callable[[Repository, date], Status] | None = None,
            to_json: Callable[..., dict[str, Any]] | None = None,
            dates: Sequence[tuple[date, str | None]] | None = None) -> Timeline:
    """The engine run at every history date (tracker.status.compute + to_json)."""
    from tracker import status as engine

    run = compute_status or engine.compute
    dump = to_json or engine.to_json
    moments = []
    for day, period in (dates if dates is not None else history_dates(repo, as_of)):
        status = run(repo, day)
        moments.append(Moment(day, status, dump(status, repo.plan), period))
    if not moments or moments[-1].day != as_of:
        status = run(repo, as_of)
        moments.append(Moment(as_of, status, dump(status, repo.plan), None))
    return Timeline(moments)
