"""Register.counts_on counts, for many days at once, exactly what RegisterItem.open_on says."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tracker.model import Register, RegisterItem

START = date(2022, 1, 1)


def _day(n: int) -> date:
    return START + timedelta(days=n)


def _register(items: list[RegisterItem]) -> Register:
    return Register(path="submissions/u1/registers/t.yaml", unit="u1", target="t", items=items)


def _brute(reg: Register, day: date) -> int:
    return sum(1 for item in reg.items if item.open_on(day))


def test_edges_open_and_close_days():
    reg = _register([
        RegisterItem("a", "opens on day 10", _day(10)),
        RegisterItem("b", "open days 10..19", _day(10), _day(20)),
        RegisterItem("c", "closes the day it opens", _day(15), _day(15)),
        RegisterItem("d", "closes before it opens (an error validate reports)", _day(30), _day(5)),
    ])
    days = [_day(n) for n in (0, 4, 5, 9, 10, 15, 19, 20, 29, 30, 40)]
    counts = reg.counts_on(days)
    assert counts == {d: _brute(reg, d) for d in days}
    assert [counts[d] for d in days] == [0, 0, 0, 0, 2, 2, 2, 1, 1, 1, 1]
    assert reg.count_on(_day(19)) == 2


def test_random_registers_match_item_by_item():
    rng = random.Random(14)
    for _ in range(50):
        items = []
        for i in range(rng.randint(0, 60)):
            opened = _day(rng.randint(0, 400))
            closed = _day(rng.randint(0, 400)) if rng.random() < 0.4 else None
            items.append(RegisterItem(f"c{i}", "x", opened, closed))
        reg = _register(items)
        days = [_day(rng.randint(-5, 405)) for _ in range(20)]
        assert reg.counts_on(days) == {d: _brute(reg, d) for d in days}
        assert all(reg.count_on(d) == _brute(reg, d) for d in days)
