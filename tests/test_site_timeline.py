"""The site's timeline (the status at every period end up to D) keeps only the last moment's
engine result and earlier payloads compressed (memory at national scale, issue 14): what the
pages read off it must be exactly what the engine says at each date."""

from __future__ import annotations

import pytest

from tests.site_helpers import DEMO, DEMO_AS_OF
from tracker import status as engine
from tracker.delta import diff
from tracker.repository import load
from tracker.site import timeline as timeline_mod
from tracker.status import LIGHTS


@pytest.fixture(scope="module")
def repo():  # type: ignore[no-untyped-def]
    loaded = load(DEMO)
    assert loaded.repo is not None
    return loaded.repo


def test_every_moment_reads_as_the_engine_at_its_date(repo) -> None:  # type: ignore[no-untyped-def]
    as_of = DEMO_AS_OF
    tl = timeline_mod.compute(repo, as_of)
    days = [m.day for m in tl.moments]
    assert days == sorted(days) and days[-1] == as_of and len(days) > 3
    before = None
    for i, moment in enumerate(tl.moments):
        status = engine.compute(repo, moment.day)
        # An earlier moment no longer holds the engine's objects, but its payload is intact.
        assert (moment.status is None) == (i < len(tl.moments) - 1)
        assert moment.payload == engine.to_json(status, repo.plan)
        # 本期变化 at each moment: tracker.delta.diff of the two statuses, as `--since`.
        assert moment.delta == (diff(before, status) if before is not None else None)
        before = status


def test_series_and_since_agree_with_the_payloads(repo) -> None:  # type: ignore[no-untyped-def]
    tl = timeline_mod.compute(repo, DEMO_AS_OF)
    payloads = [m.payload for m in tl.moments]
    for target in repo.plan.targets:
        city = [(m.day, int(r["actual"])) for m, p in zip(tl.moments, payloads, strict=True)
                for r in p["targets"] if r["target"] == target and r["scope"] == "city"
                and r.get("actual") is not None]
        assert tl.series(target, "city") == city
        for unit in repo.plan.units:
            values = [(m.day, int(a["value"])) for m, p in zip(tl.moments, payloads, strict=True)
                      for a in p.get("actuals", []) if a["target"] == target and a["unit"] == unit]
            assert tl.series(target, unit) == values
    last = payloads[-1]
    checked = 0
    for row in last["targets"]:
        key = f"{row['target']}\x00{row['scope']}"
        expected = None
        for m, p in zip(reversed(tl.moments), reversed(payloads), strict=True):
            r = next((r for r in p["targets"] if (r["target"], r["scope"]) ==
                      (row["target"], row["scope"])), None)
            if r is None or LIGHTS["target"].get(r.get("status", ""), "green") == "green":
                break
            expected = m.day
        assert tl.since("target", key) == expected
        checked += expected is not None
    assert checked, "the demo has items that have been red or yellow for a while"
    # A snapshot's timeline (upto) answers as one computed up to that day.
    day = tl.snapshots[len(tl.snapshots) // 2].day
    sub, fresh = tl.upto(day), timeline_mod.compute(repo, day)
    assert [m.day for m in sub.moments] == [m.day for m in fresh.moments]
    assert sub.last.payload == fresh.last.payload and sub.last.delta == fresh.last.delta
    for row in fresh.last.payload["targets"]:
        key = f"{row['target']}\x00{row['scope']}"
        assert sub.since("target", key) == fresh.since("target", key)
