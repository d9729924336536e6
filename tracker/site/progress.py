"""Progress inside a long step of the site build: a line now and then, not one per item.

A national site takes minutes in each of three steps (the statuses, the pages, the generator),
and a step that prints nothing for five minutes looks hung to the person at the terminal or the
CI log. Each step counts what it has done into a `Ticker`, which prints a line at most every
`EVERY` seconds: nothing for a province's few-second steps, about a line a quarter-minute
for a national one. The lines are indented (two spaces) so that they read as the step's own and a
tool that splits the build's log into steps at each progress line (benchmarks/bench_scale.py)
can leave them out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

EVERY = 15.0  # seconds between two lines of the same step
INDENT = "  "


class Ticker:
    """`tick(done)` says `text` (formatted with done= and total=) when `every` seconds have
    passed since the step started or since the last line it said: at most one line per
    interval (one long item, a whole snapshot of pages, can make a longer gap)."""

    def __init__(self, say: Callable[[str], None], text: str, total: int | None = None,
                 every: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.say, self.text, self.total = say, text, total
        self.every = EVERY if every is None else every
        self._clock = clock
        self._last = clock()
        self._done = 0

    def __call__(self, done: int) -> None:
        self._done = done
        now = self._clock()
        if now - self._last >= self.every:
            self._last = now
            self.say(INDENT + self.text.format(done=done, total=self.total))

    def step(self) -> None:
        """One more item done (for a step that counts one at a time)."""
        self(self._done + 1)


def quiet(_done: int) -> None:
    """A ticker that says nothing (a library caller without a progress callback)."""
