"""Work done in a second process while this one goes on: the second core of a CI runner.

`tracker check` needs two independent things on the critical path: the pull request's own
files validated, and the latest filings of every other unit read for the status delta. Python
runs one thread of Python at a time, so the second read runs in a forked child, and its
result comes back through a pipe as `marshal` data (plain values only: a fork shares the
loaded code, and marshal is the cheapest way back).

It is an optimisation, never a requirement: where forking is not safe or not possible
(Windows and macOS, a process that already runs threads, `TRACKER_PARALLEL=0`) or the child
fails for any reason, `result()` simply runs the function here, so the answer is the same
either way.
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


def _can_fork() -> bool:
    if sys.platform != "linux" or os.environ.get("TRACKER_PARALLEL", "1") == "0":
        return False
    if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:
        return False  # children would be reaped by the kernel: none to wait for, pids reused
    try:  # every OS thread, including those a library started outside `threading`
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


_DONE = b"tracker-background-1\n"


class Background:
    """`Background(fn, *args)` starts fn(*args) in a child; `.result()` returns its value.

    Use it as a context manager (or call `close()`): that is where the child is reaped."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._pid = 0
        self._read = -1
        self.forked = False  # whether a child does the work (else `result()` does it here)
        if not _can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, write, and leave without running any cleanup
            code = 1
            try:
                os.close(read)
                view = memoryview(_DONE + marshal.dumps(fn(*args)))
                while view:
                    view = view[os.write(write, view):]
                os.close(write)  # the parent reads to the end now, not when this exits
                code = 0
            except BaseException:  # noqa: BLE001 - the parent computes it again itself
                pass
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read
        self.forked = True

    def result(self) -> Any:
        """fn(*args): the child's answer, or computed here when there is none."""
        if self._read < 0:
            return self._fn(*self._args)
        chunks = []
        with os.fdopen(self._read, "rb") as pipe:
            self._read = -1
            while chunk := pipe.read():
                chunks.append(chunk)
        data = b"".join(chunks)
        # Only a complete answer starts with _DONE (a failing child writes nothing); the
        # child is reaped in close(), by when it has long exited.
        if data.startswith(_DONE):
            try:
                return marshal.loads(data[len(_DONE):])
            except (EOFError, ValueError, TypeError):
                pass
        return self._fn(*self._args)  # the child failed: do the work here

    def _reap(self) -> None:
        pid, self._pid = self._pid, 0
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # already reaped (SIGCHLD ignored after the fork)
            pass

    def close(self) -> None:
        """Reap the child, stopping it first if it still runs (its answer is not wanted)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)  # it holds nothing that needs cleaning up
            except ProcessLookupError:
                pass
            self._reap()
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
