"""The status at every period end up to D, and what the site reads off it.

The site shows more than one day: charts draw each actual at every period end, the 红黄灯清单
says since when an item has been red or yellow, 本期变化 compares D with the previous period
end, and the archive keeps a snapshot of every period end. All of them read one `Timeline`: the
status engine run once at each of those dates (tracker.status.compute), never a rule of its
own.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.delta import Delta, diff
from tracker.model import Repository
from tracker.periods import periods_between
from tracker.status import LIGHTS, Status

GREEN = "green"


class Moment:
    """The status at one date, as the pages read it.

    `payload` is tracker.status.to_json(status, plan). A moment that is not the last of a
    timeline keeps it compressed (`pack`): a national plan's site reads the status at every
    period end, and sixteen payloads as Python objects would be most of the build's memory
    (issue 14); a snapshot's pages decompress their moment's once. `delta` is what changed
    since the moment before (tracker.delta.diff, computed while both statuses were at hand);
    `status`, the engine's own result, is kept for the last moment only."""

    __slots__ = ("day", "status", "period", "delta", "_payload", "_packed")

    def __init__(self, day: date, status: Status | None, payload: dict[str, Any],
                 period: str | None = None, delta: Delta | None = None) -> None:
        self.day = day
        self.status = status
        self.period = period  # the reporting period that ends on `day`, if one does
        self.delta = delta
        self._payload: dict[str, Any] | None = payload
        self._packed = b""

    @property
    def payload(self) -> dict[str, Any]:
        if self._payload is not None:
            return self._payload
        data: dict[str, Any] = json.loads(zlib.decompress(self._packed))
        return data

    def pack(self) -> None:
        """Keep the payload compressed from now on (JSON: the payload is JSON already)."""
        if self._payload is not None:
            self._packed = zlib.compress(json.dumps(self._payload, ensure_ascii=False)
                                         .encode("utf-8"), 1)
            self._payload = None


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
class _Index:
    """What the timeline's questions need of one moment, small enough to keep for every one:
    each target scope's and task's status code, each unit's actual, each target's city actual."""

    lights: dict[tuple[str, str], str]
    values: dict[tuple[str, str], int]
    city: dict[str, int]

    @classmethod
    def of(cls, payload: dict[str, Any]) -> _Index:
        lights = {("target", f"{r['target']}\x00{r['scope']}"): r.get("status", "")
                  for r in payload["targets"]}
        lights.update({("task", r["task"]): r.get("status", "") for r in payload["tasks"]})
        values = {(a["target"], a["unit"]): a["value"] for a in payload.get("actuals", [])}
        city = {r["target"]: r["actual"] for r in payload["targets"]
                if r["scope"] == "city" and r.get("actual") is not None}
        return cls(lights, values, city)


@dataclass
class Timeline:
    """Moments in date order; the last is the date the site is built for."""

    moments: list[Moment]
    _indexes: list[_Index] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if len(self._indexes) != len(self.moments):
            self._indexes = [_Index.of(m.payload) for m in self.moments]

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
        n = sum(1 for m in self.moments if m.day <= day)
        return Timeline(self.moments[:n], self._indexes[:n])

    def status_code(self, i: int, kind: str, key: str) -> str | None:
        """The status code of a target scope ("<target>\\x00<scope>") or task at moment i."""
        return self._indexes[i].lights.get((kind, key))

    def series(self, target: str, scope: str) -> list[tuple[date, int]]:
        """A target's actual for one scope at each moment (moments without one left out).

        A unit's actual is read from `actuals` (every unit's figure, also a unit that has no
        goal of its own); the city's from its status row."""
        out: list[tuple[date, int]] = []
        for m, index in zip(self.moments, self._indexes, strict=True):
            value = index.city.get(target) if scope == "city" else index.values.get((target, scope))
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
            code = self.status_code(i, kind, key)
            if code is None or LIGHTS[kind].get(code, GREEN) == GREEN:
                break
            since = self.moments[i].day
        return since


def compute(repo: Repository, as_of: date, *,
            compute_status: Callable[[Repository, date], Status] | None = None,
            to_json: Callable[..., dict[str, Any]] | None = None,
            dates: Sequence[tuple[date, str | None]] | None = None,
            observe: Callable[[date, Status], None] | None = None) -> Timeline:
    """The engine run at every history date (tracker.status.compute + to_json). `observe`
    is given each date's Status as it is computed, in date order (the site build makes the
    period reports from them: tracker.site.downloads.SideFiles)."""
    from tracker import status as engine

    run = compute_status or engine.compute
    dump = to_json or engine.to_json
    days = list(dates if dates is not None else history_dates(repo, as_of))
    if not days or days[-1][0] != as_of:
        days.append((as_of, None))
    moments: list[Moment] = []
    indexes: list[_Index] = []
    before: Status | None = None
    for day, period in days:
        status = run(repo, day)
        if observe is not None:
            observe(day, status)
        moment = Moment(day, status, dump(status, repo.plan), period,
                        diff(before, status) if before is not None else None)
        indexes.append(_Index.of(moment.payload))
        if moments:  # the one before: its status is done with, its payload read rarely
            moments[-1].status = None
            moments[-1].pack()
        moments.append(moment)
        before = status
    return Timeline(moments, indexes)
